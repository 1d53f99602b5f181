"""Datasets, Spaces and the links between repositories are mirrored as exactly as models: under faults,
a shared quota and each sort behaviour, after days of churn, and after a kill."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from crawler.crawl import update_mirror
from tests.conftest import make_settings, query_all, registry, registry_env
from tests.expected import (
    COLUMNS,
    DATASET_COLUMNS,
    MALFORMATION_FLAGS,
    SPACE_COLUMNS,
    expected_dataset_row,
    expected_links,
    expected_row,
    expected_space_row,
)
from tests.hub_standin import DatasetPopulation, Faults, HubStandIn, Population, SpacePopulation, link_populations
from tests.hub_standin.server import SORT_DIRECTIONS
from tests.test_history import SimClock
from tests.test_resume import _read, _wait_for
from warehouse.streams import DATASETS, MODELS, SPACES

ORACLES = {
    "models": (MODELS, COLUMNS, expected_row),
    "datasets": (DATASETS, DATASET_COLUMNS, expected_dataset_row),
    "spaces": (SPACES, SPACE_COLUMNS, expected_space_row),
}
# What a counters refresh updates in the typed columns but not in raw, in the Hub's names.
REFRESHED = ("downloads", "downloadsAllTime", "likes", "trendingScore")


def three_populations(models: int, datasets: int, spaces: int, seed: int, malformed: float = 0.02):
    populations = (
        Population.generate(n=models, seed=seed, private_fraction=0.02, malformed_fraction=malformed),
        DatasetPopulation.generate(n=datasets, seed=seed + 1, private_fraction=0.02, malformed_fraction=malformed),
        SpacePopulation.generate(n=spaces, seed=seed + 2, private_fraction=0.02, malformed_fraction=malformed),
    )
    link_populations(*populations, seed=seed)
    return populations


def assert_exact(db, population, repo_type: str, counters_refreshed: bool = False) -> None:
    """The current rows of one kind equal the stand-in's public records: same _ids under the same ids,
    raw as listed, typed columns as the oracle derives them, flags for every malformation only."""
    stream, columns, oracle = ORACLES[repo_type]
    rows = query_all(db, f"SELECT {', '.join(columns)}, raw, flags FROM {stream.table} WHERE deleted_at IS NULL")
    by_object_id = {row[1]: row for row in rows}
    assert len(by_object_id) == len(rows), f"a {repo_type} row appears twice"
    records = [r for r in population.public_records() if isinstance(r.get("id"), str)]
    assert set(by_object_id) == {r["_id"] for r in records}, repo_type
    renamed = set(population.aliases.values())
    for record in records:
        row = by_object_id[record["_id"]]
        raw, listed = json.loads(row[len(columns)]), population.project(record, list(stream.fields))
        if counters_refreshed:
            # a rename seen by the counters listing only: raw keeps the old id (and what follows it)
            leave_out = REFRESHED + (("id", "modelId", "author", "subdomain") if record["_id"] in renamed else ())
            raw, listed = ({k: v for k, v in r.items() if k not in leave_out} for r in (raw, listed))
        assert raw == listed, record["id"]
        kinds = population.malformed.get(record["id"])
        if kinds:  # each malformation the oracle knows raises its flag; any other raises one at least
            named = {MALFORMATION_FLAGS[kind] for kind in kinds if kind in MALFORMATION_FLAGS}
            assert row[-1] and named <= set(row[-1]), (record["id"], kinds, row[-1])
        else:
            assert row[: len(columns)] == oracle(record), record["id"]
            assert row[-1] == _flags_of_a_clean(record), (record["id"], row[-1])


def _flags_of_a_clean(record: dict) -> list[str]:
    """A well-formed record raises none, but a license given as a list is flagged (license_list: the
    license column then holds the list's JSON text), as for models."""
    return ["license_list"] if isinstance((record.get("cardData") or {}).get("license"), list) else []


def assert_links(db, models, datasets, spaces) -> None:
    links = set(query_all(db, "SELECT * FROM repo_links WHERE NOT (from_type = 'model' AND to_type = 'model')"))
    assert links == expected_links(models, datasets, spaces)


@pytest.mark.parametrize("behaviour", SORT_DIRECTIONS)
def test_three_kinds_are_exact_under_faults_a_shared_quota_and_any_sort_behaviour(db, behaviour):
    models, datasets, spaces = three_populations(1200, 500, 600, seed=51)
    faults = Faults(error_5xx=0.02, truncated=0.01, reset=0.01, seed=1)
    with HubStandIn(models, datasets=datasets, spaces=spaces, faults=faults, quota=12, window=1,
                    sort_direction=behaviour) as hub:  # fmt: skip
        reports = update_mirror(make_settings(db, hub.url, page_size=100))
        count_429 = hub.stats.count_429
    assert [(r.state.repo_type, r.state.kind) for r in reports] == [
        ("models", "full"), ("datasets", "full"), ("spaces", "full"),
    ]  # fmt: skip
    assert count_429 == 0, "one quota for the three listings, paced from every answer"
    for repo_type, population in (("models", models), ("datasets", datasets), ("spaces", spaces)):
        assert_exact(db, population, repo_type)
    assert_links(db, models, datasets, spaces)
    runs = query_all(db, "SELECT repo_type, status, listing_order FROM crawl_runs ORDER BY repo_type")
    order = "ascending" if behaviour == "honour" else "descending"
    assert runs == [(name, "finished", order) for name in ("datasets", "models", "spaces")]
    assert_side_by_side(db)


def assert_side_by_side(db) -> None:
    """Every two types' runs overlapped in time: the listings ran side by side, not one after another."""
    spans = query_all(db, "SELECT repo_type, started, finished FROM crawl_runs")
    for name, started, finished in spans:
        for other, other_started, other_finished in spans:
            if other != name:
                assert started < other_finished and other_started < finished, (name, other, spans)


def test_days_of_churn_on_three_kinds_stay_exact_with_their_history(db):
    models, datasets, spaces = three_populations(1500, 600, 700, seed=52)
    clock = SimClock(models)
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
        update_mirror(settings)
        renamed_datasets = []
        datasets.now = spaces.now = models.now  # one clock for the three (SimClock follows the models')
        for day in range(1, 4):
            for population in (models, datasets, spaces):
                population.live(days=1, base=len(population))
            renamed_datasets += datasets.rename(3)
            spaces.rename(2)
            reports = update_mirror(settings)
            assert [r.state.kind for r in reports] == ["incremental", "counters"] * 3, day
            for repo_type, population in (("models", models), ("datasets", datasets), ("spaces", spaces)):
                assert_exact(db, population, repo_type, counters_refreshed=True)
            assert_links(db, models, datasets, spaces)
    days = query_all(db, "SELECT count(DISTINCT day) FROM dataset_daily_counters")[0][0]
    assert days == 4, "a day of counters per crawled day"
    (space_days,) = query_all(db, "SELECT count(DISTINCT day) FROM space_daily_counters")[0]
    assert space_days == 4
    renames = query_all(db, "SELECT old_id, new_id FROM dataset_renames")
    assert sorted(renames) == sorted(renamed_datasets)
    (versions,) = query_all(db, "SELECT count(*) FROM dataset_versions WHERE valid_to IS NOT NULL")[0]
    assert versions > 0, "edited datasets opened new versions"


def test_a_crawl_killed_with_three_listings_in_flight_resumes_each_exactly(tmp_path):
    db = tmp_path / "registry.duckdb"
    models, datasets, spaces = three_populations(700, 700, 700, seed=53)
    with HubStandIn(models, datasets=datasets, spaces=spaces, latency=0.01) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="100", REGISTRY_MERGE_CHUNK_PAGES="5")
        command = [sys.executable, "-m", "registry", "crawl", "--db", str(db), "--quiet"]
        released = threading.Event()

        def hold_after_six_pages(hub, route):  # each listing waits there, its first chunk merged
            if hub.stats.pages_by_route[route] >= 6:
                released.wait(60)

        hub.on_route_request = hold_after_six_pages
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        merging = "SELECT count(*) FROM crawl_runs WHERE status = 'running' AND merged_pages >= 5"
        _wait_for(lambda: (_read(db, merging) or [(0,)])[0][0] == 3)  # each type has chunks merged
        process.send_signal(signal.SIGKILL)
        process.wait()
        hub.on_route_request = None
        released.set()
        killed = query_all(db, "SELECT repo_type, status FROM crawl_runs ORDER BY repo_type")
        rerun = registry("crawl", "--db", str(db), "--quiet", env=env)
    assert killed == [(name, "running") for name in ("datasets", "models", "spaces")], "all three in flight"
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stderr.count("(resumed)") == 3, rerun.stderr
    for repo_type, population in (("models", models), ("datasets", datasets), ("spaces", spaces)):
        assert_exact(db, population, repo_type)
    runs = query_all(db, "SELECT repo_type, kind, status, resumes FROM crawl_runs ORDER BY repo_type")
    assert runs == [(name, "full", "finished", 1) for name in ("datasets", "models", "spaces")]
