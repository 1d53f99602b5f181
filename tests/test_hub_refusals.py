"""The Hub's refusals: a 429 is waited out as its Retry-After asks and counted; a 403 or 404 stops
the crawl at once with a clear error (exit code 1), and a rerun resumes after the last committed page."""

from __future__ import annotations

import time

import pytest

from registry.cli import Exit
from tests.conftest import query_all, registry, registry_env, run_crawl
from tests.hub_standin import Faults, HubStandIn, Population
from tests.test_crawl_exact import assert_exact_mirror


def test_429_is_waited_out_as_retry_after_asks_and_counted(db):
    population = Population.generate(n=1000, seed=61)
    # Unannounced: no RateLimit headers warn of them, so pacing cannot avoid them.
    faults = Faults(rate_limited=0.2, retry_after=1, seed=4)
    with HubStandIn(population, faults=faults) as hub:
        started = time.monotonic()
        report = run_crawl(db, hub, page_size=100)
        seconds = time.monotonic() - started
        refused, served = hub.stats.count_429, hub.stats.pages_served
    assert refused >= 2
    assert served == 10, "each page served once"
    assert seconds >= refused * 1.0, "each Retry-After was waited out"
    (run,) = query_all(db, "SELECT status, pages, http_429, rate_limit_waits, rate_limit_wait_seconds FROM crawl_runs")
    assert run[:4] == ("finished", 10, refused, refused)
    assert refused * 1.0 <= run[4] < refused * 1.0 + 0.5
    assert report.state.retries == 0, "a 429 is not a failure"
    assert_exact_mirror(db, population)


@pytest.mark.parametrize(("fault", "status"), [("forbidden", 403), ("not_found", 404)])
def test_403_and_404_stop_the_crawl_at_once_and_a_rerun_resumes(db, fault, status):
    population = Population.generate(n=1000, seed=62)
    with HubStandIn(population) as hub:

        def refuse_after_three_pages(hub, request_no):
            if request_no > 3:
                hub.faults = Faults(**{fault: 1.0})

        hub.on_request = refuse_after_three_pages
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="100")
        stopped = registry("crawl", "--db", str(db), "--quiet", "--type", "models", env=env)
        refusals = hub.stats.statuses[status]
        (failed,) = query_all(db, "SELECT status, pages, error FROM crawl_runs")
        hub.on_request, hub.faults = None, Faults()
        rerun = registry("crawl", "--db", str(db), "--quiet", "--type", "models", env=env)
        served = hub.stats.pages_served
    assert stopped.returncode == Exit.CRAWL_FAILED == 1, stopped.stderr
    assert f"the Hub answered HTTP {status}" in stopped.stderr and "rerun `registry crawl`" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert refusals == 1, "fatal at once: not retried"
    assert failed[0] == "failed" and f"HTTP {status}" in failed[2], failed
    assert rerun.returncode == 0, rerun.stderr
    assert "(resumed)" in rerun.stderr
    assert served == 10, "the rerun fetched only the pages after the three committed"
    (run,) = query_all(db, "SELECT status, resumes, pages FROM crawl_runs")
    assert run == ("finished", 1, 10)
    assert_exact_mirror(db, population)
