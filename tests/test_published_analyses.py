"""The analyses people publish about the ecosystem, each checked on a small Hub whose answers are known
by construction: size over time, licences by use, licence conflicts along lineage, families and the
quantization layer, the long tail, and daily gains across missed crawl days."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate

import pytest

from queries.stats import run_section, run_stats
from tests.conftest import run_crawl
from tests.hub_standin import HubStandIn, Population
from tests.hub_standin.population import LEGACY_CREATED_AT
from tests.test_analyses import model
from warehouse.connect import open_reader, open_writer

B = 1_000_000_000


def published_hub() -> Population:
    """Twelve models (all-time downloads are three times the 30-day ones, as `model` makes them)."""
    population = Population(seed=0)
    jan, mar, apr = "2024-01-15T00:00:00.000Z", "2024-03-15T00:00:00.000Z", "2024-04-15T00:00:00.000Z"
    records = [
        model(1, "meta/llama-8b", jan, 1000, license="llama3", safetensors={"total": 8 * B}),
        model(2, "meta/llama-70b", mar, 500, license="llama3", safetensors={"total": 70 * B}),
        model(3, "fan/llama-8b-ft", mar, 100, license="apache-2.0",
              baseModels={"relation": "finetune", "models": [{"id": "meta/llama-8b"}]}),
        model(4, "fan/llama-8b-ft-GGUF", apr, 50, license="apache-2.0", library_name="gguf",
              baseModels={"relation": "quantized", "models": [{"id": "fan/llama-8b-ft"}]}),
        model(5, "meta/llama-8b-GGUF", apr, 10, license="llama3", library_name="gguf",
              baseModels={"relation": "quantized", "models": [{"id": "meta/llama-8b"}]}),
        model(6, "nc/base-1b", jan, 5, license="cc-by-nc-4.0", safetensors={"total": 1_200_000_000}),
        model(7, "x/nc-ft", apr, 0, license="mit",
              baseModels={"relation": "finetune", "models": [{"id": "nc/base-1b"}]}),
        model(8, "gpl/base", apr, 0, license="gpl-3.0"),
        model(9, "y/gpl-ft", apr, 0, license="mit",
              baseModels={"relation": "finetune", "models": [{"id": "gpl/base"}]}),
        model(10, "solo/popular", apr, 2000),
        model(11, "solo/tiny", jan, 0, safetensors={"total": 50_000_000}),
        model(12, "old/legacy", LEGACY_CREATED_AT, 60, license="mit", safetensors={"total": 300_000_000}),
    ]  # fmt: skip
    for record in records:
        population.put(record)
    return population


@pytest.fixture(scope="module")
def stats(tmp_path_factory):
    db = tmp_path_factory.mktemp("published") / "registry.duckdb"
    with HubStandIn(published_hub()) as hub:
        run_crawl(db, hub)
    con = open_reader(db)
    try:
        return {name: df.rows(named=True) for name, df in run_stats(con, top=100).items()}
    finally:
        con.close()


def test_size_over_time_shares_and_medians_per_month(stats):
    rows = {r["cohort"]: r for r in stats["size_over_time"]}
    assert list(rows) == ["before 2022-03 (legacy)", "2024-01", "2024-03", "2024-04"]
    # 2024-01: llama-8b (8B), nc/base-1b (1.2B), solo/tiny (50M): median 1.2B
    jan = rows["2024-01"]
    assert (jan["models"], jan["sized"], jan["median_parameters"]) == (3, 3, 1_200_000_000)
    assert (jan["<100M"], jan["1B-3B"], jan["3B-10B"], jan["unknown"]) == (33.33, 33.33, 33.33, 0.0)
    # 2024-03: llama-70b (70B), llama-8b-ft (8B, from its name): median 39B
    assert (rows["2024-03"]["median_parameters"], rows["2024-03"]["30B-100B"]) == (39 * B, 50.0)
    # 2024-04: six models, one sized by its name (fan/llama-8b-ft-GGUF, and meta/llama-8b-GGUF): 8B each
    april = rows["2024-04"]
    assert (april["models"], april["sized"], april["median_parameters"], april["3B-10B"]) == (6, 2, 8 * B, 33.33)
    assert rows["before 2022-03 (legacy)"]["100M-1B"] == 100.0


def test_downloads_by_size(stats):
    rows = {r["size_bucket"]: r for r in stats["downloads_by_size"]}
    total = 1000 + 500 + 100 + 50 + 10 + 5 + 2000 + 60
    # 3B-10B: llama-8b, llama-8b-ft, the two GGUFs (named 8b)
    assert rows["3B-10B"]["downloads_30d"] == 1160 and rows["3B-10B"]["share_30d_pct"] == round(100 * 1160 / total, 2)
    assert rows["3B-10B"]["downloads_all_time"] == 3 * 1160
    assert rows["unknown"]["models"] == 4 and rows["unknown"]["downloads_30d"] == 2000
    assert list(rows) == ["<100M", "100M-1B", "1B-3B", "3B-10B", "30B-100B", "unknown"]


def test_licences_weighted_by_use_and_the_unlicensed_share(stats):
    rows = {r["license_family"]: r for r in stats["license_families_by_use"]}
    total = 3 * (1000 + 500 + 100 + 50 + 10 + 5 + 2000 + 60)
    assert rows["none"]["models"] == 2 and rows["none"]["downloads_all_time"] == 6000
    assert rows["none"]["downloads_all_time_pct"] == round(100 * 6000 / total, 2)
    assert rows["custom-restricted"]["downloads_30d"] == 1510 and rows["custom-restricted"]["models"] == 3
    assert stats["license_families_by_use"][0]["license_family"] == "none", "ordered by all-time downloads"
    (unlicensed,) = stats["unlicensed_share"]
    # over 1,000 all-time downloads: llama-8b 3000, llama-70b 1500, popular 6000 (unlicensed)
    assert (unlicensed["models"], unlicensed["unlicensed"], unlicensed["unlicensed_pct"]) == (12, 2, 16.67)
    assert (unlicensed["models_over_1000_downloads"], unlicensed["unlicensed_over_1000_downloads"]) == (3, 1)
    assert unlicensed["unlicensed_over_1000_downloads_pct"] == 33.33


def test_licence_conflicts_along_lineage(stats):
    pairs = {(r["base_license"], r["derivative_license"]): (r["derivatives"], r["conflict"])
             for r in stats["license_conflicts"]}  # fmt: skip
    assert pairs == {
        ("llama3", "Apache-2.0"): (1, "restricted base, open derivative"),
        ("CC-BY-NC-4.0", "MIT"): (1, "non-commercial base, commercial derivative"),
        ("GPL-3.0-only", "MIT"): (1, "copyleft base, permissive derivative"),
        ("Apache-2.0", "Apache-2.0"): (1, None),  # the fan's GGUF of its own finetune
        ("llama3", "llama3"): (1, None),  # Meta's own GGUF
    }
    assert [r["conflicting"] for r in stats["license_conflicts"]] == [True, True, True, False, False]


def test_families_and_the_quantization_layer(stats):
    rows = {r["organisation"]: r for r in stats["family_quantization"]}
    # meta's models: llama-8b -> ft (fan) -> ft-GGUF (fan); llama-8b -> GGUF (meta itself)
    assert rows["meta"] == {"organisation": "meta", "derivatives": 3, "quantized": 2, "quantized_by_itself": 1,
                            "quantized_by_itself_pct": 50.0}  # fmt: skip
    assert (rows["fan"]["derivatives"], rows["fan"]["quantized"], rows["fan"]["quantized_by_itself"]) == (1, 1, 1)
    assert (rows["nc"]["derivatives"], rows["nc"]["quantized"], rows["nc"]["quantized_by_itself_pct"]) == (1, 0, None)
    assert set(rows) == {"meta", "fan", "nc", "gpl"}


def test_the_long_tail(stats):
    (tail,) = stats["long_tail"]
    all_time = sorted((3 * d for d in (1000, 500, 100, 50, 10, 5, 0, 0, 0, 2000, 0, 60)), reverse=True)
    assert tail["models"] == 12 and tail["downloads_all_time"] == sum(all_time)
    assert tail["under_200"] == sum(1 for d in all_time if d < 200) == 8
    running = list(accumulate(all_time))
    holding = next(rank for rank, held in enumerate(running, start=1) if held >= 0.99 * sum(all_time))
    assert tail["models_holding_99pct"] == holding == 6
    assert tail["models_holding_99pct_share"] == 50.0


def test_a_gain_across_missed_days_spans_them(tmp_path):
    """Crawled on days 0, 1 and 4 (2 and 3 missed): day 4's gain spans three days, a third a day."""
    first = date(2026, 3, 1)
    con = open_writer(tmp_path / "w.duckdb")
    try:
        con.execute(
            "INSERT INTO models_stored (id, model_key, raw, first_seen, last_seen) "
            "VALUES ('a/m', 1, '{}', now(), now())"
        )
        for offset, gained, observed in ((0, 0, 0), (1, 10, 1), (4, 410, 1)):
            con.execute("INSERT INTO daily_totals VALUES (?, ?, ?)", [first + timedelta(days=offset), observed,
                                                                     gained])  # fmt: skip
        rows = run_section(con, "daily_download_gains", {"as_of": None, "top": 20}).rows(named=True)
    finally:
        con.close()
    assert [(r["day"], r["previous_day"], r["days_spanned"], r["missing_days"], r["gained_per_day"]) for r in rows] == [
        (first + timedelta(days=1), first, 1, 0, 10.0),
        (first + timedelta(days=4), first + timedelta(days=1), 3, 2, round(410 / 3, 1)),
    ]


def test_the_lorenz_curve(stats):
    all_time = sorted(3 * d for d in (1000, 500, 100, 50, 10, 5, 0, 0, 0, 2000, 0, 60))
    total = sum(all_time)
    expected = [(k, round(100 * k / 12, 2), round(100 * held / total, 2))
                for k, held in enumerate(accumulate(all_time), start=1)]  # fmt: skip
    assert [(r["percentile"], r["models_pct"], r["downloads_pct"]) for r in stats["download_lorenz"]] == expected
    assert expected[-1][1:] == (100.0, 100.0)
