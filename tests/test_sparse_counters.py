"""Counters history stored as changes: the dense views give exactly the rows the dense tables held.

The oracle is the dense writing of before (kept here: a crawl's observations replace that day's rows
of a table holding one row per repository and day observed), fed the same observations as the sparse
writer of warehouse/sql/write_observed_counters.sql.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import duckdb
import pytest

from crawler.crawl import crawl
from queries.stats import run_section
from tests.conftest import make_settings, query_all
from tests.counters import listed_on
from tests.hub_standin import HubStandIn, Population
from tests.test_history import SimClock
from warehouse.migrations import migrate
from warehouse.settle import key_slices, settle_day
from warehouse.sqlfiles import execute_script, sql
from warehouse.streams import DATASETS, MODELS, SPACES, Stream

# What record_daily_counters.sql did before the counters were stored as changes.
OLD_DENSE_WRITE = """
DELETE FROM oracle USING observed WHERE oracle.day = observed.day AND oracle.{key} = observed.{key};
INSERT INTO oracle SELECT * FROM observed ORDER BY day, {key};
"""


def _observe(con: duckdb.DuckDBPyConnection, stream: Stream, rows: list[tuple], kind: str) -> None:
    """One merge chunk's observations, written both ways."""
    columns = ", ".join(("day", stream.key, *stream.counters))
    con.execute(f"CREATE OR REPLACE TEMP TABLE observed AS SELECT {columns} FROM oracle LIMIT 0")
    if rows:  # one statement: executemany runs one per row
        one = f"({', '.join('?' * len(rows[0]))})"
        con.execute(f"INSERT INTO observed VALUES {', '.join([one] * len(rows))}", [v for row in rows for v in row])
    first_day = min((row[0] for row in rows), default=date(2026, 1, 1))
    execute_script(con, sql("write_observed_counters", stream), {"pass": kind, "first_day": first_day})
    listed_on(con, stream)
    execute_script(con, OLD_DENSE_WRITE.format(key=stream.key), {})


def _counters(rng: random.Random, stream: Stream, previous: tuple | None) -> tuple:
    """Mostly unchanged; sometimes moved, sometimes a value missing (the Hub omits or malforms one)."""
    if previous is not None and rng.random() < 0.8:
        return previous
    return tuple(rng.choice([None, 0, 1, 2, 5]) for _ in stream.counters)


def _simulate(con: duckdb.DuckDBPyConnection, stream: Stream, rng: random.Random, days: int) -> None:
    """Days of passes over 40 repositories that come and go: full and counters listings (some running
    past midnight, some twice a day), incremental ones (edited only), days with no crawl."""
    con.execute(f"DELETE FROM {stream.stored}")
    con.execute(f"INSERT INTO {stream.stored} (id, {stream.key}, raw, first_seen, last_seen) "
                "SELECT 'r/' || key, key, '{}', DATE '2100-01-01', DATE '2025-01-01' "
                "FROM range(1, 41) AS t(key)")  # fmt: skip
    alive = {key: rng.random() < 0.8 for key in range(1, 41)}
    values: dict[int, tuple] = {}
    day = date(2026, 1, 1)
    for _ in range(days):
        for key in alive:
            alive[key] = alive[key] if rng.random() < 0.9 else not alive[key]
        passes = rng.choice([["full"], ["counters"], ["incremental", "counters"], ["incremental"], [],
                             ["counters", "counters"], ["incremental", "counters", "incremental"]])  # fmt: skip
        for kind in passes:
            listed = [key for key, up in alive.items() if up and (kind != "incremental" or rng.random() < 0.2)]
            for key in listed:
                values[key] = _counters(rng, stream, values.get(key))
            past_midnight = kind != "incremental" and rng.random() < 0.15
            split = rng.randrange(len(listed) + 1) if past_midnight else len(listed)
            chunks = [listed[:split], listed[split:]]
            for offset, chunk in enumerate(chunks):
                _observe(con, stream, [(day + timedelta(days=offset), key, *values[key]) for key in chunk], kind)
            if past_midnight:
                day += timedelta(days=1)
        day += timedelta(days=1)


