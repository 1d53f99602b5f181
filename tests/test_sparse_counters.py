"""Counters history stored as changes: the dense views give exactly the rows the dense tables held.

The oracle is the dense writing of before (kept here: a crawl's observations replace that day's rows
of a table holding one row per repository and day observed), fed the same observations as the sparse
writer of warehouse/sql/write_observed_counters.sql.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import duckdb
import pytest

from queries.stats import run_section
from warehouse.migrations import migrate
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
    execute_script(con, OLD_DENSE_WRITE.format(key=stream.key), {})


def _counters(rng: random.Random, stream: Stream, previous: tuple | None) -> tuple:
    """Mostly unchanged; sometimes moved, sometimes a value missing (the Hub omits or malforms one)."""
    if previous is not None and rng.random() < 0.8:
        return previous
    return tuple(rng.choice([None, 0, 1, 2, 5]) for _ in stream.counters)


def _simulate(con: duckdb.DuckDBPyConnection, stream: Stream, rng: random.Random, days: int) -> None:
    """Days of passes over 40 repositories that come and go: full and counters listings (some running
    past midnight, some twice a day), incremental ones (edited only), days with no crawl."""
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
    con.execute("DELETE FROM models")
    con.execute("INSERT INTO models (id, model_key, raw, first_seen, last_seen) "
                "SELECT 'm/' || key, key, '{}', now(), now() FROM range(1, 41) AS t(key)")  # fmt: skip
    (first, last) = con.execute("SELECT min(day), max(day) FROM oracle").fetchone()
    risen = 0
    for day in range(0, (last - first).days + 1, 3):
        as_of = datetime.combine(first + timedelta(days=day), datetime.min.time())
        params = {"top": 100, "as_of": as_of}
        expected = con.execute(OLD_FASTEST_RISERS, params).fetchall()
        assert run_section(con, "fastest_risers", params).rows() == expected, as_of
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
            (stored,) = con.execute(f"SELECT count(*) FROM {stream.changes_table}").fetchone()
            assert stored < len(expected) * 0.6, "unchanged counters are not stored again"
            if stream is MODELS:
                _assert_fastest_risers_as_on_the_dense_table(con)
            con.execute("DELETE FROM oracle")
            for table in (stream.changes_table, stream.last_counters_table, "counter_days"):
                con.execute(f"DELETE FROM {table}")
    finally:
        con.close()
