"""The staging file: a crawl's pages land here, one transaction per page with the cursor after it.

It lives beside the warehouse, not in it, so the warehouse is only held for writing during the
short merges and analysts can keep querying it while a crawl runs. A page's body is kept as it
came, in a file of its own (written and fsynced by the fetcher before the page's row commits);
typing it waits for its merge chunk (warehouse/merge.py). Typing each page into a staged table
and reading it back in the merge cost 67-70 s of CPU per million records, of which typing was 20
(BENCHMARKS.md, 2026-11-27 evening).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

from .connect import configure, transaction
from .durable import fsync_directory
from .page_typing import StagedPage, create_typed_rows, decode_body, type_page_files
from .sqlfiles import sql
from .streams import STREAMS

log = logging.getLogger("registry.warehouse")


class NotAJsonArray(Exception):
    """A page's body is not a complete JSON array (cut short on the way): to be fetched again."""


def json_array_length(con: duckdb.DuckDBPyConnection, body: str) -> int | None:
    """How many elements a page's body holds; None if it is not a complete JSON array. Shared by
    staging and the crawler's client (warehouse/sql/array_length.sql)."""
    (length,) = con.execute(sql("body_records"), {"body": body}).fetchone()
    return length


def page_file_records(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """json_array_length of a page file's body, read by DuckDB itself: 1.6 s of CPU per million
    records, against 3.9 through Python (BENCHMARKS.md). A body that is not UTF-8 (read_text refuses
    it) is decoded as the client decodes it, bad bytes replaced, and checked the same way."""
    try:
        row = con.execute(sql("page_file_records"), {"path": str(path)}).fetchone()
    except duckdb.InvalidInputException:
        row = None
    if row is None:  # or no file read: then reading it here raises FileNotFoundError
        return json_array_length(con, decode_body(path.read_bytes()))
    return row[0]


@dataclass
class CrawlState:
    run_id: int
    kind: str
    repo_type: str  # the stream listed (warehouse/streams.py): 'models', 'datasets' or 'spaces'
    endpoint: str
    watermark: datetime | None
    next_path: str | None
    listing_done: bool
    pages: int
    records: int
    retries: int
    http_429: int
    rate_limit_waits: int
    rate_limit_wait_seconds: float
    listing_order: str | None  # 'ascending' | 'descending' once a page told (crawler/listing.py)


@dataclass(frozen=True)
class FetchStats:
    """What fetching one page cost, committed with that page."""

    retries: int = 0
    http_429: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0

    def __add__(self, other: FetchStats) -> FetchStats:
        """What two fetches of one page cost together."""
        return FetchStats(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def staging_path(db_path: Path, repo_type: str) -> Path:
    """Each repository type's crawl stages into a file of its own: the three listings run side by side."""
    return db_path.with_name(f"{db_path.stem}.{repo_type}.staging.duckdb")


def shared_staging_path(db_path: Path) -> Path:
    """The one staging file of every type before the listings ran side by side: an unfinished crawl
    left there by an older version is resumed from it."""
    return db_path.with_name(f"{db_path.stem}.staging.duckdb")


def pages_dir(staging_file: Path) -> Path:
    """Where the staged pages' bodies are kept, beside the staging file."""
    return staging_file.with_name(staging_file.stem + ".pages")


def page_path(staging_file: Path, page_no: int) -> Path:
    return pages_dir(staging_file) / _page_file_name(page_no)


def write_page_file(pages: Path, page_no: int, body: bytes) -> None:
    """Write and fsync a page's body (and its directory entry) before staging commits the page: a
    committed page always has its file. A file left by a crash before the commit is written over."""
    with (pages / _page_file_name(page_no)).open("wb") as file:
        file.write(body)
        file.flush()
        os.fsync(file.fileno())
    fsync_directory(pages)


def _page_file_name(page_no: int) -> str:
    return f"{page_no:09d}.json"


class Staging:
    def __init__(self, path: Path):
        self.path = path
        self.pages = pages_dir(path)
        self.pages.mkdir(exist_ok=True)
        self.con = self._connect()
        self._discard_an_older_layout()
        self.con.execute(sql("staging_schema"))
        if self.state() is None:  # what a crawl that never started left
            self._clear_page_files()

    def state(self) -> CrawlState | None:
        names = ", ".join(f.name for f in fields(CrawlState))
        row = self.con.execute(f"SELECT {names} FROM crawl_state").fetchone()
        return CrawlState(*row) if row else None

    def start(
        self, run_id: int, kind: str, repo_type: str, endpoint: str, first_path: str, watermark: datetime | None
    ) -> None:
        """Forget any earlier crawl's pages and begin a new one (whose first pages the fetcher may be
        writing already: the files are cleared only where an earlier crawl left its own)."""
        if self.state() is not None:
            self._clear_page_files()
        with transaction(self.con):
            for table in ("crawl_state", "staged_pages"):
                self.con.execute(f"DELETE FROM {table}")
            self.con.execute(
                "INSERT INTO crawl_state (run_id, kind, repo_type, endpoint, watermark, next_path) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, kind, repo_type, endpoint, watermark, first_path],
            )

    def restart_listing(self, first_path: str) -> None:
        """Point a crawl that has staged nothing yet at a different first page."""
        self.con.execute("UPDATE crawl_state SET next_path = ? WHERE pages = 0", [first_path])

    def set_listing_order(self, order: str) -> None:
        self.con.execute("UPDATE crawl_state SET listing_order = ?", [order])

    def stage_page(
        self,
        page_no: int,
        fetched_at: datetime,
        next_path: str | None,
        cost: FetchStats,
        watermark: datetime | None = None,
    ) -> None:
        """Move the cursor past a page whose body the fetcher wrote to its file, atomically.

        With a watermark (newest-first listings), a page reaching below it ends the listing. A body
        that is not a complete JSON array stages nothing and raises NotAJsonArray.
        """
        path = page_path(self.path, page_no)
        records = page_file_records(self.con, path)
        if records is None:
            raise NotAJsonArray(f"page {page_no}: the body is not a complete JSON array")
        if watermark and next_path:
            oldest = self._oldest_modified(StagedPage(page_no, fetched_at, records, path))
            if oldest is not None and oldest < watermark:
                next_path = None
        with transaction(self.con):
            self.con.execute("INSERT INTO staged_pages VALUES (?, ?, ?)", [page_no, fetched_at, records])
            self.con.execute(sql("advance_crawl_state"), {"next_path": next_path, "records": records, **cost.__dict__})

    def _oldest_modified(self, page: StagedPage) -> datetime | None:
        """How far back a page of a newest-first listing reaches: typed here, as its merge will."""
        stream = STREAMS[self.state().repo_type]
        create_typed_rows(self.con, stream)
        try:
            type_page_files(self.con, [page], stream)
            (oldest,) = self.con.execute(sql("oldest_modified")).fetchone()
        finally:
            self.con.execute("DROP TABLE typed_rows")
        return oldest

    def _clear_page_files(self) -> None:
        for path in self.pages.glob("*.json"):
            path.unlink()

    def forget_merged(self, through_page: int) -> None:
        """Drop the pages the warehouse now holds, so that staging stays small whatever the crawl's size."""
        self.con.execute("DELETE FROM staged_pages WHERE page_no <= ?", [through_page])
        for path in self.pages.glob("*.json"):
            if int(path.stem) <= through_page:
                path.unlink()

    def close(self) -> None:
        """Release the file (the warehouse ATTACHes it to merge, which needs it closed here)."""
        self.con.close()

    def committed_state(self) -> CrawlState | None:
        """The state as last committed, even after a fatal DuckDB error (out of memory while
        checkpointing, say) invalidated this connection: then the file is opened again."""
        try:
            return self.state()
        except duckdb.Error:
            with suppress(duckdb.Error):
                self.con.close()
            self.con = self._connect()
            return self.state()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Closed for the duration (a chunk merge ATTACHes the file), then open again."""
        self.close()
        try:
            yield
        finally:
            self.con = self._connect()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return configure(duckdb.connect(str(self.path)), writer=True)

    def _discard_an_older_layout(self) -> None:
        """A staging file from before page bodies were files holds typed rows this version cannot
        merge: its crawl is started again (the warehouse has every chunk it merged)."""
        (old,) = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND table_name = 'staged_models'"
        ).fetchone()
        if old:
            log.warning("%s is from an older version of the registry: its unfinished crawl starts again", self.path)
            for table in ("crawl_state", "staged_models", "staged_quarantine"):
                self.con.execute(f"DROP TABLE IF EXISTS {table}")

    def remove(self) -> None:
        """Delete the staging file and its pages once its crawl is merged."""
        self.close()
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.pages, ignore_errors=True)
