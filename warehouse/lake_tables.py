"""What a publish copies into the lake, and how each table is brought up to date cheaply.

Every table of the warehouse's `main` schema is published except the internal ones below, so that
tables added later (datasets, Spaces, repo links and their history) reach the lake without a change
here; a table declared in DECLARED is written incrementally, any other is rewritten whole when its
content changed (exact, but worth declaring once it grows).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from .sqlfiles import sql
from .streams import STREAMS, VIEW_OF_STORED, Stream

# the crawl's and publish's own (the *_last_counters: what a crawl compares its counters with)
NOT_PUBLISHED = {
    "schema_migrations", "latest_counters", "publish_runs", "counter_days_settled",
    *(stream.last_counters_table for stream in STREAMS.values()),
}  # fmt: skip

# The merge draws a new change_seq for a repository whose metadata it changes (migration 013): a
# publish reads the rows past the one it published last, not every row.
CHANGE_COLUMN = "change_seq"
KEYS = {stream.table: stream.key for stream in STREAMS.values()}  # a repository table's key column


# The repository tables whose changes a table's rows follow (a repository's versions and links move
# only where its change_seq does): (None, table) when the key starts with the repository's key, or
# (kind, table) for each kind of repository, when the key starts with the kind and then the key.
Follows = tuple[tuple[str | None, str], ...]


@dataclass(frozen=True)
class Published:
    """How one warehouse table is published: by key (only changed rows are written: those past the
    last published `changes` value, or, with `follows`, every row of the repositories that the
    followed tables changed; every row's hash is compared when neither tells), by day (the days from
    the lake's latest on are rewritten), or whole when its content changed. With `volatile` columns,
    it is published as <name>_metadata (appended to: see Part.appended) and <name>_state (whole), and
    a view <name> joins them on the key and `changes`. A history whose rows each `ends` (end column,
    start column) where the repository's next row starts is published without its end column, as
    <name>_recorded (appended to), and a view <name> computes it."""

    name: str
    key: tuple[str, ...] = ()
    by_day: str | None = None
    volatile: tuple[str, ...] = ()
    changes: str | None = None
    follows: Follows = ()  # what is followed where the warehouse has no `changes` column yet
    ends: tuple[str, str] | None = None


def declared_for(stream: Stream) -> tuple[Published, ...]:
    """A stream's current-state table, split so that the columns every crawl moves (its counters,
    when it was last seen) are kept apart from metadata that rarely changes; and its versions."""
    state = (*stream.counters, "last_seen", "deleted_at", CHANGE_COLUMN)
    return (
        Published(stream.table, key=(stream.key,), volatile=state, changes=CHANGE_COLUMN),
        # A version's valid_to is set when the next opens: only its end changes once it is recorded.
        Published(
            stream.versions_table,
            key=(stream.key, "valid_from"),
            changes=CHANGE_COLUMN,
            follows=((None, stream.table),),
            ends=("valid_to", "valid_from"),
        ),
    )


DECLARED = {
    table.name: table
    for table in (
        *(published for stream in STREAMS.values() for published in declared_for(stream)),
        # The counters history as stored (the dense daily_counters views are defined over them in the
        # lake as in the warehouse): written at the latest observed day only, so published by day.
        *(Published(stream.changes_table, by_day="day") for stream in STREAMS.values()),
        # every merged model's and Space's links are rewritten in the warehouse, mostly unchanged
        Published(
            "declared_links",
            key=("from_type", "from_key", "to_type", "to_id", "source"),
            follows=(("model", STREAMS["models"].table), ("space", STREAMS["spaces"].table)),
        ),
    )
}


@dataclass(frozen=True)
class Part:
    """One lake table: what it holds (a SELECT over the warehouse) and how it is synchronised."""

    table: str  # the warehouse table
    target: str  # the lake table's name
    source: str  # a relation over the warehouse `wh`
    columns: tuple[str, ...]
    key: tuple[str, ...] = ()  # by key, with the hashes in _hashes_<target>
    by_day: str | None = None
    changes: str | None = None  # by key: the warehouse column past whose last published value rows changed
    follows: Follows = ()  # by key: the tables whose changed repositories' rows are rewritten
    # By key, only ever appended to: the rows past the last published `changes` value are written, and
    # none is deleted. A repository's metadata row whose change_seq moved is written again, and the
    # row it supersedes stays (the view joins the one the state table names) until housekeeping
    # deletes it; a version is written once, when recorded (the view computes when it ended). A
    # nightly publish then reads nothing of the table back: at 2.5M models, deleting the changed
    # models' rows read the key column of every file: 7.6 s of a 14.4 s nightly publish for the
    # metadata, 4.5 s for the versions (BENCHMARKS.md).
    appended: bool = False

    @property
    def hashed(self) -> bool:
        """Whether each row's hash is kept in the lake (_hashes_<target>), to find changed rows by."""
        return bool(self.key) and not self.appended


