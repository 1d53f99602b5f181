"""Listing pages -> typed rows: the one place a page's JSON becomes the models table's columns.

The merge types a chunk's staged pages just before applying them (warehouse/merge.py), and staging
types the pages of a newest-first listing as they come, to see how far back each one reaches.
Every record survives typing: a page that defeats it is kept raw, for quarantine.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

import duckdb

from .sqlfiles import sql

log = logging.getLogger("registry.warehouse")


def create_typed_rows(con: duckdb.DuckDBPyConnection) -> None:
    """An empty TEMP table typed_rows on `con`, replacing any earlier one."""
    con.execute(sql("typed_rows_schema"))


def type_page(con: duckdb.DuckDBPyConnection, page_no: int, fetched_at: datetime, body: str) -> None:
    """Append the records of a page's body (a complete JSON array, as staging checked) to typed_rows."""
    page = {"page_no": page_no, "fetched_at": fetched_at}
    try:
        try:
            con.execute(sql("type_page"), {"body": body, **page})
        except duckdb.OutOfMemoryException:
            # Typing a page takes ~20x its size in DuckDB memory: a page with a dozen MB-sized
            # cardData runs out of 256 MB. One record at a time needs only the largest's share.
            log.warning("page %d (%.1f MB) is too big to type at once: typing it record by record",
                        page_no, len(body) / 1e6)  # fmt: skip
            for record in json.loads(body):
                con.execute(sql("type_page"), {"body": json.dumps([record]), **page})
    except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.OutOfMemoryException) as error:
        # A JSON array that defeats typing, or a record too big to type in DuckDB's memory: keep
        # every record raw instead (and none of what was typed record by record before it failed).
        reason = f"unparsable_page: {str(error).splitlines()[0][:200]}"
        con.execute("DELETE FROM typed_rows WHERE page_no = ?", [page_no])
        con.execute(sql("type_unparsable_page"), {"body": body, "reason": reason, **page})
