"""`registry stats` and the HTML report: named sections, each a .sql file or a Polars function.

Every section reads `stats_models`: the models listed now, or with `as_of` the models as they were
then (from history); the sections over datasets, Spaces and links read `stats_datasets`,
`stats_spaces` and `stats_links` (now, or as they were at `as_of`). SQL sections live in queries/stats/
and queries/analyses/, named for what they answer; some also read a relation they share
(SHARED_RELATIONS: `lineage_edges`, ...), built once per run from its own .sql file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse.sqlfiles import execute_script

from .model_size import size_distribution
from .sections import DEFAULT_TOP, SECTIONS

HERE = Path(__file__).parent
SQL_DIRS = (HERE / "stats", HERE / "analyses")


def _sql_path(name: str) -> Path:
    return next(path for folder in SQL_DIRS if (path := folder / f"{name}.sql").exists())


def _run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> duckdb.DuckDBPyConnection:
    text = _sql_path(name).read_text()
    return con.execute(text, {key: value for key, value in params.items() if f"${key}" in text})


def _size_buckets(con: duckdb.DuckDBPyConnection, params: dict) -> pl.DataFrame:
    return size_distribution(con)


RISERS_WINDOW_DAYS = 8  # the last crawled day and the 7 before it
# The first pass's seed: the (top x this)-th largest row gain in the window (fastest_risers.sql).
RISERS_SEED_ROWS_PER_RANK = 10


def _fastest_risers(con: duckdb.DuckDBPyConnection, params: dict) -> pl.DataFrame:
    """Exact, computed for the models that can reach the top only (fastest_risers.sql says why)."""
    params = {**params, "window_days": RISERS_WINDOW_DAYS, "seed_rows": params["top"] * RISERS_SEED_ROWS_PER_RANK}
    first_day, last_day = _run_sql(con, "fastest_risers_window", params).fetchone()
    params |= {"first_day": first_day, "last_day": last_day, "min_row_gain": None}
    seeded = _run_sql(con, "fastest_risers", params).pl()
    if seeded.height >= params["top"]:
        bound = seeded["downloads_gained"].min() / RISERS_WINDOW_DAYS
    elif _run_sql(con, "fastest_risers_row_gains", params).fetchone()[0] < params["seed_rows"]:
        return seeded  # that pass had no seed and considered every model (after a first crawl, say)
    else:
        bound = float("-inf")  # every model, when the seeds do not fill the top
    return _run_sql(con, "fastest_risers", params | {"min_row_gain": bound}).pl()


PYTHON_SECTIONS: dict[str, Callable[[duckdb.DuckDBPyConnection, dict], pl.DataFrame]] = {
    "size_buckets": _size_buckets,
    "fastest_risers": _fastest_risers,
}

# Relations some sections share, built once per report (a temp table each, from its own .sql file).
SHARED_RELATIONS = {
    "lineage_edges": {
        "top_base_models",
        "lineage_depth",
        "license_inheritance",
        "license_conflicts",
        "family_quantization",
    },
    "declared_training_data": {"top_training_datasets", "training_data_conflicts", "training_data_conflict_examples"},
    "space_model_usage": {"top_space_models", "models_in_spaces"},
}


def run_section(con: duckdb.DuckDBPyConnection, section: str, params: dict) -> pl.DataFrame:
    if section in PYTHON_SECTIONS:
        return PYTHON_SECTIONS[section](con, params)
    return _run_sql(con, section, params).pl()


def prepare(con: duckdb.DuckDBPyConnection, sections: tuple[str, ...], params: dict) -> None:
    """Build the relations the sections read: stats_models, stats_datasets, stats_spaces, stats_links and
    the shared relations those sections need."""
    for relation in ("stats_models", "stats_datasets", "stats_spaces", "stats_links"):
        _drop_temp(con, relation)  # a view now, a table as of a moment: REPLACE cannot change which
    _run_sql(con, "models_as_of" if params.get("as_of") else "models_now", params)
    execute_script(con, _sql_path("repos_as_of" if params.get("as_of") else "repos_now").read_text(), params)
    for relation, readers in SHARED_RELATIONS.items():
        if readers & set(sections):
            build_shared_relation(con, relation)


def _drop_temp(con: duckdb.DuckDBPyConnection, name: str) -> None:
    kinds = con.execute(
        "SELECT 'TABLE' FROM duckdb_tables() WHERE temporary AND table_name = $name "
        "UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE temporary AND view_name = $name",
        {"name": name},
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f"DROP {kind} {name}")


def build_shared_relation(con: duckdb.DuckDBPyConnection, relation: str) -> None:
    """One of SHARED_RELATIONS, as a temp table (stats_models and the others must exist)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {relation} AS {_sql_path(relation).read_text()}")


def run_stats(
    con: duckdb.DuckDBPyConnection,
    sections: tuple[str, ...] = SECTIONS,
    top: int = DEFAULT_TOP,
    as_of: datetime | None = None,
) -> dict[str, pl.DataFrame]:
    """Each section as a table, over the models listed now or, with `as_of` (UTC), at that moment."""
    params = {"top": top, "as_of": as_of}
    prepare(con, sections, params)
    return {section: run_section(con, section, params) for section in sections}
