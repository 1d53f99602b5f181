"""The registry as a Python library: SQL, tables and the `registry stats` sections as Polars frames.

    from registry import Registry
    reg = Registry(db="registry.duckdb")
    reg.sql("SELECT author, count(*) AS models FROM models GROUP BY ALL ORDER BY models DESC LIMIT 5")

The CLI's `stats`, `report`, `query` and `runs` call this class. Every read opens a read-only
connection, reads, and closes it again (`_open`, the one way this class reaches data), so a notebook
never holds the warehouse file against a crawl's short write windows, and waits those windows out
as the CLI does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
from polars.io.plugins import register_io_source

from queries.readonly import quote_identifier, run_query, split_predicate, to_polars
from queries.relations import analyst_relations
from queries.sections import DEFAULT_TOP, SECTIONS
from warehouse.connect import READER_PATIENCE_SECONDS, open_reader

from .settings import lake_settings, warehouse_path


def end_of_day_if_date(moment: datetime | date | str | None) -> datetime | None:
    """A bare date (`2026-11-20`) means the end of that day: everything crawled on it counts."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    if moment is not None and moment.time() == datetime.min.time():
        return moment + timedelta(days=1) - timedelta(microseconds=1)
    return moment


class Registry:
    """A warehouse, or a lake it was published to, read-only: `sql`, `lazy`, `stats` and `runs`, each
    answering with Polars."""

    def __init__(
        self,
        db: str | Path | None = None,
        *,
        lake: str | None = None,
        data_path: str | None = None,
        patience: float = READER_PATIENCE_SECONDS,
    ):
        """`Registry(db=...)` reads a warehouse file; `Registry(lake="ducklake:...", data_path="s3://...")`
        the lake it is published to (S3 and PostgreSQL credentials from AWS_* and PGPASSWORD)."""
        self.db = warehouse_path(db)  # db, else REGISTRY_DB, else ./registry.duckdb
        self.lake = lake_settings(lake, data_path) if lake else None
        self.patience = patience  # seconds to wait while a crawl holds the file

    def __repr__(self) -> str:
        return f"Registry(lake={self.lake!r})" if self.lake else f"Registry(db={str(self.db)!r})"

    def _open(self, sandboxed: bool = False) -> duckdb.DuckDBPyConnection:
        """A read-only connection; `sandboxed` also forbids files and settings (for SQL not ours)."""
        if self.lake is not None:
            from warehouse.lake_connect import open_lake_reader

            return open_lake_reader(self.lake, sandboxed=sandboxed)
        return open_reader(self.db, self.patience, sandboxed=sandboxed)

    @contextmanager
    def _connection(self, sandboxed: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self._open(sandboxed)
        try:
            yield con
        finally:
            con.close()

    def sql(self, text: str) -> pl.DataFrame:
        """One reading statement (SELECT, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN), as `registry query` runs it.

        Raises QueryRefused for anything else or for touching files and settings, QueryFailed when
        the SQL fails, WarehouseError when the warehouse is missing or stays locked."""
        with self._connection(sandboxed=True) as con:
            return run_query(con, text)

    def tables(self) -> list[str]:
        """The tables and views `lazy` reads (`report.<section>` for the kept report)."""
        with self._connection() as con:
            return analyst_relations(con)

    def lazy(self, name: str) -> pl.LazyFrame:
        """A table or view as a LazyFrame: read when collected, only the columns (and rows) asked for."""
        if name not in self.tables():
            raise ValueError(f"no table or view {name!r} in {self.db}; choose from {', '.join(self.tables())}")
        relation = ".".join(quote_identifier(part) for part in name.split(".", 1))
        with self._connection() as con:
            schema = to_polars(con.sql(f"SELECT * FROM {relation} LIMIT 0")).schema

        def read(columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None, batch_size: int | None):
            in_duckdb, in_polars = split_predicate(predicate)
            with self._connection() as con:  # read whole, then close: a crawl is never kept waiting on us
                selected = con.sql(f"SELECT * FROM {relation}")
                if in_duckdb is not None:
                    selected = selected.filter(in_duckdb)
                if columns:
                    selected = selected.project(", ".join(map(quote_identifier, columns)))
                if n_rows is not None and in_polars is None:
                    selected = selected.limit(n_rows)
                frame = to_polars(selected)
            if in_polars is not None:
                frame = frame.filter(in_polars)
            yield frame if n_rows is None else frame.head(n_rows)

        return register_io_source(read, schema=schema, explain_name=f"registry {name}")

    def stats(
        self, *sections: str, as_of: datetime | date | str | None = None, top: int = DEFAULT_TOP
    ) -> dict[str, pl.DataFrame]:
        """`registry stats`: each section (all by default) as a DataFrame; now, or as of a UTC moment.

        The current report is served from the copy kept in the warehouse while it is current, and
        kept there once computed (when the file can be written); on a lake, from the copy published
        with its tables; --as-of reports are computed each time."""
        unknown = sorted(set(sections) - set(SECTIONS))
        if unknown:
            raise ValueError(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
        chosen = sections or SECTIONS
        moment = end_of_day_if_date(as_of)
        if moment is not None:
            from queries.stats import run_stats

            with self._connection() as con:
                return run_stats(con, chosen, top, moment)
        from queries.stored_report import current_report, lake_report, store

        if self.lake is not None:  # the report published with the lake's tables, where it is there
            with self._connection() as con:
                return lake_report(con, chosen, top).tables

        with self._connection() as con:
            report = current_report(con, chosen, top)
        store(self.db, report)  # after closing: keeping it needs the file for writing
        return report.tables

    def export(self, out: str | Path, as_of: datetime | date | str | None = None) -> dict:
        """`registry export`: every table and view as Parquet under `out` (new or empty), with
        schema.json; returns that schema. Raises ExportError when `out` is taken."""
        from queries.export import export

        return export(self._open, Path(out), end_of_day_if_date(as_of))

    def runs(self, limit: int = 20) -> pl.DataFrame:
        """The crawl log, newest first (`registry runs`)."""
        from queries.runs import recent_runs

        with self._connection() as con:
            return recent_runs(con, limit)
