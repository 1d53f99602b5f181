"""The lake's views and macros: the warehouse's own (models_enriched, models_as_of, size_bucket, ...)
and the views over tables published in parts, recreated when they changed, so that analysts' SQL and
`registry stats` run on the lake unchanged."""

from __future__ import annotations

import hashlib
import re

import duckdb

from .lake_connect import LAKE
from .lake_tables import view_sql


def in_dependency_order(definitions: dict[str, str]) -> list[str]:
    """Names ordered so that each comes after those its definition mentions (a macro or view that
    reads another is bound when created, and a failed statement would abort the publish)."""
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered or name in path:
            return
        for other in definitions:
            if other != name and re.search(rf"\b{re.escape(other)}\b", definitions[name]):
                visit(other, (*path, name))
        ordered.append(name)

    for name in sorted(definitions):
        visit(name, ())
    return ordered


def warehouse_definitions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """CREATE OR REPLACE statements for the warehouse's macros and views, by name."""
    definitions = {}
    for name, kind, parameters, body in con.execute(
        "SELECT function_name, function_type, parameters, macro_definition FROM duckdb_functions() "
        "WHERE database_name = 'wh' AND function_type IN ('macro', 'table_macro')"
    ).fetchall():
        table = "TABLE " if kind == "table_macro" else ""
        definitions[name] = f'CREATE OR REPLACE MACRO "{name}"({", ".join(parameters)}) AS {table}{body}'
    for name, text in con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE database_name = 'wh' AND NOT internal"
    ).fetchall():
        definitions[name] = text.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1)
    return definitions


def last_published(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute(f"SELECT definitions_md5 FROM {LAKE}.lake_publishes ORDER BY publish_id DESC LIMIT 1").fetchall()
    return rows[0][0] if rows else None


def sync_definitions(con: duckdb.DuckDBPyConnection, tables: list[str]) -> str:
    """Recreate the lake's views and macros when their definitions changed since the last publish
    (each recreation is catalog churn in every snapshot); their digest, to record with the publish."""
    definitions = warehouse_definitions(con)
    definitions |= {table: text for table in tables if (text := view_sql(con, table))}
    digest = hashlib.md5(repr(sorted(definitions.items())).encode()).hexdigest()
    if digest == last_published(con):
        return digest
    con.execute(f"USE {LAKE}")  # the definitions name tables unqualified: the lake's
    try:
        for name in in_dependency_order(definitions):
            con.execute(definitions[name])
    finally:
        con.execute("USE memory")
    return digest
