"""Counters history written as a crawl's merge writes it (warehouse/sql/write_observed_counters.sql):
daily_counters and the dataset/space ones are views over the stored changes, not tables to insert into.
The repositories observed must be in their table (models, datasets, spaces)."""

from __future__ import annotations

from itertools import groupby

import duckdb

from warehouse.sqlfiles import execute_script, sql
from warehouse.streams import MODELS, Stream


def record_counters(con: duckdb.DuckDBPyConnection, rows: list[dict], stream: Stream = MODELS, kind: str = "counters"):
    """Record observations ({'day', key, counters...}; a counter left out is NULL), one day at a time
    in day order, each day as one `kind` crawl's."""
    columns = ("day", stream.key, *stream.counters)
    for day, observed in groupby(sorted(rows, key=lambda row: row["day"]), key=lambda row: row["day"]):
        shape = f"SELECT {', '.join(columns)} FROM {stream.counters_table} LIMIT 0"
        con.execute(f"CREATE OR REPLACE TEMP TABLE observed AS {shape}")
        values = [[row.get(column) for column in columns] for row in observed]
        one = f"({', '.join('?' * len(columns))})"  # one statement: executemany runs one per row
        con.execute(f"INSERT INTO observed VALUES {', '.join([one] * len(values))}", [v for row in values for v in row])
        execute_script(con, sql("write_observed_counters", stream), {"pass": kind, "first_day": day})
        listed_on(con, stream)


def listed_on(con: duckdb.DuckDBPyConnection, stream: Stream) -> None:
    """What the merge of a listing does too: its repositories' last_seen moves to the day it listed
    them, and first_seen is the day it first did."""
    listed = f"{stream.stored}.{stream.key} = observed.{stream.key}"
    con.execute(
        f"UPDATE {stream.stored} SET last_seen = CAST(observed.day AS TIMESTAMP) FROM observed "
        f"WHERE {listed} AND CAST(last_seen AS DATE) <> observed.day"
    )
    con.execute(
        f"UPDATE {stream.stored} SET first_seen = CAST(observed.day AS TIMESTAMP) FROM observed "
        f"WHERE {listed} AND CAST(first_seen AS DATE) > observed.day"
    )
