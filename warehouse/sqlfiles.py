"""SQL lives in .sql files beside this module; this reads them once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb

from .streams import STREAMS, Stream

SQL_DIR = Path(__file__).parent / "sql"
INCLUDE = re.compile(r"^-- include: (\w+)(?: for (\w+))?$", flags=re.MULTILINE)


@cache
def sql(name: str, stream: Stream | None = None) -> str:
    """The text of warehouse/sql/<name>.sql, a line `-- include: <other>` replaced by that file's text.

    With a stream, the names its generic SQL is written with (`{table}`, `{key}`, `{repo_type}`, ...:
    Stream.names()) are filled in, includes' names too (`-- include: typed_{repo_type}`); a line
    `-- include: <other> for <kind>` fills in that kind's names instead.
    """
    text = (SQL_DIR / f"{name}.sql").read_text()
    if stream is not None:
        names = stream.names()
        text = re.sub(r"\{(\w+)\}", lambda match: names.get(match.group(1), match.group(0)), text)
    return INCLUDE.sub(lambda match: _included(match, stream), text)


def _included(match: re.Match, stream: Stream | None) -> str:
    """`-- include: <name>` with the including text's stream; `-- include: <name> for <kind>` with
    that kind's (a migration that creates the same object for each kind)."""
    name, kind = match.groups()
    return sql(name, STREAMS[kind] if kind else stream)


def execute_script(con: duckdb.DuckDBPyConnection, text: str, params: dict) -> None:
    """Run each statement of a SQL script with the parameters it names (DuckDB binds only single statements)."""
    for statement in con.extract_statements(text):
        wanted = statement.named_parameters
        con.execute(statement, {name: value for name, value in params.items() if name in wanted})
