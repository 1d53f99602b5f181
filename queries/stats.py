"""`registry stats`: the report's sections, each one .sql file under queries/stats/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

STATS_DIR = Path(__file__).parent / "stats"

# Report order; each name is a file in queries/stats/.
SECTIONS = ("totals", "by_library", "by_pipeline_tag", "by_license", "by_parameter_bucket")


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> duckdb.DuckDBPyConnection:
    text = (STATS_DIR / f"{name}.sql").read_text()
    return con.execute(text, {key: value for key, value in params.items() if f"${key}" in text})


def run_stats(
    con: duckdb.DuckDBPyConnection,
    sections: tuple[str, ...] = SECTIONS,
    top: int = 20,
    as_of: datetime | None = None,
) -> dict[str, pl.DataFrame]:
    """Each section as a table, over the models listed now or, with `as_of` (UTC), at that moment."""
    params = {"top": top, "as_of": as_of}
    _run(con, "models_as_of" if as_of else "models_now", params)
    return {section: _run(con, section, params).pl() for section in sections}
