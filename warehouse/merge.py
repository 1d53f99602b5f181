"""Apply a finished crawl's staged pages to the warehouse in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from .runs import record_progress
from .sqlfiles import sql
from .staging import CrawlState


@dataclass(frozen=True)
class MergeResult:
    models_loaded: int
    flagged: int
    quarantined: int
    marked_deleted: int


def merge_full_crawl(
    con: duckdb.DuckDBPyConnection, staging_file: Path, state: CrawlState, finished: datetime
) -> MergeResult:
    """Upsert every staged model, mark the unlisted ones deleted, log the run: all or nothing."""
    quoted = str(staging_file).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS stage (READ_ONLY)")
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(sql("latest_staged"))
        loaded, flagged = con.execute("SELECT count(*), count(*) FILTER (WHERE len(flags) > 0) FROM latest").fetchone()
        con.execute(sql("merge_models"))
        (deleted,) = con.execute(sql("mark_deleted"), {"finished": finished}).fetchone()
        (quarantined,) = con.execute(sql("copy_quarantine"), {"run_id": state.run_id}).fetchone()
        record_progress(con, state, "finished", finished=finished)
        con.execute(
            "UPDATE crawl_runs SET models_loaded = ?, flagged = ?, quarantined = ?, marked_deleted = ? WHERE id = ?",
            [loaded, flagged, quarantined, deleted, state.run_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DETACH stage")
    return MergeResult(loaded, flagged, quarantined, deleted)
