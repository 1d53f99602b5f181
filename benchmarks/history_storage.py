"""Figure: bytes per model-day of the counters history, stored as changes, against the dense table.

Writes --models models into a fresh warehouse as the calibrated population draws their counters
(benchmarks/sql/synthetic_models.sql), then --days days of history ending today, day by day, through
the merge's own SQL (warehouse/sql/apply_observed_counters.sql), with counters moving as on the Hub:
most models' not on most days (benchmarks/sql/synthetic_counters_day.sql says how). Reports the bytes
per model-day of what is stored (model_counter_changes, model_last_counters, counter_days) and, on
the same data, of the dense table the view gives (copied from the view, the last --dense-days days,
as the old table stored them: in day order), and `fastest_risers` warm (the best of 3 after a cold run).

    python -m benchmarks.history_storage --models 2500000 --days 365
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from queries.stats import run_section
from tests.hub_standin import calibration as cal
from tests.hub_standin.profiles import _head_median
from warehouse.connect import open_reader, open_writer
from warehouse.migrations import migrate
from warehouse.settle import settle_counter_days
from warehouse.sqlfiles import execute_script, sql
from warehouse.streams import MODELS

SQL = Path(__file__).parent / "sql"


def table_bytes(db: Path, table: str, order: str | None, workdir: Path, where: str = "true") -> int:
    """On-disk size of `table` (or view) alone, as DuckDB stores it."""
    copy = workdir / f"{table}.duckdb"
    con = duckdb.connect(str(copy))
    empty = None
    try:
        con.execute("CHECKPOINT")
        empty = copy.stat().st_size
        con.execute(f"ATTACH '{db}' AS source (READ_ONLY)")
        ordered = f" ORDER BY {order}" if order else ""  # None: copied in the order it is stored
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM source.{table} WHERE {where}{ordered}")
        con.execute("DETACH source")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    size = copy.stat().st_size - empty
    copy.unlink()
    return size


COUNTERS_HISTORY = ("model_counter_changes", "model_last_counters", "daily_totals", "latest_counters")


def synthesize_history(db: Path, days: int) -> dict:
    """Replace the crawl's one day of counters by `days` synthetic days ending on it, recorded day by
    day as a crawl's merge records them (counters moving as on the Hub: synthetic_counters_day.sql),
    each day's crawl settling the days before it (warehouse/settle.py)."""
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    migrate(con)  # a warehouse crawled before the rollups (or the sparse history) gets them
    (last_day,) = con.execute("SELECT max(day) FROM counter_days WHERE repo_type = 'models'").fetchone()
    for table in COUNTERS_HISTORY:
        con.execute(f"DELETE FROM {table}")
    con.execute("DELETE FROM counter_days WHERE repo_type = 'models'")
    con.execute("DELETE FROM counter_days_settled WHERE repo_type = 'models'")
    day_sql = (SQL / "synthetic_counters_day.sql").read_text()
    record = sql("apply_observed_counters", MODELS)  # as a crawl's merge records a day, rollups included
    model_days = 0
    for days_back in range(days - 1, -1, -1):  # oldest first, as crawls come
        con.execute(day_sql, {"last_day": last_day, "days_back": days_back})
        model_days += con.execute("SELECT count(*) FROM observed").fetchone()[0]
        first_day = last_day - timedelta(days=days_back)
        execute_script(con, record, {"first_day": first_day, "pass": "counters"})
        settle_counter_days(con, MODELS, first_day)  # as that day's crawl does when it finishes
    execute_script(con, (SQL / "synthetic_license_changes.sql").read_text(), {"last_day": last_day, "days": days})
    con.execute("CHECKPOINT")
    con.close()
    return {"model_days": model_days, "synthesis_seconds": round(time.perf_counter() - started, 1)}


def stored_history_bytes(db: Path, workdir: Path) -> int:
    """What the models' counters history takes on disk: the changes, the last counters, the days."""
    return sum(table_bytes(db, table, None, workdir) for table in ("model_counter_changes", "model_last_counters",
                                                                  "counter_days"))  # fmt: skip


def synthetic_models(db: Path, models: int, now: datetime) -> None:
    con = open_writer(db)
    try:
        execute_script(con, (SQL / "synthetic_models.sql").read_text(), {
            "models": models, "now": now, "head_share": cal.HEAD_SHARE, "head_median": _head_median(),
            "head_sigma": cal.HEAD_SIGMA, "tail_zero_share": cal.TAIL_ZERO_SHARE, "tail_median": cal.TAIL_MEDIAN,
            "tail_sigma": cal.TAIL_SIGMA,
        })  # fmt: skip
        con.execute("INSERT INTO counter_days VALUES ('models', ?, 'full')", [now.date()])
    finally:
        con.close()


def time_fastest_risers(db: Path, repeats: int = 3) -> float:
    con = open_reader(db)
    try:
        best = math.inf
        for _ in range(repeats + 1):
            started = time.perf_counter()
            run_section(con, "fastest_risers", {"top": 20, "as_of": None})
            best = min(best, time.perf_counter() - started)
    finally:
        con.close()
    return round(best, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--dense-days", type=int, default=30, help="days of the dense view copied to measure it")
    parser.add_argument("--keep", type=Path, help="keep the warehouse here")
    args = parser.parse_args()
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "history.duckdb"
        started = time.perf_counter()
        synthetic_models(db, args.models, now)
        figures = {"models": args.models, "days": args.days, **synthesize_history(db, args.days)}
        stored = stored_history_bytes(db, Path(tmp))
        con = duckdb.connect(str(db), read_only=True)
        (changes,) = con.execute("SELECT count(*) FROM model_counter_changes").fetchone()
        first_dense = now.date() - timedelta(days=min(args.dense_days, args.days) - 1)
        (dense_days_rows,) = con.execute("SELECT count(*) FROM daily_counters WHERE day >= ?", [first_dense]).fetchone()
        con.close()
        dense = table_bytes(db, "daily_counters", "day, model_key", Path(tmp), f"day >= DATE '{first_dense}'")
        # A day after the first (which stores every model once): what each further day of history costs.
        first_day = now.date() - timedelta(days=args.days - 1)
        later = table_bytes(db, "model_counter_changes", None, Path(tmp), f"day > DATE '{first_day}'")
        con = duckdb.connect(str(db), read_only=True)
        (later_model_days,) = con.execute("SELECT count(*) FROM daily_counters WHERE day > ?", [first_day]).fetchone()
        con.close()
        per_day = later / later_model_days if later_model_days else 0.0
        fixed = stored - later  # the first day, the last counters, the days
        year = (fixed + per_day * args.models * 364) / (args.models * 365)
        figures |= {
            "stored_changes": changes,
            "changed_share": round(changes / figures["model_days"], 3),
            "stored_mb": round(stored / 2**20, 1),
            "bytes_per_model_day": round(stored / figures["model_days"], 2),
            "dense_bytes_per_model_day": round(dense / dense_days_rows, 2),
            "later_days_bytes_per_model_day": round(per_day, 2),
            "a_year_of_these_models_bytes_per_model_day": round(year, 2),
            "dense_measured_on_days": min(args.dense_days, args.days),
            "fastest_risers_warm_seconds": time_fastest_risers(db),
            "warehouse_mb": round(db.stat().st_size / 2**20, 1),
            "seconds": round(time.perf_counter() - started, 1),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
