"""The `registry stats` report, kept in the warehouse (schema `report`) until the warehouse changes.

A report changes only when the warehouse does: a crawl merges pages, a migration runs, the license
taxonomy changes. So each section, once computed, is stored with a fingerprint of that state, of its
`top` and of the report's code, and served from there while the fingerprint still matches; only the
sections that are missing or stale are computed (at 2.5M models and a year of history, the whole
report takes 12-16 s to compute). A report `--as-of` a past moment is always computed.

Storing is best effort and never fails an answer: it needs the warehouse for writing, does not wait
for it, and is skipped when a crawl or another reader holds it or the file is read-only.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse.connect import open_writer, transaction
from warehouse.errors import WarehouseError
from warehouse.lake_report import KeptReport

from .sections import DEFAULT_TOP, SECTIONS
from .stats import SQL_DIRS, prepare, run_section

HERE = Path(__file__).parent
STATE_SQL = HERE / "stored_report_state.sql"
SCHEMA_SQL = HERE / "stored_report_schema.sql"
POSITION = "_position"  # each stored row's place in its section

# The code a section's result depends on: its SQL, the shared relations', the size distribution's.
REPORT_CODE = sorted(
    [path for folder in SQL_DIRS for path in folder.glob("*.sql")]
    + [HERE / "model_size.sql", HERE / "model_size.py", HERE / "stats.py"]
)

log = logging.getLogger("registry.report")


@dataclass
class Report:
    """The sections asked for, in order, and which of them had to be computed (to be stored)."""

    tables: dict[str, pl.DataFrame]
    fingerprint: str
    top: int
    computed: dict[str, pl.DataFrame] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def code_version(top: int) -> str:
    """The report code and `top`, as one hash: what a report computed elsewhere must match."""
    digest = hashlib.sha256(f"top={top}".encode())
    for path in REPORT_CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(con: duckdb.DuckDBPyConnection, top: int) -> str:
    """The state of the warehouse (the connection's default database), `top` and the report code."""
    state = repr(con.execute(STATE_SQL.read_text()).fetchone())
    return hashlib.sha256(f"{state}|{code_version(top)}".encode()).hexdigest()


def current_report(
    con: duckdb.DuckDBPyConnection, sections: tuple[str, ...] = SECTIONS, top: int = DEFAULT_TOP
) -> Report:
    """The sections, from the stored report where it is current, the rest computed now."""
    report = Report({}, fingerprint(con, top), top)
    return _complete(con, report, _load(con, sections, "fingerprint = ?", report.fingerprint), sections)


def lake_report(con: duckdb.DuckDBPyConnection, sections: tuple[str, ...] = SECTIONS, top: int = DEFAULT_TOP) -> Report:
    """On a lake: the sections published with its tables (warehouse/lake_report.py), when computed by
    this report code and `top`; the rest computed now (a lake is read-only: nothing is kept)."""
    report = Report({}, "", top)
    return _complete(con, report, _load(con, sections, "version = ?", code_version(top)), sections)


def kept_for_lake(con: duckdb.DuckDBPyConnection, top: int = DEFAULT_TOP) -> KeptReport:
    """For a publish (the warehouse attached as `wh`): the kept sections computed with `top` that
    match the warehouse now."""
    version = code_version(top)
    if not _has_index(con, "wh"):
        return KeptReport((), version)
    con.execute("USE wh")  # the state is read from the default database
    try:
        current = fingerprint(con, top)
    finally:
        con.execute("USE memory")
    rows = con.execute("SELECT section FROM wh.report.sections WHERE fingerprint = ? ORDER BY section", [current])
    return KeptReport(tuple(section for (section,) in rows.fetchall()), version)


def _complete(con: duckdb.DuckDBPyConnection, report: Report, stored: dict, sections: tuple[str, ...]) -> Report:
    missing = tuple(section for section in sections if section not in stored)
    if missing:
        params = {"top": report.top, "as_of": None}
        prepare(con, missing, params)
        for section in missing:
            started = time.perf_counter()
            report.computed[section] = run_section(con, section, params)
            report.seconds[section] = time.perf_counter() - started
    report.tables = {section: stored.get(section, report.computed.get(section)) for section in sections}
    return report


def _has_index(con: duckdb.DuckDBPyConnection, database: str | None = None) -> bool:
    (kept,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'report' AND table_name = 'sections' "
        "AND database_name = coalesce(?, current_database())",
        [database],
    ).fetchone()
    return bool(kept)


def _load(
    con: duckdb.DuckDBPyConnection, sections: tuple[str, ...], matches: str, value: str
) -> dict[str, pl.DataFrame]:
    """The kept sections among `sections` whose index row `matches` (a condition on one parameter)."""
    if not _has_index(con):
        return {}
    fresh = {
        section
        for (section,) in con.execute(
            f"SELECT section FROM report.sections WHERE {matches} AND list_contains(?, section)",
            [value, list(sections)],
        ).fetchall()
    }
    # Section names come from SECTIONS (the CLI refuses any other), never from free text.
    return {
        section: con.execute(f"SELECT * EXCLUDE ({POSITION}) FROM report.{section} ORDER BY {POSITION}").pl()
        for section in sections
        if section in fresh
    }


def store(db_path: Path, report: Report) -> bool:
    """Keep the computed sections of `report`; False (logged) when the warehouse cannot be written now."""
    if not report.computed:
        return True
    try:
        con = open_writer(db_path, patience=0)
    except (WarehouseError, duckdb.Error) as error:
        log.info("report not stored (the next `registry stats` computes it again): %s", error)
        return False
    try:
        with transaction(con):
            con.execute(SCHEMA_SQL.read_text())
            now = datetime.now(UTC).replace(tzinfo=None)
            for section, table in report.computed.items():
                assert section in SECTIONS, section  # the name becomes a table name
                con.register("computed_section", table.with_row_index(POSITION))
                con.execute(f"CREATE OR REPLACE TABLE report.{section} AS SELECT * FROM computed_section")
                con.unregister("computed_section")
                con.execute(
                    "INSERT OR REPLACE INTO report.sections VALUES (?, ?, ?, ?, ?)",
                    [section, report.fingerprint, report.top, now, report.seconds[section]],
                )
    except duckdb.Error as error:
        log.warning("report not stored (the next `registry stats` computes it again): %s", error)
        return False
    finally:
        con.close()
    return True
