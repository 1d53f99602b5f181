"""`registry publish` into a DuckLake on a real PostgreSQL catalog and a real S3 server (moto), and
the readers (`stats`, `query` with --lake). The lake is read back by plain DuckDB in another process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from unittest.mock import patch

import duckdb
import pytest

from crawler.crawl import update_mirror
from queries.stored_report import current_report, kept_for_lake, lake_report
from registry import Registry
from registry.settings import lake_settings
from tests.conftest import make_settings, query_all, registry, registry_env
from tests.hub_standin import DatasetPopulation, HubStandIn, Population, SpacePopulation
from tests.lake_fixtures import PG_PASSWORD, PG_USER, pg_bin
from tests.read_lake import TABLES
from tests.test_history import SimClock, churn
from warehouse.connect import open_reader
from warehouse.lake_connect import LAKE, open_lake_reader
from warehouse.lake_publish import publish
from warehouse.lake_sync import fingerprint
from warehouse.lake_tables import columns_of
from warehouse.lock import CrawlLock


def crawl_days(db: Path, population: Population, clock: SimClock, hub: HubStandIn) -> None:
    update_mirror(replace(make_settings(db, hub.url, page_size=200), clock=clock))


def read_lake(tmp: Path, env: dict, version: int | None = None) -> Path:
    """Copy what an analyst reads from the lake into a local file, from another process."""
    out = tmp / f"lake-copy-{time.monotonic_ns()}.duckdb"
    args = [env["REGISTRY_LAKE"], env["REGISTRY_LAKE_DATA_PATH"], str(out)] + ([str(version)] if version else [])
    subprocess.run([sys.executable, "-m", "tests.read_lake", *args], env={**os.environ, **env}, check=True)
    return out


def assert_lake_equals(copy: Path, warehouse: Path) -> None:
    """Every table, row for row (duplicates counted), both ways."""
    con = duckdb.connect(str(copy), read_only=True)
    try:
        con.execute(f"ATTACH '{warehouse}' AS wh (READ_ONLY)")
        for table in TABLES:
            rows = con.execute(f"SELECT count(*) FROM wh.{table}").fetchone()[0]
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == rows, table
            for a, b in ((table, f"wh.{table}"), (f"wh.{table}", table)):
                extra = con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()
                assert extra == (0,), (table, a, b)
    finally:
        con.close()


STATE = ("downloads", "downloads_all_time", "likes", "trending_score", "last_seen", "deleted_at", "change_seq")


def repositories(db: Path, kind: str) -> dict[int, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(f"SELECT * FROM {kind}")
        names = [column[0] for column in cursor.description]
        return {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}  # by <kind>_key
    finally:
        con.close()


def changed_since(before: Path, after: Path, kind: str) -> set[int]:
    """The repositories the merge gave a new change_seq between two copies of a warehouse, after
    checking that it did exactly where a column other than the counters and when it was seen changed."""
    old, new = repositories(before, kind), repositories(after, kind)
    last = max(row["change_seq"] for row in old.values())
    moved = set()
    for key, row in new.items():
        if key in old:
            differs = any(value != old[key][name] for name, value in row.items() if name not in STATE)
            assert differs == (row["change_seq"] != old[key]["change_seq"]), (kind, row["id"])
        if key not in old or row["change_seq"] != old[key]["change_seq"]:
            assert row["change_seq"] > last, (kind, row["id"])
            moved.add(key)
    return moved


def assert_fingerprints_hold(env: dict) -> None:
    """What the last publish recorded of the tables it rewrites whole or by day (which the next one
    compares the warehouse with, instead of reading them back) is what those tables hold."""
    with patch.dict(os.environ, env):  # the servers' credentials, as an analyst's process has them
        con = open_lake_reader(lake_settings(env["REGISTRY_LAKE"], env["REGISTRY_LAKE_DATA_PATH"]))
    try:
        recorded = con.execute("SELECT table_name, day, row_count, row_hash FROM lake_fingerprints").fetchall()
        by_day = {name for name, day, _, _ in recorded if day is not None}
        assert {"model_counter_changes", "license_map", "crawl_runs"} <= {name for name, *_ in recorded}, recorded
        assert "model_counter_changes" in by_day
        for name, day, count, row_hash in recorded:
            columns = [column for column, _ in columns_of(con, LAKE, name)]
            condition = f"day = DATE '{day}'" if day else "true"
            assert fingerprint(con, f'{LAKE}.main."{name}"', columns, condition) == (count, int(row_hash)), name
            if day:
                assert con.execute(f'SELECT max(day) FROM {LAKE}.main."{name}"').fetchone() == (day,), name
    finally:
        con.close()


def metadata_rows_beyond_state(env: dict, kind: str) -> int:
    """Rows of the lake's <kind>_metadata that no repository's current state names (superseded)."""
    result = registry("query", f"SELECT (SELECT count(*) FROM {kind}_metadata) - (SELECT count(*) FROM {kind}_state) "
                      "AS n", "-f", "json", env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]["n"]


def changes_in_snapshot(env: dict, table: str, snapshot: int) -> dict:
    """How many rows one snapshot inserted into a lake table, and how many it changed in all."""
    result = registry("query", f"SELECT count(*) FILTER (change_type = 'insert') AS inserts, count(*) AS \"all\" "
                      f"FROM table_changes('{table}', {snapshot}, {snapshot})", "-f", "json", env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]


def snapshot_ids(env: dict, where: str = "") -> list[int]:
    result = registry("query", f"SELECT snapshot_id FROM snapshots() {where} ORDER BY 1", "-f", "json", env=env)
    assert result.returncode == 0, result.stderr
    return [row["snapshot_id"] for row in json.loads(result.stdout)]


def publishes(env: dict) -> list[tuple]:
    result = registry("query", "SELECT publish_id FROM lake_publishes ORDER BY 1", "-f", "json", env=env)
    assert result.returncode == 0, result.stderr
    return [row["publish_id"] for row in json.loads(result.stdout)]


@pytest.fixture
def world(tmp_path):
    population = Population.generate(n=1500, seed=41, private_fraction=0.02)
    datasets, spaces = DatasetPopulation.generate(n=150, seed=42), SpacePopulation.generate(n=150, seed=43)
    with HubStandIn(population, datasets=datasets, spaces=spaces) as hub:
        yield population, SimClock(population), hub, tmp_path / "registry.duckdb"


def churn_all(hub: HubStandIn, day: int) -> None:
    """A day of models (churn), and of datasets and Spaces: some added, edited, renamed, deleted."""
    churn(hub.population, day)
    hub.population.rename(3)
    for kind in (hub.datasets, hub.spaces):
        kind.advance(days=1)
        kind.add(4)
        kind.edit(6)
        kind.rename(2)
        kind.delete(2)
        kind.drift_counters(0.5)


def test_publish_equals_the_warehouse_then_a_night_later_and_keeps_the_first_night(world, lake_servers, tmp_path):
    population, clock, hub, db = world
    crawl_days(db, population, clock, hub)
    env = registry_env(**lake_servers.env(*lake_servers.new_lake()), REGISTRY_DB=str(db))
    first = registry("publish", env=env)
    assert first.returncode == 0, first.stderr
    first_night = tmp_path / "first-night.duckdb"
    shutil.copy(db, first_night)
    assert_lake_equals(read_lake(tmp_path, env), db)
    (first_snapshot,) = json.loads(registry("query", "SELECT max(snapshot_id) AS s FROM snapshots()", "-f", "json",
                                            env=env).stdout)  # fmt: skip

    churn_all(hub, 1)
    crawl_days(db, population, clock, hub)
    second = registry("publish", env=env)
    assert second.returncode == 0, second.stderr
    assert_lake_equals(read_lake(tmp_path, env), db)
    assert_lake_equals(read_lake(tmp_path, env, version=first_snapshot["s"]), first_night)
    # Links were dropped and added in the night (repo_links, compared above, is the lake's view of them).
    links = [set(query_all(path, "SELECT * FROM declared_links")) for path in (first_night, db)]
    assert links[0] - links[1] and links[1] - links[0]
    # The merge drew a new change_seq exactly for the repositories whose metadata changed, and the publish
    # wrote those (no other) into the metadata tables, deleting nothing: the rows they supersede stay
    # until housekeeping (the views, compared above, join the current ones).
    superseded = {}
    for kind in ("models", "datasets", "spaces"):
        changed = changed_since(first_night, db, kind)
        assert 0 < len(changed) < 300, kind  # of 1,500 models, 150 datasets, 150 Spaces
        night = first_snapshot["s"] + 1
        assert changes_in_snapshot(env, f"{kind}_metadata", night) == {"inserts": len(changed), "all": len(changed)}
        superseded[kind] = len(changed & repositories(first_night, kind).keys())
        assert metadata_rows_beyond_state(env, kind) == superseded[kind] > 0, kind
        # Versions too: the night's new versions appended, nothing deleted (the view computes valid_to).
        versions, key = f"{kind.removesuffix('s')}_versions", f"{kind.removesuffix('s')}_key"
        opened = [set(query_all(path, f"SELECT {key}, valid_from FROM {versions}")) for path in (first_night, db)]
        new_versions = len(opened[1] - opened[0])
        assert new_versions > 0 and opened[0] <= opened[1], kind
        assert changes_in_snapshot(env, f"{versions}_recorded", night) == {"inserts": new_versions, "all": new_versions}
    # The rest of the night: the counters state, the new day of counters, and the small tables that changed.
    (log,) = query_all(db, "SELECT list(tables ORDER BY id) FROM publish_runs WHERE status = 'finished'")
    assert "license_map" in log[0][0] and "license_map" not in log[0][1]

    snapshots_before = snapshot_ids(env)
    again = registry("publish", env=env)  # nothing changed: one more snapshot, no row written
    assert again.returncode == 0 and "nothing changed" in again.stderr
    assert snapshot_ids(env) == [*snapshots_before, snapshots_before[-1] + 1]
    assert_lake_equals(read_lake(tmp_path, env), db)
    assert_fingerprints_hold(env)

    ((first_day,),) = query_all(db, "SELECT min(started)::DATE::VARCHAR FROM crawl_runs")
    as_lake = registry("stats", "-f", "json", "--top", "5", "--as-of", first_day, env=env)
    as_file = registry("stats", "--db", str(db), "-f", "json", "--top", "5", "--as-of", first_day, env=env)
    assert as_lake.returncode == 0, as_lake.stderr
    now_lake = registry("stats", "-f", "json", "--top", "5", env=env)
    now_file = registry("stats", "--db", str(db), "-f", "json", "--top", "5", env=env)
    assert json.loads(now_lake.stdout) == json.loads(now_file.stdout)
    assert json.loads(as_lake.stdout) == json.loads(as_file.stdout)
    assert json.loads(as_lake.stdout)["totals"][0]["models"] > 1000  # the first night, from history
    # The warehouse's table macros are the lake's too: one day of the dense counters, as the view has it.
    one_day = ("SELECT (SELECT count(*) FROM (SELECT * FROM daily_counters_on(DATE '{0}') EXCEPT ALL "
               "SELECT * FROM daily_counters WHERE day = DATE '{0}')) AS differing, "
               "(SELECT count(*) FROM daily_counters_on(DATE '{0}')) AS models")  # fmt: skip
    on_day = registry("query", one_day.format(first_day), "-f", "json", env=env)
    assert on_day.returncode == 0, on_day.stderr
    assert json.loads(on_day.stdout) == [{"differing": 0, "models": json.loads(as_lake.stdout)["totals"][0]["models"]}]

    refused = registry("query", "DELETE FROM crawl_runs", env=env)
    assert refused.returncode == 6
    outside = registry("query", "SELECT * FROM read_csv('/etc/passwd')", env=env)
    assert outside.returncode == 6, outside.stdout

    report = registry("report", "--out", str(tmp_path / "lake.html"), env=env)
    assert report.returncode == 0 and (tmp_path / "lake.html").stat().st_size > 10_000, report.stderr

    publish_snapshots = snapshot_ids(env, "WHERE commit_message LIKE 'publish %'")
    maintained = registry("lake-maintain", "--retention-days", "0", env=env)
    assert maintained.returncode == 0, maintained.stderr
    assert f"{sum(superseded.values())} superseded metadata rows deleted" in maintained.stderr, maintained.stderr
    assert [metadata_rows_beyond_state(env, kind) for kind in superseded] == [0, 0, 0]
    # Snapshot 0 (the lake's creation) expired; the latest publishes kept whatever their age.
    left = snapshot_ids(env)
    assert 0 not in left and set(publish_snapshots) <= set(left)
    assert_lake_equals(read_lake(tmp_path, env), db)
    assert_lake_equals(read_lake(tmp_path, env, version=first_snapshot["s"]), first_night)


def hold_snapshot_table(servers, database: str) -> subprocess.Popen:
    """A PostgreSQL session that locks DuckLake's snapshot table against writes: a publish then
    writes its data files and blocks at COMMIT, which is where the test kills it."""
    psql = subprocess.Popen(
        [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(servers.pg_port), "-U", PG_USER, "-d", database, "-q"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env={**os.environ, "PGPASSWORD": PG_PASSWORD}, text=True,
    )  # fmt: skip
    psql.stdin.write("BEGIN; LOCK TABLE ducklake_snapshot IN EXCLUSIVE MODE;\n")
    psql.stdin.flush()
    return psql


def waiting_on_lock(servers, database: str) -> bool:
    result = subprocess.run(
        [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(servers.pg_port), "-U", PG_USER, "-d", database, "-tAc",
         "SELECT count(*) FROM pg_locks WHERE NOT granted"],
        env={**os.environ, "PGPASSWORD": PG_PASSWORD}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(result.stdout.strip()) > 0


def test_a_publish_killed_at_commit_leaves_the_last_snapshot_and_the_rerun_is_exact(world, lake_servers, tmp_path):
    population, clock, hub, db = world
    crawl_days(db, population, clock, hub)
    catalog, data_path = lake_servers.new_lake()
    env = registry_env(**lake_servers.env(catalog, data_path), REGISTRY_DB=str(db))
    assert registry("publish", env=env).returncode == 0
    churn(population, 1)
    crawl_days(db, population, clock, hub)

    database = catalog.split("dbname=")[1].split()[0]
    lock = hold_snapshot_table(lake_servers, database)
    publish = subprocess.Popen([sys.executable, "-m", "registry", "publish"], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not waiting_on_lock(lake_servers, database):
            assert time.monotonic() < deadline and publish.poll() is None, "the publish never reached its commit"
            time.sleep(0.05)
        during = registry("query", "SELECT count(*) AS n FROM models", "-f", "json", env=env)  # a reader meanwhile
        assert during.returncode == 0, during.stderr
        publish.send_signal(signal.SIGKILL)
        publish.wait(10)
    finally:
        lock.stdin.close()
        lock.wait(10)
    assert publishes(env) == [1]  # the killed publish left nothing
    rerun = registry("publish", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert publishes(env) == [1, 2]
    assert_lake_equals(read_lake(tmp_path, env), db)


def test_another_warehouse_or_a_broken_server_is_refused_with_the_lake_unchanged(world, lake_servers, tmp_path):
    population, clock, hub, db = world
    crawl_days(db, population, clock, hub)
    catalog, data_path = lake_servers.new_lake()
    env = registry_env(**lake_servers.env(catalog, data_path), REGISTRY_DB=str(db))
    assert registry("publish", env=env).returncode == 0

    other, elsewhere = tmp_path / "other.duckdb", tmp_path / "elsewhere.duckdb"
    update_mirror(make_settings(other, hub.url))  # the same Hub, another warehouse
    refused = registry("publish", "--db", str(other), env=env)
    assert refused.returncode == 9 and "another warehouse" in refused.stderr, refused.stderr
    with HubStandIn(Population.generate(n=300, seed=5)) as other_hub:
        update_mirror(make_settings(elsewhere, other_hub.url))
    refused = registry("publish", "--db", str(elsewhere), env=env)
    assert refused.returncode == 9 and "holds the Hub" in refused.stderr, refused.stderr

    with CrawlLock(db):  # a crawl in progress is not published half-way
        busy = registry("publish", env=env)
    assert busy.returncode == 3 and "a crawl (or another publish) is running" in busy.stderr, busy.stderr
    with CrawlLock(db, holder="publish"):  # and a crawl during a publish says what holds the warehouse
        crawl = registry("crawl", "--quiet", env=env)
    assert crawl.returncode == 3 and "a publish is already running" in crawl.stderr, crawl.stderr

    churn(population, 1)
    crawl_days(db, population, clock, hub)
    port = str(lake_servers.pg_port)
    down = registry("publish", "--lake", catalog.replace(f"port={port}", "port=1"), env=env)
    assert down.returncode == 7 and "catalog" in down.stderr, down.stderr
    bad_password = registry("publish", env={**env, "PGPASSWORD": "not-the-password"})
    assert bad_password.returncode == 7 and "password authentication failed" in bad_password.stderr
    assert "not-the-password" not in bad_password.stderr
    no_s3 = registry("publish", env={**env, "AWS_ENDPOINT_URL": "http://127.0.0.1:1"})
    assert no_s3.returncode == 8 and "data path" in no_s3.stderr, no_s3.stderr
    assert lake_servers.s3_secret not in no_s3.stderr + no_s3.stdout
    bad_key = registry("publish", env={**env, "AWS_SECRET_ACCESS_KEY": "not-the-secret-key"})
    assert bad_key.returncode == 8 and "data path" in bad_key.stderr and "403" in bad_key.stderr, bad_key.stderr
    assert "not-the-secret-key" not in bad_key.stderr
    lost_bucket, _ = lake_servers.new_lake()  # a new lake whose bucket does not exist
    no_bucket = registry("publish", "--lake", lost_bucket, "--data-path", "s3://no-such-bucket/lake/", env=env)
    assert no_bucket.returncode == 8 and "s3://no-such-bucket/lake/" in no_bucket.stderr, no_bucket.stderr
    assert publishes(env) == [1]
    (failed,) = query_all(db, "SELECT count(*) FROM publish_runs WHERE status = 'failed'")[0]
    assert failed >= 3
    assert not query_all(db, "SELECT error FROM publish_runs WHERE error LIKE '%not-the-password%'")

    assert registry("publish", env=env).returncode == 0  # the servers back: the next publish completes it
    assert_lake_equals(read_lake(tmp_path, env), db)
    # No secret is stored: not in the lake's catalog, not in the warehouse.
    database = catalog.split("dbname=")[1].split()[0]
    dump = subprocess.run(
        [pg_bin("pg_dump"), "-h", "127.0.0.1", "-p", str(lake_servers.pg_port), "-U", PG_USER, database],
        env={**os.environ, "PGPASSWORD": PG_PASSWORD}, capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert b"publish 2" in dump  # the dump holds the catalog (a commit message)
    for secret in (lake_servers.s3_secret, PG_PASSWORD, "not-the-password", "not-the-secret-key"):
        assert secret.encode() not in dump and secret.encode() not in db.read_bytes()


def test_a_never_published_lake_says_so(lake_servers, tmp_path):
    env = registry_env(**lake_servers.env(*lake_servers.new_lake()))
    result = registry("stats", env=env)
    assert result.returncode == 9 and "never been published" in result.stderr, result.stderr


def test_a_local_catalog_file_and_folder_work_too(world, tmp_path):
    population, clock, hub, db = world
    crawl_days(db, population, clock, hub)
    env = registry_env(
        REGISTRY_LAKE=f"ducklake:{tmp_path / 'lake.ducklake'}", REGISTRY_LAKE_DATA_PATH=str(tmp_path / "lake")
    )
    assert registry("publish", "--db", str(db), env=env).returncode == 0
    assert_lake_equals(read_lake(tmp_path, env), db)
    stats = registry("stats", "-f", "json", "--section", "totals", env=env)
    assert json.loads(stats.stdout)["totals"][0]["models"] > 1000
    # The Python API reads the lake as it reads the file (issue 20: Registry(lake=..., data_path=...)).
    on_lake = Registry(lake=env["REGISTRY_LAKE"], data_path=env["REGISTRY_LAKE_DATA_PATH"])
    query = "SELECT id, downloads, tags FROM models ORDER BY id"
    assert on_lake.sql(query).equals(Registry(db).sql(query))
    assert on_lake.stats("by_license")["by_license"].equals(Registry(db).stats("by_license")["by_license"])
    assert on_lake.lazy("models_enriched").select("id", "license_family").collect().height == len(
        Registry(db).sql("SELECT id FROM models_enriched")
    )


def test_the_report_is_published_with_the_tables_it_describes_and_never_a_stale_one(world, tmp_path):
    population, clock, hub, db = world
    crawl_days(db, population, clock, hub)
    env = registry_env(
        REGISTRY_LAKE=f"ducklake:{tmp_path / 'lake.ducklake'}", REGISTRY_LAKE_DATA_PATH=str(tmp_path / "lake")
    )
    lake = lake_settings(env["REGISTRY_LAKE"], env["REGISTRY_LAKE_DATA_PATH"])

    def served_from_the_lake() -> tuple[dict, dict]:
        con = open_lake_reader(lake)
        try:
            report = lake_report(con)
        finally:
            con.close()
        return report.tables, report.computed

    # `registry publish` brings the kept report up to date and publishes it: lake readers compute nothing.
    assert registry("publish", "--db", str(db), env=env).returncode == 0
    tables, computed = served_from_the_lake()
    assert computed == {}
    # The publish logged itself in the warehouse (publish_runs): the kept report is still current.
    con = open_reader(db)
    try:
        assert current_report(con).computed == {}
    finally:
        con.close()
    on_file = Registry(db).stats()
    assert tables.keys() == on_file.keys()
    for section, frame in on_file.items():
        assert tables[section].equals(frame), section
    # A crawl later, published without bringing the report up to date: the kept one describes other
    # data, so the lake drops it in that same snapshot and its readers compute every section.
    churn(population, 1)
    crawl_days(db, population, clock, hub)
    publish(db, lake, clock(), current_report=kept_for_lake)
    tables, computed = served_from_the_lake()
    assert computed.keys() == tables.keys() == on_file.keys()
    assert tables["totals"].equals(Registry(db).stats("totals")["totals"])


def test_the_nightly_job_publishes_after_its_crawl_and_logs_a_failed_publish(world, lake_servers, monkeypatch):
    import threading

    from scheduler import nightly_crawl

    population, clock, hub, db = world
    settings = replace(make_settings(db, hub.url, page_size=200), clock=clock)
    catalog, data_path = lake_servers.new_lake()
    for name, value in lake_servers.env(catalog, data_path, PGPASSWORD="wrong").items():
        monkeypatch.setenv(name, value)
    nightly_crawl(settings, threading.Event())  # the lake refuses the password: the crawl stands
    # the nightly crawl of models, datasets and Spaces (the stand-in lists none of the last two)
    assert query_all(db, "SELECT status FROM crawl_runs") == [("finished",)] * 3
    assert query_all(db, "SELECT status FROM publish_runs") == [("failed",)]

    monkeypatch.setenv("PGPASSWORD", PG_PASSWORD)
    churn(population, 1)
    nightly_crawl(settings, threading.Event())  # the next night publishes everything
    assert query_all(db, "SELECT status FROM publish_runs ORDER BY id") == [("failed",), ("finished",)]
    assert_lake_equals(read_lake(db.parent, lake_servers.env(catalog, data_path)), db)


def test_tables_and_columns_a_later_warehouse_adds_reach_the_lake_and_a_newer_lake_is_refused(world, tmp_path):
    population, clock, hub, db = world
    crawl_days(db, population, clock, hub)
    catalog, data_path = f"ducklake:{tmp_path / 'lake.ducklake'}", str(tmp_path / "lake")
    env = registry_env(REGISTRY_LAKE=catalog, REGISTRY_LAKE_DATA_PATH=data_path, REGISTRY_DB=str(db))
    assert registry("publish", env=env).returncode == 0

    con = duckdb.connect(str(db))  # what a later migration does (papers, say): a column, a table, a view
    con.execute("ALTER TABLE crawl_runs ADD COLUMN note VARCHAR DEFAULT 'added later'")
    con.execute("CREATE TABLE papers AS SELECT id, author, downloads FROM models ORDER BY id LIMIT 40")
    con.execute("CREATE VIEW papers_enriched AS SELECT *, upper(author) AS owner FROM papers")
    con.close()
    published = registry("publish", env=env)
    assert published.returncode == 0, published.stderr
    assert "papers" in published.stderr

    def lake(sql: str) -> list[dict]:
        result = registry("query", sql, "-f", "json", env=env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert lake("SELECT DISTINCT note FROM crawl_runs") == [{"note": "added later"}]
    expected = query_all(db, "SELECT id, author, downloads, upper(author) FROM papers ORDER BY id")
    rows = lake("SELECT id, author, downloads, owner FROM papers_enriched ORDER BY id")
    assert [tuple(row.values()) for row in rows] == expected

    from warehouse.lake_connect import LakeSettings, attach_lake, new_connection

    writer = new_connection()
    attach_lake(writer, LakeSettings(catalog, data_path), read_only=False)
    writer.execute("UPDATE lake.lake_identity SET lake_format = 99")
    writer.close()
    refused = registry("publish", env=env)
    assert refused.returncode == 9 and "newer registry" in refused.stderr, refused.stderr
