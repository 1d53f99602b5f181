"""Nightly history over simulated days: incremental runs, counters, versions and the ecosystem as of any day."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import duckdb
import polars as pl

from crawler.crawl import update_mirror
from queries.stats import run_stats
from tests.conftest import MODELS_ONLY, make_settings, query_all
from tests.expected import expected_row
from tests.hub_standin import HubStandIn, Population
from tests.test_crawl_exact import assert_exact_mirror
from warehouse.connect import open_reader
from warehouse.migrations import migrate

TRACKED = ("license", "tags", "library_name", "pipeline_tag", "sha", "downloads", "likes")


class SimClock:
    """The crawler's clock follows the population's: a crawl happens just after that day's changes."""

    def __init__(self, population: Population):
        self.population = population
        self.ticks = 0

    def __call__(self):
        self.ticks += 1
        return self.population.now.replace(tzinfo=None) + timedelta(minutes=5, microseconds=self.ticks)


def snapshot(population: Population) -> dict[str, tuple]:
    """What an analyst should see for each public model, in TRACKED order."""
    positions = {"license": 15, "tags": 14, "library_name": 12, "pipeline_tag": 13, "sha": 5, "downloads": 8,
                 "likes": 10}  # fmt: skip
    rows = {}
    for record in population.public_records():
        row = expected_row(record)
        rows[record["id"]] = tuple(row[positions[name]] for name in TRACKED)
    return rows


def as_of(db, moment) -> dict[str, tuple]:
    rows = query_all(db, f"SELECT id, {', '.join(TRACKED)} FROM models_as_of(?)", [moment])
    return {row[0]: row[1:] for row in rows}


def churn(population: Population, day: int) -> dict[str, list[str]]:
    population.advance(days=1)
    changes = {
        "added": population.add(25),
        "edited": population.edit(30),
        "deleted": population.delete(12),
    }
    for model_id in changes["added"][:3]:
        population.set_license(model_id, ["mit", "apache-2.0", "llama3"][day % 3])
    population.drift_counters(0.6)
    return changes


def test_daily_runs_stay_exact_and_history_answers_as_of_each_day(db):
    population = Population.generate(n=3000, seed=31, private_fraction=0.02)
    clock = SimClock(population)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock)
        first = update_mirror(settings, repo_types=MODELS_ONLY)
        assert [r.state.kind for r in first] == ["full"]
        full_requests = hub.stats.requests
        moments, snapshots, requests = [clock()], [snapshot(population)], []
        for day in range(1, 6):
            churn(population, day)
            before = hub.stats.requests
            reports = update_mirror(settings, repo_types=MODELS_ONLY)
            assert [r.state.kind for r in reports] == ["incremental", "counters"]
            assert_exact_mirror(db, population, counters_refreshed=True)
            moments.append(clock())
            snapshots.append(snapshot(population))
            population.edit(5)  # a same-day edit: the next run is incremental only (counters are fresh)
            middle = hub.stats.requests
            (incremental,) = update_mirror(settings, repo_types=MODELS_ONLY)
            assert incremental.state.kind == "incremental"
            requests.append((middle - before, hub.stats.requests - middle))
            assert_exact_mirror(db, population, counters_refreshed=True)
            moments[-1], snapshots[-1] = clock(), snapshot(population)
    print(f"full crawl: {full_requests} requests; per day (incremental+counters, incremental only): {requests}")
    for moment, expected in zip(moments, snapshots, strict=True):
        assert as_of(db, moment) == expected, moment
    for _, incremental_only in requests:
        assert incremental_only <= 2 and incremental_only * 10 < full_requests
    deleted = {row[0] for row in query_all(db, "SELECT id FROM models WHERE deleted_at IS NOT NULL")}
    ever_mirrored = {row[0] for row in query_all(db, "SELECT id FROM models")}
    assert deleted == ever_mirrored - population.public_ids() and len(deleted) >= 5 * 12 - 5


