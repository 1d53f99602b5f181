"""Apply a finished crawl's staged pages to the warehouse in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from .runs import record_progress
from .sqlfiles import sql
from .staging import CrawlState

# Which crawls list every public model (so that what they miss is deleted) and which carry full records.
COMPLETE_LISTINGS = {"full", "counters"}
FULL_RECORDS = {"full", "incremental"}


@dataclass(frozen=True)
class MergeResult:
    models_loaded: int
    flagged: int
    quarantined: int
    marked_deleted: int


def merge_crawl(
    con: duckdb.DuckDBPyConnection, staging_file: Path, state: CrawlState, finished: datetime
) -> MergeResult:
    """Apply the staged crawl, mark the unlisted deleted, write history, log the run: all or nothing."""
    quoted = str(staging_file).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS stage (READ_ONLY)")
    try:
        con.execute("BEGIN TRANSACTION")
        result = _apply(con, state, finished)
        record_progress(con, state, "finished", finished=finished)
        con.execute(
            "UPDATE crawl_runs SET models_loaded = ?, flagged = ?, quarantined = ?, marked_deleted = ? WHERE id = ?",
            [result.models_loaded, result.flagged, result.quarantined, result.marked_deleted, state.run_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DETACH stage")
    return result


def _apply(con: duckdb.DuckDBPyConnection, state: CrawlState, finished: datetime) -> MergeResult:
    con.execute(sql("latest_staged"))
    loaded, flagged = con.execute("SELECT count(*), count(*) FILTER (WHERE len(flags) > 0) FROM latest").fetchone()
    if state.kind in FULL_RECORDS:
        con.execute(sql("merge_models"))
    else:
        con.execute(sql("merge_counters"))
        flagged = 0  # a counters listing carries too few fields to judge a record
    deleted = 0
    if state.kind in COMPLETE_LISTINGS:
        (deleted,) = con.execute(sql("mark_deleted"), {"finished": finished}).fetchone()
    if state.kind in FULL_RECORDS:
        con.execute(sql("record_versions"))
    con.execute(sql("record_daily_counters"))
    (quarantined,) = con.execute(sql("copy_quarantine"), {"run_id": state.run_id}).fetchone()
    return MergeResult(loaded, flagged, quarantined, deleted)
