"""Which tables and views the warehouse holds: what `Registry.lazy` reads and `registry export` writes."""

from pathlib import Path

import duckdb

from warehouse.streams import STREAMS

RELATIONS_SQL = Path(__file__).parent / "relations.sql"
# Where models, datasets and Spaces are kept: analysts read them through their views, which add
# card_data (migration 018).
STORED_TABLES = {stream.stored for stream in STREAMS.values()}


def analyst_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(RELATIONS_SQL.read_text()).fetchall() if name not in STORED_TABLES]