def test_a_counters_refresh_updates_the_counters_columns_and_leaves_raw_as_last_listed_in_full(db):
    population = Population.generate(n=2000, seed=35)
    clock = SimClock(population)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock)
        update_mirror(settings, repo_types=MODELS_ONLY)
        raw_before = dict(query_all(db, "SELECT id, raw FROM models"))
        population.advance(days=1)
        drifted = set(population.drift_counters(0.5))
        incremental, counters = update_mirror(settings, repo_types=MODELS_ONLY)
    assert (incremental.state.kind, counters.state.kind) == ("incremental", "counters")
    current = {r["id"]: r for r in population.public_records()}
    rows = query_all(db, "SELECT id, downloads, downloads_all_time, likes, trending_score, raw FROM models")
    lagging = 0
    for model_id, downloads, downloads_all_time, likes, trending_score, raw in rows:
        record = current[model_id]
        assert (downloads, downloads_all_time, likes, trending_score) == (
            record["downloads"], record["downloadsAllTime"], record["likes"], record["trendingScore"]
        ), model_id  # fmt: skip
        if raw != raw_before[model_id]:
            continue  # listed again in full by the incremental run (its watermark overlap)
        lagging += json.loads(raw)["downloadsAllTime"] != downloads_all_time
    rewritten = sum(raw != raw_before[model_id] for model_id, *_, raw in rows)
    assert rewritten <= incremental.state.records, "only a full-record listing writes raw"
    assert lagging >= len(drifted) - incremental.state.records > 500


def test_license_changes_are_listed_from_history(db):
    population = Population.generate(n=800, seed=32)
    clock = SimClock(population)
    target = population.public_records()[100]["id"]
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url), clock=clock)
        update_mirror(settings, repo_types=MODELS_ONLY)
        for license_id in ("mit", "cc-by-nc-4.0", "llama3"):
            population.advance(days=1)
            population.set_license(target, license_id)
            update_mirror(settings, repo_types=MODELS_ONLY)
    history = query_all(
        db,
        "SELECT v.license FROM model_versions AS v JOIN models AS m USING (model_key) "
        "WHERE m.id = ? ORDER BY valid_from",
        [target],
    )
    assert [row[0] for row in history][-3:] == ["mit", "cc-by-nc-4.0", "llama3"]
    con = open_reader(db)
    try:
        latest = run_stats(con, ("license_changes",), top=2)["license_changes"]
        changes = run_stats(con, ("license_changes",), top=1000)["license_changes"].filter(pl.col("id") == target)
    finally:
        con.close()
    assert latest.select("id", "license_before", "license_after").rows() == [
        (target, "cc-by-nc-4.0", "llama3"),
        (target, "mit", "cc-by-nc-4.0"),
    ]
    assert changes.height >= 2 and changes["changed_at"].is_sorted(descending=True)
    (open_versions,) = query_all(db, "SELECT count(*) FROM model_versions WHERE valid_to IS NULL")[0]
    assert open_versions == len(population.public_records()), "exactly one current version per model"


def test_churn_during_a_crawl_converges_by_the_next_run(db):
    population = Population.generate(n=3000, seed=33)
    clock = SimClock(population)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock)
        update_mirror(settings, repo_types=MODELS_ONLY)
        population.advance(days=1)

        def churn_while_paging(server, request_no):
            if request_no % 4 == 0:
                population.add(2)
                population.edit(3)
                population.delete(1)
                population.drift_counters(0.05)

        hub.on_request = churn_while_paging
        update_mirror(settings, repo_types=MODELS_ONLY)  # incremental + counters, with the Hub changing underneath
        hub.on_request = None
        population.advance(days=1)
        update_mirror(settings, repo_types=MODELS_ONLY)
    assert_exact_mirror(db, population, counters_refreshed=True)


def test_daily_counters_hold_every_model_day_and_the_daily_gains(db):
    population = Population.generate(n=5000, seed=34)
    clock = SimClock(population)
    totals = []
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url), clock=clock)
        for _ in range(4):
            update_mirror(settings, repo_types=MODELS_ONLY)
            totals.append(sum(r["downloadsAllTime"] for r in population.public_records()))
            population.advance(days=1)
            population.drift_counters(0.5)
    (rows,) = query_all(db, "SELECT count(*) FROM daily_counters")[0]
    assert rows == 4 * 5000
    con = open_reader(db)
    try:
        gains = run_stats(con, ("daily_download_gains",))["daily_download_gains"]
    finally:
        con.close()
    assert gains["downloads_gained"].to_list() == [b - a for a, b in zip(totals, totals[1:], strict=False)]
    raw = json.loads(query_all(db, "SELECT raw FROM models LIMIT 1")[0][0])
    assert "downloads" in raw


