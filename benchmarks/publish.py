"""Figure: `registry publish` into a DuckLake (PostgreSQL catalog, moto S3 on loopback), first and nightly.

A stand-in of N models is crawled; the warehouse is published (the first publish); the stand-in lives
one day (models added, edited, deleted, half of all counters moved), the nightly update runs, and the
warehouse is published again (the nightly publish). A second night is published while another
process reads the lake with `registry query` in a loop (moto's S3 server is one Python process:
the reads slow the publish down). Reported: wall time, objects and bytes written to S3, the
catalog's size, and the reader's answers and errors during the second nightly publish. With
--days, the warehouse is given that many days of synthetic counters history before the first publish
(benchmarks/history_stats.py). Then every `registry stats` section is timed warm on the lake and on
the file (the five heaviest on the lake reported), and the whole `registry stats` on the lake.
Publish CPU (user + system, of the publishing process, from wait4) is reported beside wall time: the
machine is shared. Before each publish the report is computed and kept, as the nightly job does
between its crawl and its publish (the publish carries it to the lake); its seconds are reported apart.

    python -m benchmarks.publish --models 200000 [--days 365]
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
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from crawler.crawl import update_mirror
from queries.stats import SECTIONS, prepare, run_section
from registry import Registry
from registry.settings import lake_settings, load_settings
from tests.hub_standin import HubStandIn, Population
from tests.lake_fixtures import (
    PG_PASSWORD,
    PG_USER,
    Servers,
    pg_bin,
    start_postgres,
    start_s3,
    stop_postgres,
)
from warehouse.connect import open_reader
from warehouse.lake_connect import open_lake_reader

from .history_stats import synthesize_history


def s3_objects(servers, bucket: str) -> dict[str, int]:
    client, objects = servers.s3_client(), {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        objects |= {item["Key"]: item["Size"] for item in page.get("Contents", [])}
    return objects


def catalog_bytes(servers, database: str) -> int:
    result = subprocess.run(
        [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(servers.pg_port), "-U", PG_USER, "-d", database, "-tAc",
         f"SELECT pg_database_size('{database}')"],
        env={**os.environ, "PGPASSWORD": PG_PASSWORD}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(result.stdout.strip())


def keep_report_ready(db: Path) -> float:
    """What the nightly job does between its crawl and its publish (scheduler.py): the report computed
    and kept, which the publish then carries to the lake. Its seconds, reported apart."""
    started = time.perf_counter()
    Registry(db).stats()
    return round(time.perf_counter() - started, 2)


def timed_publish(db: Path, env: dict, log: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one `registry publish` process; with `log`, its debug log (the time
    of each table) appended there."""
    command = [sys.executable, "-m", "registry", "publish", "--db", str(db), *(["-v"] if log else [])]
    started = time.perf_counter()
    with open(log or os.devnull, "a") as stderr:
        process = subprocess.Popen(command, env=env, stderr=stderr if log else None)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"registry publish failed ({process.returncode})")
    return round(time.perf_counter() - started, 2), round(usage.ru_utime + usage.ru_stime, 2)


def section_seconds(con, repeats: int = 2) -> dict[str, float]:
    """Each report section, warm: the best of `repeats` runs after a cold one."""
    params = {"top": 20, "as_of": None}
    prepare(con, SECTIONS, params)
    timings = {}
    for section in SECTIONS:
        runs = []
        for _ in range(repeats + 1):
            started = time.perf_counter()
            run_section(con, section, params)
            runs.append(time.perf_counter() - started)
        timings[section] = round(min(runs[1:]), 3)
    return timings


def stats_figures(db: Path, env: dict) -> dict:
    """Sections on the lake next to the file (the five heaviest on the lake), and `registry stats`
    on the lake as a process, warm (the best of two after a first)."""
    os.environ.update(env)  # the S3 keys and PGPASSWORD, read from the environment as an analyst's are
    lake = lake_settings(env["REGISTRY_LAKE"], env["REGISTRY_LAKE_DATA_PATH"])
    on_lake, on_file = open_lake_reader(lake), open_reader(db)
    try:
        lake_times, file_times = section_seconds(on_lake), section_seconds(on_file)
    finally:
        on_lake.close()
        on_file.close()
    heaviest = sorted(lake_times, key=lake_times.get, reverse=True)[:5]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "registry", "stats"], env=env, check=True, stdout=subprocess.DEVNULL)
        runs.append(round(time.perf_counter() - started, 2))
    return {
        "stats_lake_command_first_and_warm_seconds": [runs[0], min(runs[1:])],
        "sections_lake_total_seconds": round(sum(lake_times.values()), 2),
        "sections_file_total_seconds": round(sum(file_times.values()), 2),
        "heaviest_sections_lake_vs_file_seconds": {name: [lake_times[name], file_times[name]] for name in heaviest},
    }


