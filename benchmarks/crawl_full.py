"""Figure: one full crawl of an N-model stand-in: wall, CPU, peak RSS, requests, 429s, quota use, floor.

The stand-in runs in its own process so that its CPU is not charged to the crawler; the crawler runs
as the real `registry crawl --no-report`, measured with wait4(); the report a default crawl then
computes and keeps is measured after it, as its own process (`report_*`). The floor is the stand-in's own serving time
for the pages of its slowest cursor chain (configured latency + building and sending bodies): a
chain's pages are strictly sequential, so no crawl can be faster. With --peer, the two hand-written peer crawls
(benchmarks/peer_crawl.py: the one keeping the registry's fields, and the minimal one keeping no card
data) run against the same stand-in, measured the same way.

    python -m benchmarks.crawl_full --models 200000 [--latency 0.3] [--quota N --window S] [--faults]
        [--peer] [--standin URL] [--keep-db PATH]
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
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .standin import StandIn


def measure(command: list[str], env: dict[str, str], stdout=subprocess.DEVNULL) -> dict:
    """Run a command to completion; its wall time, CPU seconds, peak RSS and MB read from disk (not
    from the OS's cache), and when (UTC) its resident memory was highest, to match with its log
    (sampled every half second)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=stdout)
    highest = _RssSampler(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    highest.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed with status {status}")
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "disk_read_mb": round(usage.ru_inblock * 512 / 2**20, 1),  # ru_inblock counts 512-byte blocks
        "highest_sampled_rss_at": highest.at,
    }


def measure_with_output(command: list[str], env: dict[str, str]) -> dict:
    """measure(), with the figures the command printed as JSON on its stdout."""
    with tempfile.TemporaryFile("w+") as out:
        figures = measure(command, env, stdout=out)
        out.seek(0)
        return {**figures, **json.loads(out.read())}


def slowest_chain_seconds(served: dict) -> float:
    """The stand-in's serving time (latency included) of its busiest route: each kind's cursor chain
    is sequential, the kinds' chains run side by side, so no crawl can be faster."""
    return max(served["seconds_by_route"].values(), default=0.0)


class _RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.status, self.kb, self.at = Path(f"/proc/{pid}/status"), 0, None
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.5):
            try:
                kb = int(self.status.read_text().split("VmRSS:")[1].split()[0])
            except (OSError, IndexError):  # the process has exited (or is a zombie)
                return
            if kb > self.kb:
                self.kb, self.at = kb, datetime.now(UTC).strftime("%H:%M:%S")

    def stop(self) -> None:
        self.done.set()
        self.join()


def crawl_env(url: str, db: Path) -> dict[str, str]:
    env = {**os.environ, "HF_ENDPOINT": url, "REGISTRY_DB": str(db)}
    env.pop("HF_TOKEN", None)
    return env


def run_crawl(url: str, db: Path) -> dict:
    """The crawl alone: without the report a `registry crawl` keeps ready by default (run_report)."""
    return measure([sys.executable, "-m", "registry", "crawl", "--quiet", "--no-report"], crawl_env(url, db))


def measure_stats(db: Path) -> dict:
    """One `registry stats` process of `db`, measured as a crawl is."""
    return measure([sys.executable, "-m", "registry", "stats", "--db", str(db)], dict(os.environ))


def run_report(db: Path) -> dict:
    """The step a default `registry crawl` ends with, in a process of its own: the report computed
    and kept, as the first `registry stats` after a crawl would otherwise do."""
    return {f"report_{key}": value for key, value in measure_stats(db).items()}


def run_peer(url: str, db: Path, minimal: bool = False) -> dict:
    """A peer's figures, with the records it kept: models only (the registry's crawl lists every kind)."""
    command = [sys.executable, "-m", "benchmarks.peer_crawl", "--endpoint", url, "--db", str(db)]
    prefix = "minimal_peer_" if minimal else "peer_"
    figures = measure_with_output(command + ["--minimal"] * minimal, dict(os.environ))
    return {prefix + key: value for key, value in figures.items()}


def run_log(db: Path) -> dict:
    """What the warehouse's crawl_runs says of the crawls just made, summed, and the file's size."""
    con = duckdb.connect(str(db), read_only=True)
    names = ["pages", "records", "models_loaded", "retries", "http_429", "rate_limit_waits"]
    row = con.execute(f"SELECT {', '.join(f'sum({name})::BIGINT' for name in names)} FROM crawl_runs").fetchone()
    con.close()
    return {**dict(zip(names, row, strict=True)), "warehouse_mb": round(db.stat().st_size / 2**20, 1)}


def serving_figures(served: dict, wall: float, quota: int, window: float) -> dict:
    """The stand-in's side: requests it answered, its own serving time for the slowest cursor chain
    (each kind's chain is sequential; the kinds' chains run side by side), and the quota used."""
    floor = slowest_chain_seconds(served)
    figures = {
        "requests": served["requests"],
        "standin_429": served["count_429"],
        "standin_floor_seconds": round(floor, 2),
        "wall_over_floor": round(wall / floor, 3) if floor else None,
    }
    if quota:  # the share of what the quota allowed over the crawl's wall time that the crawl used
        figures["quota_used"] = round(served["requests"] / (quota * wall / window), 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the stand-in waits per page")
    parser.add_argument("--quota", type=int, default=0, help="requests per window (0: no quota)")
    parser.add_argument("--window", type=float, default=300)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--peer", action="store_true", help="also measure the hand-written peer crawl")
    parser.add_argument("--standin", help="URL of a running stand-in (python -m tests.hub_standin) to reuse")
    parser.add_argument("--keep-db", type=Path, help="keep the crawled warehouse here")
    args = parser.parse_args()
    # The peer dies on malformed records (huggingface_hub's ModelInfo): give both a clean Hub then.
    malformed = 0.0 if args.peer else 0.005
    standin = StandIn(args.standin) if args.standin else StandIn.launch(args.models, malformed, args.faults)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            standin.configure(latency=args.latency, quota=args.quota, window=args.window)
            figures = {"models": args.models, **run_crawl(standin.url, db), **run_log(db)}
            figures |= serving_figures(standin.stats(), figures["wall_seconds"], args.quota, args.window)
            figures |= run_report(db)
            if args.peer:
                standin.configure()
                figures |= run_peer(standin.url, Path(tmp) / "peer.duckdb")
                figures |= run_peer(standin.url, Path(tmp) / "minimal_peer.duckdb", minimal=True)
            if args.keep_db:
                shutil.move(db, args.keep_db)
    finally:
        standin.close()
    for step in ("", "report_"):  # the crawl's, and the report's it keeps ready by default
        figures[f"{step}cpu_seconds_per_million_records"] = round(
            figures[f"{step}cpu_seconds"] / figures["records"] * 1e6, 1
        )
    for peer in ("peer", "minimal_peer") if args.peer else ():
        figures[f"{peer}_cpu_seconds_per_million_records"] = round(
            figures[f"{peer}_cpu_seconds"] / figures[f"{peer}_records"] * 1e6, 1
        )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