# fastest_risers.sql as it read the dense table, before it read the stored changes.
OLD_FASTEST_RISERS = """
WITH bounds AS (
    SELECT max(day) AS last_day
    FROM daily_counters
    WHERE day <= coalesce($as_of, now()::TIMESTAMP)::DATE
),

both_ends AS MATERIALIZED (
    SELECT
        model_key,
        first_day.downloads_all_time AS first_total,
        last_day.downloads_all_time AS last_total,
        first_day.day AS since
    FROM daily_counters AS first_day
    JOIN daily_counters AS last_day USING (model_key)
    JOIN bounds ON first_day.day = bounds.last_day - 7 AND last_day.day = bounds.last_day
),

one_end AS (
    SELECT
        model_key,
        arg_min(downloads_all_time, day) AS first_total,
        arg_max(downloads_all_time, day) AS last_total,
        min(day) AS since
    FROM daily_counters, bounds
    WHERE day BETWEEN last_day - 7 AND last_day
      AND model_key NOT IN (SELECT model_key FROM both_ends)
    GROUP BY model_key
),

gains AS MATERIALIZED (
    SELECT
        model_key,
        since,
        (last_total - first_total)::BIGINT AS downloads_gained,
        last_total AS downloads_all_time
    FROM (SELECT * FROM both_ends UNION ALL SELECT * FROM one_end)
    WHERE last_total > first_total
),

-- Only the gains that can make the top $top (ties included) are joined to their ids.
contenders AS (
    SELECT *
    FROM gains
    WHERE downloads_gained >= (
        SELECT min(downloads_gained)
        FROM (SELECT downloads_gained FROM gains ORDER BY downloads_gained DESC LIMIT $top)
    )
),

final AS (
    SELECT
        m.id,
        c.since,
        c.downloads_gained,
        c.downloads_all_time
    FROM contenders AS c
    JOIN models AS m USING (model_key)
)

SELECT * FROM final
ORDER BY downloads_gained DESC, id
LIMIT $top
"""

# The dense tables as migrations 001 and 011 created them.
OLD_COLUMNS = {
    "models": "day DATE, model_key INTEGER, downloads BIGINT, downloads_all_time BIGINT, likes INTEGER, "
    "trending_score DOUBLE",
    "datasets": "day DATE, dataset_key INTEGER, downloads BIGINT, downloads_all_time BIGINT, likes INTEGER, "
    "trending_score DOUBLE",
    "spaces": "day DATE, space_key INTEGER, likes INTEGER, trending_score DOUBLE",
}


