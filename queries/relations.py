"""Which tables and views the warehouse holds: what `Registry.lazy` reads and `registry export` writes."""

from pathlib import Path

import duckdb

RELATIONS_SQL = Path(__file__).parent / "relations.sql"


def analyst_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(RELATIONS_SQL.read_text()).fetchall()]
