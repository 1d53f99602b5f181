"""Listing pages -> typed rows: the one place a page's JSON becomes the models table's columns.

The merge types a chunk's staged pages just before applying them (warehouse/merge.py), and staging
types the pages of a newest-first listing as they come, to see how far back each one reaches.
Every record survives typing: a page that defeats it is kept raw, for quarantine.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import duckdb

from .freed_memory import release_freed_memory
from .sqlfiles import sql
from .streams import Stream

log = logging.getLogger("registry.warehouse")

# Page bodies one typing statement reads at most. read_text hands the statement all its files in
# one vector and the JSON cast parses them together: a chunk of 125 Hub-like pages (~2.3 MB each,
# as chunks were then) ran out of the crawl's 160 MB cap and was typed again page by page. In batches of ~24 MB,
# typing such pages cost 60.6 s of CPU per million records instead of 83.5 (BENCHMARKS.md, 2026-12-02).
TYPING_BATCH_BYTES = 24 * 2**20


def create_typed_rows(con: duckdb.DuckDBPyConnection, stream: Stream) -> None:
    """An empty TEMP table typed_rows for `stream`'s records on `con`, replacing any earlier one, and
    the macros typing uses."""
    con.execute(sql(f"typed_rows_{stream.name}"))
    con.execute(sql("typing_macros"))


class StagedPage(NamedTuple):
    page_no: int
    fetched_at: datetime
    records: int  # the elements of its JSON array, as staging counted them
    path: Path  # its body


def type_staged_pages(con: duckdb.DuckDBPyConnection, pages: list[StagedPage], stream: Stream) -> None:
    """type_page_files in batches of at most TYPING_BATCH_BYTES of bodies (a bigger page alone),
    each batch's freed memory returned before the next."""
    for batch in _batches_by_size(pages, TYPING_BATCH_BYTES):
        type_page_files(con, batch, stream)
        release_freed_memory()


def _batches_by_size(pages: list[StagedPage], limit: int) -> Iterator[list[StagedPage]]:
    batch: list[StagedPage] = []
    size = 0
    for page in pages:
        page_size = page.path.stat().st_size
        if batch and size + page_size > limit:
            yield batch
            batch, size = [], 0
        batch.append(page)
        size += page_size
    if batch:
        yield batch


def type_page_files(con: duckdb.DuckDBPyConnection, pages: list[StagedPage], stream: Stream) -> None:
    """Append the records of staged pages to typed_rows, split into records by one statement and
    typed by another; if that runs out of memory, in halves; if it fails otherwise, or any page does
    not come out whole, page by page (type_page, with its fallbacks)."""
    page_nos = [page.page_no for page in pages]
    try:
        _split_and_type(con, pages, stream)
    except duckdb.OutOfMemoryException as error:
        release_freed_memory()
        if len(pages) > 1:  # halves: page by page plans the typing (~7 ms, type_page_records.sql) once a page
            log.info("typing pages %d-%d at once ran out of memory (%s): typing them in halves",
                     page_nos[0], page_nos[-1], str(error).splitlines()[0][:200])  # fmt: skip
            middle = len(pages) // 2
            type_page_files(con, pages[:middle], stream)
            type_page_files(con, pages[middle:], stream)
            return
    except (duckdb.ConversionException, duckdb.InvalidInputException) as error:
        log.info("typing pages %d-%d at once failed (%s): typing them one by one",
                 page_nos[0], page_nos[-1], str(error).splitlines()[0][:200])  # fmt: skip
        release_freed_memory()
    else:
        typed = dict(con.execute("SELECT page_no, count(*) FROM typed_rows GROUP BY page_no").fetchall())
        # A page is whole when it has as many rows as staging counted elements (read_text yields no
        # row for a file it does not find: one deleted since the merge checked it, say).
        if all(typed.get(page.page_no, 0) == page.records for page in pages):
            return
        log.warning("typing pages %d-%d at once lost records: typing them one by one", page_nos[0], page_nos[-1])
        con.execute("DELETE FROM typed_rows WHERE list_contains(?, page_no)", [page_nos])
    for page in pages:
        type_page(con, page.page_no, page.fetched_at, decode_body(page.path.read_bytes()), stream)


def _split_and_type(con: duckdb.DuckDBPyConnection, pages: list[StagedPage], stream: Stream) -> None:
    """The pages' records into TEMP table page_records, then typed into typed_rows. Apart, the two
    statements need less memory than together (page_records.sql): at 500k models, a crawl's 27
    batches that ran out of memory in one statement all fit, for 4 % less CPU (BENCHMARKS.md)."""
    try:
        con.execute(sql("page_records"), {
            "files": [str(page.path) for page in pages],
            "page_nos": [page.page_no for page in pages],
            "fetched_ats": [page.fetched_at for page in pages],
        })  # fmt: skip
        con.execute(sql("type_page_records", stream))
    finally:
        con.execute("DROP TABLE IF EXISTS page_records")


def decode_body(body: bytes) -> str:
    """JSON is UTF-8 (RFC 8259): decoding it directly is ~7 ms a page faster than httpx's
    incremental decoder, with the same replacement of bad bytes."""
    return body.decode("utf-8", errors="replace")


def type_page(con: duckdb.DuckDBPyConnection, page_no: int, fetched_at: datetime, body: str, stream: Stream) -> None:
    """Append the records of a page's body (a complete JSON array, as staging checked) to typed_rows."""
    page = {"page_no": page_no, "fetched_at": fetched_at}
    try:
        try:
            con.execute(sql("type_page", stream), {"body": body, **page})
        except duckdb.OutOfMemoryException:
            # Typing a page takes ~20x its size in DuckDB memory: a page with a dozen MB-sized
            # cardData runs out of 256 MB. One record at a time needs only the largest's share.
            log.warning("page %d (%.1f MB) is too big to type at once: typing it record by record",
                        page_no, len(body) / 1e6)  # fmt: skip
            for record in json.loads(body):
                con.execute(sql("type_page", stream), {"body": json.dumps([record]), **page})
    except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.OutOfMemoryException) as error:
        # A JSON array that defeats typing, or a record too big to type in DuckDB's memory: keep
        # every record raw instead (and none of what was typed record by record before it failed).
        reason = f"unparsable_page: {str(error).splitlines()[0][:200]}"
        con.execute("DELETE FROM typed_rows WHERE page_no = ?", [page_no])
        con.execute(sql("type_unparsable_page"), {"body": body, "reason": reason, **page})
