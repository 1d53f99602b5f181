"""Bring one lake table up to date with the warehouse, writing only what changed.

Each function runs inside the publish's transaction: whatever it writes becomes visible with the
rest of the publish, in one snapshot, or not at all.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

import duckdb

from .lake_connect import LAKE
from .lake_tables import CHANGE_COLUMN, KEYS, Part, columns_of, quoted, table_names
from .sqlfiles import execute_script, sql

log = logging.getLogger("registry.lake")


@dataclass
class Synced:
    target: str
    written: int = 0
    deleted: int = 0
    seconds: float = 0.0

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
    """Create the lake table as the warehouse's columns say, or recreate it when those columns
    changed, e.g. after a warehouse migration: True when it did (the table is empty then)."""
    wanted = [(name, kind) for name, kind in columns_of(con, "wh", part.table) if name in part.columns]
    wanted.sort(key=lambda column: part.columns.index(column[0]))
    existing = columns_of(con, LAKE, part.target)
    hashed = not part.hashed or columns_of(con, LAKE, f"_hashes_{part.target}")  # a table keyed since
    if existing == wanted and hashed:
        return False
    con.execute(f"DROP TABLE IF EXISTS {_lake_table(part)}")
    con.execute(f"DROP TABLE IF EXISTS {_hashes_table(part)}")
    con.execute(f"CREATE TABLE {_lake_table(part)} AS SELECT {quoted(part.columns)} FROM {part.source} LIMIT 0")
    if part.hashed:
        key = quoted(part.key)
        hashes = f"SELECT {key}, 0::UBIGINT AS row_hash FROM {part.source} LIMIT 0"
        con.execute(f"CREATE TABLE {_hashes_table(part)} AS {hashes}")
    return True


def fingerprint(con: duckdb.DuckDBPyConnection, relation: str, columns, condition: str = "true") -> tuple:
    text = sql("lake/fingerprint").format(columns=quoted(columns), source=relation, condition=condition)
    return con.execute(text).fetchone()


def sync_whole(con: duckdb.DuckDBPyConnection, part: Part, marks: Marks) -> Synced:
    """Rewrite the table when its content changed (small tables, and the state every crawl moves)."""
    done = Synced(part.target)
    target = _lake_table(part)
    now = fingerprint(con, part.source, part.columns)
    marks.left[part.target] = (None, now)
    stored = marks.content(part.target)
    published = stored[1] if stored else fingerprint(con, target, part.columns)
    if now == published:
        return done
    done.deleted = published[0]
    con.execute(f"DELETE FROM {target}")
    con.execute(f"INSERT INTO {target} SELECT {quoted(part.columns)} FROM {part.source}")
    done.written = now[0]
    return done


def sync_by_day(con: duckdb.DuckDBPyConnection, part: Part, marks: Marks) -> Synced:
    """History written day by day: the lake's latest day is rewritten if a later crawl that day
    changed it, and the days after it are added. Earlier days are never written again: a crawl
    records counters under its own (UTC) day."""
    done = Synced(part.target)
    target, day = _lake_table(part), f'"{part.by_day}"'
    stored = marks.content(part.target)
    if stored:
        since, published = stored
    else:
        (since,) = con.execute(f"SELECT max({day}) FROM {target}").fetchone()
        published = fingerprint(con, target, part.columns, f"{day} = DATE '{since}'") if since else None
    condition = "true"
    if since is not None:
        condition = f"{day} = DATE '{since}'"
        if fingerprint(con, part.source, part.columns, condition) == published:
            condition = f"{day} > DATE '{since}'"
        else:
            condition = f"{day} >= DATE '{since}'"
            done.deleted = _count(con, target, condition)
            con.execute(f"DELETE FROM {target} WHERE {condition}")
    done.written = _count(con, part.source, condition)
    if done.written:
        order = quoted([part.by_day, *(name for name in part.columns if name.endswith("_key"))])
        con.execute(
            f"INSERT INTO {target} SELECT {quoted(part.columns)} FROM {part.source} WHERE {condition} ORDER BY {order}"
        )
    (latest,) = con.execute(f"SELECT max({day}) FROM {part.source}").fetchone()
    if latest is not None:
        marks.left[part.target] = (latest, fingerprint(con, part.source, part.columns, f"{day} = DATE '{latest}'"))
    return done


def touched(part: Part, marks: Marks) -> str | None:
    """The condition (on `source`) that finds the rows which may have changed since the last publish,
    or None when only comparing every row's hash can tell (a first publish, a migrated warehouse)."""
    if part.changes:
        since = marks.since(part.table)
        return None if since is None else f'source."{part.changes}" > {since}'
    conditions = []
    for kind, table in part.follows:
        since = marks.since(table)
        if since is None:
            return None
        changed = f'SELECT "{KEYS[table]}" FROM wh.main."{table}" WHERE "{CHANGE_COLUMN}" > {since}'
        if kind is None:
            conditions.append(f'source."{part.key[0]}" IN ({changed})')
        else:
            conditions.append(f'(source."{part.key[0]}" = \'{kind}\' AND source."{part.key[1]}" IN ({changed}))')
    return f"({' OR '.join(conditions)})" if conditions else None


