"""Figure: each `registry stats` section over datasets, Spaces and repo_links, computed live, at the
Hub's size (2.5M models, 700k datasets, 800k Spaces), on a synthetic warehouse written straight into
the tables (benchmarks/sql/synthetic_ecosystem.sql: no crawl, so it takes a minute, not hours).

Prints, as JSON, the seconds each shared relation these sections read takes to build (a section
computed live pays its relation's time too) and each section's, warm: wall and CPU of the best of
--repeats runs after a first, cold one.

    python -m benchmarks.ecosystem_sections --models 2500000 --datasets 700000 --spaces 800000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from queries.sections import SECTIONS
from queries.stats import SHARED_RELATIONS, build_shared_relation, prepare, run_section
from tests.hub_standin.population import LEGACY_CREATED_AT
from warehouse.connect import open_reader, open_writer
from warehouse.sqlfiles import execute_script, sql

SQL = Path(__file__).parent / "sql"
ECOSYSTEM_SECTIONS = SECTIONS[SECTIONS.index("dataset_growth_by_month") : SECTIONS.index("top_owners") + 1]


def synthesize(db: Path, models: int, datasets: int, spaces: int) -> float:
    """Write the synthetic ecosystem; the seconds it took."""
    started = time.perf_counter()
    con = open_writer(db)
    con.execute("SET memory_limit = '4GB'")  # a one-off bulk load, not the crawl's path
    # the legacy cohort's createdAt as the stand-in gives it (the rule names it once: migration 008)
    legacy = datetime.fromisoformat(LEGACY_CREATED_AT.replace("Z", "+00:00")).replace(tzinfo=None)
    params = {"models": models, "datasets": datasets, "spaces": spaces, "legacy": legacy}
    execute_script(con, (SQL / "synthetic_ecosystem.sql").read_text(), params)
    execute_script(con, sql("rebuild_links"), {})  # what the merge keeps, for rows written without it
    con.execute("CHECKPOINT")
    con.close()
    return round(time.perf_counter() - started, 1)


def best_of(repeats: int, run: Callable[[], object]) -> dict:
    """Wall and CPU seconds (all threads) of the fastest of `repeats` runs after a first, cold one: on
    a shared machine the CPU figure is the steadier one."""
    runs = []
    for _ in range(repeats + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall, cpu = min(runs[1:] or runs)
    return {"wall": round(wall, 3), "cpu": round(cpu, 3)}


def time_sections(db: Path, repeats: int) -> dict:
    """Each shared relation's build, then each section, warm."""
    con = open_reader(db)
    params = {"top": 20, "as_of": None}
    try:
        prepare(con, (), params)  # the views over the tables: no work until read
        timings = {}
        for relation, readers in SHARED_RELATIONS.items():
            if readers & set(ECOSYSTEM_SECTIONS):
                timings[relation] = best_of(repeats, lambda relation=relation: build_shared_relation(con, relation))
        for section in ECOSYSTEM_SECTIONS:
            timings[section] = best_of(repeats, lambda section=section: run_section(con, section, params))
        return timings
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2_500_000)
    parser.add_argument("--datasets", type=int, default=700_000)
    parser.add_argument("--spaces", type=int, default=800_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", type=Path, help="a warehouse this script synthesized before: reused as it is")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "ecosystem.duckdb"
        seconds = None if db.exists() else synthesize(db, args.models, args.datasets, args.spaces)
        figures = {"models": args.models, "datasets": args.datasets, "spaces": args.spaces,
                   "synthesis_seconds": seconds, "seconds": time_sections(db, args.repeats)}  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
