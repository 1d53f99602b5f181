"""The publish log (`publish_runs` in the warehouse): every publish, failed ones with their error."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import duckdb

from .connect import open_writer
from .errors import WarehouseError
from .lake_connect import LakeSettings, redact, scrub

log = logging.getLogger("registry.lake")


def record_publish_run(
    db_path: Path,
    lake: LakeSettings,
    times: tuple[datetime, datetime],
    snapshot_id: int | None,
    tables: list[str] | None,
    error: str | None,
) -> None:
    """Log one publish; best effort: a warehouse a crawl holds is logged about, never waited on long."""
    if not db_path.exists():
        return
    status = "failed" if error else "finished"
    row = [redact(lake.catalog), lake.data_path, *times, status, snapshot_id, tables, error and scrub(error, lake)]
    try:
        con = open_writer(db_path, patience=10)
    except (WarehouseError, duckdb.Error) as failure:
        log.warning("publish not logged in publish_runs: %s", failure)
        return
    try:
        con.execute(
            "INSERT INTO publish_runs (lake, data_path, started, finished, status, snapshot_id, tables, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
    finally:
        con.close()
