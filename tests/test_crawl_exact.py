"""A full crawl mirrors the stand-in exactly: under faults and pacing, with private and malformed records."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import create_warehouse_before_zstd, query_all, registry, registry_env, run_crawl
from tests.expected import COLUMNS, expected_row, listed
from tests.hub_standin import Faults, HubStandIn, Population
from warehouse import merge
from warehouse.connect import WRITER_ROW_GROUP_ROWS, open_writer
from warehouse.runs import start_run
from warehouse.streams import MODELS


def _warehouse_rows(db) -> dict[str, tuple]:
    """The current models by object_id (the Hub's _id: identity, README "Identity and renames")."""
    rows = query_all(db, f"SELECT {', '.join(COLUMNS)}, raw, flags FROM models WHERE deleted_at IS NULL")
    return {row[1]: row for row in rows}


# What a counters refresh updates in the typed columns but not in raw (README, "Warehouse schema").
REFRESHED_COUNTERS = ("downloads", "downloadsAllTime", "likes", "trendingScore")


def assert_exact_mirror(db, population: Population, counters_refreshed: bool = False) -> None:
    """Same models (by _id) under the same ids, no duplicates, raw JSON equal to what the listing
    served, typed columns as derived.

    After a counters refresh, raw's counters (and a renamed model's id) are those of the last full-record
    listing: compared without them.
    """
    rows = _warehouse_rows(db)
    (total,) = query_all(db, "SELECT count(*) FROM models WHERE deleted_at IS NULL")[0]
    assert total == len(rows), "a model appears twice"
    records = population.public_records()
    assert set(rows) == {r["_id"] for r in records if isinstance(r.get("id"), str)}
    assert len({row[0] for row in rows.values()}) == len(rows), "two current models share an id"
    malformed = set(population.malformed)
    renamed = set(population.aliases.values())
    for record in records:
        if not isinstance(record.get("id"), str):
            continue
        row = rows[record["_id"]]
        raw, expected_raw = json.loads(row[len(COLUMNS)]), listed(population, record)
        if counters_refreshed:
            raw, expected_raw = _without_counters(raw), _without_counters(expected_raw)
            if record["_id"] in renamed:  # perhaps seen under its new id only by the counters listing
                raw, expected_raw = _without_identity(raw), _without_identity(expected_raw)
        assert raw == expected_raw
        if record["id"] not in malformed:
            assert row[: len(COLUMNS)] == expected_row(record), record["id"]
            assert row[-1] == [], (record["id"], row[-1])


def _without_counters(record: dict) -> dict:
    return {key: value for key, value in record.items() if key not in REFRESHED_COUNTERS}


def _without_identity(record: dict) -> dict:
    """A renamed model's raw: the counters listing updates its id and author columns, not raw."""
    return {key: value for key, value in record.items() if key not in ("id", "modelId", "author")}


def test_crawl_is_exact_under_faults_and_pacing(db):
    population = Population.generate(n=6000, seed=5, private_fraction=0.02, malformed_fraction=0.02)
    faults = Faults(error_5xx=0.02, truncated=0.01, reset=0.01, seed=1)  # seed 1: every kind fires
    # 10 a second: fewer than the fetcher's first burst (the pages it may fetch ahead), on any machine.
    with HubStandIn(population, faults=faults, quota=10, window=1) as hub:
        report = run_crawl(db, hub, page_size=50)
        stats = hub.stats
    assert_exact_mirror(db, population)
    injected = stats.faults_injected
    assert set(injected) == {"error_5xx", "truncated", "reset"}, injected
    assert report.state.retries == sum(injected.values()), "each injected fault costs exactly one retry"
    assert stats.count_429 == 0, "pacing from RateLimit headers must avoid every 429"
    assert report.state.rate_limit_waits >= 1, "a quota of 10 a second must force the crawler to wait"
    (run,) = query_all(db, "SELECT status, pages, retries, http_429, rate_limit_waits FROM crawl_runs")
    assert run == ("finished", report.state.pages, report.state.retries, 0, report.state.rate_limit_waits)


def test_bodies_cut_short_or_invalid_are_refetched(db):
    population = Population.generate(n=1500, seed=6)
    faults = Faults(truncated_json=0.2, truncated=0.1, slow=0.05, slow_seconds=6, seed=3)  # slow > client timeout
    with HubStandIn(population, faults=faults) as hub:
        report = run_crawl(db, hub, page_size=50)
        injected = hub.stats.faults_injected
    assert injected["truncated_json"] > 0 and injected["slow"] > 0
    assert report.state.retries == sum(injected.values())
    assert_exact_mirror(db, population)


def test_a_hub_refusing_info_only_fields_in_listings_is_still_mirrored(db):
    population = Population.generate(n=1200, seed=12)
    with HubStandIn(population, model_info_only=MODELS.info_only_fields) as hub:
        report = run_crawl(db, hub, page_size=200)
        statuses = hub.stats.statuses
    assert statuses[400] == 1 and report.state.pages == 6, "one refused request, then the listing without them"
    rows = dict(query_all(db, "SELECT id, [base_relation] || base_models FROM models"))
    for record in population.public_records():
        base = record.get("baseModels")
        expected = [base["relation"], *(m["id"] for m in base["models"])] if base else None
        assert rows[record["id"]] == expected, "base models read from the base_model:<relation>: tags"
    (storage,) = query_all(db, "SELECT count(used_storage) FROM models")[0]
    assert storage == 0


def test_private_models_never_appear_even_to_their_owner(db):
    population = Population.generate(n=1500, seed=3, private_fraction=0.1)
    private_ids = {r["id"] for r in population.all_records() if r.get("private")}
    assert private_ids
    with HubStandIn(population, tokens={"hf_owner"}, owner_tokens={"hf_owner"}) as hub:
        report = run_crawl(db, hub, token="hf_owner")
    stored = {row[0] for row in query_all(db, "SELECT id FROM models")}
    quarantined = " ".join(row[0] for row in query_all(db, "SELECT raw::VARCHAR FROM quarantine"))
    assert not stored & private_ids
    assert not any(model_id in quarantined for model_id in private_ids)
    assert report.merge.private_skipped == len(private_ids), "the owner's token lists them; the crawler drops them"
    assert_exact_mirror(db, population)


def test_malformed_records_are_kept_raw_and_flagged(db):
    population = Population.generate(n=2000, seed=9, malformed_fraction=0.05, idless=4)
    with HubStandIn(population) as hub:
        report = run_crawl(db, hub, page_size=250)
    assert report.state.pages == 9, "the crawl did not stop on bad records"
    flags = dict(query_all(db, "SELECT id, flags FROM models"))
    for model_id, kinds in population.malformed.items():
        assert flags[model_id], f"{model_id} ({kinds}) is malformed but not flagged"
    clean = set(flags) - set(population.malformed)
    assert all(flags[model_id] == [] for model_id in clean)
    quarantined = query_all(db, "SELECT reason, raw FROM quarantine")
    assert len(quarantined) == 4
    idless = [r for r in population.public_records() if not isinstance(r.get("id"), str)]
    assert sorted(json.loads(raw)["_id"] for _, raw in quarantined) == sorted(r["_id"] for r in idless)
    assert {reason for reason, _ in quarantined} <= {"missing:id", "bad_type:id"}
    assert_exact_mirror(db, population)


def test_a_second_crawl_changes_nothing_but_last_seen(db, hub):
    history = ("SELECT * FROM model_versions ORDER BY ALL", "SELECT * FROM daily_counters ORDER BY ALL")
    run_crawl(db, hub)
    before = query_all(db, "SELECT * EXCLUDE (last_seen) FROM models ORDER BY id")
    history_before = [query_all(db, sql) for sql in history]
    run_crawl(db, hub)
    after = query_all(db, "SELECT * EXCLUDE (last_seen) FROM models ORDER BY id")
    assert before == after
    assert all(history_before) and [query_all(db, sql) for sql in history] == history_before, "same day, no change"
    assert query_all(db, "SELECT count(*), count(DISTINCT id) FROM models")[0] == (len(after), len(after))


def test_deleted_models_are_kept_with_deleted_at_and_new_ones_added(db, hub, small_population):
    run_crawl(db, hub)
    deleted = small_population.delete(40)
    added = small_population.add(25)
    report = run_crawl(db, hub)
    assert report.merge.marked_deleted == 40
    gone = {row[0] for row in query_all(db, "SELECT id FROM models WHERE deleted_at IS NOT NULL")}
    assert gone == set(deleted)
    assert set(added) <= {row[0] for row in query_all(db, "SELECT id FROM models WHERE deleted_at IS NULL")}
    assert_exact_mirror(db, small_population)


def test_a_page_too_big_to_type_at_once_is_typed_record_by_record(db):
    """Eight MB-sized cardData on one page: more than DuckDB may hold at once here; nothing is lost."""
    population = Population.generate(n=300, seed=12)
    huge = {"license": "mit", "blob": [{"line": "x" * 1000, "n": i} for i in range(1100)]}  # ~1.1 MB
    first_page = [r for r in population.public_records() if isinstance(r.get("id"), str)][:50]
    for record in first_page[::6][:8]:
        record["cardData"] = huge
        population.malformed[record["id"]] = ["huge_card_data"]
    population.version += 1
    with HubStandIn(population) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="50", REGISTRY_DUCKDB_MEMORY="128MB")
        result = registry("crawl", "--db", str(db), "--verbose", env=env)
    assert result.returncode == 0, result.stderr
    assert "too big to type at once" in result.stderr, "the page should have needed the fallback"
    assert_exact_mirror(db, population)
    flags = dict(query_all(db, "SELECT id, flags FROM models"))
    assert all("large_card_data" in flags[model_id] for model_id in population.malformed)


