"""A merge chunk's pages are typed a batch per statement; when that fails, page by page, and nothing is lost."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from warehouse import page_typing
from warehouse.connect import configure
from warehouse.page_typing import StagedPage, create_typed_rows, type_page_files, type_staged_pages
from warehouse.staging import page_file_records
from warehouse.streams import MODELS

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
    create_typed_rows(connection, MODELS)
    yield connection
    connection.close()


def _typed(con) -> list[tuple]:
    return con.execute(
        "SELECT page_no, fetched_at, id, downloads, license, flags FROM typed_rows ORDER BY id"
    ).fetchall()


def test_pages_are_typed_in_one_statement(con, tmp_path, caplog):
    pages = [_page(tmp_path, n, json.dumps(_records(n, 3)).encode()) for n in (1, 2, 3)]
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages, MODELS)
    assert not caplog.records, "no fallback was needed"
    rows = _typed(con)
    assert len(rows) == 9
    # the records carry only id, downloads and tags: typed, and flagged for what they lack
    missing = ["missing:author", "missing:createdAt", "missing:lastModified", "missing:sha", "missing:likes"]
    assert rows[0] == (1, FETCHED, "org/model-1-0", 0, "mit", missing)
    assert {(page_no, model_id.split("-")[1]) for page_no, _, model_id, *_ in rows} == {(n, str(n)) for n in (1, 2, 3)}


def test_a_chunk_bigger_than_a_statement_is_typed_in_batches_of_whole_pages(con, tmp_path, caplog, monkeypatch):
    pages = [_page(tmp_path, n, json.dumps(_records(n, 3)).encode()) for n in (1, 2, 3)]
    # room for two of these pages in a statement: the chunk is typed in two, none alone falls back
    monkeypatch.setattr(page_typing, "TYPING_BATCH_BYTES", pages[0].path.stat().st_size * 2 + 10)
    assert [[page.page_no for page in batch] for batch in page_typing._batches_by_size(pages, 2 * 10**9)] == [[1, 2, 3]]
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_staged_pages(con, pages, MODELS)
    assert not caplog.records, "no fallback was needed"
    assert [(row[0], row[2]) for row in _typed(con)] == [(n, f"org/model-{n}-{i}") for n in (1, 2, 3) for i in range(3)]
    limit = page_typing.TYPING_BATCH_BYTES
    assert [[page.page_no for page in batch] for batch in page_typing._batches_by_size(pages, limit)] == [[1, 2], [3]]


def test_a_page_that_is_not_utf8_falls_back_to_page_by_page_with_bad_bytes_replaced(con, tmp_path, caplog):
    bad = json.dumps(_records(2, 2)).encode().replace(b"model-2-1", b"model-2-\xff")
    pages = [_page(tmp_path, 1, json.dumps(_records(1, 2)).encode()), _page(tmp_path, 2, bad)]
    assert page_file_records(con, pages[1].path) == 2
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages, MODELS)
    assert any("one by one" in record.getMessage() for record in caplog.records)
    assert [row[2] for row in _typed(con)] == ["org/model-1-0", "org/model-1-1", "org/model-2-0", "org/model-2-\ufffd"]


def test_a_page_that_does_not_come_out_whole_is_typed_again_without_duplicates(con, tmp_path, caplog):
    # Staging counted 4 elements where the file has 3: the chunk's rows are dropped and typed page by page.
    pages = [
        _page(tmp_path, 1, json.dumps(_records(1, 2)).encode()),
        _page(tmp_path, 2, json.dumps(_records(2, 3)).encode(), records=4),
    ]
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages, MODELS)
    assert any("lost records" in record.getMessage() for record in caplog.records)
    assert sorted(row[2] for row in _typed(con)) == [f"org/model-1-{i}" for i in range(2)] + [
        f"org/model-2-{i}" for i in range(3)
    ]


def test_a_batch_that_runs_out_of_memory_is_typed_in_halves_and_nothing_is_lost(con, tmp_path, caplog):
    # ~2 MB pages of wide cards: under a 45 MB cap no two of them type in one statement, one does
    card = {"text": "x" * 2000}
    pages = [
        _page(tmp_path, n, json.dumps([{"id": f"org/model-{n}-{i}", "cardData": card} for i in range(1000)]).encode())
        for n in (1, 2, 3, 4)
    ]
    con.execute("SET memory_limit = '45MB'")
    with caplog.at_level("INFO", logger="registry.warehouse"):
        type_page_files(con, pages, MODELS)
    messages = [record.getMessage() for record in caplog.records]
    halved = [message.split(" at once")[0] for message in messages if "in halves" in message]
    assert halved == ["typing pages 1-4", "typing pages 1-2", "typing pages 3-4"]
    rows = con.execute("SELECT page_no, id FROM typed_rows ORDER BY page_no, id").fetchall()
    assert rows == sorted((n, f"org/model-{n}-{i}") for n in (1, 2, 3, 4) for i in range(1000))


# -- the shapes real Hub bodies have (README, "Warehouse schema"; tests/test_real_bodies.py crawls the real ones) --

CLEAN = {"_id": "67d12629c4baca71e68a2b22", "author": "org", "createdAt": "2025-03-12T06:14:01.000Z",
         "lastModified": "2025-03-12T10:30:05.000Z", "sha": "f9c28bcd85737ffc5aef028638d3341d49869c27",
         "downloads": 3, "likes": 1, "tags": []}  # fmt: skip
SHAPES = {
    "org/children-number": {"childrenModelCount": 12},
    "org/children-by-relation": {"childrenModelCount": {"adapter": 2, "finetune": 5, "merge": 0, "quantized": 11}},
    "org/children-none-yet": {"childrenModelCount": {}},
    "org/base-with-object-ids": {"baseModels": {"relation": "quantized", "models": [
        {"_id": "67b79c8700245b72c5706777", "id": "google/gemma-3-1b-it"}]}},
    "org/base-merge-of-two": {"baseModels": {"relation": "merge", "models": [
        {"_id": "68f8dfe68cb208be9702aa87", "id": "a/one"}, {"_id": "6909b87b734dd24dd19da3ef", "id": "b/two"}]}},
    "org/safetensors-dtypes": {"safetensors": {"parameters": {"I64": 512, "F32": 1000, "BF16": 7000}, "total": 8512}},
    "org/gguf-with-file-size": {"config": {}, "gguf": {"total": 999885952, "architecture": "gemma3",
                                "context_length": 32768, "totalFileSize": 2006573568}},
    "org/config-empty": {"config": {}},
    "org/optional-keys-absent": {},
}  # fmt: skip
COLUMNS = "id, children_model_count, base_models, base_relation, parameters, parameters_source, flags"


def test_the_shapes_of_real_bodies_are_typed_without_a_flag(con, tmp_path):
    bodies = [{**CLEAN, "id": model_id, **shape} for model_id, shape in SHAPES.items()]
    type_page_files(con, [_page(tmp_path, 1, json.dumps(bodies).encode())], MODELS)
    rows = {row[0]: row[1:] for row in con.execute(f"SELECT {COLUMNS} FROM typed_rows").fetchall()}
    assert rows == {
        "org/children-number": (12, None, None, None, None, []),
        "org/children-by-relation": (18, None, None, None, None, []),  # the relations' counts, summed
        "org/children-none-yet": (0, None, None, None, None, []),
        "org/base-with-object-ids": (None, ["google/gemma-3-1b-it"], "quantized", None, None, []),
        "org/base-merge-of-two": (None, ["a/one", "b/two"], "merge", None, None, []),
        "org/safetensors-dtypes": (None, None, None, 8512, "safetensors", []),
        # totalFileSize is the bytes of one GGUF file the Hub parsed, never a parameter count
        "org/gguf-with-file-size": (None, None, None, 999885952, "gguf", []),
        "org/config-empty": (None, None, None, None, None, []),
        "org/optional-keys-absent": (None, None, None, None, None, []),
    }


def test_children_counts_that_are_not_numbers_are_flagged(con, tmp_path):
    shapes = {"org/a": {"childrenModelCount": "7"}, "org/b": {"childrenModelCount": {"adapter": "2"}},
              "org/c": {"childrenModelCount": [1, 2]}, "org/d": {"childrenModelCount": {"adapter": 1.5}}}  # fmt: skip
    bodies = [{**CLEAN, "id": model_id, **shape} for model_id, shape in shapes.items()]
    type_page_files(con, [_page(tmp_path, 1, json.dumps(bodies).encode())], MODELS)
    rows = con.execute("SELECT id, children_model_count, flags FROM typed_rows ORDER BY id").fetchall()
    assert rows == [(model_id, None, ["bad_type:childrenModelCount"]) for model_id in shapes]


def test_card_base_models_and_datasets_take_one_id_or_a_list_and_nothing_else(con, tmp_path):
    fields = ["org/a", ["org/a", "org/b"], [], {"id": "org/a"}, None, 5]
    cards = [{"base_model": field, "datasets": field} for field in fields] + [{"license": "mit"}, "not a card"]
    records = [{**CLEAN, "id": f"org/m{n}", "cardData": card} for n, card in enumerate(cards)]
    type_page_files(con, [_page(tmp_path, 1, json.dumps(records).encode())], MODELS)
    rows = con.execute("SELECT card_base_models, card_datasets FROM typed_rows ORDER BY id").fetchall()
    declared = [["org/a"], ["org/a", "org/b"], [], None, None, None, None, None]
    assert rows == [(ids, ids) for ids in declared]
