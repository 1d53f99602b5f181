"""The kept `registry stats` report (the warehouse's schema `report`), published beside the tables it
was computed from, in the same snapshot: a reader of the lake is served it as a reader of the file is
(at 2.5M models and a year of history the report takes 12-16 s to compute, far more over S3).

Which kept sections still match the warehouse is the report's own rule (queries/stored_report.py),
handed in by the caller: this module only copies them. A section that no longer matches is removed
from the lake, so the lake's report never describes other data than its tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from .lake_connect import LAKE
from .lake_sync import Synced, insert_values

SCHEMA = "report"


@dataclass(frozen=True)
class KeptReport:
    """The kept sections that match the warehouse attached as `wh`, and the version of the report code
    (and `top`) they were computed by: a reader with other code computes its report instead."""

    sections: tuple[str, ...]
    version: str


# Given the publish's connection (the warehouse attached as `wh`), the kept report worth publishing.
CurrentReport = Callable[[duckdb.DuckDBPyConnection], KeptReport]


def _published(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, object]]:
    rows = con.execute(f"SELECT section, version, computed_at FROM {LAKE}.{SCHEMA}.sections").fetchall()
    return {section: (version, computed_at) for section, version, computed_at in rows}


def sync_report(con: duckdb.DuckDBPyConnection, current: CurrentReport | None) -> Synced:
    """Bring the lake's `report` schema to the kept report's current sections, inside the publish.
    The lake's list of sections is read once and written once (each read or write of a lake table is
    a round trip to the catalog and the store)."""
    done = Synced(f"{SCHEMA}.sections")
    kept = current(con) if current else KeptReport((), "")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {LAKE}.{SCHEMA}")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {LAKE}.{SCHEMA}.sections (section VARCHAR, version VARCHAR, computed_at TIMESTAMP)"
    )
    published = _published(con)
    computed = dict(con.execute(f"SELECT section, computed_at FROM wh.{SCHEMA}.sections").fetchall())
    wanted = {section: (kept.version, computed[section]) for section in kept.sections}
    for section in set(published) - set(wanted):
        con.execute(f'DROP TABLE IF EXISTS {LAKE}.{SCHEMA}."{section}"')
        done.deleted += 1
    for section, computation in wanted.items():
        if published.get(section) == computation:
            continue  # the same computation is there already
        con.execute(f'DROP TABLE IF EXISTS {LAKE}.{SCHEMA}."{section}"')
        con.execute(f'CREATE TABLE {LAKE}.{SCHEMA}."{section}" AS SELECT * FROM wh.{SCHEMA}."{section}"')
        done.written += 1
    if wanted != published:
        con.execute(f"DELETE FROM {LAKE}.{SCHEMA}.sections")
        rows = [(section, version, computed_at) for section, (version, computed_at) in sorted(wanted.items())]
        insert_values(con, f"{LAKE}.{SCHEMA}.sections", "(?, ?, ?::TIMESTAMP)", rows)
    return done
