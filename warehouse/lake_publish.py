"""`registry publish`: bring a DuckLake up to date with the warehouse, in one transaction.

One publish is one DuckLake snapshot: readers see the lake as of the last publish or the next, never
half of one. A publish killed at any moment leaves the previous snapshot (DuckLake commits in its
catalog at COMMIT only; the Parquet files a killed publish wrote are orphans, removed by
housekeeping); the next publish writes what differs, so it completes the work with no row twice.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .connect import READER_PATIENCE_SECONDS, configure
from .errors import CrawlAlreadyRunning, LakeError, LakeRefused, WarehouseBusy, WarehouseMissing
from .lake_connect import LAKE, LakeSettings, attach_lake, classify, new_connection
from .lake_report import CurrentReport, sync_report
from .lake_sync import Synced, drop_stale, read_marks, sync, write_marks
from .lake_tables import parts_of, warehouse_tables
from .lake_views import sync_definitions
from .lock import CrawlLock
from .sqlfiles import execute_script, sql

LAKE_FORMAT = 4  # the layout of the lake's tables; a lake of a newer one is refused, not half-written
# 2: datasets and spaces split as models is, lake_marks (an older lake is brought to it by a publish)
# 3: lake_fingerprints, which an older registry would leave stale
# 4: *_metadata and *_versions_recorded appended to (an older registry would leave superseded rows
#    behind, and delete versions by key from a view)
COMMIT_AUTHOR = "registry publish"
log = logging.getLogger("registry.lake")


@dataclass
class PublishReport:
    publish_id: int
    snapshot_id: int
    tables: list[Synced]
    seconds: float

    @property
    def changed(self) -> list[str]:
        return [synced.target for synced in self.tables if synced.changed]


def attach_warehouse(con: duckdb.DuckDBPyConnection, db_path: Path, patience: float) -> None:
    """Attach the warehouse read-only as `wh`, waiting while a crawl merges (it holds the file then)."""
    if not db_path.exists():
        raise WarehouseMissing(f"no warehouse at {db_path}: run `registry crawl` first, or point --db at one")
    deadline, delay = time.monotonic() + patience, 0.05
    quoted = str(db_path).replace("'", "''")
    while True:
        try:
            con.execute(f"ATTACH '{quoted}' AS wh (READ_ONLY)")
            return
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise WarehouseBusy(f"the warehouse {db_path} is locked by another process; try again") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def warehouse_identity(con: duckdb.DuckDBPyConnection) -> dict:
    cursor = con.execute(sql("lake/warehouse_identity"))
    row = cursor.fetchone()
    identity = dict(zip([column[0] for column in cursor.description], row, strict=True))
    if identity["warehouse_id"] is None:
        raise LakeRefused("the warehouse has no crawl yet: run `registry crawl` before `registry publish`")
    return identity


def check_identity(con: duckdb.DuckDBPyConnection, identity: dict, now: datetime) -> None:
    """Claim a new lake for this warehouse, or refuse one that another warehouse or endpoint fills."""
    rows = con.execute(f"SELECT warehouse_id, endpoint, lake_format FROM {LAKE}.lake_identity").fetchall()
    if not rows:
        con.execute(
            f"INSERT INTO {LAKE}.lake_identity VALUES (?, ?, ?, ?)",
            [identity["warehouse_id"], identity["endpoint"], LAKE_FORMAT, now],
        )
        return
    warehouse_id, endpoint, lake_format = rows[0]
    if lake_format > LAKE_FORMAT:
        raise LakeRefused(f"this lake was written by a newer registry (lake format {lake_format}); upgrade first")
    if lake_format < LAKE_FORMAT:  # this publish brings it to the current layout, in its snapshot
        con.execute(f"UPDATE {LAKE}.lake_identity SET lake_format = ?", [LAKE_FORMAT])
    if endpoint != identity["endpoint"]:
        raise LakeRefused(f"this lake holds the Hub {endpoint}, not {identity['endpoint']}: publish to another lake")
    if warehouse_id != identity["warehouse_id"]:
        raise LakeRefused(
            "this lake is published from another warehouse (another first crawl): one warehouse publishes "
            "to one lake; publish to another lake, or from the warehouse that created this one"
        )


def record_publish(con, identity: dict, synced: list[Synced], definitions: str, started: float, now) -> int:
    (publish_id,) = con.execute(f"SELECT coalesce(max(publish_id), 0) + 1 FROM {LAKE}.lake_publishes").fetchone()
    (through,) = con.execute("SELECT max(day) FROM wh.main.counter_days WHERE repo_type = 'models'").fetchone()
    con.execute(
        f"INSERT INTO {LAKE}.lake_publishes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            publish_id,
            now,
            identity["last_crawl_run"],
            identity["last_crawl_finished"],
            through,
            [s.target for s in synced if s.changed],
            sum(s.written for s in synced),
            sum(s.deleted for s in synced),
            time.perf_counter() - started,
            definitions,
        ],
    )
    con.execute(f"CALL {LAKE}.set_commit_message(?, ?)", [COMMIT_AUTHOR, f"publish {publish_id}"])
    return publish_id


def publish_all(
    con: duckdb.DuckDBPyConnection, now: datetime, current_report: CurrentReport | None = None
) -> tuple[int, list[Synced]]:
    """Everything a publish writes, inside the caller's transaction; with `current_report`, the kept
    `registry stats` report too (warehouse/lake_report.py)."""
    started = time.perf_counter()
    identity = warehouse_identity(con)
    execute_script(con, sql("lake/lake_schema"), {})
    check_identity(con, identity, now)
    tables = warehouse_tables(con)
    parts = [part for table in tables for part in parts_of(con, table)]
    marks = read_marks(con)
    synced = [sync(con, part, marks) for part in parts]
    write_marks(con, marks, tables)
    drop_stale(con, parts)
    tables_done = time.perf_counter()
    synced.append(sync_report(con, current_report))
    report_done = time.perf_counter()
    definitions = sync_definitions(con, tables)
    log.debug("tables %.2f s (identity, marks, schema %.2f s), report %.2f s, views %.2f s",
              tables_done - started, tables_done - started - sum(s.seconds for s in synced[:-1]),
              report_done - tables_done, time.perf_counter() - report_done)  # fmt: skip
    return record_publish(con, identity, synced, definitions, started, now), synced


def publish(
    db_path: Path,
    lake: LakeSettings,
    now: datetime,
    patience: float = READER_PATIENCE_SECONDS,
    current_report: CurrentReport | None = None,
):
    """Publish the warehouse at `db_path` into the lake: one transaction, one snapshot. Under the
    crawl lock: a crawl in progress would be published half-way, and waits for no publish."""
    try:
        with CrawlLock(db_path, holder="publish"):
            return _publish(db_path, lake, now, patience, current_report)
    except CrawlAlreadyRunning:
        raise WarehouseBusy(
            f"a crawl (or another publish) is running on {db_path}: publish once it has finished "
            "(`registry schedule` publishes after each crawl)"
        ) from None


def _publish(db_path: Path, lake: LakeSettings, now: datetime, patience: float, current_report) -> PublishReport:
    started = time.perf_counter()
    con = configure(new_connection())
    try:
        attach_warehouse(con, db_path, patience)
        attach_lake(con, lake, read_only=False)
        log.debug("attached in %.2f s", time.perf_counter() - started)
        try:
            con.execute("BEGIN TRANSACTION")
            publish_id, synced = publish_all(con, now, current_report)
            committing = time.perf_counter()
            con.execute("COMMIT")
            log.debug("committed in %.2f s", time.perf_counter() - committing)
        except duckdb.Error as error:
            raise classify(error, lake, "publishing (the lake is unchanged; rerun to publish)") from None
        (snapshot_id,) = con.execute(f"SELECT id FROM {LAKE}.current_snapshot()").fetchone()
    finally:
        con.close()
    report = PublishReport(publish_id, snapshot_id, synced, time.perf_counter() - started)
    log.debug("published snapshot %d (publish %d): %s", snapshot_id, publish_id, ", ".join(report.changed) or "-")
    return report


def publish_and_log(db_path: Path, lake: LakeSettings, clock=None, current_report=None) -> PublishReport:
    """Publish, and log the outcome in the warehouse's publish_runs (a failure too, then raised)."""
    from .lake_runs import record_publish_run

    clock = clock or _utc_now
    started = clock()
    try:
        report = publish(db_path, lake, started, current_report=current_report)
    except LakeError as error:
        record_publish_run(db_path, lake, (started, clock()), None, None, str(error))
        raise
    record_publish_run(db_path, lake, (started, clock()), report.snapshot_id, report.changed, None)
    return report


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


__all__ = ["LakeError", "PublishReport", "publish", "publish_and_log"]
