"""The benchmark runner: every figure of BENCHMARKS.md in one run, printed as a table and appended there.

Each figure is its own command (benchmarks/crawl_full.py, incremental.py, history_stats.py); this
runner starts the stand-ins once, calls those commands against them, repeats what is cheap enough
to repeat, and writes min / median / max next to each target and to the peer's figure.

    python -m benchmarks --models 2500000 --small 100000 --repeats 3 --big-repeats 1 --days 365
    python -m benchmarks ... --table-from benchmarks/results.jsonl   # the table of a run cut short
    python -m benchmarks ... --keep-dir DIR   # keep its warehouses (full.duckdb, history.duckdb) to query after
    (the nightly run's warehouse, a copy of history.duckdb, is not kept)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from .standin import StandIn

HEAVIEST_ANALYSES = 5
CPU_TARGET = "≤ 3× the floor, within 1.25× at every scale"


RESULTS = Path(os.environ.get("BENCHMARK_RESULTS", "benchmarks/results.jsonl"))


def figure(module: str, *args: object) -> dict:
    """Run one figure's command; its JSON output, also appended to RESULTS so that a run cut short keeps it."""
    command = [sys.executable, "-m", f"benchmarks.{module}", *map(str, args)]
    print("$", " ".join(command[1:]), file=sys.stderr, flush=True)
    result = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    figures = json.loads(result.stdout)
    with RESULTS.open("a") as out:
        out.write(json.dumps({"command": " ".join(command[2:]), **figures}) + "\n")
    return figures


def spread(values: list[float]) -> str:
    """min / median / max of repeated runs, or the one value."""
    shown = [min(values), statistics.median(values), max(values)] if len(values) > 1 else values
    return " / ".join(f"{int(value):,}" if float(value).is_integer() else f"{round(value, 3):,}" for value in shown)


def machine() -> str:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    return f"{os.cpu_count()} cores ({cpu}), {memory_kb / 2**20:.0f} GiB RAM, {platform.system()} {platform.release()}"


def versions() -> str:
    packages = ("duckdb", "polars", "httpx2", "huggingface_hub")
    return f"Python {platform.python_version()}, " + ", ".join(f"{name} {version(name)}" for name in packages)


def run(args: argparse.Namespace, workdir: Path) -> dict:
    """Every figure's JSON, run against stand-ins started once."""
    kept, with_history = workdir / "full.duckdb", workdir / "history.duckdb"
    with StandIn.launch(args.models) as big:
        crawls = [figure("crawl_full", "--models", args.models, "--standin", big.url, "--keep-db", kept)
                  for _ in range(args.big_repeats)]  # fmt: skip
        floor = figure("load_floor", "--models", args.models, "--standin", big.url)
    history = figure("history_stats", "--models", args.models, "--days", args.days, "--db", kept,
                     "--repeats", 1, "--limit", args.section_limit, "--keep", with_history)  # fmt: skip
    # The nightly run on the warehouse with its year of history (copied): the first `registry stats`
    # after it is the one analysts wait for. The stand-in again: the same population (one seed).
    with StandIn.launch(args.models) as big:
        nightly = figure("incremental", "--models", args.models, "--standin", big.url, "--db", with_history)
    with StandIn.launch(args.small, malformed_fraction=0.0) as small:  # the peer dies on malformed records
        # Latency makes a crawl last pages × latency: measured on the small stand-in (a ratio; see the table).
        latency = [figure("crawl_full", "--models", args.small, "--standin", small.url, "--latency", args.latency)
                   for _ in range(args.repeats)]  # fmt: skip
        quota = [figure("crawl_full", "--models", args.small, "--standin", small.url,
                        "--quota", args.quota, "--window", args.window) for _ in range(args.repeats)]  # fmt: skip
        small_crawls = [figure("crawl_full", "--models", args.small, "--standin", small.url, "--peer")
                        for _ in range(args.repeats)]  # fmt: skip
    # CPU per record at the small size on the big crawl's population (malformed records included):
    # what "flat in scale" compares, one population at both sizes.
    alike = [figure("crawl_full", "--models", args.small) for _ in range(args.repeats)]
    peers = {n: figure("crawl_full", "--models", n, "--peer") for n in args.peer_models}
    return {"crawls": crawls, "floor": floor, "nightly": nightly, "history": history, "latency": latency,
            "quota": quota, "small_crawls": small_crawls, "alike": alike, "peers": peers}  # fmt: skip


