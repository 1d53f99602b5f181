"""A crawl stopped at any moment (SIGKILL, a stop request, a give-up) resumes and ends exact."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import duckdb
import pytest

from crawler.crawl import update_mirror
from crawler.errors import GaveUp
from tests.conftest import (
    MODELS_ONLY,
    crawl_interrupted_after,
    make_settings,
    query_all,
    registry,
    registry_env,
    run_crawl,
)
from tests.hub_standin import Faults, HubStandIn, Population
from tests.test_crawl_exact import assert_exact_mirror
from warehouse.connect import WRITER_ROW_GROUP_ROWS


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _settled(count, quiet: float = 0.5) -> int:
    """The count once it has stopped changing for `quiet` seconds."""
    value, since = count(), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        if (now := count()) != value:
            value, since = now, time.monotonic()
    return value


CRAWL_MODELS = ["crawl", "--quiet", "--type", "models"]


def _start_crawl(db, env) -> subprocess.Popen:
    """A crawl of the models in a process of its own, to be killed."""
    command = [sys.executable, "-m", "registry", *CRAWL_MODELS, "--db", str(db)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def _rerun(db, env) -> subprocess.CompletedProcess:
    """The same crawl run again, to the end."""
    rerun = registry(*CRAWL_MODELS, "--db", str(db), env=env)
    assert rerun.returncode == 0, rerun.stderr
    return rerun


@pytest.mark.parametrize("kill_after_pages", [3, 17, 27])
def test_sigkill_mid_crawl_then_rerun_is_exact(tmp_path, kill_after_pages):
    db = tmp_path / "registry.duckdb"
    population = Population.generate(n=4000, seed=21, private_fraction=0.02, malformed_fraction=0.01)
    with HubStandIn(population, latency=0.01) as hub:
        # Merged in chunks of 5, so that the run's progress shows in crawl_runs while it lists.
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="100", REGISTRY_MERGE_CHUNK_PAGES="5")
        process = _start_crawl(db, env)
        # The fetcher starts before the run is set up, and runs ahead of staging: killed before the
        # run exists there would be nothing to resume, and on a loaded machine the fetcher may be 17
        # pages ahead before the first is staged. The later kills wait for a chunk to be merged too.
        merged_wanted = 0 if kill_after_pages <= 3 else 5
        _wait_for(
            lambda: (
                hub.stats.pages_served >= kill_after_pages
                and (_read(db, "SELECT merged_pages FROM crawl_runs") or [(-1,)])[0][0] >= merged_wanted
            )
        )
        _kill(process)
        # A request sent before the kill is still answered, and counted, a moment after it.
        served_before_kill = _settled(lambda: hub.stats.pages_served)
        committed = query_all(db.with_name("registry.models.staging.duckdb"), "SELECT pages FROM crawl_state")[0][0]
        rerun = _rerun(db, env)
        assert "(resumed)" in rerun.stderr
        served_by_rerun = hub.stats.pages_served - served_before_kill
    assert_exact_mirror(db, population)
    runs = query_all(db, "SELECT status, resumes, pages FROM crawl_runs")
    assert runs == [("finished", 1, 40)], "one run, resumed once, 40 pages of 100 committed exactly once"
    # Where the rerun started: right after the last committed page, each later page fetched once
    # (those fetched ahead of the kill but not committed, again); from page 1 it would fetch 40.
    assert served_by_rerun == 40 - committed, (committed, served_by_rerun)
    if kill_after_pages > 3:
        assert committed > 0, "killed once pages were committed, so that starting over would show"


def test_sigkill_during_the_chunked_merge_then_rerun_is_exact(tmp_path):
    db = tmp_path / "registry.duckdb"
    population = Population.generate(n=3000, seed=22)
    with HubStandIn(population) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="50", REGISTRY_MERGE_CHUNK_PAGES="1")
        process = _start_crawl(db, env)

        def merge_half_done() -> bool:
            rows = _read(db, "SELECT merged_pages FROM crawl_runs WHERE status = 'running'")
            return bool(rows) and rows[0][0] >= 15

        _wait_for(merge_half_done)
        _kill(process)
        (merged,) = _read(db, "SELECT merged_pages FROM crawl_runs")[0]
        assert 15 <= merged < 60, "killed mid-merge"
        _rerun(db, env)
    assert_exact_mirror(db, population)
    assert query_all(db, "SELECT status, resumes, merged_pages FROM crawl_runs") == [("finished", 1, 60)]
    (versions,) = query_all(db, "SELECT count(*) FROM model_versions")[0]
    assert versions == len(population.public_records()), "one version per model, however often a chunk ran"


@pytest.mark.parametrize("delay", [0.0, 0.4, 1.0])
def test_sigkill_while_a_chunk_bigger_than_a_row_group_is_merged_then_rerun_is_exact(tmp_path, delay):
    """A chunk of more rows than a row group is written into the file by its INSERT, before it
    commits (the WAL logs only where): killed then, the rerun must find none of it."""
    db = tmp_path / "registry.duckdb"
    population = Population.generate(n=40_000, seed=23, private_fraction=0.02, malformed_fraction=0.005)
    chunk_pages, page_size = 20, 1000
    assert chunk_pages * page_size * 0.95 > WRITER_ROW_GROUP_ROWS, "each chunk fills a row group"
    with HubStandIn(population) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE=str(page_size), REGISTRY_MERGE_CHUNK_PAGES=str(chunk_pages))
        process = _start_crawl(db, env)
        staging = db.with_name("registry.models.staging.duckdb")
        # The first chunk's merge starts once its pages are staged; killed `delay` later: typing,
        # writing its row groups, or committing, depending on the machine.
        _wait_for(lambda: (_read(staging, "SELECT pages FROM crawl_state") or [(0,)])[0][0] >= chunk_pages)
        time.sleep(delay)
        _kill(process)
        (merged,) = _read(db, "SELECT merged_pages FROM crawl_runs")[0]
        assert merged < 40, "killed before the merge was done"
        _rerun(db, env)
    assert_exact_mirror(db, population)
    assert query_all(db, "SELECT status, resumes, merged_pages FROM crawl_runs") == [("finished", 1, 40)]


def _read(db, sql: str) -> list[tuple]:
    """Read while a crawl may hold the file: a failed open just means 'not yet'."""
    try:
        return query_all(db, sql)
    except duckdb.Error:
        return []


def test_stop_request_commits_the_current_page_and_resumes(db):
    population = Population.generate(n=3000, seed=2)
    with HubStandIn(population, latency=0.01) as hub:
        crawl_interrupted_after(db, hub, pages=5, held_after_request=10)
        status, pages = query_all(db, "SELECT status, pages FROM crawl_runs")[0]
        assert status == "interrupted" and 5 <= pages < 30
        report = run_crawl(db, hub, page_size=100)
    assert report.resumed and report.state.pages == 30
    assert_exact_mirror(db, population)


def test_gives_up_after_bounded_failures_then_resumes(db):
    population = Population.generate(n=1000, seed=4)
    with HubStandIn(population) as hub:

        def break_hub_after_three_pages(hub, request_no):
            if request_no > 3:
                hub.faults = Faults(error_5xx=1.0)

        hub.on_request = break_hub_after_three_pages
        with pytest.raises(GaveUp, match="gave up .* after 8 failed attempts"):
            run_crawl(db, hub, page_size=100)
        hub.on_request = None
        status, pages, error = query_all(db, "SELECT status, pages, error FROM crawl_runs")[0]
        assert status == "failed" and 3 <= pages < 10 and "rerun `registry crawl` to resume" in error
        hub.faults = Faults()
        report = run_crawl(db, hub, page_size=100)
    assert report.resumed and report.state.pages == 10
    assert_exact_mirror(db, population)


def test_a_crawl_left_in_the_staging_file_all_types_once_shared_is_resumed(db):
    """An older version staged every type's crawl in `<db>.staging.duckdb`: its unfinished crawl is
    resumed from there, and the file is gone once the crawl is merged."""
    population = Population.generate(n=1000, seed=5)
    with HubStandIn(population, latency=0.01) as hub:
        crawl_interrupted_after(db, hub, pages=3, held_after_request=5)
        for suffix in ("duckdb", "pages"):  # where an older version kept them
            db.with_name(f"registry.models.staging.{suffix}").rename(db.with_name(f"registry.staging.{suffix}"))
        (report,) = update_mirror(make_settings(db, hub.url, page_size=100), repo_types=MODELS_ONLY)
    assert report.resumed and report.state.pages == 10
    assert not db.with_name("registry.staging.duckdb").exists()
    assert_exact_mirror(db, population)
