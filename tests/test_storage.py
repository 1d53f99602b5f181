"""How the warehouse file stores what it holds: a new warehouse keeps raw compressed (ZSTD, DuckDB's
1.5 storage format) and gives it back byte for byte; cardData is kept once, in raw, and card_data is
computed from it when read; an existing file keeps the format it was created in and goes on working."""

from __future__ import annotations

import json

import duckdb
import polars as pl

from warehouse.connect import open_writer
from warehouse.streams import STREAMS

TABLES_WITH_RAW = ("models", "datasets", "spaces")


def _storage_version(con: duckdb.DuckDBPyConnection) -> str:
    (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return tags["storage_version"]


def _insert(con: duckdb.DuckDBPyConnection, table: str, records: list[tuple[str, str, str]]) -> None:
    rows = pl.DataFrame(records, schema=["id", "raw", "card_data"], orient="row")  # noqa: F841 (read by the SQL)
    con.execute(f"INSERT INTO {table}_stored (id, raw, first_seen, last_seen) SELECT id, raw, now(), now() FROM rows")


def _records(n: int) -> list[tuple[str, str, str]]:
    """(id, raw, card_data) of n records shaped like the Hub's: repetitive JSON, one odd character each;
    card_data as DuckDB renders JSON (minified), raw as given."""
    rows = []
    for i in range(n):
        card = {
            "license": "apache-2.0",
            "language": ["en", "fr"],
            "base_model": f"org/base-{i % 7}",
            "x": "é" * (i % 5),
        }
        raw = {
            "_id": f"{i:024x}",
            "id": f"org/model-{i}",
            "tags": ["transformers", "license:apache-2.0"],
            "cardData": card,
        }
        minified = json.dumps(card, ensure_ascii=False, separators=(",", ":"))
        rows.append((f"org/model-{i}", json.dumps(raw, ensure_ascii=False), minified))
    return rows


def test_a_new_warehouse_keeps_raw_compressed_and_whole_and_card_data_once_in_it(tmp_path):
    records = _records(40_000)
    con = open_writer(tmp_path / "registry.duckdb", patience=1.0)
    try:
        assert _storage_version(con).startswith("v1.5.0")
        for table in TABLES_WITH_RAW:
            _insert(con, table, records)
        con.execute("CHECKPOINT")
        for table in TABLES_WITH_RAW:
            stored = con.execute(
                f"SELECT column_name, list(DISTINCT compression ORDER BY compression) "
                f"FROM pragma_storage_info('{table}_stored') WHERE column_name IN ('raw', 'card_data') "
                "AND segment_type <> 'VALIDITY' GROUP BY ALL ORDER BY ALL"  # the data, not its NULL masks
            ).fetchall()
            assert stored == [("raw", ["ZSTD"])], table  # card_data: no storage of its own
            back = con.execute(f"SELECT id, raw::VARCHAR, card_data::VARCHAR FROM {table} ORDER BY id").fetchall()
            assert back == sorted(records), table
    finally:
        con.close()


def test_an_existing_warehouse_keeps_its_storage_format_and_goes_on(tmp_path):
    db = tmp_path / "registry.duckdb"
    older = duckdb.connect(str(db))  # created as DuckDB 1.x creates a file by default, as earlier warehouses were
    older.execute("CREATE TABLE kept AS SELECT 1 AS n")
    older.close()
    records = _records(100)
    con = open_writer(db, patience=1.0)
    try:
        assert _storage_version(con).startswith("v1.0.0")
        _insert(con, "models", records)
        con.execute("CHECKPOINT")
        assert con.execute("SELECT id, raw::VARCHAR, card_data::VARCHAR FROM models ORDER BY id").fetchall() == sorted(
            records
        )
        assert con.execute("SELECT n FROM kept").fetchall() == [(1,)]
    finally:
        con.close()


def test_each_repository_view_gives_every_stored_column_and_card_data(tmp_path):
    """models, datasets and spaces (views since migration 018) list their stored table's columns, in
    its order, with card_data where it was: a column a later migration adds to a *_stored table and
    not to its view would be hidden from analysts."""
    con = open_writer(tmp_path / "registry.duckdb", patience=1.0)
    try:
        for stream in STREAMS.values():
            view, stored = (
                [name for (name,) in con.execute(f"SELECT name FROM pragma_table_info('{table}')").fetchall()]
                for table in (stream.table, stream.stored)
            )
            assert [name for name in view if name != "card_data"] == stored, stream.table
            assert "card_data" in view and "card_data" not in stored, stream.table
    finally:
        con.close()
