"""repo_links is a table the merge keeps (declared_links): each crawl rewrites the links of the
repositories it merges, so links follow edits, deletions and renames between crawls; a warehouse
from before the table gets it filled by its migration."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import duckdb

from crawler.crawl import update_mirror
from tests.conftest import make_settings, query_all
from tests.hub_standin import HubStandIn
from tests.test_history import SimClock
from tests.test_repos_exact import assert_links, three_populations
from warehouse.migrations import MIGRATIONS_DIR, migrate

LINKS = "SELECT * FROM repo_links ORDER BY ALL"


def _linked(population, key: str) -> list[dict]:
    """Clean public records that declare links under `key` (a list)."""
    return [r for r in population.public_records()
            if r["id"] not in population.malformed and isinstance(r.get(key), list) and r[key]]  # fmt: skip


def _links_of(db, from_id: str) -> set[tuple]:
    return set(query_all(db, f"SELECT to_type, to_id, source, in_mirror FROM repo_links WHERE from_id = '{from_id}'"))


def _declare(population, record: dict, **changes) -> None:
    """Edit a record as a commit would (new lastModified and sha)."""
    with population.lock:
        record.update(changes)
        population._touch(record)


def test_links_follow_edits_deletions_and_renames_between_crawls(db):
    models, datasets, spaces = three_populations(150, 60, 100, seed=61)
    clock = SimClock(models)
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
        update_mirror(settings)
        datasets.now = spaces.now = models.now
        model = next(r["id"] for r in models.public_records() if r["id"] not in models.malformed)
        edited, deleted, renamed = (r["id"] for r in _linked(spaces, "models")[:3])
        linking_model = next(r for r in models.public_records() if any(t.startswith("dataset:") for t in r["tags"]))
        assert _links_of(db, edited) and _links_of(db, deleted) and _links_of(db, renamed)
        for population in (models, datasets, spaces):
            population.advance(days=1)
        # a case variant and a duplicate of one model (one link each: distinct to_id), a dangling one
        _declare(spaces, spaces.get(edited), models=[model, model.upper(), model, "nobody/nothing"], datasets=None)
        _declare(models, linking_model, tags=[t for t in linking_model["tags"] if not t.startswith("dataset:")])
        spaces.remove(deleted)
        spaces.rename_one(renamed, f"{renamed}-renamed")
        update_mirror(settings)
    assert _links_of(db, edited) == {
        ("model", model, "space.models", True),
        ("model", model.upper(), "space.models", True),
        ("model", "nobody/nothing", "space.models", False),
    }
    assert not _links_of(db, deleted), "a deleted Space declares nothing"
    assert not {link for link in _links_of(db, linking_model["id"]) if link[2] == "tags"}
    assert _links_of(db, f"{renamed}-renamed") and not _links_of(db, renamed), "a rename moves its links"
    assert_links(db, models, datasets, spaces)


def test_the_migration_fills_the_links_table_of_an_existing_warehouse(db):
    models, datasets, spaces = three_populations(150, 60, 100, seed=62)
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub:
        update_mirror(make_settings(db, hub.url, page_size=100))
    before = query_all(db, LINKS)
    assert len(before) > 30
    migration = next(MIGRATIONS_DIR.glob("*_repo_links_table.sql")).stem
    con = duckdb.connect(str(db))
    try:  # as a warehouse from before it: no table, the links only in the repositories' rows
        con.execute("DROP VIEW repo_links")
        con.execute("DROP TABLE declared_links")
        con.execute("DELETE FROM schema_migrations WHERE name = ?", [migration])
        assert migrate(con) == [migration]
    finally:
        con.close()
    assert query_all(db, LINKS) == before
    assert_links(db, models, datasets, spaces)
