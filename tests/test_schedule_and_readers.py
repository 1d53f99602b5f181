"""Operators leave `registry schedule` running; analysts query while it crawls."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from tests.conftest import registry, registry_env, run_crawl
from tests.hub_standin import HubStandIn, Population
from tests.test_crawl_exact import assert_exact_mirror
from warehouse.connect import open_writer


def _runs(db, repo_type: str = "models") -> list[tuple]:
    """crawl_runs of one repository type, read the way an analyst would: retrying while a crawl
    holds the file. (The types' crawls run side by side: only one type's runs never overlap.)"""
    for _ in range(200):
        try:
            con = duckdb.connect(str(db), read_only=True)
        except (duckdb.IOException, duckdb.ConnectionException):
            time.sleep(0.05)
            continue
        try:
            return con.execute(
                "SELECT id, kind, status, started, finished, resumes FROM crawl_runs WHERE repo_type = ? ORDER BY id",
                [repo_type],
            ).fetchall()
        finally:
            con.close()
    raise AssertionError("the warehouse stayed locked")


def _wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def start_scheduler():
    """Starts `registry schedule` every 2 s; one still running when the test ends is killed (a
    failed test once left one crawling in the background for an hour)."""
    started: list[subprocess.Popen] = []

    def start(db, env) -> subprocess.Popen:
        command = [sys.executable, "-m", "registry", "schedule", "--db", str(db), "--cron", "*/2 * * * * *"]
        started.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _finished(db) -> int:
    return sum(1 for run in _runs(db) if run[2] == "finished") if db.exists() else 0


def test_schedule_runs_catches_up_after_a_kill_and_never_overlaps(db, start_scheduler):
    population = Population.generate(n=3000, seed=41)
    with HubStandIn(population, latency=0.03) as hub:
        # Counters due at every run, so each nightly run lists every model and can be killed mid-way.
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="100", REGISTRY_COUNTERS_EVERY_HOURS="0")
        scheduler = start_scheduler(db, env)
        _wait_until(lambda: _finished(db) >= 3)  # full, then incremental + counters
        before_kill = _finished(db)
        # Killed well into a models listing (30 pages), held there: its run has staged pages to
        # resume from (a run killed before its first page was staged is logged failed and started
        # again instead). Its fetcher starts before the run does, and runs ahead while the run waits
        # for the warehouse (another type's merge may hold it): the listing is held, then the run awaited.
        served = hub.stats.pages_by_route["models"]
        release = threading.Event()
        hub.on_request = lambda hub, _: release.wait(60) if hub.stats.pages_by_route["models"] >= served + 15 else None
        _wait_until(lambda: hub.stats.pages_by_route["models"] >= served + 15)
        _wait_until(lambda: any(run[2] == "running" for run in _runs(db)))
        time.sleep(0.5)  # the run's first commit to its staging file follows its row at once
        scheduler.kill()
        scheduler.wait()
        hub.on_request = None
        release.set()
        killed = [run for run in _runs(db) if run[2] == "running"]
        assert len(killed) == 1, "the kill left exactly one unfinished run"
        restarted = start_scheduler(db, env)
        _wait_until(lambda: _finished(db) >= before_kill + 3)
        restarted.send_signal(signal.SIGTERM)
        _, stderr = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, stderr
    assert "scheduler stopped" in stderr
    runs = _runs(db)
    resumed = {run[0]: run for run in runs}[killed[0][0]]
    assert resumed[2] == "finished" and resumed[5] == 1, "the killed run was resumed, not restarted"
    intervals = sorted((run[3], run[4]) for run in runs if run[2] == "finished" and run[0] != resumed[0])
    for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
        assert start >= end, "two crawls overlapped"
    assert all(run[2] in ("finished", "interrupted") for run in runs)
    assert_exact_mirror(db, population)


def test_queries_answer_while_a_crawl_runs(db):
    population = Population.generate(n=6000, seed=42)
    with HubStandIn(population, latency=0.06) as hub:
        run_crawl(db, hub)
        before = len(population.public_records())
        population.add(300)
        after = len(population.public_records())
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="100")
        crawl = subprocess.Popen(
            [sys.executable, "-m", "registry", "crawl", "--full", "--quiet", "--db", str(db)],
            env=env, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        answers = []
        while crawl.poll() is None:
            result = registry("query", "SELECT count(*) AS n FROM models WHERE deleted_at IS NULL", "--db", str(db),
                              "-f", "csv", env=env)  # fmt: skip
            assert result.returncode == 0, result.stderr
            answers.append(int(result.stdout.splitlines()[1]))
        second = registry("crawl", "--db", str(db), env=env)
        assert crawl.returncode == 0, crawl.stderr
    assert len(answers) >= 3, "the crawl should outlast several queries"
    # Chunks are merged while the crawl lists (README): readers see the new models arrive, never go
    # back, and never see models vanish (deletions wait for the end of the listing).
    assert answers == sorted(answers), "a reader saw the mirror go back"
    assert answers[0] == before and before <= answers[-1] <= after, answers
    assert second.returncode == 0


def test_reports_may_use_more_memory_than_the_crawl(db):
    """The crawl stays within REGISTRY_DUCKDB_MEMORY; stats, report and query within REGISTRY_READER_MEMORY."""
    open_writer(db).close()
    setting = "SELECT current_setting('memory_limit') AS memory_limit"
    limits = {}
    for reader_memory in ("512MB", None):
        env = registry_env("http://127.0.0.1:9", **({"REGISTRY_READER_MEMORY": reader_memory} if reader_memory else {}))
        result = registry("query", setting, "--db", str(db), "-f", "csv", env=env)
        assert result.returncode == 0, result.stderr
        limits[reader_memory] = result.stdout.splitlines()[1]
    writer = open_writer(db)
    (crawl_limit,) = writer.execute(setting).fetchone()
    writer.close()
    # DuckDB shows the limits in MiB: 512 MB is 488.2 MiB, the 1 GB default 953.6, the crawl's 160 MB 152.5.
    assert limits == {"512MB": "488.2 MiB", None: "953.6 MiB"}
    assert crawl_limit == "152.5 MiB"


def test_a_manual_crawl_cannot_collide_with_a_running_one(db):
    population = Population.generate(n=3000, seed=43)
    with HubStandIn(population, latency=0.05) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="100")
        first = subprocess.Popen(
            [sys.executable, "-m", "registry", "crawl", "--quiet", "--db", str(db)], env=env, stderr=subprocess.PIPE
        )
        _wait_until(lambda: hub.stats.pages_served >= 3)
        second = registry("crawl", "--quiet", "--db", str(db), env=env)
        first.wait(timeout=120)
    assert second.returncode == 3 and "another crawl is already running" in second.stderr
    assert first.returncode == 0
    assert_exact_mirror(db, population)


def test_a_reader_that_outlasts_the_crawls_patience_stops_it_and_a_rerun_finishes(db):
    # A long read (a `registry export` at 2.5M models holds the file ~6.5 min) outlasting
    # REGISTRY_WRITER_PATIENCE_SECONDS: the crawl stops with exit code 3 and a message that says
    # so, keeps what it fetched, and the next run completes the mirror.
    population = Population.generate(n=3000, seed=61)
    holder: list[duckdb.DuckDBPyConnection] = []

    def hold_the_warehouse(hub, request_no: int) -> None:
        while request_no == 3 and not holder:  # the crawl started its run: the file exists
            try:
                holder.append(duckdb.connect(str(db), read_only=True))
            except (duckdb.IOException, duckdb.ConnectionException):  # the crawl is writing: wait
                time.sleep(0.02)

    env = registry_env(REGISTRY_PAGE_SIZE="100")
    with HubStandIn(population) as hub:
        hub.on_request = hold_the_warehouse
        env["HF_ENDPOINT"] = hub.url
        stopped = registry("crawl", "--db", str(db), "--type", "models", "--no-report",
                           env=env | {"REGISTRY_WRITER_PATIENCE_SECONDS": "1"})  # fmt: skip
        assert holder, "the warehouse was never held"
        assert stopped.returncode == 3, stopped.stderr
        assert "still locked by another process after 1 s" in stopped.stderr, stopped.stderr
        hub.on_request = None
        holder.pop().close()
        finished = registry("crawl", "--db", str(db), "--type", "models", "--no-report", env=env)
        assert finished.returncode == 0, finished.stderr
    assert "(resumed)" in finished.stderr, "the rerun resumed the stopped crawl"
    assert_exact_mirror(db, population)
