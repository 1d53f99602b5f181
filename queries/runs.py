"""`registry runs`: the run log, newest first."""

from pathlib import Path

import duckdb
import polars as pl

CRAWL_RUNS_SQL = Path(__file__).parent / "crawl_runs.sql"


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pl.DataFrame:
    return con.execute(CRAWL_RUNS_SQL.read_text(), {"limit": limit}).pl()
