"""Figure: one full crawl of an N-model stand-in: wall time, CPU seconds, peak RSS, pages, retries, 429s.

The stand-in runs in its own process so that its CPU is not charged to the crawler; the crawler runs
as the real `registry crawl`, measured with wait4(). With --peer, the hand-written peer crawl
(benchmarks/peer_crawl.py) runs against the same stand-in, measured the same way.

    python -m benchmarks.crawl_full --models 200000 [--latency 0] [--quota N --window S] [--faults] [--peer]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb


def start_standin(args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "tests.hub_standin", "--models", str(args.models), "--seed", "1", "--port", "0"]
    command += ["--latency", str(args.latency)]
    if args.peer:  # huggingface_hub's ModelInfo cannot survive malformed records: give both a clean Hub
        command += ["--malformed-fraction", "0"]
    if args.quota:
        command += ["--quota", str(args.quota), "--window", str(args.window)]
    if args.faults:
        command += ["--fault-5xx", "0.02", "--fault-truncated", "0.01", "--fault-reset", "0.01"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    return process, url


def measure(command: list[str], env: dict[str, str]) -> dict:
    """Run a command to completion; its wall time, CPU seconds and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed with status {status}")
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def run_crawl(url: str, db: Path) -> dict:
    env = {**os.environ, "HF_ENDPOINT": url, "REGISTRY_DB": str(db)}
    env.pop("HF_TOKEN", None)
    return measure([sys.executable, "-m", "registry", "crawl", "--quiet"], env)


def run_peer(url: str, db: Path) -> dict:
    command = [sys.executable, "-m", "benchmarks.peer_crawl", "--endpoint", url, "--db", str(db)]
    return {f"peer_{key}": value for key, value in measure(command, dict(os.environ)).items()}


def run_log(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    names = ["pages", "records", "models_loaded", "retries", "http_429", "rate_limit_waits"]
    row = con.execute(f"SELECT {', '.join(names)} FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    size = db.stat().st_size
    con.close()
    return {**dict(zip(names, row, strict=True)), "warehouse_mb": round(size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--quota", type=int, default=0)
    parser.add_argument("--window", type=float, default=300)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--peer", action="store_true", help="also measure the hand-written peer crawl")
    args = parser.parse_args()
    standin, url = start_standin(args)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            figures = {"models": args.models, **run_crawl(url, db), **run_log(db)}
            if args.peer:
                figures |= run_peer(url, Path(tmp) / "peer.duckdb")
    finally:
        standin.terminate()
    figures["cpu_seconds_per_million_records"] = round(figures["cpu_seconds"] / figures["records"] * 1e6, 1)
    if args.peer:
        figures["peer_cpu_seconds_per_million_records"] = round(
            figures["peer_cpu_seconds"] / figures["records"] * 1e6, 1
        )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
