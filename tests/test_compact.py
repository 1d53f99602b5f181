"""`registry compact`: a warehouse from before ZSTD rewritten into the current storage format with every
row, its sequences carried on, safe to kill at any moment, refused while a crawl runs; a crawl
interrupted before it resumes after it."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from crawler.crawl import update_mirror
from tests.conftest import (
    crawl_interrupted_after,
    create_warehouse_before_zstd,
    make_settings,
    query_all,
    registry,
    registry_env,
    run_crawl,
)
from tests.hub_standin import HubStandIn, Population
from tests.test_crawl_exact import assert_exact_mirror
from tests.test_history import SimClock
from tests.test_repos_exact import assert_exact, three_populations
from warehouse.lock import CrawlLock

KINDS = ("models", "datasets", "spaces")


def _every_row(db: Path) -> dict[str, list[tuple]]:
    tables = query_all(db, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1")
    return {table: query_all(db, f'SELECT * FROM "{table}" ORDER BY ALL') for (table,) in tables}


def _storage_version(db: Path) -> str:
    return query_all(
        db, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
    )[0][0]


def _compressions(db: Path, table: str) -> list[tuple[str, list[str]]]:
    return query_all(
        db,
        "SELECT column_name, list(DISTINCT compression ORDER BY compression) "
        f"FROM pragma_storage_info('{table}_stored') "
        "WHERE column_name IN ('raw', 'card_data') AND segment_type <> 'VALIDITY' "
        "GROUP BY ALL ORDER BY ALL",
    )


def _old_warehouse_with_history(db: Path, monkeypatch, hub: HubStandIn, populations, clock: SimClock):
    """Two days of crawls of the three kinds into a warehouse created before ZSTD; its settings."""
    create_warehouse_before_zstd(db, monkeypatch)
    monkeypatch.undo()  # the crawls and the compaction run the migrations as they are now
    settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
    update_mirror(settings)
    _live_a_day(populations)
    update_mirror(settings)
    return settings


def _live_a_day(populations) -> None:
    models, datasets, spaces = populations
    datasets.now = spaces.now = models.now  # one clock for the three (SimClock follows the models')
    for population in populations:
        population.live(days=1, base=len(population))
    datasets.rename(2)


def test_a_warehouse_from_before_zstd_is_compacted_with_every_row_and_goes_on(db, monkeypatch):
    populations = three_populations(900, 300, 300, seed=61)
    clock = SimClock(populations[0])
    with HubStandIn(populations[0], datasets=populations[1], spaces=populations[2]) as hub:
        settings = _old_warehouse_with_history(db, monkeypatch, hub, populations, clock)
        assert _storage_version(db).startswith("v1.0.0") and _compressions(db, "models") != [
            ("card_data", ["ZSTD"]), ("raw", ["ZSTD"]),
        ]  # fmt: skip
        before = _every_row(db)
        (last_key,) = query_all(db, "SELECT max(model_key) FROM models")[0]

        done = registry("compact", "--db", str(db), "--keep-old", env=registry_env(hub.url))
        assert done.returncode == 0, done.stderr
        assert "rows copied and checked" in done.stderr and "before-compact" in done.stderr
        assert _every_row(db) == before, "every table, every row, as it was"
        assert _storage_version(db).startswith("v1.5.0")
        for table in KINDS:
            assert _compressions(db, table) == [("raw", ["ZSTD"])], table  # card_data: computed from raw
        kept = db.with_name(db.name + ".before-compact")
        assert _every_row(kept) == before and _storage_version(kept).startswith("v1.0.0")

        _live_a_day(populations)
        update_mirror(settings)  # the compacted warehouse goes on: keys and run ids after the old ones
    for repo_type, population in zip(KINDS, populations, strict=True):
        assert_exact(db, population, repo_type, counters_refreshed=True)
    (new_keys,) = query_all(db, "SELECT count(*) FROM models WHERE model_key > ?", [last_key])[0]
    assert new_keys > 0
    assert query_all(db, "SELECT count(*) = count(DISTINCT model_key) FROM models") == [(True,)]
    runs = [run for (run,) in query_all(db, "SELECT id FROM crawl_runs ORDER BY id")]
    assert len(runs) == len(set(runs)) == len(before["crawl_runs"]) + 6  # a day's incremental + counters, 3 kinds


def test_a_compaction_killed_midway_leaves_the_warehouse_as_it_was_and_a_rerun_finishes(db, monkeypatch):
    populations = three_populations(1500, 300, 300, seed=62)
    clock = SimClock(populations[0])
    with HubStandIn(populations[0], datasets=populations[1], spaces=populations[2]) as hub:
        _old_warehouse_with_history(db, monkeypatch, hub, populations, clock)
        env = registry_env(hub.url)
    before = _every_row(db)
    new_file = db.with_name(db.name + ".compacting")
    process = subprocess.Popen([sys.executable, "-m", "registry", "compact", "--db", str(db)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while not new_file.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    process.kill()
    process.wait()
    assert new_file.exists(), "killed while the new file was being written"
    assert _every_row(db) == before and _storage_version(db).startswith("v1.0.0")

    done = registry("compact", "--db", str(db), env=env)
    assert done.returncode == 0, done.stderr
    assert not new_file.exists()
    assert _every_row(db) == before and _storage_version(db).startswith("v1.5.0")


def test_a_compaction_is_refused_while_a_crawl_runs(db, hub):
    update_mirror(make_settings(db, hub.url, page_size=100), repo_types=("models",))
    before = _every_row(db)
    with CrawlLock(db):
        refused = registry("compact", "--db", str(db), env=registry_env(hub.url))
    assert refused.returncode == 3
    assert "another crawl is already running" in refused.stderr
    assert _every_row(db) == before


def test_a_crawl_into_a_warehouse_from_before_zstd_suggests_compacting_it(db, monkeypatch, hub):
    create_warehouse_before_zstd(db, monkeypatch)
    monkeypatch.undo()
    old = registry("crawl", "--db", str(db), "--type", "models", "--quiet", env=registry_env(hub.url))
    assert old.returncode == 0, old.stderr
    assert "`registry compact` rewrites it" in old.stderr
    assert registry("compact", "--db", str(db), env=registry_env(hub.url)).returncode == 0
    compacted = registry("crawl", "--db", str(db), "--type", "models", "--quiet", env=registry_env(hub.url))
    assert compacted.returncode == 0, compacted.stderr
    assert "registry compact" not in compacted.stderr


def test_a_crawl_interrupted_before_a_compaction_resumes_after_it_exactly(db):
    population = Population.generate(n=3000, seed=63)
    with HubStandIn(population, latency=0.01) as hub:
        crawl_interrupted_after(db, hub, pages=5, held_after_request=10)
        assert query_all(db, "SELECT status FROM crawl_runs") == [("interrupted",)]
        assert registry("compact", "--db", str(db), env=registry_env(hub.url)).returncode == 0
        report = run_crawl(db, hub, page_size=100)
    assert report.resumed and report.state.pages == 30
    assert_exact_mirror(db, population)
    assert query_all(db, "SELECT status FROM crawl_runs") == [("finished",)]
