"""Bodies the live Hub returned (tests/fixtures/hub_real), crawled through the stand-in: typed, unflagged,
and read as huggingface_hub's own ModelInfo reads them, except where the registry differs on purpose."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import duckdb
import pytest
from huggingface_hub import ModelInfo

from tests.conftest import query_all, run_crawl
from tests.expected import COLUMNS, expected_row, listed
from tests.hub_standin import HubStandIn
from tests.hub_standin.real import default_listing_records, hf_hub_versions, real_bodies, real_population
from warehouse.connect import configure
from warehouse.page_typing import create_typed_rows, type_page

TYPED = ("id", "author", "created_at", "last_modified", "sha", "gated", "disabled", "downloads", "downloads_all_time",
         "likes", "trending_score", "used_storage", "library_name", "pipeline_tag", "tags", "license", "license_name",
         "parameters", "parameters_source", "base_models", "base_relation", "children_model_count",
         "card_base_models", "flags", "raw")  # fmt: skip


@pytest.fixture(scope="module")
def population():
    return real_population()


@pytest.fixture(scope="module")
def real_db(population, tmp_path_factory):
    """The real population crawled over HTTP, 10 models a page."""
    db = tmp_path_factory.mktemp("real") / "registry.duckdb"
    with HubStandIn(population) as hub:
        report = run_crawl(db, hub, page_size=10)
    assert report.state.pages == 4
    assert query_all(db, "SELECT count(*) FROM quarantine") == [(0,)]
    return db


@pytest.fixture(scope="module")
def mirrored(real_db) -> dict[str, dict]:
    """Each real model's warehouse row, by id."""
    db = real_db
    rows = query_all(db, f"SELECT {', '.join(TYPED)}, ({', '.join(COLUMNS)}) FROM models WHERE deleted_at IS NULL")
    return {row[0]: dict(zip((*TYPED, "columns"), row, strict=True)) for row in rows}


def test_the_fixtures_are_the_bodies_described_in_their_readme(population):
    bodies = real_bodies()
    assert len(bodies) == len(population) == 38, "34 cassette models, hf-hub's newest version, 3 transcript bodies"
    assert len({real.body["id"] for real in bodies}) == 38


def test_every_real_record_is_mirrored_as_listed_and_typed_as_derived(mirrored, population):
    for record in population.public_records():
        row = mirrored[record["id"]]
        assert json.loads(row["raw"]) == listed(population, record), "raw is what the listing served"
        assert row["columns"] == expected_row(record), record["id"]


def test_no_real_record_raises_a_flag(mirrored):
    """Zero false alarms: absent optional keys (safetensors, cardData, downloadsAllTime, trendingScore,
    baseModels, childrenModelCount...), config {}, gguf blocks, legacy dates are all normal."""
    assert {model_id: row["flags"] for model_id, row in mirrored.items() if row["flags"]} == {}


def test_every_real_licence_is_known_to_the_taxonomy(real_db):
    families = dict(query_all(real_db, "SELECT license, license_family FROM models_enriched WHERE license IS NOT NULL"))
    assert len(families) == 9 and "unknown" not in families.values(), families


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _model_info(row: dict) -> ModelInfo:
    """huggingface_hub's parser on the very body the crawler received (raw)."""
    return ModelInfo(**copy.deepcopy(json.loads(row["raw"])))


def test_typed_columns_agree_with_huggingface_hub_model_info(mirrored):
    for model_id, row in mirrored.items():
        info = _model_info(row)
        assert (row["id"], row["author"], row["sha"]) == (info.id, info.author, info.sha)
        assert (row["created_at"], row["last_modified"]) == (_utc(info.created_at), _utc(info.last_modified))
        counters = ("downloads", "downloads_all_time", "likes", "trending_score", "used_storage")
        assert [row[name] for name in counters] == [getattr(info, name) for name in counters], model_id
        described = ("library_name", "pipeline_tag", "tags", "disabled")
        assert [row[name] for name in described] == [getattr(info, name) for name in described], model_id
        if info.safetensors:
            assert (row["parameters"], row["parameters_source"]) == (info.safetensors.total, "safetensors")
        elif info.gguf:
            assert (row["parameters"], row["parameters_source"]) == (info.gguf["total"], "gguf")
        else:
            assert (row["parameters"], row["parameters_source"]) == (None, None)
        card = info.card_data
        if card is not None and card.license is not None:
            assert row["license"] == card.license
        assert row["license_name"] == (card.license_name if card else None)
        base = card.base_model if card else None
        assert row["card_base_models"] == ([base] if isinstance(base, str) else base), model_id


def _tag_bases(tags: list[str]) -> list[str]:
    return [tag.split(":", 2)[2] for tag in tags if tag.count(":") >= 2 and tag.startswith("base_model:")]


# -- where the registry differs from ModelInfo on purpose (README, "Warehouse schema") -------------------


def test_gated_is_text_where_model_info_has_false(mirrored):
    """One VARCHAR column for `false | "auto" | "manual"`: ModelInfo's False becomes 'false', so the column
    has one type and `gated <> 'false'` finds every gated model."""
    for row in mirrored.values():
        info = _model_info(row)
        assert row["gated"] == ("false" if info.gated is False else info.gated)
    assert {row["gated"] for row in mirrored.values()} == {"false", "manual"}


