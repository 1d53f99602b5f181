"""`registry compact`: the warehouse rewritten into a new file, then put in place of the old one.

A warehouse created before DuckDB 1.5's storage format was adopted (00b92bb) keeps raw and cardData
uncompressed, and DuckDB cannot change a column's compression in place; no file gives back the space
of rows deleted or rewritten either. The new file is created as a new warehouse is (the migrations:
storage format, ZSTD columns), every table's rows copied into it and checked against the old, each
sequence carried on from where it stood. Only then does one rename put it in place: a compaction
killed at any moment leaves the old warehouse as it was (the next one starts its file again).
Not copied: the kept `registry stats` report (schema `report`), computed again by the next stats.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .connect import READER_PATIENCE_SECONDS, connect_with_patience, open_writer, writer_attach_options
from .durable import fsync_directory
from .errors import WarehouseError, WarehouseMissing
from .lock import CrawlLock
from .migrations import migrate

NEW_NAME = "registry_compaction"  # the new file, as attached beside the warehouse (not a warehouse stem)


class CompactionFailed(WarehouseError):
    """The copy did not come out whole: the warehouse was left as it was."""


@dataclass(frozen=True)
class Compacted:
    bytes_before: int
    bytes_after: int
    storage_before: str
    storage_after: str
    rows: int  # copied, over every table
    kept_old: Path | None  # the old file, when asked to keep it


def compact(db_path: Path, keep_old: bool = False, patience: float = READER_PATIENCE_SECONDS) -> Compacted:
    """Rewrite the warehouse at `db_path` (no crawl or publish may run meanwhile: their lock is held)."""
    if not db_path.exists():
        raise WarehouseMissing(f"no warehouse at {db_path}: nothing to compact")
    new_path = db_path.with_name(db_path.name + ".compacting")
    with CrawlLock(db_path, holder="compaction"):
        _remove(new_path)  # what a compaction killed before its rename left
        try:
            return _compact_locked(db_path, new_path, keep_old, patience)
        except duckdb.Error as error:  # a full disk, say: the new file is dropped, the old one untouched
            _remove(new_path)
            raise CompactionFailed(
                f"compacting {db_path} failed ({str(error).splitlines()[0][:200]}): the warehouse is unchanged"
            ) from error


def _compact_locked(db_path: Path, new_path: Path, keep_old: bool, patience: float) -> Compacted:
    bytes_before = db_path.stat().st_size
    con = open_writer(db_path, patience)  # migrated first: both files then have one schema
    try:
        old = con.execute("SELECT current_database()").fetchone()[0]
        storage_before = _storage_version(con, old)
        quoted = str(new_path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {NEW_NAME} ({writer_attach_options(new_path)})")
        rows = _fill(con, old)
        storage_after = _storage_version(con, NEW_NAME)
        con.execute(f"CHECKPOINT {NEW_NAME}")
        con.execute(f"USE {_quoted(old)}")
        con.execute(f"DETACH {NEW_NAME}")
    finally:
        con.close()  # checkpoints the old file
    _check_no_wal(db_path, new_path)
    kept_old = _put_in_place(db_path, new_path, keep_old)
    return Compacted(bytes_before, db_path.stat().st_size, storage_before, storage_after, rows, kept_old)


def keeps_raw_uncompressed(db_path: Path) -> bool:
    """The warehouse is in DuckDB 1.0's storage format, where raw and cardData stay uncompressed:
    what `registry compact` changes (a crawl's summary says so)."""
    con = connect_with_patience(db_path, READER_PATIENCE_SECONDS, read_only=True)
    try:
        return _storage_version(con, con.execute("SELECT current_database()").fetchone()[0]).startswith("v1.0")
    finally:
        con.close()


def _fill(con: duckdb.DuckDBPyConnection, old: str) -> int:
    """The new file as a new warehouse, then every table of the old one's rows; the rows copied."""
    con.execute(f"USE {NEW_NAME}")
    migrate(con)  # tables with their compression, views, macros, sequences
    rows = 0
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name",
        [old],
    ).fetchall():
        rows += _copy_table(con, old, table)
    _carry_sequences(con, old)
    return rows


def _copy_table(con: duckdb.DuckDBPyConnection, old: str, table: str) -> int:
    """One table's rows, replacing what the migrations put there (schema_migrations, license_map),
    checked: as many rows, and the same hash over all of them, column by column."""
    source, target = f"{_quoted(old)}.main.{_quoted(table)}", f"{NEW_NAME}.main.{_quoted(table)}"
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND table_name = ?",
        [NEW_NAME, table],
    ).fetchone()[0]
    if exists:
        con.execute(f"DELETE FROM {target}")
        con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM {source}")
    else:  # a table no migration makes (an operator's own): copied as it is
        con.execute(f"CREATE TABLE {target} AS SELECT * FROM {source}")
    columns = [
        name
        for (name,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
            "AND table_name = ? ORDER BY column_index",
            [old, table],
        ).fetchall()
    ]
    digest = f"count(*), sum(hash(row({', '.join(_quoted(name) for name in columns)})))::HUGEINT"
    before = con.execute(f"SELECT {digest} FROM {source}").fetchone()
    after = con.execute(f"SELECT {digest} FROM {target}").fetchone()
    if before != after:
        raise CompactionFailed(f"table {table} did not copy whole ({before[0]} rows, {after[0]} copied): the "
                               "warehouse is unchanged")  # fmt: skip
    return before[0]


def _carry_sequences(con: duckdb.DuckDBPyConnection, old: str) -> None:
    """Each sequence of the new file drawn up to where the old one's stands, so that keys, run ids and
    change numbers go on without reuse (DuckDB cannot restart a sequence others' defaults use)."""
    for name, last in con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = ? AND schema_name = 'main' "
        "AND last_value IS NOT NULL",
        [old],
    ).fetchall():
        con.execute(f"SELECT max(nextval('{NEW_NAME}.main.{name}')) FROM range(?)", [last])


def _check_no_wal(*paths: Path) -> None:
    """A write-ahead log belongs to its file's name: one left beside either file now would be replayed
    into the wrong file after the rename, or lost."""
    for path in paths:
        if path.with_name(path.name + ".wal").exists():
            raise CompactionFailed(f"{path} still has a write-ahead log after its checkpoint: the warehouse is "
                                   "unchanged; run `registry compact` again")  # fmt: skip


def _put_in_place(db_path: Path, new_path: Path, keep_old: bool) -> Path | None:
    """One rename puts the new file where the warehouse is; the old one, when kept, stays under a
    second name (a hard link made first, so the warehouse's own name is never without a file)."""
    kept = db_path.with_name(db_path.name + ".before-compact") if keep_old else None
    if kept is not None:
        _remove(kept)
        os.link(db_path, kept)
    os.replace(new_path, db_path)
    fsync_directory(db_path.parent)
    return kept


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _storage_version(con: duckdb.DuckDBPyConnection, database: str) -> str:
    (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = ?", [database]).fetchone()
    return tags.get("storage_version", "?")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
