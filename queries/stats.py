"""`registry stats`: the report's sections, each one .sql file under queries/stats/."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

STATS_DIR = Path(__file__).parent / "stats"

# Report order; each name is a file in queries/stats/.
SECTIONS = ("totals", "by_library", "by_pipeline_tag", "by_license", "by_parameter_bucket")


def run_section(con: duckdb.DuckDBPyConnection, section: str, top: int = 20) -> pl.DataFrame:
    text = (STATS_DIR / f"{section}.sql").read_text()
    params = {"top": top} if "$top" in text else {}
    return con.execute(text, params).pl()


def run_stats(
    con: duckdb.DuckDBPyConnection, sections: tuple[str, ...] = SECTIONS, top: int = 20
) -> dict[str, pl.DataFrame]:
    return {section: run_section(con, section, top) for section in sections}
