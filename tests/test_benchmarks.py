"""Each benchmark script runs end to end at toy size, so the figures in BENCHMARKS.md stay reproducible."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import query_all, registry_env, run_crawl


def run_benchmark(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, timeout=300, env=registry_env()
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout[result.stdout.index("{") :])


def test_the_runner_measures_every_figure_and_appends_its_table(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n")
    command = ["benchmarks", "--models", "2500", "--small", "1500", "--peer-models", "1200", "--repeats", "2",
               "--big-repeats", "2", "--latency", "0.05", "--quota", "2", "--window", "1", "--days", "4",
               "--out", str(out)]  # fmt: skip
    env = registry_env(BENCHMARK_RESULTS=str(tmp_path / "results.jsonl"))
    result = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith("# Benchmarks\n") and "full run, 2,500 models" in text
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in text.splitlines() if line.startswith("| ")}
    for figure in (
        "wall ÷ the slowest chain's serving time, 50 ms a page, 1,500 models",
        "quota used",
        "CPU s per million records, 2,500 models",
        "CPU s per million records, 1,500 models, the 2,500 crawl's population (malformed records)",
        "floor, DuckDB alone: CPU s per million records to type + to keep raw, 2,500 models",
        "peak RSS MB, 1,200 models",
        "nightly after 1 day of churn, 4 days of history: requests, incremental + counters",
        "warehouse on disk, MB",
        "daily_counters: bytes per model-day",
        "`registry stats`, first run with no report kept (computes and keeps it, as a crawl now does), s",
    ):
        assert figure in rows, figure
    first_stats = rows["`registry stats`, first run after a nightly `registry crawl`, 4 days of history, s"][2]
    assert (
        "(served from the report the crawl kept: yes; CPU s " in first_stats
        and "MB read from disk ?" not in first_stats
    )
    report_step = "the report a default `registry crawl` then keeps ready: wall s; CPU s; CPU s per million records"
    figures = rows[report_step + "; peak RSS MB"][2].replace(";", " /").split(" / ")
    assert len(figures) == 4 * 3 and all(float(figure.replace(",", "")) > 0 for figure in figures)
    assert rows["quota 2 per 1 s, 1,500 models: HTTP 429"][2] == "0 / 0 / 0"
    flat, clean = rows["CPU per record, 2,500 ÷ 1,500 models"][2].split("; against the clean 1,500: ")
    assert float(flat) > 0 and float(clean) > 0  # on one population, and against the peers' clean one
    ratios = rows["wall ÷ the slowest chain's serving time, 50 ms a page, 1,500 models"][2].split(" / ")
    assert min(map(float, ratios)) >= 1.0  # a crawl can never beat the stand-in's own serving time
    floor = rows["floor, DuckDB alone: CPU s per million records to type + to keep raw, 2,500 models"][2]
    assert all(float(seconds) > 0 for seconds in floor.split(" + "))
    assert float(rows["floor, the client alone: CPU s per million records to fetch the pages, 2,500 models"][2]) > 0
    stored = (
        "what a first crawl stores (typed fields, raw, a version, a day of counters, links), DuckDB's bulk "
        "functions alone: CPU s per million records, 2,500 models; CPU per record ÷ it"
    )
    assert all(float(figure) > 0 for figure in rows[stored][2].split("; "))
    peer_rss, minimal_peer_rss = rows["peak RSS MB, 1,200 models"][3].split("; minimal peer (no card data): ")
    assert float(peer_rss.replace(",", "")) > 0 and float(minimal_peer_rss.replace(",", "")) > 0
    assert sum(1 for name in rows if name.startswith("section `")) == 5
    kept = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(kept) == 2 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 1, "every figure's command, each kept as it finished"
    again = tmp_path / "AGAIN.md"
    from_results = [*command[:-1], str(again), "--table-from", str(tmp_path / "results.jsonl")]
    rebuilt = subprocess.run([sys.executable, "-m", *from_results], capture_output=True, text=True, timeout=60, env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert [line for line in again.read_text().splitlines() if line.startswith("| ")] == table


def test_crawl_full_benchmark_smoke_with_the_peer():
    figures = run_benchmark("benchmarks.crawl_full", "--models", "1500", "--peer")
    assert figures["models_loaded"] == figures["records"] > 1400
    assert figures["peak_rss_mb"] > 0 and figures["cpu_seconds"] > 0
    assert figures["peer_peak_rss_mb"] > 0 and figures["peer_cpu_seconds"] > 0
    assert figures["minimal_peer_peak_rss_mb"] > 0 and figures["minimal_peer_cpu_seconds"] > 0
    # the peers list models only, the registry every kind: each peer's cost is per record it kept
    assert 0 < figures["peer_records"] == figures["minimal_peer_records"] < figures["records"]
    assert figures["requests"] == figures["pages"] and figures["standin_floor_seconds"] > 0


def test_history_storage_benchmark_smoke():
    figures = run_benchmark("benchmarks.history_storage", "--models", "800", "--days", "3")
    assert figures["days"] == 3 and figures["model_days"] >= 3 * 780
    assert figures["bytes_per_model_day"] > 0


def test_history_stats_can_time_a_warehouse_as_it_is(db, hub):
    run_crawl(db, hub)
    (model_days,) = query_all(db, "SELECT count(*) FROM daily_counters")[0]
    figures = run_benchmark("benchmarks.history_stats", "--db", str(db), "--has-history", "--repeats", "1")
    assert figures["synthesis_seconds"] is None and figures["model_days"] == model_days
    for figure in ("stats_command_first_seconds", "stats_command_seconds", "stats_command_first_cpu_seconds"):
        assert isinstance(figures[figure], float), figure
    assert figures["stats_command_first_cpu_seconds"] > 0  # the child's own CPU, from wait4
    assert figures["stats_command_first_disk_read_mb"] >= 0
    assert all(isinstance(seconds, float) for seconds in figures["section_seconds"].values())
    # It timed a copy: the warehouse given keeps no report.
    assert query_all(db, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'report'") == [(0,)]


def test_ecosystem_sections_benchmark_smoke():
    figures = run_benchmark("benchmarks.ecosystem_sections", "--models", "3000", "--datasets", "800",
                            "--spaces", "900", "--repeats", "1")  # fmt: skip
    timed = figures["seconds"]
    assert {"declared_training_data", "space_model_usage", "training_data_conflicts", "top_owners"} <= set(timed)
    assert all(figure["wall"] > 0 for figure in timed.values())


def test_publish_benchmark_smoke():
    figures = run_benchmark("benchmarks.publish", "--models", "1500", "--no-stats")
    assert figures["first_files"] > 0 and 0 < figures["nightly_mb"] < figures["first_mb"]
    assert figures["read_errors_during_second_nightly_publish"] == 0


def test_crawl_all_kinds_benchmark_smoke():
    figures = run_benchmark("benchmarks.crawl_all_kinds", "--models", "1000", "--latency", "0.01", "--no-models-only")
    full, nightly = figures["full"], figures["nightly"]
    assert set(full["records"]) == {"models", "datasets", "spaces"} and full["standin_429"] == 0
    assert full["floor_seconds"] > 0 and full["cpu_seconds_per_million_records"] > 0
    assert nightly["requests"] > 0 and set(nightly["records"]) == {"models", "datasets", "spaces"}


def test_merge_steps_benchmark_smoke():
    figures = run_benchmark("benchmarks.merge_steps", "--models", "2500", "--base-models", "1000")
    # three pages: the stand-in's one and two copies with their ids renamed, each merged as a new model
    assert figures["records"] == sum(chunk["records"] for chunk in figures["chunks"]) > 2400
    assert figures["steps"]["type pages"] > 0 and figures["steps"]["close (checkpoint)"] > 0


def test_export_benchmark_smoke():
    figures = run_benchmark("benchmarks.export", "--models", "1500")
    largest = max(figures["largest_tables_rows"].values())
    assert figures["tables"] > 20 and largest > 1000  # no fewer rows than the public models (~1,480 of 1,500)
    assert figures["rows"] > largest and figures["export_mb"] > 0
    assert figures["cpu_seconds"] > 0 and figures["peak_rss_mb"] > 0
