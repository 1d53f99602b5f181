"""Counters history stored as changes: the dense views give exactly the rows the dense tables held.

The oracle is the dense writing of before (kept here: a crawl's observations replace that day's rows
of a table holding one row per repository and day observed), fed the same observations as the sparse
writer of warehouse/sql/write_observed_counters.sql.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb
import pytest

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
    if rows:
        con.executemany(f"INSERT INTO observed VALUES ({', '.join('?' * (2 + len(stream.counters)))})", rows)
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


@pytest.mark.parametrize("stream", [MODELS, DATASETS, SPACES], ids=lambda s: s.name)
def test_the_dense_view_equals_the_dense_table_written_the_old_way(stream):
    con = duckdb.connect()  # a warehouse in memory: hundreds of small writes, no file to sync
    migrate(con)
    try:
        con.execute(f"CREATE TEMP TABLE oracle ({OLD_COLUMNS[stream.name]})")
        assert _described(con, stream.counters_table) == _described(con, "oracle")
        for seed in range(2 if stream is MODELS else 1):  # the rule is written once for every kind
            _simulate(con, stream, random.Random(seed), days=25)
            expected = con.execute("SELECT * FROM oracle ORDER BY ALL").fetchall()
            assert con.execute(f"SELECT * FROM {stream.counters_table} ORDER BY ALL").fetchall() == expected, seed
            (stored,) = con.execute(f"SELECT count(*) FROM {stream.changes_table}").fetchone()
            assert stored < len(expected) * 0.6, "unchanged counters are not stored again"
            con.execute("DELETE FROM oracle")
            for table in (stream.changes_table, stream.last_counters_table, "counter_days"):
                con.execute(f"DELETE FROM {table}")
    finally:
        con.close()
