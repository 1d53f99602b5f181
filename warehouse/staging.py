"""The staging file: a crawl's pages land here, one transaction per page with the cursor after it.

It lives beside the warehouse, not in it, so the warehouse is only held for writing during the
short final merge and analysts can keep querying it while a crawl runs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

from .connect import configure, transaction
from .sqlfiles import sql

log = logging.getLogger("registry.warehouse")


class NotAJsonArray(Exception):
    """A page's body is not a complete JSON array (cut short on the way): to be fetched again."""


def is_json_array(con: duckdb.DuckDBPyConnection, body: str) -> bool:
    """Whether a page's body is a complete JSON array; shared by the crawler's client and staging."""
    # Valid JSON whose first character is `[` is an array: one parse instead of two.
    if not body.lstrip(" \t\r\n").startswith("["):
        return False
    (valid,) = con.execute("SELECT json_valid($1)", [body]).fetchone()
    return valid


@dataclass
class CrawlState:
    run_id: int
    kind: str
    endpoint: str
    watermark: datetime | None
    next_path: str | None
    listing_done: bool
    pages: int
    records: int
    private_skipped: int
    retries: int
    http_429: int
    rate_limit_waits: int
    rate_limit_wait_seconds: float


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


@dataclass(frozen=True)
class StagedPage:
    records: int
    private_skipped: int
    oldest_modified: datetime | None = None


# DuckDB checkpoints a file once its log passes 16 MB (about 7 pages here), and each checkpoint
# rewrites the staged table's last, partly filled row group (committing a page: 23.8 ms with these
# checkpoints, 8.1 ms without; BENCHMARKS.md, 2026-11-26 evening). Staged rows wait in memory until
# a checkpoint writes them, so the log may not grow near the DuckDB cap: with no threshold (a
# merge's 125 pages, 300 MB of log) pages of 100 KB cards ran out of a 96 MB cap. 64 MB: 200k
# models 33.9 -> 31.6 s CPU, 500k 167-177 -> 148-159 s per million (BENCHMARKS.md, 2026-11-27 afternoon).
STAGING_CHECKPOINT_THRESHOLD = "64MB"


def staging_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.staging.duckdb")


class Staging:
    def __init__(self, path: Path):
        self.path = path
        self.con = self._connect()
        self.con.execute(sql("staging_schema"))

    def state(self) -> CrawlState | None:
        names = ", ".join(f.name for f in fields(CrawlState))
        row = self.con.execute(f"SELECT {names} FROM crawl_state").fetchone()
        return CrawlState(*row) if row else None

    def start(self, run_id: int, kind: str, endpoint: str, first_path: str, watermark: datetime | None) -> None:
        """Forget any earlier crawl's pages and begin a new one."""
        self.con.execute("BEGIN TRANSACTION")
        for table in ("crawl_state", "staged_models", "staged_quarantine"):
            self.con.execute(f"DELETE FROM {table}")
        self.con.execute(
            "INSERT INTO crawl_state (run_id, kind, endpoint, watermark, next_path) VALUES (?, ?, ?, ?, ?)",
            [run_id, kind, endpoint, watermark, first_path],
        )
        self.con.execute("COMMIT")

    def restart_listing(self, first_path: str) -> None:
        """Point a crawl that has staged nothing yet at a different first page."""
        self.con.execute("UPDATE crawl_state SET next_path = ? WHERE pages = 0", [first_path])

    def stage_page(
        self,
        page_no: int,
        body: str,
        fetched_at: datetime,
        next_path: str | None,
        cost: FetchStats,
        watermark: datetime | None = None,
    ) -> StagedPage:
        """Type the page's records and store them with the cursor that follows, atomically.

        With a watermark (newest-first listings), a page reaching below it ends the listing. A body
        that is not a complete JSON array stages nothing and raises NotAJsonArray.
        """
        page = {"page_no": page_no, "fetched_at": fetched_at}
        try:
            try:
                return self._commit_page(self._stage_records, (body, page), next_path, cost, watermark)
            except duckdb.OutOfMemoryException:
                self._require_json_array(page_no, body)
                # Typing a page takes ~20x its size in DuckDB memory: a page with a dozen MB-sized
                # cardData runs out of 256 MB. One record at a time needs only the largest's share.
                log.warning("page %d (%.1f MB) is too big to type at once: typing it record by record",
                            page_no, len(body) / 1e6)  # fmt: skip
                return self._commit_page(self._stage_record_by_record, (body, page), next_path, cost, watermark)
        except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.OutOfMemoryException) as error:
            self._require_json_array(page_no, body)
            # A JSON array that defeats typing, or a record too big to type in DuckDB's memory:
            # keep every record raw instead.
            reason = f"unparsable_page: {str(error).splitlines()[0][:200]}"
            return self._commit_page(self._stage_unparsable, (body, page, reason), next_path, cost, watermark)

    def _require_json_array(self, page_no: int, body: str) -> None:
        """The fetcher leaves bodies unchecked (crawler/hub_client.py): a page that fails typing is checked here."""
        if not is_json_array(self.con, body):
            raise NotAJsonArray(f"page {page_no}: the body is not a complete JSON array")

    def _commit_page(
        self, stage, args: tuple, next_path: str | None, cost: FetchStats, watermark: datetime | None
    ) -> StagedPage:
        """Stage a page's rows and move the cursor past it in one transaction."""
        with transaction(self.con):
            counts = stage(*args)
            if watermark and counts.oldest_modified and counts.oldest_modified < watermark:
                next_path = None
            self.con.execute(
                sql("advance_crawl_state"),
                {"next_path": next_path, "records": counts.records, "private_skipped": counts.private_skipped,
                 **cost.__dict__},
            )  # fmt: skip
        return counts

    def _stage_records(self, body: str, page: dict) -> StagedPage:
        self.con.execute(sql("parse_page"), {"body": body})
        self.con.execute(sql("stage_page_models"), page)
        self.con.execute(sql("stage_page_quarantine"), page)
        return StagedPage(*self.con.execute(sql("page_counts")).fetchone())

    def _stage_record_by_record(self, body: str, page: dict) -> StagedPage:
        records = [self._stage_records(json.dumps([record]), page) for record in json.loads(body)]
        oldest = [counts.oldest_modified for counts in records if counts.oldest_modified is not None]
        return StagedPage(
            records=sum(counts.records for counts in records),
            private_skipped=sum(counts.private_skipped for counts in records),
            oldest_modified=min(oldest, default=None),
        )

    def _stage_unparsable(self, body: str, page: dict, reason: str) -> StagedPage:
        self.con.execute(sql("stage_unparsable_page"), {"body": body, "reason": reason, **page})
        (records,) = self.con.execute(
            "SELECT count(*) FROM staged_quarantine WHERE page_no = ?", [page["page_no"]]
        ).fetchone()
        return StagedPage(records=records, private_skipped=0)

    def forget_merged(self, through_page: int) -> None:
        """Drop the rows the warehouse now holds, so that the file stays small whatever the crawl's size."""
        self.con.execute("BEGIN TRANSACTION")
        self.con.execute("DELETE FROM staged_models WHERE page_no <= ?", [through_page])
        self.con.execute("DELETE FROM staged_quarantine WHERE page_no <= ?", [through_page])
        self.con.execute("COMMIT")

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
        con = configure(duckdb.connect(str(self.path)), writer=True)
        con.execute(f"SET checkpoint_threshold = '{STAGING_CHECKPOINT_THRESHOLD}'")
        return con

    def remove(self) -> None:
        """Delete the staging file once its crawl is merged."""
        self.close()
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            path.unlink(missing_ok=True)
