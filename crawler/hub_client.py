"""Fetch listing pages from the Hub: pacing from RateLimit headers, retries with backoff and jitter.

This module is the one place that decides whether a failed request is retried or fatal.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

import duckdb
import httpx2
from huggingface_hub.utils import parse_ratelimit_headers

from registry.settings import RetryPolicy, utc_now
from warehouse.page_typing import decode_body
from warehouse.staging import FetchStats, json_array_length

from .errors import GaveUp, HubAuthError, HubRequestError, HubUnreachable

log = logging.getLogger("registry.crawler")

RETRIABLE_STATUS = {408, 500, 502, 503, 504}
USER_AGENT = "open-model-registry/0.1.0"


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes  # as received (b"" once written to its page file): a str of JSON with any character
    # beyond the BMP takes 4 bytes a character
    next_url: str | None
    fetched_at: datetime
    cost: FetchStats

    def without_body(self) -> Page:
        return replace(self, body=b"")


@dataclass(frozen=True)
class StartedPage:
    """A page whose headers (status 200, Link) are in and whose body is still to be read."""

    url: str
    response: httpx2.Response
    next_url: str | None
    cost: FetchStats


class Quota:
    """What the Hub's RateLimit headers said of the current window. One per token and endpoint: the
    Hub counts every route against the same quota, so the listings of models, datasets and Spaces,
    side by side, share it (a client of its own each would spend what the others had spent)."""

    def __init__(self) -> None:
        self.left: int | None = None  # unknown until a response carries RateLimit headers
        self.resets_at = 0.0  # time.monotonic() by which the window resets, at the latest
        self.window_began = 0.0  # requests sent since then were counted in this window (or a later one)
        self.window_remaining: int | None = None  # the least quota left any answer of the window said
        self.in_flight = 0  # requests sent and not yet answered, by every thread
        self.unanswered: list[float] = []  # when requests were lost unanswered and may be uncounted yet
        self.limited: bool | None = None  # whether the last answer carried RateLimit headers; None: none yet
        self.lock = threading.Lock()
        self.answered = threading.Condition(self.lock)  # notified as each answer is noted


_QUOTAS: dict[tuple[str, int], Quota] = {}
_QUOTAS_LOCK = threading.Lock()


def quota_for(endpoint: str, token: str | None) -> Quota:
    """The process's one Quota for this endpoint and token (the token itself is not kept)."""
    key = (endpoint, hash(token))
    with _QUOTAS_LOCK:
        return _QUOTAS.setdefault(key, Quota())


class Stopped(Exception):
    """The crawl was asked to stop while waiting to retry."""