def test_a_slow_hub_is_merged_in_full_chunks_only(db, caplog, monkeypatch):
    # A smaller chunk, merged while waiting for a slow Hub, would leave a partial row group that
    # later checkpoints merge and write again: while listing, only full chunks are merged, and the
    # rest with the run's finish (which is not logged as "merged pages").
    monkeypatch.setattr(merge, "CHUNK_PAGES", 6)
    population = Population.generate(n=2000, seed=12)
    with HubStandIn(population, latency=0.2) as hub, caplog.at_level("DEBUG", logger="registry.warehouse"):
        run_crawl(db, hub, page_size=100)
    merged_while_listing = [
        tuple(map(int, message.split()[2].split("-")))
        for message in (record.getMessage() for record in caplog.records)
        if message.startswith("merged pages")
    ]
    assert merged_while_listing == [(1, 6), (7, 12), (13, 18)], "20 pages: three full chunks, then 2 with the finish"
    assert_exact_mirror(db, population)


def test_the_crawl_writes_row_groups_of_its_set_size(tmp_path):
    con = open_writer(tmp_path / "rows.duckdb")
    try:
        con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(70000)")
        con.execute("CHECKPOINT")
        sizes = con.execute(
            "SELECT DISTINCT row_group_id, count FROM pragma_storage_info('numbers') ORDER BY row_group_id"
        ).fetchall()
    finally:
        con.close()
    full = WRITER_ROW_GROUP_ROWS
    expected = [full] * (70000 // full) + [70000 % full]
    assert [count for _, count in sizes] == expected, "DuckDB's default would be one group"


@pytest.mark.parametrize("stem", ["memory", "temp", "system"])
def test_a_warehouse_named_as_duckdb_names_its_own_databases_opens_for_writing(tmp_path, stem):
    # The writer attaches the file under its stem; these three names DuckDB holds already.
    con = open_writer(tmp_path / f"{stem}.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM crawl_runs").fetchone() == (0,)
    finally:
        con.close()


def _population_with_cards(kilobytes: int = 100, models: int = 400) -> Population:
    population = Population.generate(n=models, seed=12)
    card = {"license": "mit", "blob": [{"line": "x" * 1000, "n": i} for i in range(kilobytes)]}
    for record in population.public_records():
        if isinstance(record.get("id"), str):
            record["cardData"] = card
    population.version += 1
    return population


def test_a_chunk_that_runs_out_of_duckdb_memory_is_merged_in_halves(db):
    """40 pages of 100 KB cards are more than 48 MB of DuckDB can merge at once; halves fit: nothing lost."""
    population = _population_with_cards()
    with HubStandIn(population) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="10", REGISTRY_DUCKDB_MEMORY="48MB",
                           REGISTRY_MERGE_CHUNK_PAGES="40")  # fmt: skip
        result = registry("crawl", "--db", str(db), "--verbose", env=env)
    assert result.returncode == 0, result.stderr
    assert "merging pages 1-40 ran out of DuckDB memory: merging them in halves" in result.stderr
    assert_exact_mirror(db, population)
    assert query_all(db, "SELECT count(*) FROM quarantine") == [(0,)]


