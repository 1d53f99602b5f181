"""One crawl, start to finish: fetch pages in one thread, stage them in another, merge at the end.

Fetching page N+1 only needs page N's Link header, so the fetch thread runs ahead of staging by
a bounded queue: the two overlap, and memory stays flat however many models the Hub holds.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from registry.settings import Settings
from warehouse.connect import open_writer
from warehouse.lock import CrawlLock
from warehouse.merge import MergeResult, merge_full_crawl
from warehouse.runs import mark_resumed, record_progress, run_status, start_run
from warehouse.staging import CrawlState, Staging, staging_path

from .errors import CrawlError
from .hub_client import HubClient, Page, Stopped
from .listing import full_listing_path, relative_to

log = logging.getLogger("registry.crawler")

QUEUE_PAGES = 2  # pages fetched ahead of staging; bounds memory
WRITER_PATIENCE_SECONDS = 300.0  # readers hold the warehouse only briefly; wait them out


class CrawlInterrupted(CrawlError):
    """Stopped on request (SIGTERM/SIGINT) after committing the current page."""


@dataclass(frozen=True)
class CrawlReport:
    run_id: int
    resumed: bool
    state: CrawlState
    merge: MergeResult
    seconds: float


ProgressCallback = Callable[[CrawlState], None]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def crawl(
    settings: Settings, on_page: ProgressCallback | None = None, stop: threading.Event | None = None
) -> CrawlReport:
    """Run (or resume) a full crawl into the warehouse; raise CrawlError if it cannot finish."""
    stop = stop or threading.Event()
    started = time.monotonic()
    with CrawlLock(settings.db_path):
        staging = Staging(staging_path(settings.db_path))
        state, resumed = _begin(settings, staging)
        log.info("crawl run %d %s at %s", state.run_id, "resumed" if resumed else "started", settings.endpoint)
        try:
            if not state.listing_done:
                _fetch_and_stage(settings, staging, state, on_page, stop)
        except CrawlError as error:
            _record_failure(settings, staging.state(), error)
            staging.close()
            raise
        state = staging.state()
        staging.close()
        result = _merge(settings, staging.path, state)
        staging.remove()
    log.info("crawl run %d finished: %d pages, %d models", state.run_id, state.pages, result.models_loaded)
    return CrawlReport(state.run_id, resumed, state, result, time.monotonic() - started)


def _begin(settings: Settings, staging: Staging) -> tuple[CrawlState, bool]:
    """Resume the staged crawl if one is unfinished, else start a new run."""
    state = staging.state()
    con = open_writer(settings.db_path, patience=WRITER_PATIENCE_SECONDS)
    try:
        if state is not None:
            status = run_status(con, state.run_id)
            if status not in (None, "finished") and state.endpoint == settings.endpoint:
                mark_resumed(con, state.run_id)
                return state, True
            if status not in (None, "finished"):
                record_progress(con, state, "failed", error="abandoned: HF_ENDPOINT changed since it started")
        run_id = start_run(con, "full", settings.endpoint, utcnow())
    finally:
        con.close()
    staging.start(run_id, "full", settings.endpoint, full_listing_path(settings.page_size))
    return staging.state(), False


def _fetch_and_stage(
    settings: Settings,
    staging: Staging,
    state: CrawlState,
    on_page: ProgressCallback | None,
    stop: threading.Event,
) -> None:
    halt = threading.Event()  # tells the fetch thread to stop: on request, on error, or when done
    client = HubClient(settings.token, settings.retry, halt)
    pages: queue.Queue = queue.Queue(maxsize=QUEUE_PAGES)
    fetcher = threading.Thread(
        target=_fetch_pages,
        args=(client, settings.endpoint + state.next_path, pages, halt),
        name="fetch-pages",
        daemon=True,
    )
    fetcher.start()
    try:
        page_no = state.pages
        for page in _pages_as_they_come(pages, fetcher, stop, halt):
            page_no += 1
            next_path = relative_to(settings.endpoint, page.next_url) if page.next_url else None
            staging.stage_page(page_no, page.body, page.fetched_at, next_path, page.cost)
            if on_page:
                on_page(staging.state())
    finally:
        halt.set()
        fetcher.join()
        client.close()


def _pages_as_they_come(pages: queue.Queue, fetcher: threading.Thread, stop: threading.Event, halt: threading.Event):
    """Yield fetched pages in order; after a stop request, the ones already fetched, then stop."""
    while True:
        if stop.is_set():
            halt.set()
        try:
            item = pages.get(timeout=0.2)
        except queue.Empty:
            if fetcher.is_alive():
                continue
            item = Stopped() if halt.is_set() else CrawlError("the fetch thread ended unexpectedly")
        if item is _LISTING_DONE:
            return
        if isinstance(item, Stopped):
            raise CrawlInterrupted(
                "crawl stopped on request after committing its last page: rerun `registry crawl` to resume"
            )
        if isinstance(item, BaseException):
            raise item
        yield item


_LISTING_DONE = object()


def _fetch_pages(client: HubClient, url: str | None, pages: queue.Queue, halt: threading.Event) -> None:
    """Producer: follow Link headers until the last page, a halt, or an error."""
    try:
        while url is not None:
            page: Page = client.fetch_page(url)  # raises Stopped once halt is set
            _put(pages, page, halt)
            url = page.next_url
        _put(pages, _LISTING_DONE, halt)
    except BaseException as error:  # handed to the staging side, which raises it
        _put(pages, error, halt)


def _put(pages: queue.Queue, item: object, halt: threading.Event) -> None:
    """Block while the queue is full, but give up once halted (nobody may be reading)."""
    while True:
        try:
            pages.put(item, timeout=0.1)
            return
        except queue.Full:
            if halt.is_set():
                return


def _merge(settings: Settings, staging_file: Path, state: CrawlState) -> MergeResult:
    con = open_writer(settings.db_path, patience=WRITER_PATIENCE_SECONDS)
    try:
        return merge_full_crawl(con, staging_file, state, utcnow())
    finally:
        con.close()


def _record_failure(settings: Settings, state: CrawlState | None, error: Exception) -> None:
    if state is None:
        return
    status = "interrupted" if isinstance(error, CrawlInterrupted) else "failed"
    con = open_writer(settings.db_path, patience=WRITER_PATIENCE_SECONDS)
    try:
        record_progress(con, state, status, error=str(error))
    finally:
        con.close()
