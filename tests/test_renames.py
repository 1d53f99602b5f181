"""Identity is the Hub's _id: a renamed model keeps its row, model_key, history and lineage."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx2

from crawler.crawl import update_mirror
from queries.stats import prepare
from tests.conftest import MODELS_ONLY, make_settings, query_all
from tests.hub_standin import HubStandIn, Population
from tests.test_crawl_exact import assert_exact_mirror
from tests.test_history import SimClock
from warehouse.connect import open_reader


def _a_base_and_its_child(population: Population) -> tuple[str, str]:
    """A public model that another public model names as its base (by id, in baseModels)."""
    for child in population.public_records():
        base_id = ((child.get("baseModels") or {}).get("models") or [{}])[0].get("id")
        base = population.get(base_id) if base_id else None
        if base and base.get("private") is not True and base_id not in population.malformed:
            return base_id, child["id"]
    raise AssertionError("the population has no lineage")


def _lineage_parents(db, child: str) -> set[str]:
    con = open_reader(db)
    try:
        prepare(con, ("top_base_models",), {"top": 20, "as_of": None})
        return {row[0] for row in con.execute("SELECT parent FROM lineage_edges WHERE child = ?", [child]).fetchall()}
    finally:
        con.close()


def test_a_renamed_model_keeps_its_row_history_and_lineage(db):
    population = Population.generate(n=1500, seed=43)
    clock = SimClock(population)
    base_id, child_id = _a_base_and_its_child(population)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
        update_mirror(settings, repo_types=MODELS_ONLY)
        before = clock()
        keys_before = dict(query_all(db, "SELECT object_id, model_key FROM models"))

        population.advance(days=1)
        renames = [population.rename_one(base_id, "renamed-org/the-base"), *population.rename(20)]
        population.drift_counters(1.0)
        update_mirror(settings, repo_types=MODELS_ONLY)
        after = clock()
        redirect = httpx2.get(f"{hub.url}/api/models/{base_id}")
    assert_exact_mirror(db, population, counters_refreshed=True)
    assert dict(query_all(db, "SELECT object_id, model_key FROM models")) == keys_before, "no row added or re-keyed"

    logged = query_all(
        db, "SELECT m.object_id, r.old_id, r.new_id FROM model_renames AS r JOIN models AS m USING (model_key)"
    )
    assert sorted(logged) == sorted((population.aliases[old], old, new) for old, new in renames)
    key_of = {old: keys_before[population.aliases[old]] for old, _ in renames}
    for old, new in renames:
        days = query_all(db, "SELECT count(DISTINCT day) FROM daily_counters WHERE model_key = ?", [key_of[old]])
        assert days == [(2,)], f"{new}'s counters go on under its key"
        versions = query_all(db, "SELECT count(*) FROM model_versions WHERE model_key = ?", [key_of[old]])
        assert versions == [(1,)], "a rename is not a new version, nor a new model's first"
    then = dict(query_all(db, "SELECT model_key, id FROM models_as_of(?)", [before]))
    now = dict(query_all(db, "SELECT model_key, id FROM models_as_of(?)", [after]))
    assert all(then[key_of[old]] == old and now[key_of[old]] == new for old, new in renames)

    assert population.get(child_id)["baseModels"]["models"][0]["id"] == base_id, "the child still names the old id"
    assert "renamed-org/the-base" in _lineage_parents(db, child_id)
    assert base_id not in _lineage_parents(db, child_id)
    assert redirect.status_code == 307 and redirect.headers["location"] == "/api/models/renamed-org/the-base"


def test_an_old_id_taken_by_a_new_model_names_the_new_model(db):
    """Ids are freed by renames and may be taken again: the new holder is a model of its own, and a
    lineage naming that id means it."""
    population = Population.generate(n=800, seed=44)
    clock = SimClock(population)
    base_id, child_id = _a_base_and_its_child(population)
    with HubStandIn(population) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
        update_mirror(settings, repo_types=MODELS_ONLY)
        population.advance(days=1)
        population.rename_one(base_id, "renamed-org/the-base")
        (newcomer,) = population.add(1)
        population.rename_one(newcomer, base_id)
        update_mirror(settings, repo_types=MODELS_ONLY)
    assert_exact_mirror(db, population, counters_refreshed=True)
    holders = query_all(db, "SELECT object_id FROM models WHERE id IN (?, 'renamed-org/the-base')", [base_id])
    assert len(holders) == 2
    assert _lineage_parents(db, child_id) == {base_id}
