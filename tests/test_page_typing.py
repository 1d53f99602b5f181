"""A merge chunk's pages are typed in one statement; when that fails, page by page, and nothing is lost."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.connect import configure
from warehouse.page_typing import StagedPage, create_typed_rows, type_page_files
from warehouse.staging import page_file_records

FETCHED = datetime(2026, 11, 27, 12, 0)


def _page(directory: Path, page_no: int, body: bytes, records: int | None = None) -> StagedPage:
    path = directory / f"{page_no:09d}.json"
    path.write_bytes(body)
    return StagedPage(
        page_no, FETCHED, len(json.loads(body.decode(errors="replace"))) if records is None else records, path
    )


def _records(page_no: int, count: int) -> list[dict]:
    return [{"id": f"org/model-{page_no}-{i}", "downloads": i, "tags": ["license:mit"]} for i in range(count)]


@pytest.fixture
def con():
    connection = configure(duckdb.connect(), writer=True)
    create_typed_rows(connection)
    yield connection
    connection.close()


def _typed(con) -> list[tuple]:
    return con.execute(
        "SELECT page_no, fetched_at, id, downloads, license, flags FROM typed_rows ORDER BY id"
    ).fetchall()


def test_pages_are_typed_in_one_statement(con, tmp_path, caplog):
    pages = [_page(tmp_path, n, json.dumps(_records(n, 3)).encode()) for n in (1, 2, 3)]
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages)
    assert not caplog.records, "no fallback was needed"
    rows = _typed(con)
    assert len(rows) == 9
    # the records carry only id, downloads and tags: typed, and flagged for what they lack
    missing = ["missing:author", "missing:createdAt", "missing:lastModified", "missing:sha", "missing:likes"]
    assert rows[0] == (1, FETCHED, "org/model-1-0", 0, "mit", missing)
    assert {(page_no, model_id.split("-")[1]) for page_no, _, model_id, *_ in rows} == {(n, str(n)) for n in (1, 2, 3)}


def test_a_page_that_is_not_utf8_falls_back_to_page_by_page_with_bad_bytes_replaced(con, tmp_path, caplog):
    bad = json.dumps(_records(2, 2)).encode().replace(b"model-2-1", b"model-2-\xff")
    pages = [_page(tmp_path, 1, json.dumps(_records(1, 2)).encode()), _page(tmp_path, 2, bad)]
    assert page_file_records(con, pages[1].path) == 2
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages)
    assert any("one by one" in record.getMessage() for record in caplog.records)
    assert [row[2] for row in _typed(con)] == ["org/model-1-0", "org/model-1-1", "org/model-2-0", "org/model-2-\ufffd"]


def test_a_page_that_does_not_come_out_whole_is_typed_again_without_duplicates(con, tmp_path, caplog):
    # Staging counted 4 elements where the file has 3: the chunk's rows are dropped and typed page by page.
    pages = [
        _page(tmp_path, 1, json.dumps(_records(1, 2)).encode()),
        _page(tmp_path, 2, json.dumps(_records(2, 3)).encode(), records=4),
    ]
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages)
    assert any("lost records" in record.getMessage() for record in caplog.records)
    assert sorted(row[2] for row in _typed(con)) == [f"org/model-1-{i}" for i in range(2)] + [
        f"org/model-2-{i}" for i in range(3)
    ]
