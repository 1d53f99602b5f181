"""The current `registry stats` report is kept in the warehouse and served until the warehouse changes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

from queries.sections import SECTIONS
from queries.stats import run_stats
from queries.stored_report import current_report, fingerprint, store
from scheduler import nightly_crawl
from tests.conftest import make_settings, query_all, registry, registry_env, run_crawl
from tests.hub_standin import HubStandIn, Population
from warehouse.connect import open_reader


def stats(db, *args: str) -> dict:
    result = registry("stats", "--db", str(db), "-f", "json", *args, env=registry_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def kept(db) -> dict[str, tuple[str, int]]:
    rows = query_all(db, "SELECT section, fingerprint, top FROM report.sections")
    return {section: (fp, top) for section, fp, top in rows}


def test_a_kept_report_is_served_until_a_crawl_changes_the_warehouse(db):
    population = Population.generate(n=1500, seed=41)
    with HubStandIn(population) as hub:
        run_crawl(db, hub)
        first = stats(db)
        fingerprints = {fp for fp, _ in kept(db).values()}
        assert set(kept(db)) == set(SECTIONS) and len(fingerprints) == 1
        assert stats(db) == first

        # Served, not recomputed: a value changed in the kept table is what the next report shows.
        con = duckdb.connect(str(db))
        con.execute("UPDATE report.totals SET models = -1")
        con.close()
        assert stats(db)["totals"][0]["models"] == -1
        page = db.with_name("report.html")  # the HTML report reads the same kept sections
        assert registry("report", "--db", str(db), "--out", str(page), env=registry_env()).returncode == 0
        assert '<div class="card"><b>-1</b>models</div>' in page.read_text()
        assert stats(db, "--as-of", "2100-01-01")["totals"][0]["models"] == first["totals"][0]["models"]

        population.add(40)
        run_crawl(db, hub)
    after = stats(db)
    assert after["totals"][0]["models"] == first["totals"][0]["models"] + 40
    (refreshed,) = {fp for fp, _ in kept(db).values()}
    assert refreshed not in fingerprints and stats(db) == after


def test_each_section_is_kept_for_its_top_and_alone(db, hub):
    run_crawl(db, hub)
    stats(db, "--section", "top_authors", "--top", "3")
    assert kept(db) == {"top_authors": (kept(db)["top_authors"][0], 3)}
    assert len(stats(db, "--section", "top_authors", "--top", "3")["top_authors"]) == 3
    full = stats(db)  # top 20: top_authors is computed again, the rest for the first time
    assert len(full["top_authors"]) == 20 and {top for _, top in kept(db).values()} == {20}


def test_kept_sections_equal_computed_ones_column_types_included(db, hub):
    run_crawl(db, hub)
    con = open_reader(db)
    computed = current_report(con)
    live = run_stats(con, SECTIONS, 20)
    con.close()
    assert set(computed.computed) == set(SECTIONS)
    assert store(db, computed)
    con = open_reader(db)
    served = current_report(con)
    con.close()
    assert served.computed == {}
    for section in SECTIONS:
        assert_frame_equal(served.tables[section], live[section], check_exact=True)
        assert isinstance(served.tables[section], pl.DataFrame)


def test_a_report_is_answered_when_it_cannot_be_kept(db, hub):
    run_crawl(db, hub)
    # Another process reading the warehouse: the report is computed and printed, not stored.
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(db)!r}, read_only=True); "
         "print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        report = stats(db)
    finally:
        holder.communicate("")
    assert report["totals"][0]["models"] > 0
    assert query_all(db, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'report'") == [(0,)]
    assert stats(db) == report and set(kept(db)) == set(SECTIONS)


def current_fingerprint(db) -> str:
    con = open_reader(db)
    try:
        return fingerprint(con, 20)
    finally:
        con.close()


def test_the_nightly_job_leaves_the_report_ready(db, hub):
    nightly_crawl(make_settings(db, hub.url), threading.Event())
    assert kept(db) == {section: (current_fingerprint(db), 20) for section in SECTIONS}


def test_registry_crawl_leaves_the_report_ready_unless_told_not_to(db, small_population, hub):
    crawled = registry("crawl", "--db", str(db), "--quiet", env=registry_env(hub.url))
    assert crawled.returncode == 0, crawled.stderr
    assert "report computed for the next `registry stats`" in crawled.stderr
    assert kept(db) == {section: (current_fingerprint(db), 20) for section in SECTIONS}

    small_population.add(25)
    crawled = registry("crawl", "--db", str(db), "--quiet", "--no-report", env=registry_env(hub.url))
    assert crawled.returncode == 0, crawled.stderr
    assert "report computed" not in crawled.stderr
    (stale,) = {fp for fp, _ in kept(db).values()}
    assert stale != current_fingerprint(db), "the crawl changed the warehouse and left its report stale"
    assert stats(db)["totals"][0]["models"] == len(small_population.public_records())


def test_a_ctrl_c_once_the_crawl_is_done_lets_registry_crawl_finish_its_report(db, hub):
    """SIGINT as the crawl's last summary line appears: the report step (about a second here) is
    under way or about to start, and must run to its end rather than die with a KeyboardInterrupt."""
    command = [sys.executable, "-m", "registry", "crawl", "--db", str(db), "--quiet"]
    process = subprocess.Popen(command, env=registry_env(hub.url), stderr=subprocess.PIPE, text=True)
    summaries, lines = 0, []
    for line in process.stderr:
        lines.append(line)
        if " run " in line and " pages in " in line:  # one summary per kind of repository
            summaries += 1
            if summaries == 3:
                process.send_signal(signal.SIGINT)
                break
    lines.extend(process.stderr)
    stderr = "".join(lines)
    assert process.wait(timeout=120) == 0, stderr
    assert summaries == 3, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "report computed for the next `registry stats`" in stderr, stderr
    assert kept(db) == {section: (current_fingerprint(db), 20) for section in SECTIONS}
