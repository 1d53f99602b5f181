"""The license taxonomy: every raw form the Hub uses resolves to a canonical id and family; unknowns surface."""

from __future__ import annotations

from pathlib import Path

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


# -- the Hub's own list of licence ids (tests/fixtures/hub_real/hub_licenses.txt, provenance in its README) --

HUB_LICENSES = (Path(__file__).parent / "fixtures" / "hub_real" / "hub_licenses.txt").read_text().split()
# On the Hub's list, yet naming no licence the taxonomy could classify: `other` (the card names it in
# license_name, looked up then), `unknown` (the author does not know) and `cc` (Creative Commons, but which?).
UNCLASSIFIABLE = {"other", "unknown", "cc"}
OUTSIDE_THE_LIST = "acme-model-license-2027"


@pytest.fixture(scope="module")
def hub_list_warehouse(tmp_path_factory):
    """One model per id of the Hub's list, and one with an id the Hub's list does not have, crawled."""
    population = Population(seed=0)
    for n, license_id in enumerate([*HUB_LICENSES, OUTSIDE_THE_LIST], start=1):
        population.put(model(n, f"hub-list/{license_id}", "2025-01-01T00:00:00.000Z", n, license=license_id))
    db = tmp_path_factory.mktemp("hub-licenses") / "registry.duckdb"
    with HubStandIn(population) as hub:
        run_crawl(db, hub)
    return db


def test_the_hub_list_is_the_one_documented():
    assert len(HUB_LICENSES) == len(set(HUB_LICENSES)) == 83
    assert HUB_LICENSES[:2] == ["apache-2.0", "mit"] and HUB_LICENSES[-2:] == ["unknown", "other"]


def test_every_hub_license_id_has_a_canonical_id_and_family(hub_list_warehouse):
    rows = query_all(hub_list_warehouse, "SELECT license, license_id, license_family, flags FROM models_enriched")
    resolved = {license: (license_id, family, flags) for license, license_id, family, flags in rows}
    assert set(resolved) == {*HUB_LICENSES, OUTSIDE_THE_LIST}
    for license in HUB_LICENSES:
        license_id, family, flags = resolved[license]
        assert flags == [], license
        if license in UNCLASSIFIABLE:
            assert family == "unknown", license
        else:
            assert family in FAMILIES - {"unknown"} and license_id, license
    assert {row[0] for row in license_rows()} >= set(HUB_LICENSES), "each id is a row of its own, decided"


def test_an_id_outside_the_hub_list_is_typed_unflagged_and_surfaces_as_unknown(hub_list_warehouse):
    rows = query_all(
        hub_list_warehouse, "SELECT license_id, license_family, flags FROM models_enriched WHERE license = ?",
        [OUTSIDE_THE_LIST],
    )  # fmt: skip
    assert rows == [(None, "unknown", [])]
    con = open_reader(hub_list_warehouse)
    try:
        unknown = run_stats(con, ("unknown_licenses",), top=50)["unknown_licenses"]
    finally:
        con.close()
    assert set(unknown.get_column("license_raw")) == UNCLASSIFIABLE | {OUTSIDE_THE_LIST}
