"""`registry export`: every analyst table and view as Parquet (zstd), with a schema file, written
atomically (a temporary folder beside the target, renamed into place once complete).

History tables are partitioned by month, hive style (`daily_counters/month=2026-11/*.parquet`), so
that a reader of one month opens one folder. With `as_of`, each table is cut at that moment by its
own file in queries/export_as_of/; a table without one (it has no history) is left out and listed
in the schema file under `not_exported`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .readonly import quote_identifier
from .relations import analyst_relations
from .schema_doc import column_meaning, documented_tables
from .stats import prepare

AS_OF_DIR = Path(__file__).parent / "export_as_of"
SCHEMA_FILE = "schema.json"
# Internal bookkeeping, not data: the migration log and the kept report (`registry stats` rebuilds it).
NOT_ANALYST = {"schema_migrations"}
# History tables that grow by the day: one folder per month of this column.
MONTH_OF = {"daily_counters": "day", "model_versions": "valid_from"}
# Row groups of at most 32 MB: by rows alone (DuckDB's 122,880), each writing thread buffered ~0.5 GB
# of a wide table (raw JSON, ~2.3 KB a model), and models_enriched ran out of the readers' 1 GB at
# 2.5M models (BENCHMARKS.md, 2026-12-03, thirteenth session).
PARQUET = "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '32MB'"


class ExportError(Exception):
    pass


@dataclass(frozen=True)
class Exported:
    table: str
    path: str  # relative to the export folder
    rows: int
    partitioned_by: str | None


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's own tables and views (not the kept report, not the migration log)."""
    return [name for name in analyst_relations(con) if "." not in name and name not in NOT_ANALYST]


def _month_column(table: str, columns: list[str]) -> str | None:
    """Whose month partitions the table: MONTH_OF, or the rule it follows for history tables to come
    (`*_versions` by `valid_from`, `*daily_counters` and `*_counter_changes` by `day`)."""
    if table in MONTH_OF:
        return MONTH_OF[table]
    if table.endswith("_versions") and "valid_from" in columns:
        return "valid_from"
    if (table.endswith("daily_counters") or table.endswith("_counter_changes")) and "day" in columns:
        return "day"
    return None


def _source(con: duckdb.DuckDBPyConnection, table: str, as_of: datetime | None) -> str | None:
    """The SELECT that gives the table (as of a moment: its cut, None when it has none)."""
    if as_of is None:
        return f"SELECT * FROM {quote_identifier(table)}"
    cut = AS_OF_DIR / f"{table}.sql"
    return cut.read_text() if cut.exists() else None


def _json_as_text(con: duckdb.DuckDBPyConnection, select: str, params: dict) -> tuple[str, list[str]]:
    """The SELECT with its JSON columns as plain text: DuckDB would write them as Parquet's JSON type,
    which Polars, pandas and Spark read as bytes. The schema file still says JSON."""
    described = con.execute(f"DESCRIBE ({select})", params).fetchall()
    columns = [name for name, *_ in described]
    as_text = [quote_identifier(name) for name, kind, *_ in described if kind == "JSON"]
    if not as_text:
        return select, columns
    replaced = ", ".join(f"CAST({name} AS VARCHAR) AS {name}" for name in as_text)
    return f"SELECT * REPLACE ({replaced}) FROM ({select})", columns


def _write_table(con: duckdb.DuckDBPyConnection, table: str, select: str, folder: Path, params: dict) -> Exported:
    select, columns = _json_as_text(con, select, params)
    month = _month_column(table, columns)
    if month is None:
        target = folder / f"{table}.parquet"
        con.execute(f"COPY ({select}) TO '{target}' ({PARQUET})", params)
    else:
        target = folder / table
        by_month = f"SELECT *, strftime({quote_identifier(month)}, '%Y-%m') AS month FROM ({select})"
        con.execute(f"COPY ({by_month}) TO '{target}' ({PARQUET}, PARTITION_BY (month))", params)
        if not any(target.rglob("*.parquet")):  # no rows, no partition: one empty file keeps the columns
            target.mkdir(exist_ok=True)
            con.execute(f"COPY ({by_month}) TO '{target / 'empty.parquet'}' ({PARQUET})", params)
    # Counted from the files' metadata: counting the SELECT again would read a history view twice.
    written = target if month is None else target / "**" / "*.parquet"
    (rows,) = con.execute("SELECT count(*) FROM read_parquet(?)", [str(written)]).fetchone()
    return Exported(table, target.name + ("" if month is None else "/"), rows, "month" if month else None)


def _schema_entry(con: duckdb.DuckDBPyConnection, exported: Exported, docs: dict, select: str, params: dict) -> dict:
    described = con.execute(f"DESCRIBE ({select})", params).fetchall()
    columns = [
        {"name": name, "type": kind, "meaning": column_meaning(docs, exported.table, name)}
        for name, kind, *_ in described
    ]
    if exported.partitioned_by:
        of = MONTH_OF.get(exported.table, "its date")
        meaning = f"hive partition: the month (YYYY-MM) of `{of}`, in the folder name, not in the files"
        columns.append({"name": "month", "type": "VARCHAR", "meaning": meaning})
    return {
        "path": exported.path,
        "rows": exported.rows,
        "partitioned_by": exported.partitioned_by,
        "description": docs.get(exported.table, {}).get("description"),
        "notes": docs.get(exported.table, {}).get("notes") or None,
        "columns": columns,
    }


def export(open_reader: Callable[[], duckdb.DuckDBPyConnection], out: Path, as_of: datetime | None = None) -> dict:
    """Write the export to `out` (which must not exist yet, or be empty); return its schema."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} exists and is not an empty folder: choose a new --out, or remove it")
    staging = out.parent / f".{out.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)  # left by an export killed before its rename
    staging.mkdir(parents=True)
    try:
        schema = _export_into(open_reader, staging, as_of)
        (staging / SCHEMA_FILE).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return schema


def _export_into(open_reader: Callable[[], duckdb.DuckDBPyConnection], folder: Path, as_of: datetime | None) -> dict:
    docs = documented_tables()
    params = {"as_of": as_of} if as_of else {}
    schema = {
        "exported_at": datetime.now(UTC).replace(tzinfo=None).isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
        "format": "parquet (zstd); partitioned tables are folders of hive partitions (month=YYYY-MM); "
        "JSON columns are JSON text (Parquet strings)",
        "tables": {},
        "not_exported": [],
    }
    con = open_reader()  # one connection: one consistent state of the warehouse for every table
    try:
        if as_of is not None:
            prepare(con, (), {"as_of": as_of, "top": 0})  # stats_models: models_enriched as of then
        for table in exported_tables(con):
            select = _source(con, table, as_of)
            if select is None:
                schema["not_exported"].append(table)
                continue
            used = {key: value for key, value in params.items() if f"${key}" in select}
            exported = _write_table(con, table, select, folder, used)
            schema["tables"][table] = _schema_entry(con, exported, docs, select, used)
    finally:
        con.close()
    return schema
