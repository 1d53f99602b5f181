"""Each benchmark script runs end to end at toy size, so the figures in BENCHMARKS.md stay reproducible."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import registry_env


def run_benchmark(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, timeout=300, env=registry_env()
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout[result.stdout.index("{") :])


def test_crawl_full_benchmark_smoke_with_the_peer():
    figures = run_benchmark("benchmarks.crawl_full", "--models", "1500", "--peer")
    assert figures["models_loaded"] == figures["records"] > 1400
    assert figures["peak_rss_mb"] > 0 and figures["cpu_seconds"] > 0
    assert figures["peer_peak_rss_mb"] > 0 and figures["peer_cpu_seconds"] > 0


def test_history_storage_benchmark_smoke():
    figures = run_benchmark("benchmarks.history_storage", "--models", "800", "--days", "3")
    assert figures["days"] == 3 and figures["model_days"] >= 3 * 780
    assert figures["bytes_per_model_day"] > 0