WINDOW_GAINS = """
    SELECT day, count(gained), sum(gained)::BIGINT
    FROM (
        SELECT day, downloads_all_time - lag(downloads_all_time) OVER (PARTITION BY model_key ORDER BY day) AS gained
        FROM daily_counters
    )
    GROUP BY day
    HAVING count(gained) > 0
    ORDER BY day
"""
ROLLUP_GAINS = "SELECT day, models_observed, downloads_gained FROM daily_totals WHERE models_observed > 0 ORDER BY day"
LATEST_BY_WINDOW = """
    SELECT model_key, day, downloads_all_time, previous_downloads_all_time
    FROM (
        SELECT *, lag(downloads_all_time) OVER (PARTITION BY model_key ORDER BY day) AS previous_downloads_all_time
        FROM daily_counters
    )
    QUALIFY row_number() OVER (PARTITION BY model_key ORDER BY day DESC) = 1
    ORDER BY model_key
"""


def _crawl_days(db, population: Population, days: int, twice_on_even_days: bool = False) -> None:
    """A nightly crawl for each simulated day, the Hub churning in between."""
    clock = SimClock(population)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url), clock=clock)
        for day in range(days):
            update_mirror(settings, repo_types=MODELS_ONLY)
            if twice_on_even_days and day % 2 == 0:  # a second crawl the same day, after the counters moved
                population.drift_counters(0.3)
                update_mirror(settings, repo_types=MODELS_ONLY)
            churn(population, day)


def test_daily_totals_rollup_equals_the_window_over_daily_counters(db):
    """Models come and go, some days are crawled twice (the later crawl replaces that day's gains)."""
    population = Population.generate(n=3000, seed=35)
    _crawl_days(db, population, days=5, twice_on_even_days=True)
    (same_day_crawls,) = query_all(db, "SELECT count(*) - count(DISTINCT started::DATE) FROM crawl_runs")[0]
    assert same_day_crawls > 0
    window = query_all(db, WINDOW_GAINS)
    assert len(window) >= 4
    assert query_all(db, ROLLUP_GAINS) == window
    assert query_all(db, "SELECT * FROM latest_counters ORDER BY model_key") == query_all(db, LATEST_BY_WINDOW)
    con = open_reader(db)
    try:
        gains = run_stats(con, ("daily_download_gains",))["daily_download_gains"]
    finally:
        con.close()
    assert gains.select("day", "models_observed", "downloads_gained").rows() == window


def test_migration_backfills_the_rollups_from_existing_history(db):
    _crawl_days(db, Population.generate(n=1000, seed=36), days=3)
    expected = query_all(db, ROLLUP_GAINS)
    con = duckdb.connect(str(db))
    try:  # as a warehouse from before migration 003
        con.execute("DROP TABLE daily_totals")
        con.execute("DROP TABLE latest_counters")
        con.execute("DELETE FROM schema_migrations WHERE version = 3")
        assert migrate(con) == ["003_daily_totals"]
    finally:
        con.close()
    assert query_all(db, ROLLUP_GAINS) == expected == query_all(db, WINDOW_GAINS)
    assert query_all(db, "SELECT * FROM latest_counters ORDER BY model_key") == query_all(db, LATEST_BY_WINDOW)


def _as_before_migration_018(con: duckdb.DuckDBPyConnection) -> None:
    """models, datasets and spaces tables again, with card_data stored, and no card_data_of: as before
    migration 018."""
    for table in ("models", "datasets", "spaces"):
        con.execute(f"DROP VIEW {table}")
        con.execute(f"ALTER TABLE {table}_stored RENAME TO {table}")
        con.execute(f"ALTER TABLE {table} ADD COLUMN card_data JSON")
        con.execute(f"UPDATE {table} SET card_data = card_data_of(raw)")  # what 018's views compute
    con.execute("DROP MACRO card_data_of")
    con.execute("DELETE FROM schema_migrations WHERE version = 18")


def test_migrations_backfill_the_columns_they_add_to_models(db):
    _crawl_days(db, Population.generate(n=1000, seed=37), days=1)
    added = "card_base_models, license_key, license_name_key, name_parameters"
    by_model = f"SELECT id, {added}, card_data, raw FROM models ORDER BY id"
    expected = query_all(db, by_model)
    assert sum(1 for row in expected if row[1]) > 100, "the population should declare base models in cards"
    assert sum(1 for row in expected if row[4]) > 100, "and state sizes in names"
    assert sum(1 for row in expected if row[5]) > 100, "and have cards"
    con = duckdb.connect(str(db))
    try:  # as a warehouse from before migrations 005 and 006 (so before 018)
        _as_before_migration_018(con)
        for column in added.split(", "):
            con.execute(f"ALTER TABLE models DROP COLUMN {column}")
        con.execute("DELETE FROM schema_migrations WHERE version IN (5, 6)")
        assert migrate(con) == ["005_card_base_models", "006_lookup_keys", "018_card_data_from_raw"]
    finally:
        con.close()
    assert query_all(db, by_model) == expected
