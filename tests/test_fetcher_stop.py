"""A fetch thread that does not stop cannot hang a crawl: asked to stop, it is waited for a bounded time."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

import pytest

from crawler.errors import CrawlError
from crawler.fetcher import PageFetcher, stop_bound
from tests.conftest import FAST_RETRY, make_settings

RETRY = replace(FAST_RETRY, timeout=0.5)


class TricklingHub:
    """A Hub that answers each request one header byte at a time, a byte every 0.1 s: each read is
    within the client's timeout, so the request neither completes nor times out for a minute."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.requests = 0
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        self.requests += 1
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 600:
            if self.done.wait(0.1):
                break
            connection.sendall(bytes([byte]))
        connection.close()

    def close(self) -> None:
        self.done.set()
        self.listener.close()


@pytest.fixture
def trickling_hub():
    hub = TricklingHub()
    yield hub
    hub.close()


def _fetcher(tmp_path, endpoint: str) -> PageFetcher:
    settings = replace(make_settings(tmp_path / "registry.duckdb", endpoint), retry=RETRY)
    pages = tmp_path / "pages"
    pages.mkdir()
    return PageFetcher(settings, endpoint + "/api/models", ahead=1, pages=pages, first_page_no=1)


def test_close_gives_up_on_a_fetch_thread_stuck_in_a_request(tmp_path, trickling_hub):
    fetcher = _fetcher(tmp_path, trickling_hub.url)
    deadline = time.monotonic() + 5
    while trickling_hub.requests == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    bound = 2 * RETRY.timeout + 1.0
    assert stop_bound(replace(make_settings(tmp_path, ""), retry=RETRY)) == bound
    started = time.monotonic()
    with pytest.raises(CrawlError, match=r"the fetch thread did not stop within 2 s .* rerun `registry crawl`"):
        fetcher.close()
    assert bound <= time.monotonic() - started < bound + 1.0


def test_a_stop_request_is_bounded_too_while_no_page_comes(tmp_path, trickling_hub):
    fetcher = _fetcher(tmp_path, trickling_hub.url)
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    with pytest.raises(CrawlError, match="the fetch thread did not stop"):
        next(fetcher.pages(stop))
    assert time.monotonic() - started < 2 * RETRY.timeout + 1.5
