"""The crawl is exact whether the Hub honours `direction=1`, ignores it (newest first) or refuses it (400)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from crawler.crawl import CrawlInterrupted, update_mirror
from crawler.listing import listing_paths, next_listing_path
from tests.conftest import MODELS_ONLY, make_settings, query_all, run_crawl
from tests.hub_standin import Faults, HubStandIn, Population
from tests.hub_standin.server import SORT_DIRECTIONS
from tests.test_crawl_exact import assert_exact_mirror
from tests.test_history import SimClock
from tests.test_resume import _settled
from warehouse.streams import MODELS


@pytest.mark.parametrize("behaviour", SORT_DIRECTIONS)
def test_a_crawl_is_exact_whatever_the_hub_does_with_direction(db, behaviour):
    population = Population.generate(n=3000, seed=41, private_fraction=0.02, malformed_fraction=0.01)
    faults = Faults(error_5xx=0.02, truncated=0.01, seed=1)
    during: dict[str, list] = {}

    def change_mid_crawl(hub, request_no):
        if request_no == 12 and not during:
            during.update(added=population.add(20), renamed=population.rename(10), edited=population.edit(10))

    with HubStandIn(population, faults=faults, sort_direction=behaviour) as hub:
        settings = replace(
            make_settings(db, hub.url, page_size=100), clock=SimClock(population), counters_every=timedelta(0)
        )
        hub.on_request = change_mid_crawl
        assert [report.state.kind for report in update_mirror(settings, repo_types=MODELS_ONLY)] == ["full"]
        hub.on_request = None
        newest_first = behaviour != "honour"
        assert query_all(db, "SELECT listing_order FROM crawl_runs") == [
            ("descending" if newest_first else "ascending",)
        ]
        stored = {row[0] for row in query_all(db, "SELECT object_id FROM models")}
        added = {population.get(model_id)["_id"] for model_id in during["added"]}
        if newest_first:  # created behind the cursor: the next run's incremental listing finds them
            assert not added & stored
        else:  # created ahead of it: listed at the crawl's end
            assert added <= stored

        population.advance(days=1)
        population.drift_counters(0.5)
        reports = update_mirror(settings, repo_types=MODELS_ONLY)
        refused = hub.stats.statuses[400]
    assert [report.state.kind for report in reports] == ["incremental", "counters"]
    assert_exact_mirror(db, population, counters_refreshed=True)
    orders = [row[0] for row in query_all(db, "SELECT listing_order FROM crawl_runs ORDER BY id")]
    assert orders[1:] == ["descending", "descending" if newest_first else "ascending"]
    # A refusing Hub costs one request per listing (its first page), then the listing goes without.
    assert refused == (3 if behaviour == "refuse" else 0)


def test_an_incremental_listing_in_no_known_order_runs_to_its_end(db):
    """A page whose records all share one lastModified cannot show the order: the listing must not
    stop at the watermark on the strength of it (it could be an oldest-first listing's first page)."""
    population = Population.generate(n=600, seed=42)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=SimClock(population))
        update_mirror(settings, repo_types=MODELS_ONLY)
        population.advance(days=1)
        stamp = "2020-01-01T00:00:00.000Z"  # long before the watermark: a newest-first page would end it
        for record in population.records.values():
            record["lastModified"] = stamp
        population.version += 1
        report = update_mirror(settings, repo_types=MODELS_ONLY)[0]
    assert report.state.kind == "incremental" and report.state.pages == 6, "every page listed"
    assert report.state.listing_order is None


def test_a_refusal_naming_what_it_refuses_drops_only_that():
    paths = listing_paths(MODELS, "full", 1000)
    assert len(paths) == 4
    refusal = '{"error": "Invalid expand value(s) for listing: usedStorage"}'
    no_fields = next_listing_path(paths, paths[0], refusal, MODELS)
    assert "direction=1" in no_fields and "usedStorage" not in no_fields
    no_direction = next_listing_path(paths, paths[0], '{"error": "Invalid query parameter: direction"}', MODELS)
    assert "direction" not in no_direction and "usedStorage" in no_direction
    assert next_listing_path(paths, paths[0], "Bad Request", MODELS) == paths[1]
    assert next_listing_path(paths, paths[-1], "Bad Request", MODELS) is None


@pytest.mark.parametrize("behaviour", SORT_DIRECTIONS)
def test_a_crawl_stopped_in_any_order_resumes_where_it_stopped(db, behaviour):
    population = Population.generate(n=1500, seed=2)
    stop = threading.Event()
    # 0.2 s a page: the stop request comes long before the fetcher could reach the last page.
    with HubStandIn(population, latency=0.2, sort_direction=behaviour) as hub:

        def stop_after_two(state):
            if state.pages == 2:
                stop.set()

        with pytest.raises(CrawlInterrupted):
            run_crawl(db, hub, page_size=100, on_page=stop_after_two, stop=stop)
        (committed,) = query_all(db, "SELECT pages FROM crawl_runs")[0]
        served = _settled(lambda: hub.stats.records_served)  # a request in flight at the stop included
        report = run_crawl(db, hub, page_size=100)
        served_again = hub.stats.records_served - served
    assert report.resumed and report.state.pages == 15 and 2 <= committed < 15
    assert report.state.listing_order == ("ascending" if behaviour == "honour" else "descending")
    # The rerun asked only for the pages after the last committed one.
    assert served_again == (15 - committed) * 100
    assert_exact_mirror(db, population)