def reader_loop(env: dict, stop: threading.Event, tally: dict) -> None:
    """Another process's reads during the publish: each a new `registry query` on the lake."""
    while not stop.is_set():
        result = subprocess.run(
            [sys.executable, "-m", "registry", "query", "SELECT count(*) FROM models_enriched", "-f", "csv"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        tally["answered" if result.returncode == 0 else "errors"] += 1


def written(before: dict[str, int], after: dict[str, int]) -> tuple[int, int]:
    new = {key: size for key, size in after.items() if key not in before}
    return len(new), sum(new.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=1, help="days of counters history (synthetic beyond 1)")
    parser.add_argument("--no-stats", action="store_true", help="skip timing `registry stats` on the lake")
    parser.add_argument("--publish-log", type=Path, help="append each publish's debug log (time per table) here")
    args = parser.parse_args()

    population = Population.generate(args.models, seed=1, private_fraction=0.02)
    ticks = iter(range(10**9))

    def clock():
        return population.now.replace(tzinfo=None) + timedelta(minutes=5, microseconds=next(ticks))

    root = Path(tempfile.mkdtemp(prefix="registry-bench-pg-"))
    pg_port, data = start_postgres(root)
    moto, figures = None, {}
    try:
        moto, s3_port, key, secret = start_s3()
        servers = Servers(pg_port, s3_port, key, secret)
        catalog, data_path = servers.new_lake()
        bucket, database = data_path.split("/")[2], catalog.split("dbname=")[1].split()[0]
        env = {**os.environ, **servers.env(catalog, data_path)}
        with tempfile.TemporaryDirectory() as tmp, HubStandIn(population) as hub:
            db = Path(tmp) / "publish.duckdb"
            settings = replace(load_settings(db), endpoint=hub.url, token=None, clock=clock)
            update_mirror(settings)
            history = synthesize_history(db, args.days) if args.days > 1 else {}
            first_report = keep_report_ready(db)
            first_seconds, first_cpu = timed_publish(db, env, args.publish_log)
            after_first = s3_objects(servers, bucket)
            figures |= {
                "models": args.models,
                "days": args.days,
                **history,
                "warehouse_mb": round(db.stat().st_size / 2**20, 1),
                "report_before_first_seconds": first_report,
                "first_wall_seconds": first_seconds,
                "first_cpu_seconds": first_cpu,
                "first_files": len(after_first),
                "first_mb": round(sum(after_first.values()) / 2**20, 1),
                "catalog_mb_after_first": round(catalog_bytes(servers, database) / 2**20, 1),
            }
            population.live(days=1, base=args.models)
            update_mirror(settings)
            nightly_report = keep_report_ready(db)
            nightly_seconds, nightly_cpu = timed_publish(db, env, args.publish_log)
            files, size = written(after_first, s3_objects(servers, bucket))
            figures |= {
                "report_before_nightly_seconds": nightly_report,
                "nightly_wall_seconds": nightly_seconds,
                "nightly_cpu_seconds": nightly_cpu,
                "nightly_files": files,
                "nightly_mb": round(size / 2**20, 2),
                "nightly_share_of_first_bytes_pct": round(100 * size / max(sum(after_first.values()), 1), 1),
                "nightly_share_of_first_time_pct": round(100 * nightly_seconds / first_seconds, 1),
                "nightly_share_of_first_cpu_pct": round(100 * nightly_cpu / first_cpu, 1),
                "lake_mb_after_two_publishes": round(sum(s3_objects(servers, bucket).values()) / 2**20, 1),
                "warehouse_mb_after_two_crawls": round(db.stat().st_size / 2**20, 1),
            }
            if not args.no_stats:
                figures |= stats_figures(db, env)
            population.live(days=1, base=args.models)
            update_mirror(settings)
            keep_report_ready(db)
            stop, tally = threading.Event(), {"answered": 0, "errors": 0}
            reader = threading.Thread(target=reader_loop, args=(env, stop, tally))
            reader.start()
            figures["second_nightly_wall_and_cpu_seconds_with_reader"] = timed_publish(db, env)
            stop.set()
            reader.join()
            figures |= {
                "reads_during_second_nightly_publish": tally["answered"],
                "read_errors_during_second_nightly_publish": tally["errors"],
                "lake_mb_after_three_publishes": round(sum(s3_objects(servers, bucket).values()) / 2**20, 1),
                "catalog_mb_after_three_publishes": round(catalog_bytes(servers, database) / 2**20, 1),
            }
    finally:
        if moto is not None:
            moto.terminate()
        stop_postgres(data)
        shutil.rmtree(root, ignore_errors=True)
        print(json.dumps(figures, indent=2))  # what was measured, also when a later step failed


if __name__ == "__main__":
    main()
