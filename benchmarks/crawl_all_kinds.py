"""Figure: the full crawl of models, datasets and Spaces side by side, against the slowest cursor chain.

The stand-in runs in its own process at `--latency` seconds a page. Measured, each as the real
`registry crawl` with wait4() (benchmarks/crawl_full.py): a models-only crawl of the same models
(`--type models`: the CPU per million records to compare with), the full crawl of the three kinds,
and, after one simulated day of churn on all three, the nightly run (incremental listings and the
counters refresh of each kind). The floor of a crawl is its slowest route's pages, each taking the
latency plus the stand-in's own time to build and send it (a route's cursor chain is sequential;
the three chains are not), or, under a quota, the requests the quota lets through in that time.

    python -m benchmarks.crawl_all_kinds --models 2500000 --datasets 700000 --spaces 800000 --latency 0.3
        [--quota N --window S] [--standin URL] [--keep DIR] [--no-models-only] [--no-nightly]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import duckdb

from .crawl_full import crawl_env, measure, slowest_chain_seconds
from .standin import StandIn


def measured_crawl(standin: StandIn, pace: argparse.Namespace, db: Path, *args: str, **env: str) -> dict:
    """One `registry crawl`: its cost, the stand-in's requests, and the floor its routes set at
    `pace` (latency, quota, window)."""
    standin.configure(latency=pace.latency, quota=pace.quota, window=pace.window)
    command = [sys.executable, "-m", "registry", "crawl", "--quiet", *args]
    figures = measure(command, crawl_env(standin.url, db) | env)
    served = standin.stats()
    floor = slowest_chain_seconds(served)
    if pace.quota:
        floor = max(floor, served["requests"] / pace.quota * pace.window)
    return {
        **figures,
        "requests": served["requests"],
        "pages_by_route": served["pages_by_route"],
        "standin_429": served["count_429"],
        "slowest_chain_pages_x_latency": max(served["pages_by_route"].values(), default=0) * pace.latency,
        "floor_seconds": round(floor, 2),
        "wall_over_floor": round(figures["wall_seconds"] / floor, 3) if floor else None,
    }


def records_crawled(db: Path, after_run: int = 0) -> dict:
    """Records listed per repository type by the runs after `after_run`, and the last run's id."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT repo_type, sum(records)::BIGINT FROM crawl_runs WHERE id > ? GROUP BY repo_type", [after_run]
    ).fetchall()
    (last,) = con.execute("SELECT max(id) FROM crawl_runs").fetchone()
    con.close()
    return {"last_run": last, "records": dict(rows)}


def per_million(figures: dict) -> float:
    return round(figures["cpu_seconds"] / sum(figures["records"].values()) * 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--datasets", type=int, help="default: 0.28 of --models (700k to 2.5M)")
    parser.add_argument("--spaces", type=int, help="default: 0.32 of --models (800k to 2.5M)")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the stand-in waits per page")
    parser.add_argument("--quota", type=int, default=0, help="requests per window (0: no quota)")
    parser.add_argument("--window", type=float, default=300)
    parser.add_argument("--standin", help="URL of a running stand-in to reuse (it will churn)")
    parser.add_argument("--no-models-only", action="store_true", help="skip the models-only crawl")
    parser.add_argument("--no-nightly", action="store_true", help="skip the day of churn and the nightly run")
    parser.add_argument("--keep", type=Path, help="a new folder to keep the warehouses in (to time reports on them)")
    args = parser.parse_args()
    datasets = args.datasets if args.datasets is not None else round(args.models * 0.28)
    spaces = args.spaces if args.spaces is not None else round(args.models * 0.32)
    launched = args.standin is None
    standin = StandIn.launch(args.models, datasets=datasets, spaces=spaces) if launched else StandIn(args.standin)
    figures: dict = {"models": args.models, "datasets": datasets, "spaces": spaces, "latency": args.latency}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            tmp = scratch
            if args.keep:
                args.keep.mkdir(parents=True)
                tmp = str(args.keep)
            if not args.no_models_only:
                models_only = measured_crawl(standin, args, Path(tmp) / "models.duckdb", "--type", "models")
                models_only |= records_crawled(Path(tmp) / "models.duckdb")
                models_only["cpu_seconds_per_million_records"] = per_million(models_only)
                figures["models_only"] = models_only
            db = Path(tmp) / "all.duckdb"
            full = measured_crawl(standin, args, db) | records_crawled(db)
            full["cpu_seconds_per_million_records"] = per_million(full)
            figures["full"] = full
            if not args.no_nightly:
                figures["churn"] = standin.churn(days=1)
                nightly = measured_crawl(standin, args, db, REGISTRY_COUNTERS_EVERY_HOURS="0")
                figures["nightly"] = nightly | records_crawled(db, full["last_run"])
    except SystemExit as failure:  # a crawl failed: what was measured before it is kept, and said
        figures["failed"] = str(failure)
    finally:
        standin.close()
    if "models_only" in figures and "full" in figures:
        ratio = full["cpu_seconds_per_million_records"] / figures["models_only"]["cpu_seconds_per_million_records"]
        figures["cpu_per_million_vs_models_only"] = round(ratio, 3)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
