"""Follow a listing's cursor chain in a thread of its own, ahead of staging by a bounded number of pages.

Fetching page N+1 only needs page N's Link header, which comes before its body: the next request
goes out as soon as the headers are in, while another thread reads the body (~5 ms a page of
1,000 models) into its page file (warehouse/staging.py), so that neither the read nor the staging
of a page is on the cursor chain, and pages fetched ahead wait on disk, not in memory.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from registry.settings import Settings
from warehouse.staging import write_page_file

from .errors import CrawlError
from .hub_client import HubClient, Page, Stopped, quota_for

# Pages the fetcher may fetch beyond the one being staged: enough to keep fetching through a
# chunk's merge and checkpoint with room to spare (typing and applying 125 pages took ~6 s at 2.5M
# models, ~90 pages of a fast Hub; a chunk is 30 pages now). They wait in files (~1-2.5 MB a page
# of 1,000 models), not in memory.
PAGES_AHEAD = 125
# The same for a newest-first listing, which ends at a watermark that only the staged page reveals:
# each page fetched ahead may be one request wasted past the end, but fetching one page ahead
# overlaps the fetch with staging (2.5M models: BENCHMARKS.md, 2026-11-27 (noon)).
PAGES_AHEAD_OF_A_WATERMARK = 1

_LISTING_DONE = object()


def stop_bound(settings: Settings) -> float:
    """How long the fetch thread may take to stop once asked: a request in flight is given its
    timeout for its headers and again for its body, and a second more."""
    return 2 * settings.retry.timeout + 1.0


class PageFetcher:
    """Fetches the pages of a listing from `url` on, in order, in a background thread; the body of
    page number `first_page_no` + k goes to that page's file in `pages` (yielded pages carry none).

    It runs up to `ahead` pages ahead of the page being staged: a page is asked for only once the
    one `ahead` pages before it is staged (`want_next`).
    """

    def __init__(self, settings: Settings, url: str, ahead: int, pages: Path, first_page_no: int):
        self.halt = threading.Event()  # tells the thread to stop: on request, on error, or when done
        quota = quota_for(settings.endpoint, settings.token)  # shared by every listing of this crawl
        self.client = HubClient(settings.token, settings.retry, self.halt, settings.clock, quota)
        self._pages: queue.Queue = queue.Queue()
        self._ahead = threading.Semaphore(1 + ahead)
        self._files = pages
        self._stop_bound = stop_bound(settings)
        self._asked_to_stop_at: float | None = None
        self._thread = threading.Thread(target=self._fetch, args=(url, first_page_no), name="fetch-pages", daemon=True)
        self._thread.start()

    def pages(self, stop: threading.Event) -> Iterator[Page]:
        """Fetched pages in order; raise what the fetch raised. After a stop request, the pages
        already fetched, then Stopped."""
        while True:
            if stop.is_set():
                self._ask_to_stop()
            try:
                item = self._pages.get(timeout=0.2)
            except queue.Empty:
                item = self._instead_of_a_page()
                if item is None:
                    continue
            if item is _LISTING_DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item.result()

    def want_next(self) -> None:
        """The page given last is staged: the fetcher may go one page further."""
        self._ahead.release()

    def close(self) -> None:
        """Stop the fetch thread; raise CrawlError if it has not ended within the bound."""
        self._ask_to_stop()
        self._thread.join(max(0.0, self._asked_to_stop_at + self._stop_bound - time.monotonic()))
        if self._thread.is_alive():
            raise self._stuck()
        self.client.close()

    def _ask_to_stop(self) -> None:
        if self._asked_to_stop_at is not None:
            return
        self._asked_to_stop_at = time.monotonic()
        self.halt.set()
        self._ahead.release()  # wakes it if it waits for staging to catch up, whatever the clock does

    def _instead_of_a_page(self) -> BaseException | None:
        """What to raise when no page came: the thread ended, or it outlived the bound after a stop
        request; None to go on waiting."""
        if not self._thread.is_alive():
            return Stopped() if self.halt.is_set() else CrawlError("the fetch thread ended unexpectedly")
        if self._asked_to_stop_at is not None and time.monotonic() - self._asked_to_stop_at > self._stop_bound:
            return self._stuck()
        return None

    def _stuck(self) -> CrawlError:
        return CrawlError(
            f"the fetch thread did not stop within {self._stop_bound:.0f} s of being asked (a request to the Hub "
            "that neither answers nor times out?); the pages committed so far are kept: rerun `registry crawl` "
            "to resume"
        )

    def _fetch(self, url: str | None, page_no: int) -> None:
        """Follow Link headers until the last page, a halt, or an error; pages are queued in order,
        as futures of their bodies written to file."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-bodies") as bodies:
            try:
                while url is not None:
                    while not self._ahead.acquire(timeout=0.1):  # wait for staging to catch up
                        if self.halt.is_set():
                            raise Stopped()
                    started = self.client.start_page(url)  # raises Stopped once halt is set
                    self._pages.put(bodies.submit(self._read_to_file, started, page_no))
                    url = started.next_url
                    page_no += 1
                self._pages.put(_LISTING_DONE)
            except BaseException as error:  # handed to the staging side, which raises it
                self._pages.put(error)

    def _read_to_file(self, started, page_no: int) -> Page:
        page = self.client.finish_page(started)
        write_page_file(self._files, page_no, page.body)
        return page.without_body()