def test_a_checkpoint_beyond_the_memory_cap_is_made_again_and_the_crawl_finishes_exact(db, monkeypatch):
    """At 64 MB, checkpointing a warehouse created before ZSTD after a merge runs out of memory (FSST's
    analysis of the wide columns) and DuckDB invalidates it (after the COMMIT is durable): the file is
    opened again with more memory, which replays the COMMIT from the WAL and checkpoints it, and the
    crawl goes on to an exact mirror. (A warehouse created now compresses those columns with ZSTD,
    without that analysis: its checkpoint fits.) Cards of 500 KB: raw is the one wide column stored
    (migration 018) and a chunk's typed rows hold no cardData; with 400 KB cards the checkpoint fits
    in 64 MB."""
    create_warehouse_before_zstd(db, monkeypatch)
    population = _population_with_cards(kilobytes=500, models=200)
    with HubStandIn(population) as hub:
        env = registry_env(hub.url, REGISTRY_PAGE_SIZE="10", REGISTRY_MERGE_CHUNK_PAGES="40")
        starved = registry("crawl", "--db", str(db), "--type", "models", env={**env, "REGISTRY_DUCKDB_MEMORY": "64MB"})
    assert starved.returncode == 0, starved.stderr
    assert "has been invalidated. Original error: could not allocate" in starved.stderr
    assert "checkpointing the warehouse failed (" in starved.stderr and "): again with 512MB" in starved.stderr
    assert "Traceback" not in starved.stderr
    assert_exact_mirror(db, population)
    assert query_all(db, "SELECT status, resumes FROM crawl_runs") == [("finished", 0)]


def test_a_run_killed_before_its_first_page_was_staged_is_logged_failed(db, hub):
    """Killed between logging its run and staging its listing, a crawl leaves nothing to resume:
    the next crawl starts anew and logs the first as failed, rather than leaving it 'running'."""
    run_crawl(db, hub)
    con = open_writer(db)
    try:
        orphan = start_run(con, "full", hub.url, datetime(2026, 11, 30))
    finally:
        con.close()
    run_crawl(db, hub)
    runs = query_all(db, "SELECT id, status, error FROM crawl_runs ORDER BY id")
    assert [status for _, status, _ in runs] == ["finished", "failed", "finished"]
    assert runs[1][0] == orphan and runs[1][2].startswith("abandoned")