def sync_by_key(con: duckdb.DuckDBPyConnection, part: Part, touched: str | None) -> Synced:
    """Rows matched by key: only those that changed are deleted and written again (with `follows`,
    every row of the repositories that changed: none of the lake's hashes is read then)."""
    names = {
        "key": quoted(part.key),
        "columns": quoted(part.columns),
        "source": part.source,
        "target": _lake_table(part),
        "hashes": _hashes_table(part),
        "key_match": " AND ".join(f't."{name}" = d."{name}"' for name in part.key),
        "touched": touched or "true",
    }
    finder, apply = "lake/changed_by_key", "lake/apply_by_key"
    by_repository = bool(touched and part.follows)  # a repository may have dropped rows: always applied
    if touched:
        finder = "lake/touched_by_key"
        apply = "lake/apply_by_repository" if by_repository else "lake/apply_by_key"
    execute_script(con, sql(finder).format(**names), {})
    done = Synced(part.target, written=_count(con, "lake_changed"))
    if by_repository or done.written or _count(con, "lake_doomed"):
        # the apply script's first statement deletes the rows it replaces: its count is the rows
        # deleted (counting them apart would read the lake's keys once more)
        first, *rest = con.extract_statements(sql(apply).format(**names))
        (done.deleted,) = con.execute(first).fetchone()
        for statement in rest:
            con.execute(statement)
    return done


def sync_appended(con: duckdb.DuckDBPyConnection, part: Part, touched: str | None, created: bool) -> Synced:
    """Rows only added (Part.appended): those whose change column moved past the last published
    value, read from the warehouse only; none is read from the lake or deleted. Without that value
    (a first publish, a migrated warehouse, a lake without marks), the table is rewritten whole."""
    done, target = Synced(part.target), _lake_table(part)
    if touched is None and not created:
        done.deleted = _count(con, target)
        con.execute(f"DELETE FROM {target}")
    condition = touched or "true"
    done.written = _count(con, f"{part.source} AS source", condition)
    if done.written:
        columns = quoted(part.columns)
        con.execute(f"INSERT INTO {target} SELECT {columns} FROM {part.source} AS source WHERE {condition}")
    return done


def sync(con: duckdb.DuckDBPyConnection, part: Part, marks: Marks) -> Synced:
    started, cpu = time.perf_counter(), time.process_time()
    created = ensure_table(con, part)  # a new table is empty: the strategies below fill it whole
    if created:
        marks.contents.pop(part.target, None)
    if part.appended:
        done = sync_appended(con, part, None if created else touched(part, marks), created)
    elif part.key:
        done = sync_by_key(con, part, None if created else touched(part, marks))
    elif part.by_day:
        done = sync_by_day(con, part, marks)
    else:
        done = sync_whole(con, part, marks)
    done.seconds = time.perf_counter() - started
    log.debug("%s: %d rows written, %d deleted, %.2f s (CPU %.2f s)", part.target, done.written, done.deleted,
              done.seconds, time.process_time() - cpu)  # fmt: skip
    return done


