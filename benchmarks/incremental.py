"""Figure: the nightly run after one simulated day of churn, in requests and wall time, against a full crawl.

On a warehouse holding a full crawl (made here, or a copy of --db), the stand-in lives through one
day (0.2 % models added, 0.5 % edited, 0.05 % deleted, half of all counters moved). Then the two
parts of a nightly `registry crawl` are measured apart: the incremental listing (new and edited
models, newest first down to the watermark) and the counters refresh (downloads, likes and
deletions of every model, through a listing with few fields), which runs when the last one is
older than REGISTRY_COUNTERS_EVERY_HOURS, and which ends with computing and keeping the report.
Then the first `registry stats` after it is measured.

    python -m benchmarks.incremental --models 200000 [--standin URL] [--db FULL_CRAWL.duckdb]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from queries.sections import DEFAULT_TOP, SECTIONS
from queries.stored_report import fingerprint
from warehouse.connect import open_reader

from .crawl_full import crawl_env, measure, measure_stats, run_crawl
from .standin import StandIn


def measured_crawl(standin: StandIn, db: Path, *options: str, **env: str) -> dict:
    """One `registry crawl` as a nightly job runs it: its cost, and the stand-in's count of requests."""
    standin.configure()
    command = [sys.executable, "-m", "registry", "crawl", "--quiet", *options]
    figures = measure(command, crawl_env(standin.url, db) | env)
    return {**figures, "requests": standin.stats()["requests"]}


def first_stats(db: Path) -> dict:
    """The first `registry stats` after the nightly crawl, and whether the crawl had kept every
    section of the report for the warehouse as the crawl left it (so that it is served, not computed)."""
    con = open_reader(db)
    try:
        (kept,) = con.execute(
            "SELECT count(*) FROM report.sections WHERE fingerprint = ? AND top = ?",
            [fingerprint(con, DEFAULT_TOP), DEFAULT_TOP],
        ).fetchone()
    finally:
        con.close()
    return {"stats_after_crawl_served": kept == len(SECTIONS)} | {
        f"stats_after_crawl_{key}": value for key, value in measure_stats(db).items()
    }


def runs_since(db: Path, after_run: int) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT kind, sum(pages)::BIGINT, sum(records)::BIGINT FROM crawl_runs WHERE id > ? GROUP BY kind",
        [after_run],
    ).fetchall()
    (last,) = con.execute("SELECT max(id) FROM crawl_runs").fetchone()
    con.close()
    return {"last_run": last, **{f"{kind}_pages": pages for kind, pages, _ in rows},
            **{f"{kind}_records": records for kind, _, records in rows}}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--standin", help="URL of a running stand-in to reuse (it will churn)")
    parser.add_argument("--db", type=Path, help="a warehouse holding a full crawl of that stand-in (copied)")
    args = parser.parse_args()
    standin = StandIn(args.standin) if args.standin else StandIn.launch(args.models)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "nightly.duckdb"
            figures: dict = {"models": args.models}
            if args.db:
                shutil.copy(args.db, db)
            else:
                standin.configure()
                figures |= {f"full_{key}": value for key, value in run_crawl(standin.url, db).items()}
                figures["full_requests"] = standin.stats()["requests"]
            before = runs_since(db, 0)
            figures["churn"] = standin.churn(days=1)
            # The last counters refresh is fresh: incremental only. The nightly run is one `registry crawl`
            # that ends with the report: measured here after its second part.
            incremental = measured_crawl(standin, db, "--no-report")
            counters = measured_crawl(standin, db, REGISTRY_COUNTERS_EVERY_HOURS="0")
            figures |= first_stats(db)
            figures |= {f"incremental_{key}": value for key, value in incremental.items()}
            figures |= {f"counters_{key}": value for key, value in counters.items()}
            figures["nightly_requests"] = incremental["requests"] + counters["requests"]
            figures["nightly_wall_seconds"] = round(incremental["wall_seconds"] + counters["wall_seconds"], 2)
            figures |= {key: value for key, value in runs_since(db, before["last_run"]).items() if key != "last_run"}
    finally:
        standin.close()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
