"""The run log: every crawl leaves a crawl_runs row with its outcome and counters."""

from __future__ import annotations

from datetime import datetime

import duckdb

from .staging import CrawlState

COUNTERS = (
    "pages",
    "records",
    "private_skipped",
    "retries",
    "http_429",
    "rate_limit_waits",
    "rate_limit_wait_seconds",
)


def start_run(con: duckdb.DuckDBPyConnection, kind: str, endpoint: str, started: datetime) -> int:
    (run_id,) = con.execute(
        "INSERT INTO crawl_runs (kind, endpoint, started, status) VALUES (?, ?, ?, 'running') RETURNING id",
        [kind, endpoint, started],
    ).fetchone()
    return run_id


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
    """Copy the staging file's counters into the run's row, with its status."""
    assignments = ", ".join(f"{name} = ?" for name in COUNTERS)
    values = [getattr(state, name) for name in COUNTERS]
    con.execute(
        f"UPDATE crawl_runs SET {assignments}, status = ?, error = ?, finished = ? WHERE id = ?",
        [*values, status, error, finished, state.run_id],
    )
