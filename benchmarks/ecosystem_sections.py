"""Figure: each `registry stats` section over datasets, Spaces and repo_links, computed live, at the
Hub's size (2.5M models, 700k datasets, 800k Spaces), on a synthetic warehouse written straight into
the tables (benchmarks/sql/synthetic_ecosystem.sql: no crawl, so it takes a minute, not hours).

Prints, as JSON, the seconds `prepare` takes for these sections (their shared relations included)
and each section's warm time: the best of --repeats runs after a first, cold one.

    python -m benchmarks.ecosystem_sections --models 2500000 --datasets 700000 --spaces 800000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from queries.sections import SECTIONS
from queries.stats import prepare, run_section
from warehouse.connect import open_reader, open_writer
from warehouse.sqlfiles import execute_script

SQL = Path(__file__).parent / "sql"
ECOSYSTEM_SECTIONS = SECTIONS[SECTIONS.index("dataset_growth_by_month") : SECTIONS.index("top_owners") + 1]


def synthesize(db: Path, models: int, datasets: int, spaces: int) -> float:
    """Write the synthetic ecosystem; the seconds it took."""
    started = time.perf_counter()
    con = open_writer(db)
    con.execute("SET memory_limit = '4GB'")  # a one-off bulk load, not the crawl's path
    params = {"models": models, "datasets": datasets, "spaces": spaces}
    execute_script(con, (SQL / "synthetic_ecosystem.sql").read_text(), params)
    con.execute("CHECKPOINT")
    con.close()
    return round(time.perf_counter() - started, 1)


def time_sections(db: Path, repeats: int) -> dict:
    """Seconds of prepare, then of each section warm (best of `repeats` after a cold run)."""
    con = open_reader(db)
    params = {"top": 20, "as_of": None}
    try:
        started = time.perf_counter()
        prepare(con, ECOSYSTEM_SECTIONS, params)
        timings = {"prepare": round(time.perf_counter() - started, 3)}
        for section in ECOSYSTEM_SECTIONS:
            runs = []
            for _ in range(repeats + 1):
                started = time.perf_counter()
                run_section(con, section, params)
                runs.append(time.perf_counter() - started)
            timings[section] = round(min(runs[1:] or runs), 3)
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
