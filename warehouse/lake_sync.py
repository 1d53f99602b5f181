"""Bring one lake table up to date with the warehouse, writing only what changed.

Each function runs inside the publish's transaction: whatever it writes becomes visible with the
rest of the publish, in one snapshot, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .lake_connect import LAKE
from .lake_tables import Part, columns_of, quoted
from .sqlfiles import execute_script, sql


@dataclass
class Synced:
    target: str
    written: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


def _lake_table(part: Part) -> str:
    return f'{LAKE}.main."{part.target}"'


def _hashes_table(part: Part) -> str:
    return f'{LAKE}.main."_hashes_{part.target}"'


def _count(con: duckdb.DuckDBPyConnection, relation: str, condition: str = "true") -> int:
    return con.execute(f"SELECT count(*) FROM {relation} WHERE {condition}").fetchone()[0]


def ensure_table(con: duckdb.DuckDBPyConnection, part: Part) -> bool:
    """Create the lake table as the warehouse's columns say; recreate it (True: republish it whole)
    when those columns changed, e.g. after a warehouse migration."""
    wanted = [(name, kind) for name, kind in columns_of(con, "wh", part.table) if name in part.columns]
    wanted.sort(key=lambda column: part.columns.index(column[0]))
    existing = columns_of(con, LAKE, part.target)
    if existing == wanted:
        return False
    con.execute(f"DROP TABLE IF EXISTS {_lake_table(part)}")
    con.execute(f"DROP TABLE IF EXISTS {_hashes_table(part)}")
    con.execute(f"CREATE TABLE {_lake_table(part)} AS SELECT {quoted(part.columns)} FROM {part.source} LIMIT 0")
    if part.key:
        key = quoted(part.key)
        hashes = f"SELECT {key}, 0::UBIGINT AS row_hash FROM {part.source} LIMIT 0"
        con.execute(f"CREATE TABLE {_hashes_table(part)} AS {hashes}")
    return bool(existing)


def fingerprint(con: duckdb.DuckDBPyConnection, relation: str, columns, condition: str = "true") -> tuple:
    text = sql("lake/fingerprint").format(columns=quoted(columns), source=relation, condition=condition)
    return con.execute(text).fetchone()


def sync_whole(con: duckdb.DuckDBPyConnection, part: Part) -> Synced:
    """Rewrite the table when its content changed (small tables, and the state every crawl moves)."""
    done = Synced(part.target)
    target = _lake_table(part)
    if fingerprint(con, part.source, part.columns) == fingerprint(con, target, part.columns):
        return done
    done.deleted = _count(con, target)
    con.execute(f"DELETE FROM {target}")
    con.execute(f"INSERT INTO {target} SELECT {quoted(part.columns)} FROM {part.source}")
    done.written = _count(con, target)
    return done


def sync_by_day(con: duckdb.DuckDBPyConnection, part: Part) -> Synced:
    """History written day by day: the lake's latest day is rewritten if a later crawl that day
    changed it, and the days after it are added. Earlier days are never written again: a crawl
    records counters under its own (UTC) day."""
    done = Synced(part.target)
    target, day = _lake_table(part), f'"{part.by_day}"'
    (since,) = con.execute(f"SELECT max({day}) FROM {target}").fetchone()
    if since is not None:
        condition = f"{day} = DATE '{since}'"
        same = fingerprint(con, part.source, part.columns, condition) == fingerprint(
            con, target, part.columns, condition
        )
        if same:
            condition = f"{day} > DATE '{since}'"
        else:
            condition = f"{day} >= DATE '{since}'"
            done.deleted = _count(con, target, condition)
            con.execute(f"DELETE FROM {target} WHERE {condition}")
    else:
        condition = "true"
    done.written = _count(con, part.source, condition)
    if done.written:
        order = quoted([part.by_day, *(name for name in part.columns if name.endswith("_key"))])
        con.execute(
            f"INSERT INTO {target} SELECT {quoted(part.columns)} FROM {part.source} WHERE {condition} ORDER BY {order}"
        )
    return done


def sync_by_key(con: duckdb.DuckDBPyConnection, part: Part) -> Synced:
    """Rows matched by key: only those whose content hash changed are deleted and written again."""
    names = {
        "key": quoted(part.key),
        "columns": quoted(part.columns),
        "source": part.source,
        "target": _lake_table(part),
        "hashes": _hashes_table(part),
        "key_match": " AND ".join(f't."{name}" = d."{name}"' for name in part.key),
    }
    execute_script(con, sql("lake/changed_by_key").format(**names), {})
    done = Synced(part.target, written=_count(con, "lake_changed"))
    done.deleted = _count(con, f"lake_doomed SEMI JOIN {names['hashes']} USING ({names['key']})")
    if done.changed:
        execute_script(con, sql("lake/apply_by_key").format(**names), {})
    return done


def sync(con: duckdb.DuckDBPyConnection, part: Part) -> Synced:
    ensure_table(con, part)  # a recreated table is empty: the strategies below fill it whole
    if part.key:
        return sync_by_key(con, part)
    if part.by_day:
        return sync_by_day(con, part)
    return sync_whole(con, part)
