"""`registry query`: run an analyst's SQL, refusing anything that would write or touch files."""

from __future__ import annotations

import json
import re

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


# Types Polars cannot hold as they are (an INTERVAL fails to import, a UHUGEINT comes back as -1,
# a TIME WITH TIME ZONE loses its offset): such a column comes back as DuckDB's text for it, lossless.
AS_TEXT = re.compile(r"\b(INTERVAL|UHUGEINT|TIME WITH TIME ZONE|BIT|BIGNUM|VARINT|UNION)\b")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_polars(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """A relation as a DataFrame, the columns Polars cannot hold (AS_TEXT) cast to text."""
    types = [str(kind) for kind in relation.types]
    if not any(AS_TEXT.search(kind) for kind in types):
        return relation.pl()
    # By position (#n): a result may name two columns alike (`SELECT 1 AS a, 2 AS a`).
    columns = [
        f"CAST(#{n} AS VARCHAR) AS {quote_identifier(name)}"
        if AS_TEXT.search(kind)
        else f"#{n} AS {quote_identifier(name)}"
        for n, (name, kind) in enumerate(zip(relation.columns, types, strict=True), start=1)
    ]
    return relation.project(", ".join(columns)).pl()


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    """Run one read-only statement; the connection itself must be read-only and sandboxed."""
    check_read_only(con, sql)
    try:
        return to_polars(con.sql(sql))
    except duckdb.PermissionException as error:
        raise QueryRefused(f"registry query may not touch files or settings: {error}") from None
    except duckdb.Error as error:
        raise QueryFailed(str(error)) from None


def split_predicate(predicate: pl.Expr | None) -> tuple[duckdb.Expression | None, pl.Expr | None]:
    """A Polars filter as DuckDB runs it (read only the matching rows), else as Polars must apply it.

    DuckDB's own Polars source (duckdb.polars_io, of the pinned duckdb) does the translation and drops
    the "dynamic predicates" Polars adds above a sort + head, which DataFrame.filter cannot apply."""
    if predicate is None:
        return None, None
    from duckdb import polars_io

    try:
        serialized = predicate.meta.serialize(format="json")
    except Exception:  # a Python function in the filter (its pickling needs cloudpickle): Polars applies it
        return None, predicate
    tree, had_dynamic = polars_io._strip_dynamic_predicates(json.loads(serialized))
    if tree is None:
        return None, None
    in_duckdb = polars_io._tree_to_sql_expression(tree)
    if in_duckdb is not None:
        return in_duckdb, None
    return None, polars_io._expression_from_tree(tree) if had_dynamic else predicate
