"""The legacy cohort: models whose createdAt is the Hub's placeholder for "created before the field
existed" (either second of its migration, :04 or :05) are counted apart in every growth section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queries.stats import run_stats
from tests.conftest import run_crawl
from tests.hub_standin import HubStandIn, Population
from tests.test_analyses import model
from warehouse.connect import open_reader

ROOT = Path(__file__).resolve().parent.parent
GROWTH_SECTIONS = ("growth_by_month", "growth_by_library", "growth_by_pipeline_tag", "growth_by_license_family")

# createdAt as real bodies give it, and what the cohort of each must be.
# Ids shaped as the legacy ones: the ObjectId's timestamp (its first 8 hex digits) is the placeholder's second.
LEGACY_IDS = {"old/at-04": "621ffdc036468d709f174331", "old/at-05": "621ffdc136468d709f174d2a"}
CREATED = {
    "old/at-04": ("2022-03-02T23:29:04.000Z", "legacy"),
    "old/at-05": ("2022-03-02T23:29:05.000Z", "legacy"),
    "old/at-05-ms": ("2022-03-02T23:29:05.999Z", "legacy"),
    "new/after-the-window": ("2022-03-02T23:29:06.000Z", "2022-03"),
    "new/next-day": ("2022-03-03T10:00:00.000Z", "2022-03"),
    "new/before-the-window": ("2022-03-02T23:29:03.000Z", "2022-03"),
    "new/2024": ("2024-05-01T00:00:00.000Z", "2024-05"),
}


def legacy_hub() -> Population:
    population = Population(seed=0)
    for n, (model_id, (created, _)) in enumerate(CREATED.items(), start=1):
        record = model(n, model_id, created, 1, license="mit", library_name="transformers",
                       pipeline_tag="text-generation")  # fmt: skip
        record["_id"] = LEGACY_IDS.get(model_id, record["_id"])
        population.put(record)
    return population


@pytest.fixture(scope="module")
def growth(tmp_path_factory) -> dict[str, list[dict]]:
    db = tmp_path_factory.mktemp("legacy") / "registry.duckdb"
    with HubStandIn(legacy_hub()) as hub:
        run_crawl(db, hub)
    con = open_reader(db)
    try:
        return {name: df.rows(named=True) for name, df in run_stats(con, GROWTH_SECTIONS, top=10).items()}
    finally:
        con.close()


def test_both_seconds_of_the_placeholder_are_the_legacy_cohort_by_month(growth):
    rows = [(r["cohort"], r["created"], r["cumulative"]) for r in growth["growth_by_month"]]
    assert rows == [("before 2022-03 (legacy)", 3, 3), ("2022-03", 3, 6), ("2024-05", 1, 7)]


@pytest.mark.parametrize("section", GROWTH_SECTIONS[1:])
def test_both_seconds_of_the_placeholder_are_the_legacy_cohort_by_year(growth, section):
    assert {(r["cohort"], r["created"]) for r in growth[section]} == {("legacy", 3), ("2022", 3), ("2024", 1)}


def product_files() -> list[Path]:
    folders = ("crawler", "warehouse", "queries", "registry", "benchmarks")
    files = [path for folder in folders for path in (ROOT / folder).rglob("*") if path.suffix in (".sql", ".py")]
    return [*files, ROOT / "scheduler.py"]


def test_the_rule_is_defined_once():
    """Only migration 008 names the placeholder's moment; every analysis calls is_legacy_cohort()."""
    placeholder = re.compile(r"2022-03-02[ T]23:29")
    naming_it = [path.relative_to(ROOT).as_posix() for path in product_files() if placeholder.search(path.read_text())]
    assert naming_it == ["warehouse/sql/migrations/008_legacy_cohort.sql"]
    for section in GROWTH_SECTIONS:
        assert "is_legacy_cohort(created_at)" in (ROOT / "queries" / "analyses" / f"{section}.sql").read_text()
