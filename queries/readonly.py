"""`registry query`: run an analyst's SQL, refusing anything that would write or touch files."""

from __future__ import annotations

import duckdb
import polars as pl

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class QueryRefused(Exception):
    pass


class QueryFailed(Exception):
    pass


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but one SELECT/EXPLAIN statement, before it runs."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryFailed(f"the SQL does not parse: {error}") from None
    if len(statements) != 1:
        raise QueryRefused(f"registry query runs exactly one statement; got {len(statements)}")
    kind = statements[0].type
    if kind not in ALLOWED:
        raise QueryRefused(
            f"registry query is read-only: {kind.name} statements are refused "
            "(only SELECT, including SHOW/DESCRIBE/SUMMARIZE, and EXPLAIN run)"
        )


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    """Run one read-only statement; the connection itself must be read-only and sandboxed."""
    check_read_only(con, sql)
    try:
        return con.execute(sql).pl()
    except duckdb.PermissionException as error:
        raise QueryRefused(f"registry query may not touch files or settings: {error}") from None
    except duckdb.Error as error:
        raise QueryFailed(str(error)) from None
