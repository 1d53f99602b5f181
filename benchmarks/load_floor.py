"""Figure: the floor under the crawl's CPU per million records: DuckDB alone, no crawl around it.

The crawl must at least type every record and keep it whole (README: typed columns next to the raw
JSON). This measures the two with DuckDB's own bulk functions, on the pages of the same stand-in,
with the crawler's DuckDB settings (one thread, its memory cap), each step in a child process
measured with wait4() as a crawl is:
- typing: one read_json of the page files into the crawl's fields (benchmarks/sql/floor_fields.sql),
  each value extracted (benchmarks/sql/floor_parse.sql);
- keeping: each record's JSON text appended to a table of a warehouse file, checkpointed
  (benchmarks/sql/floor_keep_raw.sql); the file opened as the crawl opens the warehouse (its storage
  format, row groups), the column compressed as the warehouse's `raw` is (ZSTD).
- storing: what a first crawl stores for a record, by the same bulk functions: the typed fields in a
  table, raw kept as above, and a version, a day of counters and the base-model links written
  (benchmarks/sql/floor_store.sql). Not the issue's floor, which is typing + keeping: it tells how
  much of a crawl's cost above that floor storing everything accounts for, and how much is left to
  the typing rules and the merge.
- fetching: the listing's cursor chain followed with the crawler's HTTP client (httpx2), each body
  read whole and dropped: what receiving the pages costs the client, before anything is done with them.
For typing, keeping and storing, the pages are fetched into files first, not measured. A crawl through DuckDB
cannot cost less than fetching plus the larger of the two; the sum of typing and keeping, about what
both cost, counts one parse twice (keeping splits each page).

    python -m benchmarks.load_floor --models 200000 [--standin URL]
    python -m benchmarks.load_floor --step parse|keep|store --pages DIR   (one step, as the child runs it)
    python -m benchmarks.load_floor --step fetch --standin URL
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import httpx2

from crawler.listing import listing_path
from registry.settings import load_settings
from warehouse.connect import configure, connect_writer_with_patience
from warehouse.sqlfiles import execute_script
from warehouse.streams import MODELS

from .crawl_full import measure_with_output
from .standin import StandIn

SQL = Path(__file__).parent / "sql"
# Each step's SQL files, run in order: storing keeps raw as keeping does, then stores the rest.
STEPS = {
    "parse": ("floor_parse.sql",),
    "keep": ("floor_keep_raw.sql",),
    "store": ("floor_keep_raw.sql", "floor_store.sql"),
}


def fetch_pages(url: str, into: Path | None) -> int:
    """Every page of a full listing, as the Hub sent its body, into numbered files (dropped without
    `into`); the page count."""
    next_url: str | None = url + listing_path(MODELS, "full", load_settings().page_size)
    pages = 0
    with httpx2.Client(timeout=600) as client:
        while next_url:
            response = client.get(next_url).raise_for_status()
            pages += 1
            if into is not None:
                (into / f"{pages:06d}.json").write_bytes(response.content)
            next_url = response.links.get("next", {}).get("url")
    return pages


def run_step(step: str, pages: Path) -> None:
    """One step on the page files, with the crawler's DuckDB settings; prints the records it read."""
    with tempfile.TemporaryDirectory() as tmp:
        con = configure(connect_writer_with_patience(Path(tmp) / "floor.duckdb", patience=0), writer=True)
        files = sorted(str(path) for path in pages.glob("*.json"))
        con.execute((SQL / "floor_fields.sql").read_text())  # the read both typing steps share
        for name in STEPS[step]:
            execute_script(con, (SQL / name).read_text(), {"files": files})
        if step in ("keep", "store"):
            con.execute("SELECT count(*) FROM kept")
        print(json.dumps({"records": con.fetchone()[0]}))
        con.close()  # checkpoints what was kept


def measure_step(step: str, pages: Path) -> dict:
    command = [sys.executable, "-m", "benchmarks.load_floor", "--step", step, "--pages", str(pages)]
    return measure_with_output(command, dict(os.environ))


def measure_fetch(url: str) -> dict:
    command = [sys.executable, "-m", "benchmarks.load_floor", "--step", "fetch", "--standin", url]
    return measure_with_output(command, dict(os.environ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--standin", help="URL of a running stand-in (python -m tests.hub_standin) to reuse")
    parser.add_argument("--step", choices=[*sorted(STEPS), "fetch"], help="run one step (what the child does)")
    parser.add_argument("--pages", type=Path)
    args = parser.parse_args()
    if args.step == "fetch":
        print(json.dumps({"pages": fetch_pages(args.standin, None)}))
        return
    if args.step:
        run_step(args.step, args.pages)
        return
    standin = StandIn(args.standin) if args.standin else StandIn.launch(args.models)
    try:
        standin.configure()
        with tempfile.TemporaryDirectory() as tmp:
            pages = fetch_pages(standin.url, Path(tmp))
            fetch = measure_fetch(standin.url)
            parse, keep = measure_step("parse", Path(tmp)), measure_step("keep", Path(tmp))
            store = measure_step("store", Path(tmp))
    finally:
        standin.close()
    records = keep["records"]
    per_million = {step: round(figures["cpu_seconds"] / records * 1e6, 1) for step, figures in
                   (("fetch", fetch), ("parse", parse), ("keep", keep), ("store", store))}  # fmt: skip
    print(json.dumps({
        "models": args.models, "records": records, "pages": pages,
        "parse_cpu_seconds_per_million_records": per_million["parse"],
        "keep_cpu_seconds_per_million_records": per_million["keep"],
        "floor_cpu_seconds_per_million_records": round(per_million["parse"] + per_million["keep"], 1),
        "fetch_cpu_seconds_per_million_records": per_million["fetch"],
        "store_cpu_seconds_per_million_records": per_million["store"],
        "fetch_peak_rss_mb": fetch["peak_rss_mb"],
        "parse_peak_rss_mb": parse["peak_rss_mb"], "keep_peak_rss_mb": keep["peak_rss_mb"],
        "store_peak_rss_mb": store["peak_rss_mb"],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