def _described(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    return [row[:2] for row in con.execute(f"DESCRIBE {relation}").fetchall()]


def _assert_fastest_risers_as_on_the_dense_table(con: duckdb.DuckDBPyConnection) -> None:
    (first, last) = con.execute("SELECT min(day), max(day) FROM oracle").fetchone()
    risen = 0
    for day, top in itertools.product(range(0, (last - first).days + 1, 3), (100, 3, 1)):
        as_of = datetime.combine(first + timedelta(days=day), datetime.min.time())
        params = {"top": top, "as_of": as_of}  # a small top: the models that cannot reach it are pruned
        expected = con.execute(OLD_FASTEST_RISERS, params).fetchall()
        assert run_section(con, "fastest_risers", params).rows() == expected, (as_of, top)
        risen += len(expected)
    assert risen > 20


@pytest.mark.parametrize("stream", [MODELS, DATASETS, SPACES], ids=lambda s: s.name)
def test_the_dense_view_equals_the_dense_table_written_the_old_way(stream):
    con = duckdb.connect()  # a warehouse in memory: hundreds of small writes, no file to sync
    migrate(con)
    try:
        con.execute(f"CREATE TEMP TABLE oracle ({OLD_COLUMNS[stream.name]})")
        assert _described(con, stream.counters_table) == _described(con, "oracle")
        for seed in range(2 if stream is MODELS else 1):  # the rule is written once for every kind
            _simulate(con, stream, random.Random(seed), days=25 if stream is MODELS else 15)
            expected = con.execute("SELECT * FROM oracle ORDER BY ALL").fetchall()
            assert con.execute(f"SELECT * FROM {stream.counters_table} ORDER BY ALL").fetchall() == expected, seed
            _assert_each_day_as_the_dense_rows(con, stream, expected)
            (stored,) = con.execute(f"SELECT count(*) FROM {stream.changes_table}").fetchone()
            assert stored < len(expected) * 0.6, "unchanged counters are not stored again"
            if stream is MODELS:
                _assert_fastest_risers_as_on_the_dense_table(con)
            con.execute("DELETE FROM oracle")
            for table in (stream.changes_table, stream.last_counters_table, "counter_days"):
                con.execute(f"DELETE FROM {table}")
    finally:
        con.close()


def _assert_each_day_as_the_dense_rows(con: duckdb.DuckDBPyConnection, stream: Stream, expected: list[tuple]) -> None:
    """`<view>_on(day)` (migration 019) gives the dense rows of each day, and none on a day before or
    after them all: the same answers as the view, read from the changes (most of the rows are carried
    forward from an earlier change: the caller checks that fewer than 60 % are stored)."""
    days = sorted({row[0] for row in expected})
    for day in [days[0] - timedelta(days=1), *days, days[-1] + timedelta(days=1)]:
        on_day = con.execute(f"SELECT * FROM {stream.counters_table}_on(?) ORDER BY ALL", [day]).fetchall()
        assert on_day == [row for row in expected if row[0] == day], day


def _crawl_and_record_the_old_way(settings, oracle: duckdb.DuckDBPyConnection, kind: str) -> None:
    """One crawl of models; the oracle gets the rows the old record_daily_counters.sql wrote: each
    model the crawl listed, on the day it listed it, with the counters it merged."""
    report = crawl(settings, kind=kind)
    listed = query_all(
        settings.db_path,
        "SELECT CAST(m.last_seen AS DATE), m.model_key, m.downloads, m.downloads_all_time, m.likes, m.trending_score "
        "FROM models AS m, crawl_runs AS r WHERE r.id = ? AND m.last_seen >= r.started",
        [report.run_id],
    )
    oracle.execute("CREATE OR REPLACE TEMP TABLE observed AS SELECT * FROM oracle LIMIT 0")
    oracle.executemany("INSERT INTO observed VALUES (?, ?, ?, ?, ?, ?)", listed)
    execute_script(oracle, OLD_DENSE_WRITE.format(key="model_key"), {})


def _as_the_old_dense_tables(db) -> dict[str, list[tuple]]:
    """Turn a warehouse back into one from before migration 012 (dense tables, no changes); what they hold."""
    con = duckdb.connect(str(db))
    held = {}
    try:
        for stream in (MODELS, DATASETS, SPACES):
            held[stream.name] = con.execute(f"SELECT * FROM {stream.counters_table} ORDER BY ALL").fetchall()
            con.execute(f"CREATE TABLE old_dense AS SELECT * FROM {stream.counters_table}")
            con.execute(f"DROP VIEW {stream.counters_table}")
            con.execute(f"CREATE TABLE {stream.counters_table} ({OLD_COLUMNS[stream.name]})")
            con.execute(f"INSERT INTO {stream.counters_table} SELECT * FROM old_dense ORDER BY day")
            con.execute("DROP TABLE old_dense")
            con.execute(f"DROP TABLE {stream.changes_table}")
            con.execute(f"DROP TABLE {stream.last_counters_table}")
        con.execute("DROP TABLE counter_days")
        con.execute("DELETE FROM schema_migrations WHERE version = 12")
    finally:
        con.close()
    return held


def test_crawled_days_with_churn_give_the_dense_rows_and_the_migration_converts_them_losslessly(db):
    """Edits, deletions, a reappearance, renames, two crawls on one day, an incremental-only day, a day
    without a crawl: the view holds what the dense table would have; then a warehouse of dense tables
    converted by migration 012 gives them back."""
    population = Population.generate(n=300, seed=71)
    clock = SimClock(population)
    oracle = duckdb.connect()
    oracle.execute(f"CREATE TABLE oracle ({OLD_COLUMNS['models']})")
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock)
        _crawl_and_record_the_old_way(settings, oracle, "full")
        gone = population.get(population.public_records()[30]["id"])
        plan = [
            ("edit, delete, rename", ["incremental", "counters"]),
            ("two crawls", ["counters", "counters"]),
            ("incremental only", ["incremental"]),
            ("no crawl", []),
            ("back", ["incremental", "counters"]),
            ("full", ["full"]),
        ]
        for step, kinds in plan:
            population.advance(days=1)
            if step == "edit, delete, rename":
                population.edit(20)
                population.delete(10)
                population.remove(gone["id"])
                population.rename(5)
            if step == "back":
                population.put(gone)
            population.add(10)
            for kind in kinds:
                population.drift_counters(0.1)
                _crawl_and_record_the_old_way(settings, oracle, kind)
    expected = oracle.execute("SELECT * FROM oracle ORDER BY ALL").fetchall()
    assert query_all(db, "SELECT * FROM daily_counters ORDER BY ALL") == expected
    (stored,) = query_all(db, "SELECT count(*) FROM model_counter_changes")[0]
    assert stored < len(expected) / 2
    ((gaps,),) = query_all(db, "SELECT count(*) FROM model_counter_changes WHERE reappeared_after IS NOT NULL")
    assert gaps >= 1, "the model that came back"
    # Each run settled the days before its own: their rows are stored again in counter order (the
    # view's answers above are unchanged by it).
    crawled = query_all(db, "SELECT DISTINCT day FROM counter_days WHERE repo_type = 'models' ORDER BY day")
    settled = query_all(db, "SELECT day FROM counter_days_settled WHERE repo_type = 'models' ORDER BY day")
    assert settled == crawled[:-1] and len(settled) >= 4
    columns = "downloads, downloads_all_time, likes, trending_score, model_key"
    for (day,) in settled:
        stored_order = query_all(db, f"SELECT {columns} FROM model_counter_changes WHERE day = ? ORDER BY rowid", [day])
        assert stored_order == query_all(
            db, f"SELECT {columns} FROM model_counter_changes WHERE day = ? ORDER BY {columns}", [day]
        ), day

    held = _as_the_old_dense_tables(db)
    assert held["models"] == expected and held["datasets"] == [] == held["spaces"]
    con = duckdb.connect(str(db))
    try:
        assert migrate(con) == ["012_sparse_counters"]
        assert con.execute("SELECT * FROM daily_counters ORDER BY ALL").fetchall() == expected
        (converted,) = con.execute("SELECT count(*) FROM model_counter_changes").fetchone()
    finally:
        con.close()
    assert converted <= stored  # a crawl may keep rows a later one made redundant (an incremental run's, that day)


