"""Reference data versioned with the code and loaded into the warehouse: the license taxonomy."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

LICENSE_MAP = Path(__file__).parent / "license_map.csv"


def _flag(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value.strip().lower())


def license_rows() -> list[tuple]:
    with LICENSE_MAP.open(newline="") as handle:
        return [
            (row["raw_value"].strip().lower(), row["license_id"] or None, row["family"],
             _flag(row["commercial_use"]), bool(_flag(row["osi_approved"])))
            for row in csv.DictReader(handle)
        ]  # fmt: skip


def sync_license_map(con: duckdb.DuckDBPyConnection) -> None:
    """Make the warehouse's license_map equal to the CSV (a hundred rows: replace them all)."""
    rows = license_rows()
    current = con.execute("SELECT * FROM license_map ORDER BY raw_value").fetchall()
    if current == sorted(rows):
        return
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM license_map")
    con.executemany("INSERT INTO license_map VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("COMMIT")
