"""Which tables and views the warehouse holds: what `Registry.lazy` reads and `registry export` writes."""

from pathlib import Path

import duckdb

from warehouse.streams import VIEW_OF_STORED

RELATIONS_SQL = Path(__file__).parent / "relations.sql"


def analyst_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Not the tables models, datasets and Spaces are stored in: analysts read their views (with card_data)."""
    return [name for (name,) in con.execute(RELATIONS_SQL.read_text()).fetchall() if name not in VIEW_OF_STORED]