def test_base_models_come_from_tags_where_model_info_has_none(mirrored):
    """No detail body carries baseModels, so ModelInfo.base_models is None; the Hub states the lineage in
    its base_model:<relation>:<id> tags, and the registry reads it from there."""
    derived = {model_id: row for model_id, row in mirrored.items() if row["base_models"]}
    assert len(derived) == 9
    for model_id, row in derived.items():
        assert _model_info(row).base_models is None
        assert row["base_models"] == _tag_bases(row["tags"]), model_id
    assert mirrored["OrionLLM/GRM-2.6-Opus"]["base_relation"] == "merge"
    assert mirrored["ggml-org/gemma-3-1b-it-GGUF"]["base_relation"] == "quantized"
    # the card may name a base by its old id; the Hub's tag gives the current one
    llama = mirrored["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama["card_base_models"] == ["meta-llama/Meta-Llama-3.1-8B"]
    assert llama["base_models"] == ["meta-llama/Llama-3.1-8B"]


def test_license_falls_back_to_the_license_tag_where_model_info_has_none():
    """ModelInfo reads the licence from the card only; a model whose card says none is still licensed by
    its `license:` tag, which the registry reads then (and the taxonomy looks up)."""
    body = {**_clean("a/tag-licensed"), "tags": ["license:mit"], "cardData": {"language": "en"}}
    info, row = ModelInfo(**copy.deepcopy(body)), _typed([body])[0]
    assert info.card_data.license is None
    assert (row["license"], row["flags"]) == ("mit", [])


def test_shapes_model_info_keeps_as_given_are_typed(tmp_path):
    """ModelInfo keeps these as the Hub gave them (its hints say list[str] and int); the registry types them:
    baseModels' ids, per-relation children counts summed, a list of licences kept as its JSON text (flagged)."""
    body = {
        **_clean("a/derived"),
        "baseModels": {"relation": "merge", "models": [{"_id": "68f8dfe68cb208be9702aa87", "id": "b/one"},
                                                       {"_id": "6909b87b734dd24dd19da3ef", "id": "b/two"}]},
        "childrenModelCount": {"adapter": 2, "finetune": 5, "merge": 0, "quantized": 11},
        "cardData": {"license": ["mit", "apache-2.0"]},
    }  # fmt: skip
    info, row = ModelInfo(**copy.deepcopy(body)), _typed([body])[0]
    assert info.base_models == body["baseModels"] and info.children_model_count == body["childrenModelCount"]
    assert info.card_data.license == ["mit", "apache-2.0"]
    assert (row["base_models"], row["base_relation"], row["children_model_count"]) == (["b/one", "b/two"], "merge", 18)
    assert (row["license"], row["flags"]) == ('["mit","apache-2.0"]', ["license_list"])


def test_legacy_created_at_is_kept_as_the_hub_gives_it(mirrored):
    """Both legacy placeholders, :04 and :05 (the second of the ObjectId's timestamp), as ModelInfo gives them:
    which models form the legacy cohort is decided by the analyses, not by rewriting the column."""
    legacy = {row["created_at"] for row in mirrored.values() if row["created_at"].date().isoformat() == "2022-03-02"}
    assert legacy == {datetime(2022, 3, 2, 23, 29, 4), datetime(2022, 3, 2, 23, 29, 5)}
    late = mirrored["sshleifer/distilbart-cnn-12-6"]
    assert late["last_modified"] < late["created_at"], "legacy lastModified can precede createdAt"


# -- other real bodies, typed directly ------------------------------------------------------------------


def test_one_model_over_three_years_of_hub_versions():
    """hf-hub's time series of one model's detail body (2023-08 to 2026-01): the Hub added createdAt in late
    2023 and usedStorage in 2025, dropped config {} and brought it back. Each version is typed without a flag,
    except that the two bodies from before the Hub had createdAt (2023-08) say so: a listing today always carries it."""
    versions = hf_hub_versions()
    rows = _typed([version.body for version in versions])
    assert [row["flags"] for row in rows] == [["missing:createdAt"]] * 2 + [[]] * 7
    assert [row["likes"] for row in rows] == [0, 0, 0, 0, 1, 2, 3, 4, 4]
    assert [row["used_storage"] for row in rows] == [None] * 5 + [22] * 4
    assert {row["created_at"] for row in rows[2:]} == {datetime(2022, 3, 2, 23, 29, 5)}


def test_a_default_fields_listing_lacks_what_the_crawler_asks_for():
    """A real listing page without `expand` (2025-11) has no author, sha or lastModified: the crawler always
    expands them, so were they ever missing from its listing, the flags would say so."""
    rows = _typed([real.body for real in default_listing_records()])
    assert [row["flags"] for row in rows] == [["missing:author", "missing:lastModified", "missing:sha"]] * 2
    assert [row["trending_score"] for row in rows] == [580.0, 319.0]


def _clean(model_id: str) -> dict:
    return {"_id": "6909b87b734dd24dd19da3ef", "id": model_id, "author": model_id.split("/")[0],
            "createdAt": "2025-11-04T08:25:31.000Z", "lastModified": "2025-11-04T08:25:31.000Z", "sha": "f" * 40,
            "downloads": 1, "likes": 0, "tags": []}  # fmt: skip


def _typed(bodies: list[dict]) -> list[dict]:
    con = configure(duckdb.connect(), writer=True)
    try:
        create_typed_rows(con)
        type_page(con, 1, datetime(2026, 12, 1), json.dumps(bodies))
        names = [name for name in TYPED if name not in ("card_base_models", "raw")]
        rows = con.execute(f"SELECT {', '.join(names)} FROM typed_rows ORDER BY rowid").fetchall()
        return [dict(zip(names, row, strict=True)) for row in rows]
    finally:
        con.close()
