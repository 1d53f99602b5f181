"""The generated populations carry the shapes real Hub bodies have (../shared/hub-real/README.md), so
that every crawl test meets them: if the generator stops making one, this says which."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.hub_standin import Population

HUB_LICENSES = {"apache-2.0", "mit", "openrail", "creativeml-openrail-m", "cc-by-nc-4.0", "llama3", "other"}


@pytest.fixture(scope="module", params=["uniform", "hub"])
def records(request) -> list[dict]:
    return Population.generate(n=4000, seed=3, profile=request.param).public_records()


def test_legacy_created_at_is_the_object_id_timestamp_04_or_05(records):
    legacy = [r for r in records if r["createdAt"].startswith("2022-03-02T23:29:0")]
    assert {r["createdAt"] for r in legacy} == {"2022-03-02T23:29:04.000Z", "2022-03-02T23:29:05.000Z"}
    for record in legacy:
        assert record["_id"][:8] == {"04": "621ffdc0", "05": "621ffdc1"}[record["createdAt"][17:19]]
    assert any(r["lastModified"] < r["createdAt"] for r in legacy), "legacy lastModified may precede createdAt"


def test_every_object_id_starts_with_its_creation_second(records):
    for record in records[::50]:
        created = datetime.fromisoformat(record["createdAt"].replace("Z", "+00:00"))
        assert int(record["_id"][:8], 16) == int(created.timestamp())


def test_children_model_count_comes_as_a_number_and_per_relation(records):
    shapes = {type(r["childrenModelCount"]) for r in records}
    assert shapes == {int, dict}
    counted = [r["childrenModelCount"] for r in records if isinstance(r["childrenModelCount"], dict)]
    assert all(set(c) == {"adapter", "finetune", "merge", "quantized"} for c in counted)
    assert any(sum(c.values()) > 0 for c in counted), "bases count their generated children"


def test_base_models_name_each_base_by_id_and_object_id(records):
    by_id = {r["id"]: r for r in records}
    declared = [r["baseModels"] for r in records if "baseModels" in r]
    assert declared and all(set(d) == {"relation", "models"} for d in declared)
    for model in (m for d in declared for m in d["models"]):
        assert set(model) == {"_id", "id"}
        if model["id"] in by_id:
            assert by_id[model["id"]]["_id"] == model["_id"]


def test_safetensors_dtypes_vary_in_number_and_order_and_sum_to_the_total(records):
    blocks = [r["safetensors"] for r in records if "safetensors" in r]
    assert all(sum(b["parameters"].values()) == b["total"] for b in blocks)
    assert any(len(b["parameters"]) > 1 for b in blocks)
    assert len({next(iter(b["parameters"])) for b in blocks if len(b["parameters"]) > 1}) > 1, "key order varies"


def test_gguf_repos_have_a_file_size_and_an_empty_config(records):
    gguf = [r for r in records if "gguf" in r]
    assert gguf and all(r["config"] == {} and r["gguf"]["totalFileSize"] > 0 for r in gguf)


def test_optional_keys_are_absent_rather_than_null(records):
    for key in ("library_name", "pipeline_tag", "cardData", "safetensors", "gguf", "baseModels"):
        assert all(r.get(key, "absent") is not None for r in records), key
        assert any(key not in r for r in records), key


def test_licences_outside_the_hubs_list_occur(records):
    licences = {t.removeprefix("license:") for r in records for t in r["tags"] if t.startswith("license:")}
    assert "apache license 2.0" in licences and licences & HUB_LICENSES