Fingerprint = tuple[int, int]  # rows, sum of row hashes (warehouse/sql/lake/fingerprint.sql)


@dataclass
class Marks:
    """Where the last publish left the lake: for each table with a change column, the change_seq it
    published through (valid for the warehouse schema it read: a migration may rewrite rows in place);
    for each table rewritten whole or by day, what it held (its latest day's, by day). `left` is
    where this publish leaves them."""

    schema_version: int
    published: dict[str, int]
    contents: dict[str, tuple[date | None, Fingerprint]]
    left: dict[str, tuple[date | None, Fingerprint]] = field(default_factory=dict)

    def since(self, table: str) -> int | None:
        return self.published.get(table)

    def content(self, target: str) -> tuple[date | None, Fingerprint] | None:
        return self.contents.get(target)


def read_marks(con: duckdb.DuckDBPyConnection) -> Marks:
    (version,) = con.execute("SELECT max(version) FROM wh.main.schema_migrations").fetchone()
    rows = con.execute(
        f"SELECT table_name, change_seq FROM {LAKE}.lake_marks WHERE schema_version = ?", [version]
    ).fetchall()
    contents = con.execute(f"SELECT table_name, day, row_count, row_hash FROM {LAKE}.lake_fingerprints").fetchall()
    return Marks(version, dict(rows), {name: (day, (count, int(hashed))) for name, day, count, hashed in contents})


def write_marks(con: duckdb.DuckDBPyConnection, marks: Marks, tables: list[str]) -> None:
    """Record, in the publish's snapshot, the change_seq each table is now published through, and
    what the tables rewritten whole or by day now hold (rewritten only when that changed)."""
    con.execute(f"DELETE FROM {LAKE}.lake_marks")
    published = []
    for table in tables:
        if CHANGE_COLUMN in (name for name, _ in columns_of(con, "wh", table)):
            (through,) = con.execute(f'SELECT coalesce(max("{CHANGE_COLUMN}"), 0) FROM wh.main."{table}"').fetchone()
            published.append((table, marks.schema_version, through))
    insert_values(con, f"{LAKE}.lake_marks", "(?, ?, ?)", published)
    if marks.left == marks.contents:
        return
    con.execute(f"DELETE FROM {LAKE}.lake_fingerprints")
    rows = [(name, day, count, str(hashed)) for name, (day, (count, hashed)) in sorted(marks.left.items())]
    insert_values(con, f"{LAKE}.lake_fingerprints", "(?, ?::DATE, ?, ?)", rows)


def insert_values(con: duckdb.DuckDBPyConnection, table: str, placeholders: str, rows: list[tuple]) -> None:
    """Rows into a lake table in one statement: one file, where a statement per row writes one each."""
    if rows:
        values = ", ".join([placeholders] * len(rows))
        con.execute(f"INSERT INTO {table} VALUES {values}", [value for row in rows for value in row])


# warehouse/sql/lake/lake_schema.sql
OWN_TABLES = {"lake_identity", "lake_publishes", "lake_marks", "lake_fingerprints"}


def drop_stale(con: duckdb.DuckDBPyConnection, parts: list[Part]) -> None:
    """Drop the lake tables no warehouse table is published as any more (a table the warehouse
    dropped, or one now published in parts and seen through a view of its name)."""
    kept = OWN_TABLES | {part.target for part in parts} | {f"_hashes_{part.target}" for part in parts if part.hashed}
    for name in sorted(table_names(con, LAKE) - kept):
        con.execute(f'DROP TABLE {LAKE}.main."{name}"')
