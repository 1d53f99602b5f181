"""Finished days of the counters history, written again in counter order: the same rows, stored in
under half the bytes (warehouse/sql/migrations/016_settled_counter_days.sql says why)."""

from __future__ import annotations

from datetime import date

import duckdb

from .sqlfiles import execute_script, sql
from .streams import Stream


def unsettled_days(con: duckdb.DuckDBPyConnection, stream: Stream, today: date) -> list[date]:
    rows = con.execute(
        "SELECT DISTINCT day FROM counter_days WHERE repo_type = $kind AND day < $today "
        "AND day NOT IN (SELECT day FROM counter_days_settled WHERE repo_type = $kind) ORDER BY day",
        {"kind": stream.name, "today": today},
    ).fetchall()
    return [day for (day,) in rows]


def settle_counter_days(con: duckdb.DuckDBPyConnection, stream: Stream, today: date) -> list[date]:
    """Rewrite each day before `today` not yet settled, in the caller's transaction; the days settled."""
    days = unsettled_days(con, stream, today)
    for day in days:
        (written_before,) = con.execute(f"SELECT coalesce(max(rowid), -1) FROM {stream.changes_table}").fetchone()
        execute_script(con, sql("settle_counter_day", stream), {"day": day, "written_before": written_before})
    return days
