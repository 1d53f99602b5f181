"""The run log: every crawl leaves a crawl_runs row with its outcome and counters."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from .sqlfiles import sql
from .staging import CrawlState
from .streams import Stream

COUNTERS = (
    "pages",
    "records",
    "retries",
    "http_429",
    "rate_limit_waits",
    "rate_limit_wait_seconds",
)


def start_run(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    endpoint: str,
    started: datetime,
    watermark: datetime | None = None,
    repo_type: str = "models",
) -> int:
    """Log a new run. A run of this type still 'running' (the caller holds the crawl lock, and each
    type's crawls run one after another, so none is) was killed before its first page was staged:
    nothing of it can be resumed, and it is logged as failed. Another type's may be running beside it."""
    con.execute(
        "UPDATE crawl_runs SET status = 'failed', error = 'abandoned: stopped before its first page was staged' "
        "WHERE status = 'running' AND repo_type = ?",
        [repo_type],
    )
    (run_id,) = con.execute(
        "INSERT INTO crawl_runs (kind, repo_type, endpoint, started, status, watermark) "
        "VALUES (?, ?, ?, ?, 'running', ?) RETURNING id",
        [kind, repo_type, endpoint, started, watermark],
    ).fetchone()
    return run_id


def incremental_watermark(con: duckdb.DuckDBPyConnection, overlap: timedelta, stream: Stream) -> datetime | None:
    """How far back a newest-first listing must go (warehouse/sql/incremental_watermark.sql)."""
    (newest,) = con.execute(sql("incremental_watermark", stream)).fetchone()
    return newest - overlap if newest else None


def last_finished(con: duckdb.DuckDBPyConnection, kinds: tuple[str, ...], repo_type: str = "models") -> datetime | None:
    """When the last successful run of one of these kinds, of this repository type, finished."""
    placeholders = ", ".join("?" for _ in kinds)
    (finished,) = con.execute(
        "SELECT max(finished) FROM crawl_runs "
        f"WHERE status = 'finished' AND kind IN ({placeholders}) AND repo_type = ?",
        [*kinds, repo_type],
    ).fetchone()
    return finished


def mark_resumed(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    con.execute("UPDATE crawl_runs SET status = 'running', error = NULL, resumes = resumes + 1 WHERE id = ?", [run_id])


def run_status(con: duckdb.DuckDBPyConnection, run_id: int) -> str | None:
    row = con.execute("SELECT status FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    return row[0] if row else None


def record_progress(
    con: duckdb.DuckDBPyConnection,
    state: CrawlState,
    status: str,
    error: str | None = None,
    finished: datetime | None = None,
) -> None:
    """Copy the staging file's counters into the run's row, with its status (the merge counts
    private_skipped, as it types the pages)."""
    assignments = ", ".join(f"{name} = ?" for name in (*COUNTERS, "listing_order"))
    values = [getattr(state, name) for name in (*COUNTERS, "listing_order")]
    con.execute(
        f"UPDATE crawl_runs SET {assignments}, status = ?, error = ?, finished = ? WHERE id = ?",
        [*values, status, error, finished, state.run_id],
    )