class HubClient:
    def __init__(
        self,
        token: str | None,
        retry: RetryPolicy,
        stop: threading.Event | None = None,
        clock: Callable[[], datetime] = utc_now,
        quota: Quota | None = None,
    ):
        # Not huggingface_hub's build_hf_headers: building its user-agent fetches
        # {endpoint}/api/agent-harnesses, an extra request a crawler should not make behind our back.
        headers = {"user-agent": USER_AGENT}
        if token:
            headers["authorization"] = f"Bearer {token}"
        self.http = httpx2.Client(headers=headers, timeout=retry.timeout, follow_redirects=True)
        self.retry = retry
        self.clock = clock
        self.quota = quota or Quota()
        self.stop = stop or threading.Event()
        self._json: duckdb.DuckDBPyConnection | None = None  # see _is_json_array

    def close(self) -> None:
        self.http.close()
        if self._json is not None:
            self._json.close()

    def fetch_page(self, url: str) -> Page:
        """GET one listing page whose body is a complete JSON array, retrying what can be retried;
        raise a CrawlError otherwise."""
        attempts = _Attempts()
        while True:
            response = self._request(url, attempts)
            try:
                body = _read_body(response)
            except httpx2.TransportError as error:  # a body cut short on the way
                self._after_failure(url, attempts, f"{type(error).__name__}: {error}")
                continue
            if self._is_json_array(body):
                return Page(url, body, _next_link(response), self.clock(), attempts.cost.freeze())
            self._after_failure(url, attempts, "a body that is not a complete JSON array")

    def _is_json_array(self, body: bytes) -> bool:
        """The check staging makes (the same DuckDB function), so that a page fetched again for
        failing it passes it. Only pages fetched again are checked here: the connection is opened
        on the first, not held by every crawl."""
        if self._json is None:
            self._json = duckdb.connect(config={"memory_limit": "64MB", "threads": 1})
        return json_array_length(self._json, decode_body(body)) is not None

    def start_page(self, url: str) -> StartedPage:
        """GET one listing page up to its headers, retrying what can be retried: enough to follow
        its Link header while its body is still on its way (see finish_page)."""
        attempts = _Attempts()
        response = self._request(url, attempts)
        return StartedPage(url, response, _next_link(response), attempts.cost.freeze())

    def finish_page(self, started: StartedPage) -> Page:
        """Read a started page's body, as it comes. One cut short comes back empty, which is not a
        JSON array: the crawler checks each body as it stages the page, and fetches such a page
        again (fetch_page) then, so that neither the read nor the check is on the cursor chain."""
        try:
            body = _read_body(started.response)
        except httpx2.TransportError as error:
            log.warning("the body of %s was cut short (%s: %s)", _short(started.url), type(error).__name__, error)
            body = b""
        return Page(started.url, body, started.next_url, self.clock(), started.cost)

    def _request(self, url: str, attempts: _Attempts) -> httpx2.Response:
        """Send the GET until the Hub answers 200, and return the response with its body unread."""
        while True:
            self._check_stop()
            sent_at = self._take_quota(attempts.cost)
            try:
                response = self.http.send(self.http.build_request("GET", url), stream=True)
            except httpx2.TransportError as error:  # resets, timeouts
                self._note_quota(None, sent_at)
                self._after_failure(url, attempts, f"{type(error).__name__}: {error}")
                continue
            except BaseException:
                self._note_quota(None, sent_at)
                raise
            self._note_quota(response, sent_at)
            if response.status_code == 200:
                return response
            try:
                body = _read_body(response)
            except httpx2.TransportError as error:
                self._after_failure(url, attempts, f"{type(error).__name__}: {error}")
                continue
            if response.status_code == 429:
                attempts.cost.http_429 += 1
                if attempts.cost.http_429 > self.retry.max_rate_limited:
                    raise GaveUp(f"the Hub kept answering 429 on {url} ({attempts.cost.http_429} times)")
                self._wait_rate_limit(response, attempts.cost)
                continue
            self._after_failure(url, attempts, self._refusal(response, body))

    def _refusal(self, response: httpx2.Response, body: bytes) -> str:
        """A retriable reason for an answer other than 200 or 429; raise if retrying cannot help."""
        status = response.status_code
        if status == 401:
            raise HubAuthError(
                "the Hub refused the token (401 Unauthorized): check HF_TOKEN, or unset it to crawl anonymously"
            )
        if status in RETRIABLE_STATUS:
            return f"HTTP {status}"
        detail = _error_text(body)
        raise HubRequestError(
            f"the Hub answered HTTP {status} for {response.url}: {detail}; the pages committed so far "
            "are kept: rerun `registry crawl` to resume once the Hub accepts the request",
            status,
            detail,
        )

    def _after_failure(self, url: str, attempts: _Attempts, reason: str) -> None:
        """Count a failed attempt; give up after the policy's maximum, else back off before the next."""
        attempts.failures += 1
        if attempts.failures >= self.retry.max_attempts:
            raise self._give_up(url, attempts.failures, reason, attempts.cost)
        attempts.cost.retries += 1
        log.warning(
            "retrying %s after %s (attempt %d of %d)",
            _short(url),
            reason,
            attempts.failures + 1,
            self.retry.max_attempts,
        )
        self._sleep(self._backoff(attempts.failures))

    def _take_quota(self, cost: _Cost) -> float:
        """Count a request against the quota, first waiting for the window to reset if it is spent;
        when it is sent (time.monotonic()). Requests that get no answer (a reset connection) count too."""
        with self.quota.lock:  # held while waiting: another thread's request waits its turn
            self._wait_for_quota(cost)
            self.quota.left = None if self.quota.left is None else self.quota.left - 1
            self.quota.in_flight += 1
            return time.monotonic()

    def _note_quota(self, response: httpx2.Response | None, sent_at: float) -> None:
        """The request sent at `sent_at` is answered (None: it never was); remember what the Hub
        says is left of the window's quota, and when the window resets.

        Several requests can be in flight (one per listing side by side, and a page fetched again):
        the Hub's count for this one may not include the others, whichever thread sent them first,
        so they are all taken off (one the Hub did count is taken off twice: a request unused, never
        a 429). A request lost unanswered stays taken off after it is no longer in flight, until an
        answer sent after the loss says what the window holds (_note_window).
        """
        info = parse_ratelimit_headers(response.headers) if response is not None else None
        resets_at = time.monotonic() + info.reset_in_seconds if info else 0.0
        with self.quota.lock:
            self.quota.in_flight -= 1
            if response is None:
                # The Hub may have counted it after a request whose answer is still to come, and that
                # answer then leaves it out: a reset at the end of a full window drew a 429 so.
                self.quota.unanswered.append(time.monotonic())
            else:
                self.quota.limited = info is not None
            if info is not None and sent_at >= self.quota.window_began:  # else an older window's answer
                self._note_window(info.remaining, resets_at, sent_at)
            self.quota.answered.notify_all()

    def _note_window(self, remaining: int, resets_at: float, sent_at: float) -> None:
        """Fold one answer into what is known of the window (the caller holds the quota's lock).

        A request sent once the window surely reset (its latest reset passed) opens the next one.
        Answers of one window come in any order when listings run side by side: the least
        `remaining` is the one that counted the most requests. The Hub rounds the time to the reset
        up to whole seconds, so each answer bounds the reset from above: the lowest bound is the
        closest (at a 5 s window, waiting on the last answer's bound left 9-13 % of the quota unused).
        """
        quota = self.quota
        if sent_at >= quota.resets_at or quota.window_remaining is None:
            quota.window_began, quota.resets_at, quota.window_remaining = quota.resets_at, resets_at, remaining
        else:
            quota.resets_at = min(quota.resets_at, resets_at)
            quota.window_remaining = min(quota.window_remaining, remaining)
        # A request lost before this one was sent was counted before it, in its window or an earlier one.
        quota.unanswered = [lost_at for lost_at in quota.unanswered if lost_at > sent_at]
        quota.left = quota.window_remaining - quota.in_flight - len(quota.unanswered)

    def _wait_for_quota(self, cost: _Cost) -> None:
        """Sleep until the window resets if its quota is spent, instead of running into a 429. While
        nothing is known of a window (the first, or one just reset) under a Hub that paces, its first
        request goes alone: three listings starting at once could spend a quota smaller than three."""
        while self.quota.left is None and self.quota.in_flight > 0 and self.quota.limited is not False:
            self.quota.answered.wait(timeout=0.5)  # lets the lock go until an answer is noted
            self._check_stop()
        if self.quota.left is None or self.quota.left > 0:
            return
        wait = self.quota.resets_at - time.monotonic()
        self.quota.left = None  # the next answer says what the new window holds
        if wait <= 0:
            return
        wait += random.uniform(0, 0.05)
        cost.rate_limit_waits += 1
        cost.rate_limit_wait_seconds += wait
        log.info("rate-limit quota used up; waiting %.1f s for the window to reset", wait)
        self._sleep(wait)

    def _wait_rate_limit(self, response: httpx2.Response, cost: _Cost) -> None:
        wait = _retry_after(response)
        if wait is None:
            info = parse_ratelimit_headers(response.headers)
            wait = info.reset_in_seconds if info else self._backoff(cost.http_429)
        wait += random.uniform(0, 0.05)
        cost.rate_limit_waits += 1
        cost.rate_limit_wait_seconds += wait
        log.warning("HTTP 429 from the Hub; waiting %.1f s as it asks", wait)
        self._sleep(wait)

    def _backoff(self, failures: int) -> float:
        ceiling = min(self.retry.backoff_cap, self.retry.backoff_base * 2 ** (failures - 1))
        return random.uniform(ceiling / 2, ceiling)  # jitter keeps many clients from retrying in step

    def _give_up(self, url: str, failures: int, last_error: str, cost: _Cost) -> Exception:
        if "ConnectError" in last_error or "ConnectTimeout" in last_error:
            return HubUnreachable(
                f"cannot reach the Hub at {url.split('/api/')[0]} ({last_error}); check HF_ENDPOINT "
                "and the network, then rerun `registry crawl` to resume"
            )
        return GaveUp(
            f"gave up on {url} after {failures} failed attempts (last: {last_error}); "
            "rerun `registry crawl` to resume from this page"
        )

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Stopped()

    def _check_stop(self) -> None:
        if self.stop.is_set():
            raise Stopped()


@dataclass
class _Cost:
    retries: int = 0
    http_429: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0

    def freeze(self) -> FetchStats:
        return FetchStats(self.retries, self.http_429, self.rate_limit_waits, self.rate_limit_wait_seconds)


@dataclass
class _Attempts:
    """One page's failed attempts so far, and what fetching it cost."""

    failures: int = 0
    cost: _Cost = field(default_factory=_Cost)


def _short(url: str) -> str:
    """The URL without its long, repetitive expand parameters, for log lines."""
    return re.sub(r"&expand(%5B%5D|\[\])?=[^&]*", "", url)


def _read_body(response: httpx2.Response) -> bytes:
    """The whole body; the connection goes back to the pool either way."""
    try:
        return response.read()
    finally:
        response.close()


def _next_link(response: httpx2.Response) -> str | None:
    return response.links.get("next", {}).get("url")


def _retry_after(response: httpx2.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _error_text(body: bytes) -> str:
    return decode_body(body[:300]).strip() or "(empty body)"
