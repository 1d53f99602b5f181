"""SQL lives in .sql files beside this module; this reads them once."""

import re
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"


@cache
def sql(name: str) -> str:
    """The text of warehouse/sql/<name>.sql, a line `-- include: <other>` replaced by that file's text."""
    text = (SQL_DIR / f"{name}.sql").read_text()
    return re.sub(r"^-- include: (\w+)$", lambda match: sql(match.group(1)), text, flags=re.MULTILINE)


def execute_script(con: duckdb.DuckDBPyConnection, text: str, params: dict) -> None:
    """Run each statement of a SQL script with the parameters it names (DuckDB binds only single statements)."""
    for statement in con.extract_statements(text):
        wanted = statement.named_parameters
        con.execute(statement, {name: value for name, value in params.items() if name in wanted})
