"""Figure: `registry stats` and every analysis on a crawled warehouse given a year of synthetic history.

Takes a warehouse holding a full crawl (--db, copied; or crawls a stand-in of --models here), fills
`daily_counters` with --days days of synthetic counters for every model that existed on each day
and gives 1 % of models a license change, then times each report section warm (the best of
--repeats runs after a first, cold one) and the whole `registry stats` command as a process: its
first run after the warehouse changed (which computes the report and keeps it in the warehouse, as
the nightly job's does) and its warm runs after that (served from the kept report). Reports the
warehouse size on disk and the bytes per model-day of `daily_counters` as stored (its changes).

    python -m benchmarks.history_stats --models 200000 --days 365 [--db FULL_CRAWL.duckdb [--has-history]]
        [--keep HISTORY.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from queries.stats import SECTIONS, prepare, run_section
from warehouse.connect import open_reader
from warehouse.migrations import migrate

from .crawl_full import run_crawl
from .history_storage import stored_history_bytes, synthesize_history
from .standin import StandIn

SQL = Path(__file__).parent / "sql"


def existing_history(db: Path) -> dict:
    """What the warehouse already holds, brought to the current schema."""
    con = duckdb.connect(str(db))
    migrate(con)
    (model_days,) = con.execute("SELECT count(*) FROM daily_counters").fetchone()
    con.close()
    return {"model_days": model_days, "synthesis_seconds": None}


def time_sections(db: Path, repeats: int, limit: float) -> dict:
    """Seconds per section, warm: the best of `repeats` runs after a cold one; None past `limit` seconds."""
    con = open_reader(db)
    params = {"top": 20, "as_of": None}
    started = time.perf_counter()
    try:
        prepare(con, SECTIONS, params)
    except duckdb.Error as error:  # reported, not raised: the runner goes on with its other figures
        con.close()
        return {"prepare": _failure(str(error).splitlines()[0])}
    timings: dict[str, float | str | None] = {"prepare": round(time.perf_counter() - started, 3)}
    for section in SECTIONS:
        best = float("inf")
        for _ in range(repeats + 1):
            watchdog = threading.Timer(limit, con.interrupt)  # a section past the limit is cut short
            watchdog.start()
            started = time.perf_counter()
            try:
                run_section(con, section, params)
            except duckdb.InterruptException:
                best = None
                break
            except duckdb.Error as error:
                best = _failure(str(error).splitlines()[0])
                break
            finally:
                watchdog.cancel()
            best = min(best, time.perf_counter() - started)
        timings[section] = round(best, 3) if isinstance(best, float) else best
    con.close()
    return timings


def _failure(message: str) -> str:
    return f"failed: {message[:120]}"


def time_stats_command(db: Path, repeats: int, limit: float) -> dict[str, float | str | None]:
    """Wall seconds of the whole `registry stats` process: its first run with no report kept (it
    computes and keeps it), and warm, the best of `repeats` after that (served from the kept report).
    Of the first run also its CPU seconds and the MB it read from disk (not from the OS's cache):
    with 2 cores its wall cannot fall below half its CPU, and reads from disk come on top.

    None past `limit` seconds; "failed: ..." if the command failed.
    """
    con = duckdb.connect(str(db))
    con.execute("DROP SCHEMA IF EXISTS report CASCADE")  # whatever a crawl's run left: the first run computes
    con.close()
    runs: list[dict | str | None] = []
    for _ in range(repeats + 1):
        runs.append(_run_stats_command(db, limit))
        if not isinstance(runs[-1], dict):
            break
    seconds = [run["wall_seconds"] if isinstance(run, dict) else run for run in runs]
    warm = seconds[1:] if all(isinstance(run, dict) for run in runs) else [seconds[-1]]
    first = runs[0] if isinstance(runs[0], dict) else {}
    return {
        "stats_command_first_seconds": seconds[0],
        "stats_command_first_cpu_seconds": first.get("cpu_seconds"),
        "stats_command_first_disk_read_mb": first.get("disk_read_mb"),
        "stats_command_seconds": min(warm) if warm else None,
    }


def _run_stats_command(db: Path, limit: float) -> dict | str | None:
    """One `registry stats` process: its wall and CPU seconds and the MB it read from disk; None when
    killed past `limit` seconds, "failed: ..." when it failed."""
    command = [sys.executable, "-m", "registry", "stats", "--db", str(db)]
    with tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, text=True)
        timed_out = threading.Event()
        watchdog = threading.Timer(limit, lambda: (timed_out.set(), process.kill()))
        watchdog.start()
        _, status, usage = os.wait4(process.pid, 0)  # its resource use, as crawl_full measures a crawl
        wall = time.perf_counter() - started
        watchdog.cancel()
        if timed_out.is_set():
            return None
        if os.waitstatus_to_exitcode(status) != 0:
            stderr.seek(0)
            return _failure((stderr.read().strip().splitlines() or ["?"])[-1])
    return {
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "disk_read_mb": round(usage.ru_inblock * 512 / 2**20, 1),  # ru_inblock counts 512-byte blocks
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120, help="seconds before a section is cut; 4x for the command")
    parser.add_argument("--db", type=Path, help="a warehouse holding a full crawl (copied, not changed)")
    parser.add_argument("--has-history", action="store_true", help="--db holds its history already: do not synthesize")
    parser.add_argument("--keep", type=Path, help="keep the warehouse with its history here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "history.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            with StandIn.launch(args.models) as standin:
                run_crawl(standin.url, db)
        if args.has_history:
            figures: dict = {"models": args.models, "days": args.days, **existing_history(db)}
        else:
            figures = {"models": args.models, "days": args.days, **synthesize_history(db, args.days)}
        figures["warehouse_mb"] = round(db.stat().st_size / 2**20, 1)
        counters_bytes = stored_history_bytes(db, Path(tmp))  # copied in the order stored
        figures["daily_counters_mb"] = round(counters_bytes / 2**20, 1)  # as stored: model_counter_changes ...
        figures["bytes_per_model_day"] = round(counters_bytes / figures["model_days"], 2)
        figures.update(time_stats_command(db, args.repeats, 4 * args.limit))
        figures["section_seconds"] = time_sections(db, args.repeats, args.limit)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