def quoted(names) -> str:
    return ", ".join(f'"{name}"' for name in names)


def columns_of(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple[str, str]]:
    """(name, type) of a table's columns, in order."""
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [database, table],
    ).fetchall()


def table_names(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    """The tables of a database's `main` schema."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'", [database]
    ).fetchall()
    return {name for (name,) in rows}


def warehouse_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What is published: the tables, each repository table as analysts read it (the view over the
    table it is stored in, with card_data: migration 018), or the table itself in a warehouse from
    before."""
    return sorted({VIEW_OF_STORED.get(table, table) for table in table_names(con, "wh") - NOT_PUBLISHED})


def parts_of(con: duckdb.DuckDBPyConnection, table: str) -> list[Part]:
    """The lake tables one warehouse table is published as."""
    declared = DECLARED.get(table, Published(table))
    names = [name for name, _ in columns_of(con, "wh", table)]
    changes = _changes_column(declared, names)
    source = f'wh.main."{table}"'
    if declared.ends and changes:
        recorded = tuple(name for name in names if name != declared.ends[0])
        return [Part(table, f"{table}_recorded", source, recorded, declared.key, changes=changes, appended=True)]
    if not declared.volatile:
        return [Part(table, table, source, tuple(names), declared.key, declared.by_day, follows=declared.follows)]
    stable = tuple(name for name in names if name not in declared.volatile)
    state = (*declared.key, *(name for name in declared.volatile if name in names))
    metadata = Part(table, f"{table}_metadata", source, stable, declared.key, changes=changes)
    if changes:
        metadata = replace(metadata, columns=(*stable, changes), appended=True)
    return [metadata, Part(table, f"{table}_state", source, state)]


def view_sql(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """The lake view that joins a table published in two parts, or that computes the end column of
    a history published as recorded; None for a table published as it is."""
    declared = DECLARED.get(table)
    names = [name for name, _ in columns_of(con, "wh", table)]
    changes = _changes_column(declared, names) if declared else None
    if declared is not None and declared.ends and changes:
        (end, start), key = declared.ends, declared.key[0]
        ended = f'lead("{start}") OVER (PARTITION BY "{key}" ORDER BY "{start}") AS "{end}"'
        columns = ", ".join(ended if name == end else f'"{name}"' for name in names)
        return sql("lake/recorded_view").format(name=f'"{table}"', columns=columns, recorded=f'"{table}_recorded"')
    if declared is None or not declared.volatile:
        return None
    return sql("lake/published_view").format(
        name=f'"{table}"',
        columns=quoted(names),
        stable=f'"{table}_metadata"',
        volatile=f'"{table}_state"',
        key=quoted((*declared.key, changes) if changes else declared.key),
    )


def _changes_column(declared: Published, names: list[str]) -> str | None:
    """The declared change column, if the warehouse table has it (None: a warehouse from before it,
    published as before: metadata by key, versions following their repositories)."""
    return declared.changes if declared.changes in names else None


def appended_tables() -> list[tuple[str, str, str, str]]:
    """(metadata table, state table, key, change column) of each table published in two parts:
    what housekeeping prunes the superseded metadata rows of."""
    return [
        (f"{name}_metadata", f"{name}_state", declared.key[0], declared.changes)
        for name, declared in DECLARED.items()
        if declared.volatile and declared.changes
    ]
