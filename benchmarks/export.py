"""Figure: `registry export` of a whole warehouse: wall, CPU, peak RSS, what it wrote.

The export runs as the real command, measured with wait4() as a crawl is (crawl_full.measure), into
a temporary folder. The warehouse is --db (read, not changed: one at the current schema, such as
`history_stats --keep` leaves at 2.5M models × 365 days), or a full crawl of a stand-in of --models.
At that size the export once ran out of the readers' memory (BENCHMARKS.md, 2026-12-03).

    python -m benchmarks.export --db HISTORY.duckdb
    python -m benchmarks.export --models 200000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .crawl_full import measure, run_crawl
from .standin import StandIn


def measure_export(db: Path, out: Path) -> dict:
    figures = measure(
        [sys.executable, "-m", "registry", "export", "--db", str(db), "--out", str(out)], dict(os.environ)
    )
    tables = json.loads((out / "schema.json").read_text())["tables"]
    largest = sorted(tables, key=lambda name: tables[name]["rows"], reverse=True)[:3]
    return {
        **figures,
        "export_mb": round(sum(path.stat().st_size for path in out.rglob("*") if path.is_file()) / 2**20, 1),
        "tables": len(tables),
        "rows": sum(entry["rows"] for entry in tables.values()),
        "largest_tables_rows": {name: tables[name]["rows"] for name in largest},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="a warehouse to export (not changed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "registry.duckdb"
        if not args.db:
            with StandIn.launch(args.models) as standin:
                run_crawl(standin.url, db)
        figures = {"db": str(db) if args.db else None, "models": None if args.db else args.models}
        figures |= measure_export(db, Path(tmp) / "export")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
