"""The `registry` command as users run it: real processes, real files, clear errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from registry.cli import Exit
from tests.conftest import query_all, registry, registry_env, run_crawl
from tests.hub_standin import HubStandIn, Population

SECRET = "hf_SeCrEt_t0ken_for_tests"


@pytest.fixture
def crawled(db, hub):
    run_crawl(db, hub)
    return db


def test_crawl_with_token_never_leaks_it(tmp_path):
    db = tmp_path / "registry.duckdb"
    population = Population.generate(n=1200, seed=8, private_fraction=0.05)
    with HubStandIn(population, tokens={SECRET}, owner_tokens={SECRET}) as hub:
        result = registry("crawl", "--db", str(db), "--verbose", env=registry_env(hub.url, SECRET))
        bad = registry("crawl", "--db", str(tmp_path / "other.duckdb"), env=registry_env(hub.url, SECRET + "x"))
    assert result.returncode == 0, result.stderr
    assert bad.returncode == Exit.AUTH and "401" in bad.stderr and "HF_TOKEN" in bad.stderr
    for text in (result.stdout, result.stderr, bad.stdout, bad.stderr):
        assert SECRET not in text
    for path in tmp_path.rglob("*"):  # the staging files and kept page bodies too
        assert path.is_dir() or SECRET.encode() not in path.read_bytes(), path


REFUSED = [
    "DELETE FROM models",
    "UPDATE models SET likes = 0",
    "DROP TABLE models",
    "CREATE TABLE x AS SELECT 1",
    "COPY models TO '/tmp/registry-leak.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "ATTACH '/tmp/registry-other.duckdb' AS other",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "SELECT 1; DELETE FROM models",
    "EXPORT DATABASE '/tmp/registry-export'",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_query_refuses_writes_and_file_access(crawled, sql):
    before = query_all(crawled, "SELECT count(*), sum(likes) FROM models")
    result = registry("query", sql, "--db", str(crawled), env=registry_env())
    assert result.returncode == Exit.QUERY, result.stderr
    assert "read-only" in result.stderr or "may not touch files" in result.stderr or "exactly one" in result.stderr
    assert query_all(crawled, "SELECT count(*), sum(likes) FROM models") == before


def test_query_answers_in_each_format(crawled, small_population):
    public = len(small_population.public_records())
    sql = "SELECT count(*) AS n FROM models"
    as_json = registry("query", sql, "--db", str(crawled), "--format", "json", env=registry_env())
    assert json.loads(as_json.stdout) == [{"n": public}]
    as_csv = registry("query", sql, "--db", str(crawled), "-f", "csv", env=registry_env())
    assert as_csv.stdout.splitlines() == ["n", str(public)]
    as_md = registry("query", sql, "--db", str(crawled), "-f", "markdown", env=registry_env())
    assert as_md.stdout.splitlines()[2] == f"| {public} |"
    table = registry("query", "SELECT id, tags FROM models LIMIT 2", "--db", str(crawled), env=registry_env())
    assert table.returncode == 0 and "tags" in table.stdout


def test_stats_counts_match_the_population(crawled, small_population):
    result = registry("stats", "--db", str(crawled), "--format", "json", "--top", "1000", env=registry_env())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    records = small_population.public_records()
    assert report["totals"][0]["models"] == len(records)
    by_library = {row["library"]: row["models"] for row in report["by_library"]}
    expected: dict[str, int] = {}
    for record in records:
        key = record.get("library_name") or "(none)"
        expected[key] = expected.get(key, 0) + 1
    assert by_library == expected
    buckets = {row["size_bucket"]: row["models"] for row in report["size_buckets"]}
    assert sum(buckets.values()) == len(records)
    for fmt in ("table", "csv", "markdown"):
        rendered = registry("stats", "--db", str(crawled), "-f", fmt, env=registry_env())
        assert rendered.returncode == 0 and "by_license" in rendered.stdout


def test_clear_errors_and_exit_codes(tmp_path):
    missing = str(tmp_path / "nope.duckdb")
    stats = registry("stats", "--db", missing, env=registry_env())
    assert stats.returncode == Exit.WAREHOUSE and "no warehouse" in stats.stderr
    query = registry("query", "SELECT 1", "--db", missing, env=registry_env())
    assert query.returncode == Exit.WAREHOUSE
    bad_option = registry("stats", "--format", "xml", "--db", missing, env=registry_env())
    assert bad_option.returncode == Exit.USAGE
    bad_section = registry("stats", "--section", "nonsense", "--db", missing, env=registry_env())
    assert bad_section.returncode == Exit.USAGE
    unreachable = registry(
        "crawl", "--db", str(tmp_path / "r.duckdb"), "--quiet",
        env=registry_env("http://127.0.0.1:9", REGISTRY_MAX_ATTEMPTS="2"),
    )  # fmt: skip
    assert unreachable.returncode == Exit.UNREACHABLE
    assert "cannot reach the Hub" in unreachable.stderr and "Traceback" not in unreachable.stderr


def test_runs_lists_each_crawl(crawled):
    result = registry("runs", "--db", str(crawled), "-f", "json", env=registry_env())
    (run,) = json.loads(result.stdout)
    assert run["status"] == "finished" and run["models_loaded"] > 0


def test_the_crawl_and_the_scheduler_do_not_load_polars():
    # Polars adds ~30 MB to a process that only crawls (BENCHMARKS.md: peak RSS of a crawl).
    code = "import sys, registry.cli, crawler.crawl, scheduler; print(sorted(m for m in sys.modules if m == 'polars'))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
