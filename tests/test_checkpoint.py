"""A merge's checkpoint that fails (at 2.5M models it ran out of the writer's memory cap) loses
nothing: the file is opened again with more memory and checkpointed. The failure is DuckDB's own,
through its checkpoint-abort setting: the failing checkpoint of a large warehouse needs many GB."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from warehouse.connect import open_writer
from warehouse.merge import _checkpoint


def test_a_failed_checkpoint_is_made_again_and_loses_no_committed_row(tmp_path):
    db = tmp_path / "registry.duckdb"
    con = open_writer(db, patience=1.0)  # migrated, and checkpointed: the WAL holds what follows only
    # As a merge's, the COMMIT does not checkpoint: the WAL alone knows the table (its rows, or, for
    # a row group's worth and more, where the INSERT wrote them in the file).
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("CREATE TABLE merged AS SELECT range AS n FROM range(100000)")
    con.execute("SET debug_checkpoint_abort = 'before_header'")  # the checkpoint fails fatally
    wal = db.with_name(db.name + ".wal")
    assert wal.stat().st_size > 0

    _checkpoint(con, db, patience=1.0)

    assert not wal.exists()  # checkpointed into the file
    reader = duckdb.connect(str(db), read_only=True)
    try:
        assert reader.execute("SELECT count(*), sum(n) FROM merged").fetchone() == (100000, sum(range(100000)))
    finally:
        reader.close()


def test_a_process_killed_once_the_warehouse_is_migrated_leaves_one_that_opens(tmp_path):
    db = tmp_path / "registry.duckdb"
    killed = (
        "import os; from pathlib import Path; from warehouse.connect import open_writer; "
        f"con = open_writer(Path({str(db)!r}), 1.0); os._exit(9)"  # killed with the connection open
    )
    assert subprocess.run([sys.executable, "-c", killed]).returncode == 9
    writer = duckdb.connect(str(db))  # as the next crawl opens it
    try:
        assert writer.execute("SELECT count(*) > 10 FROM schema_migrations").fetchone() == (True,)
    finally:
        writer.close()
