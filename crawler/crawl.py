"""One crawl, start to finish: fetch pages in one thread; stage them, and merge them in chunks, in another.

The fetch thread (crawler/fetcher.py) runs ahead of staging by a bounded number of pages: fetching
overlaps with staging and merging, and memory stays flat however many models the Hub holds. When
the listing ends, only the last chunk and the deletions are left to merge. The listings of the
repository types run so side by side (update_mirror), each with a staging file of its own, writing
the warehouse in turns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from registry.settings import Settings
from warehouse.connect import open_writer
from warehouse.lock import CrawlLock
from warehouse.merge import MergeResult, chunk_pages, merge_crawl, merge_staged, merged_pages
from warehouse.runs import (
    incremental_watermark,
    last_finished,
    mark_resumed,
    record_progress,
    run_status,
    start_run,
)
from warehouse.staging import (
    CrawlState,
    FetchStats,
    NotAJsonArray,
    Staging,
    page_path,
    shared_staging_path,
    staging_path,
    write_page_file,
)
from warehouse.streams import MODELS, REPO_TYPES, STREAMS, Stream

from .errors import CrawlError, HubRequestError
from .fetcher import PAGES_AHEAD, PAGES_AHEAD_OF_A_WATERMARK, PageFetcher
from .heap import keep_heap_small
from .hub_client import HubClient, Page, Stopped
from .listing import (
    dropped_from,
    listing_order,
    listing_path,
    listing_paths,
    next_listing_path,
    relative_to,
    sort_key,
)

log = logging.getLogger("registry.crawler")

_TURNS: dict[Path, threading.Lock] = {}
_TURNS_LOCK = threading.Lock()


def warehouse_turn(db_path: Path) -> threading.Lock:
    """The process's one lock for opening this warehouse: the types' crawls write it in turns.

    DuckDB lets a process open a file once, with one configuration (a reader and a writer would
    clash), and each open is short: a merge chunk, a run's start or end. Taken in turns, the
    warehouse is still closed between any two of them, so other processes' readers get in.
    """
    with _TURNS_LOCK:
        return _TURNS.setdefault(db_path.resolve(), threading.Lock())


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


def crawl(
    settings: Settings,
    on_page: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    kind: str = "full",
    stream: Stream = MODELS,
) -> CrawlReport:
    """Run (or resume) one crawl of `kind` of `stream` into the warehouse; raise CrawlError if it
    cannot finish.

    An unfinished crawl of `stream` left in its staging file is resumed instead, whatever its kind.
    """
    keep_heap_small()
    with CrawlLock(settings.db_path):
        return _crawl_locked(settings, on_page, stop or threading.Event(), kind, stream)


def update_mirror(
    settings: Settings,
    full: bool = False,
    on_page: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    repo_types: tuple[str, ...] = REPO_TYPES,
) -> list[CrawlReport]:
    """What `registry crawl` and the nightly job do: the cheapest crawls that leave the mirror exact.

    The repository types are updated side by side, each in a thread of its own: their cursor chains
    are independent, and the Hub's quota, which they share, is the only limit they have in common.
    For each type: resume its interrupted crawl first (any type's, asked for or not); then a full
    crawl when asked or when none exists yet; else an incremental crawl (new and edited
    repositories), plus the counters refresh (downloads, likes, renames, deletions) when the last
    one is older than `settings.counters_every`. The reports come in REPO_TYPES order.
    """
    stop = stop or threading.Event()
    keep_heap_small()
    on_page = _one_at_a_time(on_page)
    with CrawlLock(settings.db_path):
        reports = _resume_shared_staging(settings, on_page, stop)
        updates = {name: name in repo_types for name in REPO_TYPES if name in repo_types or _staged(settings, name)}
        with ThreadPoolExecutor(max_workers=len(updates), thread_name_prefix="crawl") as pool:
            futures = [
                pool.submit(_update_stream, settings, full, on_page, stop, STREAMS[name], reports, asked)
                for name, asked in updates.items()
            ]
            outcomes = _outcomes(futures)
    return [report for kind_reports in (reports, *outcomes) for report in kind_reports]


def _update_stream(
    settings: Settings,
    full: bool,
    on_page: ProgressCallback | None,
    stop: threading.Event,
    stream: Stream,
    earlier: list[CrawlReport],
    asked: bool,
) -> list[CrawlReport]:
    """One type's crawls, one after another: its unfinished staged crawl, then (if `asked`) the
    crawls that bring it up to date; `earlier` are the reports of this call made before."""
    reports: list[CrawlReport] = []
    if staged := _staged(settings, stream.name):
        reports.append(_crawl_locked(settings, on_page, stop, staged, stream))
    done = [report.state.kind for report in (*earlier, *reports) if report.state.repo_type == stream.name]
    while asked and (kind := _next_kind(settings, full, done, stream)):
        if stop.is_set():  # asked between two crawls: the next one is not begun
            raise _interrupted()
        reports.append(_crawl_locked(settings, on_page, stop, kind, stream))
        done.append(kind)
    return reports


def _outcomes(futures: list[Future]) -> list[list[CrawlReport]]:
    """Each type's reports once every type's crawls have ended; else raise the first failure in
    REPO_TYPES order (a stop request only if nothing failed), after logging the others.

    A type that fails does not stop the others: what they do is kept, and the exit code tells of
    the failure."""
    for future in futures:  # with a timeout: the main thread keeps handling SIGINT/SIGTERM
        while not future.done():
            wait([future], timeout=0.5)
    failures = [future.exception() for future in futures if future.exception() is not None]
    if not failures:
        return [future.result() for future in futures]
    failures.sort(key=lambda error: isinstance(error, CrawlInterrupted))
    for other in failures[1:]:
        if not isinstance(other, CrawlInterrupted):
            log.error("%s", other)
    raise failures[0]


def _one_at_a_time(on_page: ProgressCallback | None) -> ProgressCallback | None:
    """The progress callback, called by one type's thread at a time (a caller need not be thread-safe)."""
    if on_page is None:
        return None
    lock = threading.Lock()

    def serialised(state: CrawlState) -> None:
        with lock:
            on_page(state)

    return serialised


def _resume_shared_staging(
    settings: Settings, on_page: ProgressCallback | None, stop: threading.Event
) -> list[CrawlReport]:
    """Resume, first and alone, the crawl an older version left unfinished in the staging file every
    type shared then."""
    path = shared_staging_path(settings.db_path)
    if not path.exists():
        return []
    staged = _unfinished_staged(path)
    if staged is None:
        Staging(path).remove()
        return []
    kind, repo_type = staged
    return [_crawl_locked(settings, on_page, stop, kind, STREAMS[repo_type], path)]


def _next_kind(settings: Settings, full: bool, done: list[str], stream: Stream) -> str | None:
    if "full" in done:
        return None
    if not settings.db_path.exists():
        return "full"
    with warehouse_turn(settings.db_path):
        # Opened to write: that migrates a warehouse left without its tables (a crawl killed while
        # creating it), where a reader would find no crawl_runs.
        con = open_writer(settings.db_path, patience=settings.writer_patience)
        try:
            last_full = last_finished(con, ("full",), stream.name)
            last_counters = last_finished(con, ("full", "counters"), stream.name)
        finally:
            con.close()
    if full or last_full is None:
        return "full"
    if "incremental" not in done:
        return "incremental"
    if "counters" not in done and settings.clock() - last_counters >= settings.counters_every:
        return "counters"
    return None


def _staged(settings: Settings, repo_type: str) -> str | None:
    """The kind of the unfinished crawl of this type that its staging file holds, if any."""
    staged = _unfinished_staged(staging_path(settings.db_path, repo_type))
    return staged[0] if staged else None


def _unfinished_staged(path: Path) -> tuple[str, str] | None:
    """(kind, repo_type) of the crawl the staging file at `path` holds, if any."""
    if not path.exists():
        return None
    staging = Staging(path)
    try:
        state = staging.state()
    finally:
        staging.close()
    return (state.kind, state.repo_type) if state else None


def _crawl_locked(
    settings: Settings,
    on_page: ProgressCallback | None,
    stop: threading.Event,
    kind: str,
    stream: Stream,
    staging_file: Path | None = None,
) -> CrawlReport:
    started = time.monotonic()
    staging = Staging(staging_file or staging_path(settings.db_path, stream.name))
    # A new listing's first page is asked for at once, while the run is set up in the warehouse
    # (opening it takes ~0.03 s, creating it ~0.2 s): the cursor chain starts that much sooner. The
    # run starts before that page is fetched: what it listed is judged by `started` (deletions).
    begun = settings.clock()
    staged = staging.state()
    first_path = listing_path(stream, kind, settings.page_size)
    early = None if staged else _fetcher(settings, staging, first_path, kind, 1)
    try:
        state, resumed = _begin(settings, staging, staged, kind, stream, begun)
    except BaseException:
        if early:
            early.close()
        raise
    how = "resumed" if resumed else "started"
    log.info("%s crawl of %s, run %d, %s at %s", state.kind, state.repo_type, state.run_id, how, settings.endpoint)
    try:
        if not state.listing_done:
            _fetch_and_stage_as_the_hub_allows(settings, staging, state, on_page, stop, early)
    except duckdb.Error as error:
        failure = CrawlError(f"DuckDB could not stage a page ({error}); rerun `registry crawl` to resume")
        _record_failure(settings, staging.committed_state(), failure)
        staging.close()
        raise failure from error
    except CrawlError as error:
        _record_failure(settings, staging.committed_state(), error)
        staging.close()
        raise
    state = staging.state()
    staging.close()
    try:
        with warehouse_turn(settings.db_path):
            result = merge_crawl(settings.db_path, staging.path, state, settings.clock, settings.writer_patience)
    except duckdb.Error as error:
        raise CrawlError(f"DuckDB could not merge the crawl ({error}); rerun `registry crawl` to resume") from error
    staging.remove()
    log.info(
        "%s crawl of %s, run %d, finished: %d pages, %d %s",
        state.kind, state.repo_type, state.run_id, state.pages, result.models_loaded, state.repo_type,
    )  # fmt: skip
    return CrawlReport(state.run_id, resumed, state, result, time.monotonic() - started)


def _begin(
    settings: Settings, staging: Staging, state: CrawlState | None, kind: str, stream: Stream, begun: datetime
) -> tuple[CrawlState, bool]:
    """Resume the staged crawl (`state`) if it is unfinished, else start a new run of `kind` of
    `stream`, begun at `begun`."""
    with warehouse_turn(settings.db_path):
        run_id, watermark, resumed = _resume_or_start_run(settings, state, kind, stream, begun)
    if resumed:
        return state, True
    first_path = listing_path(stream, kind, settings.page_size)
    staging.start(run_id, kind, stream.name, settings.endpoint, first_path, watermark)
    return staging.state(), False


def _resume_or_start_run(
    settings: Settings, state: CrawlState | None, kind: str, stream: Stream, begun: datetime
) -> tuple[int, datetime | None, bool]:
    """(run id, watermark, resumed) of the staged run marked resumed, or else of a new run."""
    con = open_writer(settings.db_path, patience=settings.writer_patience)
    try:
        if state is not None:
            status = run_status(con, state.run_id)
            if status not in (None, "finished") and state.endpoint == settings.endpoint:
                mark_resumed(con, state.run_id)
                return state.run_id, state.watermark, True
            if status not in (None, "finished"):
                record_progress(con, state, "failed", error="abandoned: HF_ENDPOINT changed since it started")
        incremental = kind == "incremental"
        watermark = incremental_watermark(con, settings.watermark_overlap, stream) if incremental else None
        return start_run(con, kind, settings.endpoint, begun, watermark, stream.name), watermark, False
    finally:
        con.close()


def _fetch_and_stage_as_the_hub_allows(
    settings: Settings,
    staging: Staging,
    state: CrawlState,
    on_page: ProgressCallback | None,
    stop: threading.Event,
    fetcher: PageFetcher | None,
) -> None:
    """Page through the listing; if the Hub refuses its first page (400), list as the next of
    listing_paths() asks: without `direction`, then without the info-only fields."""
    stream = STREAMS[state.repo_type]
    paths = listing_paths(stream, state.kind, settings.page_size)
    while True:
        try:
            return _fetch_and_stage(settings, staging, state, on_page, stop, fetcher)
        except HubRequestError as error:
            current = staging.state()
            refused = current.next_path if current.pages == 0 and error.status == 400 else None
            fallback = next_listing_path(paths, refused, error.detail, stream) if refused else None
            if fallback is None:
                raise
            refusal = f"the Hub refuses the listing's first page (HTTP 400: {error.detail})"
            log.warning("%s; listing %s instead", refusal, dropped_from(refused, fallback))
            staging.restart_listing(fallback)
            state, fetcher = staging.state(), None


def _fetch_and_stage(
    settings: Settings,
    staging: Staging,
    state: CrawlState,
    on_page: ProgressCallback | None,
    stop: threading.Event,
    fetcher: PageFetcher | None = None,
) -> None:
    """Stage the listing's pages from state.next_path on, with `fetcher` if it was started already."""
    fetcher = fetcher or _fetcher(settings, staging, state.next_path, state.kind, state.pages + 1)
    try:
        with warehouse_turn(settings.db_path):
            merged = merged_pages(settings.db_path, state.run_id, settings.writer_patience)
        page_no, order = state.pages, state.listing_order
        for page in fetcher.pages(stop):
            page_no += 1
            next_path = relative_to(settings.endpoint, page.next_url) if page.next_url else None
            order = order or _read_listing_order(staging, state, page_no)
            # Only a newest-first listing can end at its watermark: in any other order, or before a
            # page has shown the order, the listing goes on.
            watermark = state.watermark if order == "descending" else None
            _stage_or_refetch(staging, fetcher.client, page_no, page, next_path, watermark)
            current = staging.state()
            if on_page:
                on_page(current)
            if next_path and current.listing_done:  # an incremental listing reached its watermark
                log.info("page %d reaches below the watermark %s: listing done", page_no, state.watermark)
                return
            fetcher.want_next()
            # Merge each full chunk while the fetcher goes on fetching. Only full ones, even while
            # waiting for the Hub: a smaller chunk leaves a row group that each later checkpoint
            # merges with the next and writes again, which cost twice the CPU and ~200 MB of peak
            # memory at 500k models (BENCHMARKS.md, 2026-12-02 fifth session); at the end of the
            # listing, what is left is at most one chunk. A newest-first listing's models are
            # scattered over the table: it merges in chunks of SCATTERED_CHUNK_PAGES (warehouse/merge.py).
            if current.pages - merged >= chunk_pages(state.kind):
                with staging.released():
                    merged = _merge_while_listing(settings, staging.path, current, merged)
                staging.forget_merged(merged)
    except Stopped:
        raise _interrupted() from None
    finally:
        fetcher.close()


def _read_listing_order(staging: Staging, state: CrawlState, page_no: int) -> str | None:
    """The order the Hub lists in, if this page (its file) shows it; kept with the crawl's state."""
    key = sort_key(state.next_path or "")
    order = listing_order(page_path(staging.path, page_no), key)
    if order is None:
        return None
    staging.set_listing_order(order)
    if state.watermark and order == "ascending":
        log.warning("the Hub lists %s oldest first: the listing cannot stop at the watermark, it runs to its end", key)
    else:
        log.info("the Hub lists %s %s", key, "oldest first" if order == "ascending" else "newest first")
    return order


def _fetcher(settings: Settings, staging: Staging, path: str, kind: str, first_page_no: int) -> PageFetcher:
    ahead = PAGES_AHEAD_OF_A_WATERMARK if kind == "incremental" else PAGES_AHEAD
    return PageFetcher(settings, settings.endpoint + path, ahead, staging.pages, first_page_no)


def _merge_while_listing(settings: Settings, staging_file: Path, state: CrawlState, merged: int) -> int:
    try:
        with warehouse_turn(settings.db_path):
            return merge_staged(settings.db_path, staging_file, state, merged, settings.writer_patience)
    except duckdb.Error as error:  # said apart from a failure to stage, which the caller reports
        failure = f"DuckDB could not merge staged pages {merged + 1}-{state.pages} ({error})"
        raise CrawlError(f"{failure}; rerun `registry crawl` to resume") from error


def _stage_or_refetch(
    staging: Staging, client: HubClient, page_no: int, page: Page, next_path: str | None, watermark: datetime | None
) -> None:
    """Stage a fetched page (its body in its file); one whose body is not a complete JSON array is
    fetched again, checked."""
    try:
        staging.stage_page(page_no, page.fetched_at, next_path, page.cost, watermark)
    except NotAJsonArray:
        log.warning("page %d: the body is not a complete JSON array; fetching it again", page_no)
        # The fetcher has gone on from this page's Link header (the headers came whole); the client
        # is shared with it, and its quota count allows for the two requests in flight.
        try:
            again = client.fetch_page(page.url)
        except Stopped:
            raise _interrupted() from None
        cost = page.cost + FetchStats(retries=1) + again.cost
        write_page_file(staging.pages, page_no, again.body)
        staging.stage_page(page_no, again.fetched_at, next_path, cost, watermark)


def _interrupted() -> CrawlInterrupted:
    return CrawlInterrupted("crawl stopped on request after committing its last page: rerun `registry crawl` to resume")


def _record_failure(settings: Settings, state: CrawlState | None, error: Exception) -> None:
    """Log the failure in the run's row; if DuckDB cannot (what failed may stop it writing the
    warehouse too), say so and leave the row as it was: the failure itself is still raised."""
    if state is None:
        return
    status = "interrupted" if isinstance(error, CrawlInterrupted) else "failed"
    try:
        with warehouse_turn(settings.db_path):
            con = open_writer(settings.db_path, patience=settings.writer_patience)
            try:
                record_progress(con, state, status, error=str(error))
            finally:
                con.close()
    except duckdb.Error as failure:
        log.error("could not record the crawl's failure in the warehouse: %s", str(failure).splitlines()[0])
