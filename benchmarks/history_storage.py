"""Figure: bytes per model-day of history, after a simulated month of nightly runs.

A stand-in of N models; each simulated day adds, edits and deletes models, drifts half of all
counters, and runs the nightly update (incremental + counters refresh) on a simulated clock. The
history tables are then copied, sorted as stored, into a fresh DuckDB file to measure their size.

    python -m benchmarks.history_storage --models 200000 --days 30
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import duckdb

from crawler.crawl import update_mirror
from registry.settings import load_settings
from tests.hub_standin import HubStandIn, Population


def table_bytes(db: Path, table: str, order: str | None, workdir: Path) -> int:
    """On-disk size of `table` alone, as DuckDB stores it."""
    copy = workdir / f"{table}.duckdb"
    con = duckdb.connect(str(copy))
    empty = None
    try:
        con.execute("CHECKPOINT")
        empty = copy.stat().st_size
        con.execute(f"ATTACH '{db}' AS source (READ_ONLY)")
        ordered = f" ORDER BY {order}" if order else ""  # None: copied in the order it is stored
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM source.{table}{ordered}")
        con.execute("DETACH source")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return copy.stat().st_size - empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    population = Population.generate(args.models, seed=1, private_fraction=0.02, profile="hub")
    ticks = iter(range(10**9))

    def clock():
        return population.now.replace(tzinfo=None) + timedelta(minutes=5, microseconds=next(ticks))

    with tempfile.TemporaryDirectory() as tmp, HubStandIn(population) as hub:
        db = Path(tmp) / "history.duckdb"
        settings = replace(load_settings(db), endpoint=hub.url, token=None, clock=clock)
        started = time.perf_counter()
        update_mirror(settings)
        for _ in range(args.days - 1):
            population.live(days=1, base=args.models)
            update_mirror(settings)
        con = duckdb.connect(str(db), read_only=True)
        (model_days,) = con.execute("SELECT count(*) FROM daily_counters").fetchone()
        (versions,) = con.execute("SELECT count(*) FROM model_versions").fetchone()
        (days,) = con.execute("SELECT count(DISTINCT day) FROM daily_counters").fetchone()
        con.close()
        counters_bytes = table_bytes(db, "daily_counters", "day, model_key", Path(tmp))
        versions_bytes = table_bytes(db, "model_versions", "model_key, valid_from", Path(tmp))
        figures = {
            "models": args.models,
            "days": days,
            "model_days": model_days,
            "daily_counters_mb": round(counters_bytes / 2**20, 1),
            "bytes_per_model_day": round(counters_bytes / model_days, 2),
            "model_versions": versions,
            "model_versions_mb": round(versions_bytes / 2**20, 1),
            "warehouse_mb": round(db.stat().st_size / 2**20, 1),
            "simulation_seconds": round(time.perf_counter() - started, 1),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
