"""The license taxonomy: every raw form the Hub uses resolves to a canonical id and family; unknowns surface."""

from __future__ import annotations

import pytest

from queries.stats import run_stats
from tests.conftest import query_all, run_crawl
from tests.hub_standin import HubStandIn, Population
from tests.test_analyses import model
from warehouse.connect import open_reader
from warehouse.reference import license_rows

FAMILIES = {"permissive", "copyleft", "weak-copyleft", "responsible-ai", "non-commercial", "custom-restricted",
            "public-domain", "unknown"}  # fmt: skip

# (model id, how the Hub gives its license) -> expected (license_id, family, commercial_use)
CASES = {
    "a/card-mixed-case": ({"cardData": {"license": "MIT"}}, ("MIT", "permissive", True)),
    "a/tag-only": ({"tags": ["license:apache-2.0"]}, ("Apache-2.0", "permissive", True)),
    "a/other-named": ({"cardData": {"license": "other", "license_name": "deepseek"}},
                      ("deepseek", "custom-restricted", True)),
    "a/other-unnamed": ({"cardData": {"license": "other"}}, (None, "unknown", None)),
    "a/other-spaced": ({"cardData": {"license": " Other ", "license_name": " DeepSeek "}},
                       ("deepseek", "custom-restricted", True)),
    "a/other-in-a-list": ({"cardData": {"license": ["other"], "license_name": "deepseek"}}, (None, "unknown", None)),
    "a/list": ({"cardData": {"license": ["cc-by-nc-4.0", "mit"]}}, ("CC-BY-NC-4.0", "non-commercial", False)),
    "a/none": ({}, (None, "none", None)),
    "a/unheard-of": ({"cardData": {"license": "my-weird-license"}}, (None, "unknown", None)),
    "a/openrail": ({"cardData": {"license": "creativeml-openrail-m"}},
                   ("creativeml-openrail-m", "responsible-ai", True)),
    "a/llama": ({"cardData": {"license": "llama3.1"}}, ("llama3.1", "custom-restricted", True)),
    "a/gpl": ({"cardData": {"license": "gpl-3.0"}}, ("GPL-3.0-only", "copyleft", True)),
    "a/public": ({"cardData": {"license": "cc0-1.0"}}, ("CC0-1.0", "public-domain", True)),
}  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    population = Population(seed=0)
    for n, (model_id, (fields, _)) in enumerate(CASES.items(), start=1):
        population.put(model(n, model_id, "2024-01-01T00:00:00.000Z", n, **fields))
    db = tmp_path_factory.mktemp("licenses") / "registry.duckdb"
    with HubStandIn(population) as hub:
        run_crawl(db, hub)
    return db


def test_the_mapping_file_is_well_formed():
    rows = license_rows()
    raw_values = [row[0] for row in rows]
    assert len(raw_values) == len(set(raw_values)) >= 90, "one row per raw value"
    assert {row[2] for row in rows} <= FAMILIES
    assert all(row[1] or row[2] == "unknown" for row in rows), "only unknowns lack an id"


def test_each_raw_form_resolves(warehouse):
    rows = query_all(warehouse, "SELECT id, license_id, license_family, commercial_use FROM models_enriched")
    assert {row[0]: row[1:] for row in rows} == {model_id: expected for model_id, (_, expected) in CASES.items()}


def test_family_counts_and_unknowns_are_reported(warehouse):
    con = open_reader(warehouse)
    try:
        stats = run_stats(con, ("license_families", "unknown_licenses"), top=50)
    finally:
        con.close()
    families = dict(stats["license_families"].select("license_family", "models").iter_rows())
    assert families == {"permissive": 2, "custom-restricted": 3, "unknown": 3, "non-commercial": 1, "none": 1,
                        "responsible-ai": 1, "copyleft": 1, "public-domain": 1}  # fmt: skip
    unknown = set(stats["unknown_licenses"].select("license_raw", "license_name").iter_rows())
    assert unknown == {("other", None), ("my-weird-license", None), ('["other"]', "deepseek")}


def test_the_view_and_the_macros_agree(warehouse):
    """models_enriched looks licenses up by join (migration 004); the documented macros must say the same."""
    disagreeing = query_all(
        warehouse,
        """
        SELECT id FROM models_enriched
        WHERE license_id IS DISTINCT FROM license_id_of(license, license_name)
           OR license_family IS DISTINCT FROM license_family_of(license, license_name)
           OR commercial_use IS DISTINCT FROM commercial_use_of(license, license_name)
           OR osi_approved IS DISTINCT FROM osi_approved_of(license, license_name)
        """,
    )
    assert disagreeing == []