def test_a_day_is_settled_slice_by_slice_with_the_same_rows():
    """A day larger than a slice: every row kept once, each key range sorted by counters, in key order."""
    con = duckdb.connect()
    migrate(con)
    try:
        con.execute("INSERT INTO counter_days VALUES ('models', DATE '2026-03-01', 'full')")
        con.execute(
            "INSERT INTO model_counter_changes (day, model_key, downloads, downloads_all_time, likes) "
            "SELECT DATE '2026-03-01', key, hash(key) % 1000, hash(key) % 100000, NULL FROM range(1, 1001) AS t(key)"
        )
        before = con.execute("SELECT * FROM model_counter_changes ORDER BY model_key").fetchall()
        settle_day(con, MODELS, date(2026, 3, 1), slice_rows=90)
        assert con.execute("SELECT * FROM model_counter_changes ORDER BY model_key").fetchall() == before
        stored = con.execute(
            "SELECT model_key, downloads, downloads_all_time FROM model_counter_changes ORDER BY rowid"
        ).fetchall()
        slices = key_slices(con, MODELS, date(2026, 3, 1), 90)
        assert len(slices) == 12 and slices[0][0] == 1 and slices[-1][1] == 1000
        expected = [
            row
            for first, last in slices
            for row in sorted((r for r in before if first <= r[1] <= last), key=lambda r: (r[2], r[3], r[1]))
        ]
        assert stored == [(r[1], r[2], r[3]) for r in expected]
        assert con.execute("SELECT * FROM counter_days_settled").fetchall() == [("models", date(2026, 3, 1))]
    finally:
        con.close()
