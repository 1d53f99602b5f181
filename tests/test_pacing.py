"""Pacing from the Hub's RateLimit headers when answers go missing: the crawler's client against the
stand-in's fixed-window quota, over real HTTP."""

from __future__ import annotations

import threading
import time

from crawler.hub_client import HubClient, Quota
from registry.settings import RetryPolicy
from tests.hub_standin import Faults, HubStandIn, Population


def test_a_window_whose_first_answer_was_lost_is_paced_from_its_own_reset():
    """Window A sees one answer (remaining 9), then ends. The request that opens window B is reset
    before any answer, so the first answer of B says 8: lower than A's last, as if B were A going
    on. Taking A's (past) reset for B's would send B's eleventh request at once, into a 429."""
    population = Population.generate(n=100, seed=2)
    with HubStandIn(population, quota=10, window=1) as hub:
        reset_request = None

        def reset_once(hub, request_no):
            hub.faults = Faults(reset=1.0) if request_no == reset_request else Faults()

        hub.on_request = reset_once
        client = HubClient(None, RetryPolicy(backoff_base=0.01, backoff_cap=0.01, timeout=5), quota=Quota())
        url = f"{hub.url}/api/models?limit=1"
        try:
            client.fetch_page(url)  # window A: remaining 9
            time.sleep(1.2)  # A ends after its one request
            reset_request = hub.stats.requests + 1  # B's first request: charged, then reset
            for _ in range(12):  # 1 reset + 12 answered: more than B's 10
                client.fetch_page(url)
        finally:
            client.close()
        assert hub.stats.faults_injected["reset"] == 1
        assert hub.stats.count_429 == 0, "the client must wait for window B's reset, not A's"


def test_a_lost_request_counts_until_an_answer_sent_after_it_counts_it():
    """Two listings share a quota of 3. The Hub counts B's request (2), then A's (3), which is reset
    before any answer; B's answer, noted after that loss, says 1 left: it was counted before A's.
    Taking that 1 for the truth would send A's retry at once, the window's fourth request: a 429."""
    population = Population.generate(n=100, seed=2)
    with HubStandIn(population, quota=3, window=2) as hub:
        b_counted, a_counted = threading.Event(), threading.Event()

        def order_requests(hub, request_no):
            if request_no == 2:  # B's: answered only once A's request is lost
                b_counted.set()
                a_counted.wait(5)
                time.sleep(0.2)  # A's reset reaches its client first
                hub.faults = Faults()
            elif request_no == 3:  # A's, reset
                hub.faults = Faults(reset=1.0)
                a_counted.set()

        hub.on_request = order_requests
        quota, url = Quota(), f"{hub.url}/api/models?limit=1"
        # A retries 0.5-1 s after the reset: after B's answer, well within the window
        a = HubClient(None, RetryPolicy(backoff_base=1.0, backoff_cap=1.0, timeout=5), quota=quota)
        b = HubClient(None, RetryPolicy(timeout=5), quota=quota)
        try:
            a.fetch_page(url)  # request 1: the window opens, 2 left
            listing_b = threading.Thread(target=b.fetch_page, args=(url,))
            listing_b.start()
            assert b_counted.wait(5)
            a.fetch_page(url)  # request 3, reset; then its retry
            listing_b.join(5)
        finally:
            a.close()
            b.close()
        assert hub.stats.faults_injected["reset"] == 1
        assert hub.stats.count_429 == 0, "A's lost request must count until an answer sent after it counts it"
