"""The analyses end to end, on data whose answer is known: a Hub-like population (calibration.py) is
crawled through the stand-in, and `registry stats` recovers the figures it was drawn from.

Tolerances are a few binomial standard errors at this size (25,000 models: 0.3 points at 64 %), so a
section that miscounts, drops or double counts models fails, while sampling noise does not.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import registry, registry_env, run_crawl
from tests.hub_standin import HubStandIn, Population
from tests.hub_standin import calibration as cal

MODELS = 25_000
LICENSE_MAP = Path(__file__).parents[1] / "warehouse" / "license_map.csv"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("calibration") / "registry.duckdb"
    with HubStandIn(Population.generate(MODELS, seed=7, profile="hub")) as hub:
        run_crawl(db, hub)
    return db


@pytest.fixture(scope="module")
def report(crawled: Path) -> dict[str, list[dict]]:
    result = registry("stats", "--db", str(crawled), "--format", "json", "--top", "500", env=registry_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def query(db: Path, sql: str) -> list[dict]:
    result = registry("query", sql, "--db", str(db), "--format", "json", env=registry_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def shares(weights: dict) -> dict:
    total = sum(weights.values())
    return {key: value / total for key, value in weights.items()}


def test_every_model_is_reported(report):
    assert report["totals"][0]["models"] == MODELS
    assert report["totals"][0]["flagged_records"] == 0


def test_growth_follows_the_hub_curve(report):
    """Models created by the end of each year (the legacy cohort included), as a share of all."""
    rows = report["growth_by_month"]
    for year_end in ("2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"):
        created = sum(row["created"] for row in rows if row["month"] is None or row["month"] <= year_end)
        expected = cal.cumulative_share(cal.day(year_end))
        assert created / MODELS == pytest.approx(expected, abs=max(0.006, 0.05 * expected)), year_end
    assert 0.032 < cal.END_2022_SHARE < 0.036  # the curve itself: ~108k of ~3.2M


def test_most_models_declare_no_license_and_the_families_mix_as_published(report):
    families = {row["license_family"]: row["models"] / MODELS for row in report["license_families"]}
    assert families["none"] == pytest.approx(cal.NO_LICENSE_SHARE, abs=0.012)
    for family, share in expected_license_families().items():
        assert families.get(family, 0) == pytest.approx(share, abs=max(0.006, 0.1 * share)), family


def expected_license_families() -> dict[str, float]:
    """Each declared licence's weight, mapped to its family by the taxonomy (outside it: unknown)."""
    with LICENSE_MAP.open() as handle:
        family_of = {row["raw_value"]: row["family"] for row in csv.DictReader(handle)}
    named = shares(cal.OTHER_LICENSE_NAMES)
    mix: Counter = Counter()
    for license_id, share in shares(cal.LICENSE_WEIGHTS).items():
        if license_id == "other":
            for name, name_share in named.items():
                mix[family_of.get(name, "unknown")] += share * name_share
        else:
            mix[family_of.get(license_id, "unknown")] += share
    return {family: share * (1 - cal.NO_LICENSE_SHARE) for family, share in mix.items()}


def test_the_library_mix_is_recovered(report):
    libraries = {row["library"]: row["models"] / MODELS for row in report["by_library"]}
    for library, share in shares(cal.LIBRARY_WEIGHTS).items():
        found = libraries.get(library or "(none)", 0)
        assert found == pytest.approx(share, abs=max(0.006, 0.1 * share)), library


def test_most_models_are_small_and_a_fifth_of_unknown_size(report):
    buckets = {row["size_bucket"]: row["models"] for row in report["size_buckets"]}
    known = MODELS - buckets.get("unknown", 0)
    assert known / MODELS == pytest.approx(cal.KNOWN_SIZE_SHARE, abs=0.012)
    for bucket, share in shares(cal.SIZE_BUCKET_WEIGHTS).items():
        assert buckets.get(bucket, 0) / known == pytest.approx(share, abs=max(0.006, 0.1 * share)), bucket
    small = (buckets["<100M"] + buckets["100M-1B"]) / known
    assert small > 0.5


def test_downloads_are_heavy_tailed_as_published(crawled, report):
    head = int(cal.HEAD_SHARE * MODELS)
    (row,) = query(
        crawled,
        f"""
        WITH ranked AS (
            SELECT downloads_all_time AS d, row_number() OVER (ORDER BY downloads_all_time DESC) AS r
            FROM models WHERE deleted_at IS NULL
        )
        SELECT avg((d < 200)::INT) AS under_200, (sum(d) FILTER (WHERE r <= {head}) / sum(d))::DOUBLE AS head_share
        FROM ranked
    """,
    )
    assert row["under_200"] == pytest.approx(cal.UNDER_200_ALL_TIME_SHARE, abs=0.012)
    assert row["head_share"] == pytest.approx(cal.HEAD_DOWNLOAD_SHARE, abs=0.005)
    (concentration,) = report["download_concentration"]
    assert concentration["top_10pct_share"] > 99 and concentration["gini"] > 0.95  # last 30 days: the same head


def test_a_quarter_are_derivatives_in_long_chains_under_a_few_big_families(report):
    depths = {row["depth"]: row["models"] for row in report["lineage_depth"]}
    derivatives = MODELS - depths.get(0, 0)
    assert derivatives / MODELS == pytest.approx(cal.DERIVATIVE_SHARE, abs=0.015)
    assert max(depths) >= 6, "chains of fine-tunes of fine-tunes"
    bases = report["top_base_models"]
    assert all(row["base_model"].split("/")[0] in cal.FAMILIES for row in bases[:5]), bases[:5]
    per_family = Counter()
    for row in bases:
        org = row["base_model"].split("/")[0]
        if org in cal.FAMILIES:
            per_family[org] += row["all_derivatives"]  # each derivative descends from one release
    for org, share in cal.FAMILY_SHARES.items():
        tolerance = 0.15 if share > 0.01 else 0.5
        assert per_family[org] / MODELS == pytest.approx(share, rel=tolerance), org
