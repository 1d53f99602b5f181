"""Schema migrations: numbered .sql files under sql/migrations, each applied once, in order."""

from __future__ import annotations

import duckdb

from .sqlfiles import SQL_DIR, sql

MIGRATIONS_DIR = SQL_DIR / "migrations"


def _applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER, name VARCHAR, applied_at TIMESTAMP)")
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this warehouse lacks; return their names."""
    applied = _applied_versions(con)
    done = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        if version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        # A line `-- include: <name>` is replaced by warehouse/sql/<name>.sql, so that a migration can
        # run a rule the merge keeps too; that file is then part of the migration: change it only in
        # ways a warehouse migrated now should still get.
        con.execute(sql(f"migrations/{path.stem}"))
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, path.stem])
        con.execute("COMMIT")
        # Into the file at once: DuckDB 1.5.5 cannot replay some of our DDL from the WAL (an ADD COLUMN
        # whose DEFAULT calls nextval() fails with an internal error), so a process killed before the
        # next checkpoint would leave a warehouse nobody could open.
        con.execute("CHECKPOINT")
        done.append(path.stem)
    if done:
        _rebind_views(con)
    return done


def _rebind_views(con: duckdb.DuckDBPyConnection) -> None:
    """A view's catalog keeps the columns its tables had when it was created (`SELECT t.*` too): once
    a migration adds a column, what duckdb_columns() says of the view (and readers that trust it)
    no longer matches what it returns. Each view is created again from its own text."""
    views = con.execute(
        "SELECT sql FROM duckdb_views() WHERE NOT internal AND NOT temporary AND schema_name = 'main' "
        "AND database_name = current_database() ORDER BY view_oid"
    ).fetchall()
    con.execute("BEGIN TRANSACTION")
    for (text,) in views:
        con.execute(text.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1))
    con.execute("COMMIT")
