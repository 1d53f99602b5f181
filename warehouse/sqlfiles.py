"""SQL lives in .sql files beside this module; this reads them once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb

from .streams import Stream

SQL_DIR = Path(__file__).parent / "sql"


@cache
def sql(name: str, stream: Stream | None = None) -> str:
    """The text of warehouse/sql/<name>.sql, a line `-- include: <other>` replaced by that file's text.

    With a stream, the names its generic SQL is written with (`{table}`, `{key}`, `{repo_type}`, ...:
    Stream.names()) are filled in, includes' names too (`-- include: typed_{repo_type}`).
    """
    text = (SQL_DIR / f"{name}.sql").read_text()
    if stream is not None:
        names = stream.names()
        text = re.sub(r"\{(\w+)\}", lambda match: names.get(match.group(1), match.group(0)), text)
    return re.sub(r"^-- include: (\w+)$", lambda match: sql(match.group(1), stream), text, flags=re.MULTILINE)


def execute_script(con: duckdb.DuckDBPyConnection, text: str, params: dict) -> None:
    """Run each statement of a SQL script with the parameters it names (DuckDB binds only single statements)."""
    for statement in con.extract_statements(text):
        wanted = statement.named_parameters
        con.execute(statement, {name: value for name, value in params.items() if name in wanted})
