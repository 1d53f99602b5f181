"""Each analysis, checked exactly on a small Hub whose answers are known by construction."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta

import duckdb
import pytest

from queries.stats import SQL_DIRS, run_section, run_stats
from tests.conftest import registry, registry_env, run_crawl
from tests.counters import record_counters
from tests.hub_standin import HubStandIn, Population
from tests.hub_standin.population import LEGACY_CREATED_AT
from warehouse.connect import open_reader, open_writer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def model(n: int, model_id: str, created: str, downloads: int, **fields) -> dict:
    author = model_id.split("/")[0]
    record = {
        "_id": f"{n:024x}", "id": model_id, "modelId": model_id, "author": author, "createdAt": created,
        "lastModified": "2026-01-01T00:00:00.000Z", "sha": f"{n:040x}", "private": False, "gated": False,
        "disabled": False, "downloads": downloads, "downloadsAllTime": downloads * 3, "likes": n,
        "trendingScore": 0, "tags": [], "usedStorage": 1000 * n,
    }  # fmt: skip
    license_id = fields.pop("license", None)
    if license_id:
        record["tags"].append(f"license:{license_id}")
        record["cardData"] = {"license": license_id}
    record.update(fields)
    return record


def known_hub() -> Population:
    """Eight models: a family tree A -> {B, D, E}, B -> {C, E}; known sizes, licenses, downloads."""
    population = Population(seed=0)
    records = [
        model(1, "org/A", LEGACY_CREATED_AT, 100, license="mit", safetensors={"total": 350_000_000}),
        model(2, "org/B-7b", LEGACY_CREATED_AT, 50, license="mit",
              baseModels={"relation": "finetune", "models": [{"id": "org/A"}]}),
        model(3, "lab/C", LEGACY_CREATED_AT, 25, license="apache-2.0",
              tags=["base_model:quantized:org/B-7b", "license:apache-2.0"], gguf={"total": 2_000_000_000}),
        model(4, "lab/D", "2024-01-10T00:00:00.000Z", 25, license="llama3",
              cardData={"license": "llama3", "base_model": "org/A"}),
        model(5, "lab/E-8x7B", "2024-01-20T00:00:00.000Z", 0,
              baseModels={"relation": "merge", "models": [{"id": "org/A"}, {"id": "org/B-7b"}]}),
        model(6, "solo/F", "2024-02-01T00:00:00.000Z", 0),
        model(7, "solo/G", "2024-02-02T00:00:00.000Z", 0),
        model(8, "solo/H", "2024-02-03T00:00:00.000Z", 0),
    ]  # fmt: skip
    for record in records:
        population.put(record)
    return population


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    db = tmp_path_factory.mktemp("analyses") / "registry.duckdb"
    with HubStandIn(known_hub()) as hub:
        run_crawl(db, hub)
    return db


@pytest.fixture(scope="module")
def stats(warehouse):
    con = open_reader(warehouse)
    try:
        return {name: df.rows(named=True) for name, df in run_stats(con, top=100).items()}
    finally:
        con.close()


def test_growth_keeps_the_legacy_cohort_apart(stats):
    rows = [(r["cohort"], r["created"], r["cumulative"]) for r in stats["growth_by_month"]]
    assert rows == [("before 2022-03 (legacy)", 3, 3), ("2024-01", 2, 5), ("2024-02", 3, 8)]


def test_lineage_counts(stats):
    top = {r["base_model"]: r for r in stats["top_base_models"]}
    assert (top["org/A"]["direct_derivatives"], top["org/A"]["all_derivatives"]) == (3, 4)
    assert (top["org/B-7b"]["direct_derivatives"], top["org/B-7b"]["all_derivatives"]) == (2, 2)
    assert set(top) == {"org/A", "org/B-7b"}
    assert (top["org/A"]["finetunes"], top["org/A"]["merges"]) == (1, 1)
    assert top["org/B-7b"]["quantized"] == 1
    depth = {r["depth"]: r["models"] for r in stats["lineage_depth"]}
    assert depth == {0: 4, 1: 2, 2: 2}
    inheritance = {(r["parent_license"], r["child_license"]): r["derivatives"] for r in stats["license_inheritance"]}
    assert inheritance == {("MIT", "Apache-2.0"): 1, ("MIT", "llama3"): 1}
    families = {(r["parent_family"], r["child_family"]) for r in stats["license_inheritance"]}
    assert families == {("permissive", "permissive"), ("permissive", "custom-restricted")}


def test_sizes_from_safetensors_gguf_then_name(stats):
    buckets = {r["size_bucket"]: r for r in stats["size_buckets"]}
    assert buckets["100M-1B"]["models"] == 1 and buckets["100M-1B"]["from_safetensors"] == 1
    assert buckets["1B-3B"]["from_gguf"] == 1
    assert buckets["3B-10B"]["from_name"] == 1  # B-7b
    assert buckets["30B-100B"]["from_name"] == 1  # E-8x7B = 56B
    assert buckets["unknown"]["models"] == 4


def test_download_concentration_and_top_authors(stats):
    (concentration,) = stats["download_concentration"]
    values = sorted([100, 50, 25, 25, 0, 0, 0, 0])
    n, total = len(values), sum(values)
    gini = 2 * sum((i + 1) * x for i, x in enumerate(values)) / (n * total) - (n + 1) / n
    assert concentration["top_1pct_share"] == 50.0 and concentration["top_10pct_share"] == 50.0
    assert abs(concentration["gini"] - gini) < 1e-4
    authors = [(r["author"], r["models"], r["downloads_30d"]) for r in stats["top_authors"]]
    assert authors == [("org", 2, 150), ("lab", 3, 50), ("solo", 3, 0)]


def test_licenses_as_given(stats):
    licenses = {r["license"]: r["models"] for r in stats["by_license"]}
    assert licenses == {"mit": 2, "apache-2.0": 1, "llama3": 1, "(none)": 4}


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="needs chromium (`.ci/run` installs it)")
def test_html_report_renders_its_charts_in_a_real_browser(warehouse, tmp_path):
    assert CHROMIUM, "CI must have chromium: .ci/run installs Debian's package"
    out = tmp_path / "report.html"
    result = registry("report", "--db", str(warehouse), "--out", str(out), env=registry_env())
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "http://" not in html and "https://" not in html, "the report must open offline"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", out.as_uri()]  # fmt: skip
    dom = subprocess.run([CHROMIUM, *flags], capture_output=True, text=True, timeout=120).stdout
    charts = dom.count('class="chart"')
    assert charts >= 14
    assert dom.count('class="marks"') == charts, "every chart is Vega's SVG (drawn by Altair through vl-convert)"
    assert dom.count("data-rendered=") == charts, "every chart was laid out by the browser"
    drawn = [int(n) for n in re.findall(r'data-marks-drawn="(\d+)"', dom)]
    assert len(drawn) == charts and min(drawn) > 0, "every chart drew its marks"


def test_lineage_edges_read_base_model_tags_as_the_hub_writes_them():
    con = duckdb.connect()
    con.execute(
        """
        CREATE TEMP VIEW stats_models AS
        SELECT 'me/child' AS id, 'me' AS author, NULL::VARCHAR AS library_name, NULL::VARCHAR[] AS base_models,
               NULL::VARCHAR AS base_relation, tags, ['org/card', 'org/plain'] AS card_base_models,
               ' MIT ' AS license, 'mit' AS license_id, 'permissive' AS license_family, true AS commercial_use
        FROM (SELECT [
            'base_model:adapter:org/a', 'base_model:org/plain', 'base_model:merge:', 'base_model:quantized:a:b',
            'base_model:', 'base_model:bad' || chr(10) || 'tag', 'base_model:finetune:me/child', 'license:mit', 'gguf'
        ] AS tags)
        UNION ALL  -- a listed parent that declares no base, under a licence the taxonomy does not know
        SELECT 'org/a', 'org', 'transformers', NULL, NULL, [], NULL, 'My-Licence', NULL, 'unknown', NULL
        """
    )
    con.execute("CREATE TEMP TABLE models (model_key INTEGER, id VARCHAR, deleted_at TIMESTAMP)")
    con.execute("CREATE TEMP TABLE model_renames (model_key INT, old_id VARCHAR, new_id VARCHAR, seen_at TIMESTAMP)")
    edges = con.execute(f"{(SQL_DIRS[1] / 'lineage_edges.sql').read_text()} ORDER BY parent").fetchall()
    # each edge also carries its child's author, GGUF flag (a `gguf` tag here) and licence, and its
    # parent's author and licence when the parent is listed (NULL otherwise); no parent has a base
    child = ("me", True, "mit", True, "permissive", True)
    unlisted = (None,) * 5
    assert edges == [
        ("me/child", "a:b", "quantized", ["tags"], *child, *unlisted, False),
        ("me/child", "merge:", None, ["tags"], *child, *unlisted, False),
        ("me/child", "org/a", "adapter", ["tags"], *child, "org", "my-licence", True, "unknown", None, False),
        ("me/child", "org/card", None, ["cardData"], *child, *unlisted, False),
        ("me/child", "org/plain", None, ["cardData", "tags"], *child, *unlisted, False),
    ]


def test_fastest_risers_measure_each_model_from_its_first_to_its_last_day_in_the_window(tmp_path):
    last = date(2026, 3, 31)
    # all-time downloads by days before the last crawled day
    histories = {
        "a/steady": {10: 0, 7: 100, 3: 150, 0: 400},  # the window is days 7..0: 300
        "a/new": {4: 50, 0: 500},  # listed from day 4: 450
        "a/gone": {7: 10, 2: 900},  # not listed on the last day: 890
        "a/between": {5: 0, 3: 700},  # on neither end of the window: 700
        "a/falling": {7: 1000, 0: 10},  # a loss is no rise
        "a/flat": {7: 5, 1: 5, 0: 5},
        "a/before": {9: 0, 8: 10_000},  # before the window only
        "b/tie": {7: 0, 0: 300},  # ties with a/steady: ordered by id
        "a/tie": {6: 0, 0: 300},
    }
    con = open_writer(tmp_path / "w.duckdb")
    observed = []
    for key, (model_id, history) in enumerate(histories.items(), start=1):
        con.execute("INSERT INTO models_stored (id, model_key, raw, first_seen, last_seen) "
                    "VALUES (?, ?, '{}', now(), now())", [model_id, key])  # fmt: skip
        observed += [{"day": last - timedelta(days=back), "model_key": key, "downloads_all_time": total}
                     for back, total in history.items()]  # fmt: skip
    record_counters(con, observed)  # each day a complete listing: a model not listed on one is gone that day

    def expected(last_day: date, top: int) -> list[tuple]:
        rises = []
        for model_id, history in histories.items():
            seen = sorted((last - timedelta(days=back), total) for back, total in history.items())
            in_window = [(day, total) for day, total in seen if last_day - timedelta(days=7) <= day <= last_day]
            if in_window and in_window[-1][1] > in_window[0][1]:
                gained = in_window[-1][1] - in_window[0][1]
                rises.append((model_id, in_window[0][0], gained, in_window[-1][1]))
        return sorted(rises, key=lambda rise: (-rise[2], rise[0]))[:top]

    try:
        for as_of, top in ((None, 20), (datetime(2026, 3, 29, 12), 20), (None, 3)):
            found = run_section(con, "fastest_risers", {"top": top, "as_of": as_of}).rows()
            assert found == expected(as_of.date() if as_of else last, top), as_of
    finally:
        con.close()


def _walks(edges: set[tuple[str, str]], base: str, limit: int = 30) -> dict[str, int]:
    """Every model reachable from `base` by a walk down the lineage of at most `limit` steps, with the
    longest such walk's length: by construction, not by the SQL's recursion."""
    children: dict[str, set[str]] = {}
    for child, parent in edges:
        children.setdefault(parent, set()).add(child)
    deepest: dict[str, int] = {}
    frontier = {base}
    for depth in range(1, limit + 1):
        frontier = {child for node in frontier for child in children.get(node, ())}
        for node in frontier:
            deepest[node] = depth
    return deepest


@pytest.mark.parametrize("seed", range(40))
def test_top_base_models_match_a_walk_of_the_graph_with_cycles_and_diamonds(seed):
    rng = random.Random(seed)
    nodes = [f"org/m{i}" for i in range(9)]
    edges = {(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(1, 16))}
    edges = {(child, parent) for child, parent in edges if child != parent}  # as lineage_edges.sql drops them
    con = duckdb.connect()
    con.execute(
        "CREATE TEMP TABLE lineage_edges (child VARCHAR, parent VARCHAR, relation VARCHAR, declared_in VARCHAR[], "
        "parent_has_base BOOLEAN)"
    )
    children = {child for child, _ in edges}
    con.executemany("INSERT INTO lineage_edges VALUES (?, ?, 'finetune', ['baseModels'], ?)",
                    [(child, parent, parent in children) for child, parent in sorted(edges)])  # fmt: skip
    found = con.execute((SQL_DIRS[1] / "top_base_models.sql").read_text(), {"top": 100}).fetchall()
    expected = []
    for base in sorted({parent for _, parent in edges}):
        walks = _walks(edges, base)
        direct = sum(1 for _, parent in edges if parent == base)
        expected.append((base, direct, len(walks), max(walks.values()), direct, 0, 0, 0))
    expected.sort(key=lambda row: (-row[2], -row[1], row[0]))
    assert found == expected


def test_a_connection_can_switch_between_now_and_as_of(warehouse):
    """stats_models is a view now and a table as of a moment: one connection serves both in turn,
    and as of a moment after the last crawl the answer is today's."""
    sections = ("growth_by_month", "license_families")
    con = open_reader(warehouse)
    try:
        now = run_stats(con, sections)
        later = run_stats(con, sections, as_of=datetime(2100, 1, 1))
        again = run_stats(con, sections)
    finally:
        con.close()
    for section in sections:
        assert later[section].rows() == now[section].rows() == again[section].rows(), section