def figures_from(results: Path) -> dict:
    """The same figures, read back from a results file (a run whose table was not written)."""
    found: dict = {"crawls": [], "latency": [], "quota": [], "small_crawls": [], "alike": [], "peers": {}}
    for line in results.read_text().splitlines():
        result = json.loads(line)
        words = result["command"].split()
        if words[0].endswith("incremental"):
            found["nightly"] = result
        elif words[0].endswith("load_floor"):
            found["floor"] = result
        elif words[0].endswith("history_stats"):
            found["history"] = result
        elif "--keep-db" in words:
            found["crawls"].append(result)
        elif "--latency" in words:
            found["latency"].append(result)
        elif "--quota" in words:
            found["quota"].append(result)
        elif "--standin" in words:
            found["small_crawls"].append(result)
        elif "--peer" in words:
            found["peers"][result["models"]] = result
        else:
            found["alike"].append(result)
    return found


def rows_of(args: argparse.Namespace, figures: dict) -> list[tuple[str, str, str, str, str]]:
    """Every figure, as (figure, target, registry, peer, command) rows."""
    crawls, nightly, history, peers = figures["crawls"], figures["nightly"], figures["history"], figures["peers"]
    latency, quota, small_crawls = figures["latency"], figures["quota"], figures["small_crawls"]
    rows = []

    def row(name: str, target: str, registry: str, peer: str = "", command: str = "(same run)") -> None:
        rows.append((name, target, registry, peer, command))

    def of(runs: list[dict], key: str) -> str:
        return spread([run[key] for run in runs])

    def median(runs: list[dict]) -> float:
        return statistics.median(run["cpu_seconds_per_million_records"] for run in runs)

    def peers_of(runs: list[dict], figure: str) -> str:
        """The peer's figure, then the minimal peer's (results from before it was measured lack it)."""
        shown = of(runs, f"peer_{figure}")
        if all(f"minimal_peer_{figure}" in run for run in runs):
            shown += f"; minimal peer (no card data): {of(runs, f'minimal_peer_{figure}')}"
        return shown

    big_n, small_n = f"{args.models:,}", f"{args.small:,}"
    crawl = f"python -m benchmarks.crawl_full --models {args.models}"
    small_crawl = f"python -m benchmarks.crawl_full --models {args.small}"
    row(f"full crawl, {big_n} models: wall s", "", of(crawls, "wall_seconds"), command=crawl)
    row("records / requests", "", f"{crawls[-1]['records']:,} / {crawls[-1]['requests']:,}")
    row("stand-in's own serving time for the slowest chain of pages, s", "", of(crawls, "standin_floor_seconds"))
    row(f"CPU s per million records, {big_n} models", CPU_TARGET, of(crawls, "cpu_seconds_per_million_records"))
    if "report_cpu_seconds" in crawls[-1]:  # measured since the fourteenth session
        keys = ("wall_seconds", "cpu_seconds", "cpu_seconds_per_million_records", "peak_rss_mb")
        row("the report a default `registry crawl` then keeps ready: wall s; CPU s; CPU s per million records; "
            "peak RSS MB", "", "; ".join(of(crawls, f"report_{key}") for key in keys))  # fmt: skip
    row(f"peak RSS MB, {big_n} models", "≤ 400, flat", of(crawls, "peak_rss_mb"),
        "not run: its memory grows linearly (rows below)")  # fmt: skip
    if "floor" in figures:  # results from before the floor was measured lack it
        floor = figures["floor"]
        row(f"floor, DuckDB alone: CPU s per million records to type + to keep raw, {big_n} models", "",
            f"{floor['parse_cpu_seconds_per_million_records']} + {floor['keep_cpu_seconds_per_million_records']}",
            command=f"python -m benchmarks.load_floor --models {args.models}")  # fmt: skip
        if "fetch_cpu_seconds_per_million_records" in floor:  # results from before it was measured lack it
            row(f"floor, the client alone: CPU s per million records to fetch the pages, {big_n} models", "",
                str(floor["fetch_cpu_seconds_per_million_records"]))  # fmt: skip
        floor_total = floor["parse_cpu_seconds_per_million_records"] + floor["keep_cpu_seconds_per_million_records"]
        row(f"CPU per record ÷ the floor, {big_n} / {small_n} models", "≤ 3",
            f"{median(crawls) / floor_total:.2f} / {median(small_crawls) / floor_total:.2f}")  # fmt: skip
        if "store_cpu_seconds_per_million_records" in floor:  # measured since the fifteenth session
            store = floor["store_cpu_seconds_per_million_records"]
            row(f"what a first crawl stores (typed fields, raw, a version, a day of counters, links), DuckDB's "
                f"bulk functions alone: CPU s per million records, {big_n} models; CPU per record ÷ it", "",
                f"{store}; {median(crawls) / store:.2f}")  # fmt: skip
    alike = figures.get("alike") or []  # results from before it was measured lack it
    if alike:
        row(f"CPU s per million records, {small_n} models, the {big_n} crawl's population (malformed records)",
            CPU_TARGET, of(alike, "cpu_seconds_per_million_records"),
            command=f"python -m benchmarks.crawl_full --models {args.small}")  # fmt: skip
    flat = f"{median(crawls) / median(alike):.2f}; against the clean {small_n}: " if alike else ""
    row(f"CPU per record, {big_n} ÷ {small_n} models", "≤ 1.25",
        f"{flat}{median(crawls) / median(small_crawls):.2f}")  # fmt: skip
    row(f"wall ÷ the slowest chain's serving time, {args.latency * 1000:.0f} ms a page, {small_n} models", "≤ 1.05",
        of(latency, "wall_over_floor"), command=f"{small_crawl} --latency {args.latency}")  # fmt: skip
    row(f"CPU s per million records, {small_n} models", CPU_TARGET,
        of(small_crawls, "cpu_seconds_per_million_records"),
        peers_of(small_crawls, "cpu_seconds_per_million_records"), f"{small_crawl} --peer")  # fmt: skip
    row(f"peak RSS MB, {small_n} models", "≤ 400, flat", of(small_crawls, "peak_rss_mb"),
        peers_of(small_crawls, "peak_rss_mb"))  # fmt: skip
    for n, peer in peers.items():
        command = f"python -m benchmarks.crawl_full --models {n} --peer"
        row(f"peak RSS MB, {n:,} models", "≤ 400, flat", of([peer], "peak_rss_mb"), peers_of([peer], "peak_rss_mb"),
            command)  # fmt: skip
        row(f"CPU s per million records, {n:,} models", "", of([peer], "cpu_seconds_per_million_records"),
            peers_of([peer], "cpu_seconds_per_million_records"))  # fmt: skip
    row(f"quota {args.quota} per {args.window:g} s, {small_n} models: HTTP 429", "0", of(quota, "http_429"),
        command=f"{small_crawl} --quota {args.quota} --window {args.window}")  # fmt: skip
    row("quota used", "≥ 0.90", of(quota, "quota_used"))
    incremental = f"python -m benchmarks.incremental --models {args.models}"
    nightly_name = f"nightly after 1 day of churn, {args.days} days of history"
    row(f"{nightly_name}: requests, incremental + counters", f"full crawl: {crawls[-1]['requests']:,}",
        f"{nightly['incremental_requests']:,} + {nightly['counters_requests']:,}", command=incremental)  # fmt: skip
    row(f"{nightly_name}: wall s, incremental + counters (the latter ends with the report since the fourteenth "
        "session)", f"full crawl: {crawls[-1]['wall_seconds']}",
        f"{nightly['incremental_wall_seconds']} + {nightly['counters_wall_seconds']}")  # fmt: skip
    if "stats_after_crawl_wall_seconds" in nightly:  # measured since the fourteenth session
        row(f"`registry stats`, first run after a nightly `registry crawl`, {args.days} days of history, s", "≤ 5",
            f"{nightly['stats_after_crawl_wall_seconds']} (served from the report the crawl kept: "
            f"{'yes' if nightly['stats_after_crawl_served'] else 'no'}; "
            f"CPU s {nightly['stats_after_crawl_cpu_seconds']}, "
            f"MB read from disk {nightly.get('stats_after_crawl_disk_read_mb', '?')})")  # fmt: skip
    cut = f"> {args.section_limit:g} (cut)"
    history_command = f"python -m benchmarks.history_stats --models {args.models} --days {args.days}"
    command_cut = f"> {4 * args.section_limit:g} (cut)"
    row(f"`registry stats`, whole command, {args.days} days of history: warm s (served from the kept report)",
        "≤ 1", f"{history['stats_command_seconds'] or command_cut}", command=history_command)  # fmt: skip
    if "stats_command_first_seconds" in history:  # results from before the report was kept lack it
        row("`registry stats`, first run with no report kept (computes and keeps it, as a crawl now does), s", "",
            f"{history['stats_command_first_seconds'] or command_cut}")  # fmt: skip
    if history.get("stats_command_first_cpu_seconds") is not None:  # measured since the twelfth session
        first_cpu, first_read = history["stats_command_first_cpu_seconds"], history["stats_command_first_disk_read_mb"]
        row("`registry stats`, first run: CPU s (2 cores: its wall cannot fall below half) / MB read from disk", "",
            f"{first_cpu} / {first_read:,}")  # fmt: skip
    sections = dict(history["section_seconds"])
    row("building stats_models and the shared relations (lineage_edges, declared_training_data, "
        "space_model_usage), s", "", f"{sections.pop('prepare')}")  # fmt: skip

    def heaviest_first(item: tuple) -> float:  # cut or failed sections first
        return -item[1] if isinstance(item[1], float | int) else -float("inf")

    for name, seconds in sorted(sections.items(), key=heaviest_first)[:HEAVIEST_ANALYSES]:
        row(f"section `{name}`: warm s", "≤ 1", cut if seconds is None else f"{seconds}")
    row("warehouse on disk, MB", "", f"{history['warehouse_mb']:,}")
    row("daily_counters: bytes per model-day", "≤ 2",
        f"{history['bytes_per_model_day']} ({history['model_days']:,} model-days)")  # fmt: skip
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    lines = ["| figure | target | registry (min / median / max) | peer | command |", "|---|---|---:|---:|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2_500_000, help="the Hub-scale stand-in")
    parser.add_argument("--small", type=int, default=100_000, help="the stand-in for the peer and the quota")
    parser.add_argument("--peer-models", type=int, nargs="*", default=[250_000, 500_000],
                        help="more sizes at which to run the peer (its memory grows with the Hub)")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3, help="runs of each figure on the small stand-in")
    parser.add_argument("--big-repeats", type=int, default=1, help="full crawls of the Hub-scale stand-in")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per page for the floor figure")
    parser.add_argument("--quota", type=int, default=10)
    parser.add_argument("--window", type=float, default=5)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--section-limit", type=float, default=60, help="seconds before a report section is cut")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="the file to append to")
    parser.add_argument("--table-from", type=Path, help="run nothing: the table of a results file of this run's shape")
    parser.add_argument("--keep-dir", type=Path, help="keep the crawled warehouse and the one with history here")
    args = parser.parse_args()
    started = datetime.now(UTC)
    if args.table_from:
        rows = rows_of(args, figures_from(args.table_from))
    elif args.keep_dir:
        args.keep_dir.mkdir(parents=True, exist_ok=True)
        rows = rows_of(args, run(args, args.keep_dir))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = rows_of(args, run(args, Path(tmp)))
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    text = (
        f"\n## {started:%Y-%m-%d} — full run, {args.models:,} models (`python -m benchmarks "
        f"--models {args.models} --small {args.small} --repeats {args.repeats} --big-repeats {args.big_repeats} "
        f"--days {args.days}`)\n\n"
        f"{machine()}; {versions()}. The runner took {minutes:.0f} min.\n\n{table(rows)}"
    )
    print(text)
    with args.out.open("a") as out:
        out.write(text)


if __name__ == "__main__":
    main()
