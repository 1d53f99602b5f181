"""Finished days of the counters history, written again in counter order: the same rows, stored in
under half the bytes (warehouse/sql/migrations/016_settled_counter_days.sql says why)."""

from __future__ import annotations

import math
from datetime import date

import duckdb

from .connect import transaction
from .sqlfiles import execute_script, sql
from .streams import Stream

# Rows sorted in one transaction. A whole day at 2.5M models sorted at once ran out of the writer's
# 160 MB cap; slices of a row group's size sort within it. Sorted in slices of ~34k rows, a row
# took 5.0 bytes against 4.6 for a whole day sorted (1M models, BENCHMARKS.md): larger is closer.
SETTLE_SLICE_ROWS = 122_880


def unsettled_days(con: duckdb.DuckDBPyConnection, stream: Stream, today: date) -> list[date]:
    rows = con.execute(
        "SELECT DISTINCT day FROM counter_days WHERE repo_type = $kind AND day < $today "
        "AND day NOT IN (SELECT day FROM counter_days_settled WHERE repo_type = $kind) ORDER BY day",
        {"kind": stream.name, "today": today},
    ).fetchall()
    return [day for (day,) in rows]


def key_slices(con: duckdb.DuckDBPyConnection, stream: Stream, day: date, slice_rows: int) -> list[tuple[int, int]]:
    """The day's repositories cut into key ranges of about `slice_rows` rows each."""
    first, last, rows = con.execute(
        f"SELECT min({stream.key}), max({stream.key}), count(*) FROM {stream.changes_table} WHERE day = ?", [day]
    ).fetchone()
    if not rows:
        return []
    width = math.ceil((last - first + 1) / math.ceil(rows / slice_rows))
    return [(start, min(start + width - 1, last)) for start in range(first, last + 1, width)]


def settle_day(con: duckdb.DuckDBPyConnection, stream: Stream, day: date, slice_rows: int = SETTLE_SLICE_ROWS) -> None:
    """Rewrite one day slice by slice, a transaction each; then record it settled. Killed half-way,
    the day is settled again whole by the next crawl: its rows are the same either way."""
    for first_key, last_key in key_slices(con, stream, day, slice_rows):
        with transaction(con):
            (before,) = con.execute(f"SELECT coalesce(max(rowid), -1) FROM {stream.changes_table}").fetchone()
            params = {"day": day, "first_key": first_key, "last_key": last_key, "written_before": before}
            execute_script(con, sql("settle_counter_day", stream), params)
    con.execute("INSERT INTO counter_days_settled VALUES (?, ?)", [stream.name, day])


def settle_counter_days(con: duckdb.DuckDBPyConnection, stream: Stream, today: date) -> list[date]:
    """Settle each day before `today` not yet settled (outside any transaction); the days settled."""
    days = unsettled_days(con, stream, today)
    for day in days:
        settle_day(con, stream, day)
    return days
