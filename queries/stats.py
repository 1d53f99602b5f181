"""`registry stats` and the HTML report: named sections, each a .sql file or a Polars function.

Every section reads `stats_models`: the models listed now, or with `as_of` the models as they were
then (from history). SQL sections live in queries/stats/ and queries/analyses/, named for what they
answer; the lineage sections also read `lineage_edges`, built once per run from its own .sql file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from .model_size import size_distribution
from .sections import SECTIONS

HERE = Path(__file__).parent
SQL_DIRS = (HERE / "stats", HERE / "analyses")


def _sql_path(name: str) -> Path:
    return next(path for folder in SQL_DIRS if (path := folder / f"{name}.sql").exists())


def _run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> duckdb.DuckDBPyConnection:
    text = _sql_path(name).read_text()
    return con.execute(text, {key: value for key, value in params.items() if f"${key}" in text})


def _size_buckets(con: duckdb.DuckDBPyConnection, params: dict) -> pl.DataFrame:
    return size_distribution(con)


PYTHON_SECTIONS: dict[str, Callable[[duckdb.DuckDBPyConnection, dict], pl.DataFrame]] = {
    "size_buckets": _size_buckets,
}

NEEDS_LINEAGE = {"top_base_models", "lineage_depth", "license_inheritance", "license_conflicts", "family_quantization"}


def run_section(con: duckdb.DuckDBPyConnection, section: str, params: dict) -> pl.DataFrame:
    if section in PYTHON_SECTIONS:
        return PYTHON_SECTIONS[section](con, params)
    return _run_sql(con, section, params).pl()


def prepare(con: duckdb.DuckDBPyConnection, sections: tuple[str, ...], params: dict) -> None:
    """Build the relations the sections read: stats_models and, if needed, lineage_edges."""
    _run_sql(con, "models_as_of" if params.get("as_of") else "models_now", params)
    if NEEDS_LINEAGE & set(sections):
        con.execute(f"CREATE OR REPLACE TEMP TABLE lineage_edges AS {_sql_path('lineage_edges').read_text()}")


def run_stats(
    con: duckdb.DuckDBPyConnection,
    sections: tuple[str, ...] = SECTIONS,
    top: int = 20,
    as_of: datetime | None = None,
) -> dict[str, pl.DataFrame]:
    """Each section as a table, over the models listed now or, with `as_of` (UTC), at that moment."""
    params = {"top": top, "as_of": as_of}
    prepare(con, sections, params)
    return {section: run_section(con, section, params) for section in sections}
