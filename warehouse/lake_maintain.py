"""`registry lake-maintain`: the lake's housekeeping, a step of its own after publishing.

Compaction and expiry each make DuckLake snapshots of their own, which is why `registry publish`
never does them: a publish adds exactly one snapshot. Day-by-day history lives in the tables;
snapshots are for recent time travel, so those older than the retention are expired, except the
latest publishes (a lake not published for a while keeps its last nights all the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from .lake_connect import LAKE, LakeSettings, attach_lake, classify, never_published, new_connection
from .lake_tables import appended_tables, table_names
from .sqlfiles import sql

KEEP_PUBLISHES = 7  # the latest publishes' snapshots are never expired, however old
# A file not in the catalog may belong to a publish still running (its transaction has not
# committed): only files unreferenced for this long are orphans.
ORPHAN_AGE = timedelta(days=1)


@dataclass
class Maintained:
    files_merged: int
    snapshots_expired: int
    files_deleted: int
    rows_pruned: int = 0  # superseded metadata rows deleted


def _expirable(con: duckdb.DuckDBPyConnection, cutoff: datetime) -> list[int]:
    rows = con.execute(
        f"""
        WITH snapshots AS (SELECT * FROM {LAKE}.snapshots()),
        kept AS (
            SELECT snapshot_id FROM snapshots WHERE commit_message LIKE 'publish %'
            ORDER BY snapshot_id DESC LIMIT {KEEP_PUBLISHES}
        )
        SELECT snapshot_id FROM snapshots
        WHERE snapshot_time < ?::TIMESTAMPTZ
          AND snapshot_id NOT IN (SELECT snapshot_id FROM kept)
          AND snapshot_id < (SELECT max(snapshot_id) FROM snapshots)
        ORDER BY snapshot_id
        """,
        [cutoff.replace(tzinfo=UTC)],
    ).fetchall()
    return [snapshot_id for (snapshot_id,) in rows]


def _count(con: duckdb.DuckDBPyConnection, statement: str, params=None) -> int:
    return len(con.execute(statement, params or []).fetchall())


def prune_superseded(con: duckdb.DuckDBPyConnection) -> int:
    """Delete the metadata rows that later publishes superseded: the rows deleted."""
    pruned, lake_tables = 0, table_names(con, LAKE)
    for metadata, state, key, changes in appended_tables():
        if {metadata, state} <= lake_tables:
            text = sql("lake/prune_superseded").format(
                metadata=f'{LAKE}.main."{metadata}"', state=f'{LAKE}.main."{state}"', key=key, changes=changes
            )
            (deleted,) = con.execute(text).fetchone()
            pruned += deleted
    return pruned


def maintain(lake: LakeSettings, retention: timedelta, now: datetime, orphan_age: timedelta = ORPHAN_AGE):
    """Delete superseded metadata rows, compact, expire snapshots older than `retention` (but the
    latest publishes), delete files no snapshot needs any more and orphans older than `orphan_age`."""
    con = new_connection()
    con.execute("SET TimeZone = 'UTC'")
    try:
        attach_lake(con, lake, read_only=False)
        published = f"SELECT 1 FROM duckdb_tables() WHERE database_name = '{LAKE}' AND table_name = 'lake_publishes'"
        if not con.execute(published).fetchall():
            raise never_published(lake)
        try:
            pruned = prune_superseded(con)
            # Small publishes are kept in the catalog (DuckLake's data inlining): move them to Parquet.
            con.execute(f"CALL ducklake_flush_inlined_data('{LAKE}')")
            merged = _count(con, f"CALL ducklake_merge_adjacent_files('{LAKE}')")
            expired = _expirable(con, now - retention)
            if expired:
                con.execute(f"CALL ducklake_expire_snapshots('{LAKE}', versions => ?)", [expired])
            deleted = _count(con, f"CALL ducklake_cleanup_old_files('{LAKE}', cleanup_all => true)")
            deleted += _count(
                con,
                f"CALL ducklake_delete_orphaned_files('{LAKE}', older_than => ?::TIMESTAMPTZ)",
                [(now - orphan_age).replace(tzinfo=UTC)],
            )
        except duckdb.Error as error:
            raise classify(error, lake, "during housekeeping") from None
    finally:
        con.close()
    return Maintained(merged, len(expired), deleted, pruned)
