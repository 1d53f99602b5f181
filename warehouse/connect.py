"""Open the warehouse file: writers migrate it, readers retry briefly while a writer holds it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .errors import WarehouseBusy, WarehouseMissing
from .migrations import migrate
from .reference import sync_license_map

# DuckDB refuses every other process while one holds the file for writing; the crawler's write
# windows are short, so a reader waits this long before giving up.
READER_PATIENCE_SECONDS = 30.0


# DuckDB's buffer pool defaults to 80 % of RAM and keeps what it read: a crawl would grow to
# gigabytes. A cap keeps memory flat; DuckDB spills to disk beyond it. The crawl's peak RSS is about
# the cap + 200 MB: 160 MB gave 354 MB at 2.5M models and 381-382 MB at 500k (176 MB: 375 and
# 394-402 MB) for the same CPU, since a chunk's pages are typed in one statement. Lower costs CPU
# (144 MB: +5-9 % at 500k); a merge chunk that runs out of the cap is merged in halves, at
# the cost of the failed attempt (BENCHMARKS.md).
WRITER_MEMORY_LIMIT = os.environ.get("REGISTRY_DUCKDB_MEMORY", "160MB")

# Rows in each row group a writer writes (DuckDB's default: 122,880). A transaction that appends at
# least a row group's rows to a table writes them compressed straight into the file as they come,
# logging only where they are; one that appends fewer logs every row into the WAL, uncompressed, and
# the checkpoint writes them again. A merge chunk (30 pages: ~29,000 public records) fills a group of
# 16,384 and most of a second: a 500k-model crawl took 44-51 s of CPU against 58-66 with groups of
# 30,720 (each chunk then below one), peak RSS -25 MB, file +11 % (BENCHMARKS.md, 2026-12-03).
# Compressing a group analyses its whole columns (FSST, dictionary): ~45 MB above the memory cap for
# 30,720 of the Hub's wide records, ~210 MB for 125,000 (2026-12-02, fifth session). Row groups
# already written keep their size; readers take any size.
WRITER_ROW_GROUP_ROWS = 16_384

# The storage format a new warehouse is created in: DuckDB 1.5's, which can keep raw and cardData
# compressed with ZSTD (migrations 001 and 011). An existing file keeps the format it was created in
# (DuckDB 1.x's default, v1.0.0: those columns stay uncompressed there).
NEW_WAREHOUSE_STORAGE_VERSION = "v1.5.0"

# Readers (stats, report, query) answer and exit, so they may use more: at 2.5M models and a year of
# history, the lineage recursion and the 7-day window spilled past 256 MB (top_base_models 5.0 s
# there, 1.7 s with 1 GB; BENCHMARKS.md).
READER_MEMORY_LIMIT = os.environ.get("REGISTRY_READER_MEMORY", "1GB")

# The crawler's connections run one DuckDB thread: its other thread fetches pages, and on a small
# machine a second DuckDB thread only competes with it (one page is too small to split): measured,
# CPU per million records fell by a quarter and peak RSS by 160 MB (BENCHMARKS.md). Readers use all cores.
WRITER_THREADS = 1


def configure(con: duckdb.DuckDBPyConnection, writer: bool = False) -> duckdb.DuckDBPyConnection:
    """Settings every connection of ours shares; a crawler's (`writer`) runs one DuckDB thread, in less memory."""
    con.execute("SET TimeZone = 'UTC'")  # every TIMESTAMP in the warehouse is UTC
    if writer:
        con.execute(f"SET threads = {WRITER_THREADS}")
        # DuckDB's allocator keeps up to 128 MB a thread has freed before giving it back; the crawl's
        # threads each had their turn at the warehouse. 32 MB: peak RSS -5 MB at 200k, no CPU seen.
        con.execute("SET allocator_flush_threshold = '32MB'")
    con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT if writer else READER_MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")  # lets large inserts and merges stream
    con.execute("SET enable_progress_bar = false")  # DuckDB would draw on our stdout
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN, then COMMIT; ROLLBACK if the body raises. A COMMIT that fails has rolled back already,
    so its error is the one raised (a ROLLBACK after it would fail and hide it)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _is_lock_error(error: duckdb.Error) -> bool:
    return "lock" in str(error).lower()


def connect_with_patience(path: Path, patience: float, **kwargs) -> duckdb.DuckDBPyConnection:
    return _with_patience(path, patience, lambda: duckdb.connect(str(path), **kwargs))


def writer_attach_options(path: Path) -> str:
    """ATTACH options of a writer: its row groups, and for a file not there yet, the storage format."""
    options = f"ROW_GROUP_SIZE {WRITER_ROW_GROUP_ROWS}"
    if not path.exists():
        options += f", STORAGE_VERSION '{NEW_WAREHOUSE_STORAGE_VERSION}'"
    return options


def connect_writer_with_patience(path: Path, patience: float, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """The warehouse opened for writing, its new row groups WRITER_ROW_GROUP_ROWS long: attached
    under its file's stem (as a plain connect() names it; `<stem>_db` where DuckDB holds the stem)
    and made the default database."""
    quoted = str(path).replace("'", "''")
    # The file's stem, as duckdb.connect(path) names it, but not a name DuckDB holds already.
    name = path.stem + "_db" if path.stem in ("memory", "temp", "system") else path.stem
    name = name.replace('"', '""')

    def attach() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config=config or {})
        try:
            # An in-memory default database spills to ./.tmp; the warehouse's own place is beside it.
            con.execute(f"SET temp_directory = '{quoted}.tmp'")
            con.execute(f"""ATTACH '{quoted}' AS "{name}" ({writer_attach_options(path)})""")
            con.execute(f'USE "{name}"')
        except BaseException:
            con.close()
            raise
        return con

    return _with_patience(path, patience, attach)


def _with_patience(
    path: Path, patience: float, connect: Callable[[], duckdb.DuckDBPyConnection]
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + patience
    delay = 0.05
    while True:
        try:
            return connect()
        except duckdb.IOException as error:
            if not _is_lock_error(error):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is still locked by another process after {patience:g} s (a crawl "
                    "merging its pages, a publish, or a long read such as `registry export`); try again when "
                    "it is done"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def open_writer(path: Path, patience: float = READER_PATIENCE_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the warehouse for writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = configure(connect_writer_with_patience(path, patience), writer=True)
    migrate(con)
    sync_license_map(con)
    return con


def open_reader(
    path: Path, patience: float = READER_PATIENCE_SECONDS, sandboxed: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only; `sandboxed` also forbids touching any other file."""
    if not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}: run `registry crawl` first, or point --db / REGISTRY_DB at one"
        )
    config = {"enable_external_access": False} if sandboxed else {}
    con = configure(connect_with_patience(path, patience, read_only=True, config=config))
    if sandboxed:
        con.execute("SET lock_configuration = true")  # so a query cannot turn file access back on
    return con
