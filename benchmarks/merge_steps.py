"""Figure: where a full crawl's merge spends its CPU, step by step and chunk by chunk, as the warehouse grows.

A stand-in's pages are fetched once (--base-models of them, its population: `--profile`), then
copied with their `id` and `_id` renamed per copy until there are --models records, each staged and
merged as a crawl that is not waiting for the Hub does (chunks of CHUNK_PAGES pages). No HTTP and no
stand-in while measuring: what one chunk costs can be compared with what a later one costs, on a
warehouse many times bigger, for the same records. Each step's CPU is the thread CPU the crawl's
merge spends in it (one DuckDB thread, the crawler's settings); printed in s per million records,
for the whole crawl and for each chunk.

    python -m benchmarks.merge_steps --models 1000000 [--base-models 125000] [--profile hub|uniform]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from crawler.heap import keep_heap_small
from warehouse import merge
from warehouse.connect import open_writer
from warehouse.runs import start_run
from warehouse.staging import FetchStats, Staging, page_path, staging_path

from .load_floor import fetch_pages
from .standin import StandIn

STARTED = datetime(2026, 12, 1)


class StepClock:
    """Thread CPU spent in each step of the merge, while installed over warehouse.merge's functions."""

    def __init__(self) -> None:
        self.spent: Counter[str] = Counter()

    @contextmanager
    def step(self, name: str):
        started = time.thread_time()
        try:
            yield
        finally:
            self.spent[name] += time.thread_time() - started

    def wrap(self, name: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            with self.step(name):
                return function(*args, **kwargs)

        return timed

    def install(self) -> None:
        script, writer, transaction = merge.execute_script, merge._writer, merge.transaction

        def execute_script(con, text, params):  # named for the SQL file's first comment line
            with self.step(text.strip().splitlines()[0].lstrip("- ")[:48]):
                script(con, text, params)

        @contextmanager
        def timed_writer(*args):
            with writer(*args) as con:
                yield con
                closing = time.thread_time()
            self.spent["close (checkpoint)"] += time.thread_time() - closing

        @contextmanager
        def timed_transaction(con):
            with transaction(con):
                yield
                committing = time.thread_time()
            self.spent["commit"] += time.thread_time() - committing

        merge.execute_script, merge._writer, merge.transaction = execute_script, timed_writer, timed_transaction
        merge._type_pages = self.wrap("type pages", merge._type_pages)
        merge._upsert_for = self.wrap("knows any staged", merge._upsert_for)


def copy_of(body: bytes, copy: int) -> bytes:
    """A page's body with every id and _id renamed for this copy (baseModels' ids too, consistently)."""
    prefix = b"%d." % copy
    return body.replace(b'"_id": "', b'"_id": "' + prefix).replace(b'"id": "', b'"id": "' + prefix)


def crawl_copies(bases: list[Path], models: int, db: Path, clock: StepClock) -> list[dict]:
    """Stage and merge ceil(models / 1000) pages made of the base pages; each chunk's CPU per step."""
    con = open_writer(db)
    run_id = start_run(con, "full", "http://benchmark", STARTED)
    con.close()
    staging = Staging(staging_path(db, "models"))
    staging.start(run_id, "full", "models", "http://benchmark", "/api/models", None)
    pages, merged, chunks, records_before = -(-models // 1000), 0, [], 0
    for page_no in range(1, pages + 1):
        body = bases[(page_no - 1) % len(bases)].read_bytes()
        page_path(staging.path, page_no).write_bytes(copy_of(body, (page_no - 1) // len(bases)))
        with clock.step("stage page"):
            staging.stage_page(page_no, STARTED + timedelta(seconds=page_no), "/next", FetchStats())
        if page_no - merged >= merge.CHUNK_PAGES or page_no == pages:
            state, before = staging.state(), Counter(clock.spent)
            with staging.released():
                merged = merge.merge_staged(db, staging.path, state, merged, 30)
            staging.forget_merged(merged)
            chunk = per_million(clock.spent - before, state.records - records_before)
            chunks.append({"through_page": merged, **chunk})
            records_before = state.records
    staging.close()
    return chunks


def per_million(spent: Counter[str], records: int) -> dict:
    """Each step's CPU in s per million of these records, and the records."""
    return {"records": records, **{step: round(cpu / records * 1e6, 1) for step, cpu in spent.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1_000_000)
    parser.add_argument("--base-models", type=int, default=125_000, help="models of the stand-in copied")
    parser.add_argument("--profile", choices=["hub", "uniform"], default="hub")
    args = parser.parse_args()
    keep_heap_small()
    with tempfile.TemporaryDirectory() as tmp:
        bases = Path(tmp) / "bases"
        bases.mkdir()
        with StandIn.launch(args.base_models, profile=args.profile) as standin:
            standin.configure()
            fetch_pages(standin.url, bases)
        clock = StepClock()
        clock.install()
        chunks = crawl_copies(sorted(bases.glob("*.json")), args.models, Path(tmp) / "bench.duckdb", clock)
    records = sum(chunk["records"] for chunk in chunks)
    whole = per_million(clock.spent, records)
    print(json.dumps({"models": args.models, "profile": args.profile, "records": records,
                      "cpu_seconds_per_million_records": round(sum(clock.spent.values()) / records * 1e6, 1),
                      "steps": whole, "chunks": chunks}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
