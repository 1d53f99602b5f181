"""The analyses over datasets, Spaces and the links between repositories, checked exactly on a small
warehouse written row by row, whose answers are worked out by hand below (not by the SQL under test)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from crawler.crawl import update_mirror
from queries.report import ECOSYSTEM_PANELS, render_report
from queries.sections import SECTIONS
from queries.stats import run_stats
from tests.conftest import make_settings
from tests.counters import record_counters
from tests.expected import expected_links
from tests.hub_standin import HubStandIn
from tests.test_history import SimClock
from tests.test_repos_exact import three_populations
from warehouse import streams
from warehouse.connect import open_reader, open_writer
from warehouse.sqlfiles import execute_script, sql

LEGACY = datetime(2022, 3, 2, 23, 29, 4)
SEEN = datetime(2026, 1, 1)
AS_OF = datetime(2026, 6, 1)
ECOSYSTEM_SECTIONS = SECTIONS[SECTIONS.index("dataset_growth_by_month") : SECTIONS.index("top_owners") + 1]

# id: (author, license, downloads, dataset: tags, cardData.datasets, deleted)
MODELS = {
    "m/a": ("m", "mit", 100, ["d/nc"], ["d/NC", "d/free"], False),  # d/nc twice, two spellings
    "m/b": ("m", "apache-2.0", 50, [], ["d/nc", "d/sa"], False),  # two conflicts, one model
    "m/c": ("m", "cc-by-nc-4.0", 30, ["d/nc"], None, False),  # non-commercial itself: no conflict
    "m/d": ("m", "mit", 20, ["d/missing"], None, False),  # declares nothing in the mirror
    "m/e": ("m", None, 10, [], ["d/free"], False),
    "m/f": ("m", "llama3", 5, ["d/gone"], None, False),  # a deleted dataset: not in the mirror
    "m/g": ("m", "mit", 999, ["d/nc"], None, True),  # deleted after AS_OF: out of scope now
    "m/h": ("m", "mit", 0, [], ["d/unlicensed"], False),  # dataset license unknown: no conflict
    "org/i": ("org", "other", 1, ["d/nc"], None, False),  # model license unclear: no conflict
}

# id: (created, downloads, license, task categories, modalities, first seen, deleted)
DATASETS = {
    "d/nc": (LEGACY, 1000, "cc-by-nc-4.0", ["text-generation"], ["text"], SEEN, None),
    "d/free": (LEGACY.replace(second=5), 500, "mit", ["text-generation", "translation"], ["text"], SEEN, None),
    "d/unlicensed": (datetime(2024, 1, 5), 200, None, None, None, SEEN, None),
    "d/sa": (datetime(2024, 1, 20), 100, "cc-by-nc-sa-4.0", ["image-classification"], ["image", "text"], SEEN, None),
    "d/new": (datetime(2024, 3, 1), 50, "apache-2.0", ["translation", "translation"], [], datetime(2026, 7, 1), None),
    "d/gone": (datetime(2024, 3, 10), 999, "cc-by-nc-4.0", ["text-generation"], ["text"], SEEN, datetime(2026, 8, 1)),
    "org/undated": (None, 7, "my-own-licence", None, ["audio"], SEEN, None),
}

# id: (sdk, runtime stage, hardware, models, first seen, deleted)
SPACES = {
    "s/1": ("gradio", "RUNNING", "cpu-basic", ["m/a", "M/A", "m/b"], SEEN, None),  # m/a once
    "s/2": ("gradio", "SLEEPING", "zero-a10g", ["m/a", "m/missing"], SEEN, None),
    "s/3": ("streamlit", "RUNNING", "cpu-basic", ["m/g"], SEEN, None),  # a deleted model
    "org/4": ("docker", None, None, None, SEEN, None),
    "s/5": ("gradio", "RUNNING", "t4-small", ["m/a"], SEEN, datetime(2026, 9, 1)),  # deleted after AS_OF
}


def insert(con, table: str, **columns) -> None:
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", list(columns.values()))


def fill(con) -> None:
    # Each repository with its history, for --as-of: one version and one day of counters since first seen.
    for model_id, (author, license_id, downloads, tagged, card, deleted) in MODELS.items():
        tags = [f"dataset:{d}" for d in tagged] + ["en"]
        insert(con, "models_stored", id=model_id, author=author, license=license_id, license_key=license_id,
               downloads=downloads, tags=tags, card_datasets=card, raw="{}", first_seen=SEEN, last_seen=SEEN,
               deleted_at=datetime(2026, 9, 1) if deleted else None)  # fmt: skip
        (key,) = con.execute("SELECT model_key FROM models WHERE id = ?", [model_id]).fetchone()
        insert(con, "model_versions", model_key=key, valid_from=SEEN, license=license_id, tags=tags, version_hash=0)
        record_counters(con, [{"day": SEEN.date(), "model_key": key, "downloads": downloads}])
    for dataset_id, (created, downloads, license_id, tasks, modalities, first_seen, deleted) in DATASETS.items():
        tags = [f"task_categories:{t}" for t in tasks or []] + [f"modality:{m}" for m in modalities or []]
        insert(con, "datasets_stored", id=dataset_id, author=dataset_id.split("/")[0], created_at=created,
               downloads=downloads, license=license_id, license_key=license_id, tags=tags, task_categories=tasks,
               modalities=modalities, raw="{}", first_seen=first_seen, last_seen=SEEN, deleted_at=deleted)  # fmt: skip
        (key,) = con.execute("SELECT dataset_key FROM datasets WHERE id = ?", [dataset_id]).fetchone()
        insert(con, "dataset_versions", dataset_key=key, valid_from=first_seen, license=license_id, tags=tags,
               version_hash=0)  # fmt: skip
        record_counters(con, [{"day": first_seen.date(), "dataset_key": key, "downloads": downloads}], streams.DATASETS)
        con.execute("UPDATE datasets_stored SET last_seen = ? WHERE dataset_key = ?", [SEEN, key])  # listed since
    for space_id, (sdk, stage, hardware, models, first_seen, deleted) in SPACES.items():
        insert(con, "spaces_stored", id=space_id, author=space_id.split("/")[0], sdk=sdk, runtime_stage=stage,
               hardware=hardware, likes=len(space_id), models=models, raw="{}", first_seen=first_seen,
               last_seen=SEEN, deleted_at=deleted)  # fmt: skip
        (key,) = con.execute("SELECT space_key FROM spaces WHERE id = ?", [space_id]).fetchone()
        insert(con, "space_versions", space_key=key, valid_from=first_seen, sdk=sdk, hardware=hardware, models=models,
               version_hash=0)  # fmt: skip
        record_counters(con, [{"day": first_seen.date(), "space_key": key, "likes": len(space_id)}], streams.SPACES)
        con.execute("UPDATE spaces_stored SET last_seen = ? WHERE space_key = ?", [SEEN, key])  # listed since
    execute_script(con, sql("rebuild_links"), {})  # the links the merge keeps, for rows written without it


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("ecosystem") / "registry.duckdb"
    con = open_writer(path)
    fill(con)
    con.close()
    return path


def report(path, as_of: datetime | None = None) -> dict[str, list[dict]]:
    con = open_reader(path)
    try:
        return {name: df.rows(named=True) for name, df in run_stats(con, top=100, as_of=as_of).items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def stats(warehouse):
    return report(warehouse)


@pytest.fixture(scope="module")
def stats_then(warehouse):
    return report(warehouse, AS_OF)


def test_datasets_created_per_month_keep_the_legacy_cohort_apart(stats):
    rows = [(r["cohort"], r["created"], r["cumulative"], r["downloads_30d"]) for r in stats["dataset_growth_by_month"]]
    # d/gone deleted, org/undated without a date
    assert rows == [("before 2022-03 (legacy)", 2, 2, 1500), ("2024-01", 2, 4, 300), ("2024-03", 1, 5, 50)]


def test_datasets_as_of_a_moment_are_those_listed_then(stats_then):
    growth = stats_then["dataset_growth_by_month"]
    rows = [(r["cohort"], r["created"], r["cumulative"], r["downloads_30d"]) for r in growth]
    # d/new first seen after the moment, d/gone deleted after it
    assert rows == [("before 2022-03 (legacy)", 2, 2, 1500), ("2024-01", 2, 4, 300), ("2024-03", 1, 5, 999)]
    families = {r["license_family"]: r["datasets"] for r in stats_then["dataset_license_families"]}
    assert families == {"non-commercial": 3, "permissive": 1, "none": 1, "unknown": 1}
    sdks = {r["value"]: r["spaces"] for r in stats_then["spaces_by_sdk_stage_hardware"] if r["dimension"] == "sdk"}
    assert sdks == {"gradio": 3, "docker": 1, "streamlit": 1}  # s/5 was listed then


def test_datasets_by_task_and_modality(stats):
    rows = [(r["dimension"], r["value"], r["datasets"], r["share_pct"], r["downloads_30d"])
            for r in stats["datasets_by_task_and_modality"]]  # fmt: skip
    assert rows == [
        ("task_category", "(none)", 2, 33.33, 207),
        ("task_category", "text-generation", 2, 33.33, 1500),
        ("task_category", "translation", 2, 33.33, 550),  # d/new lists it twice: counted once
        ("task_category", "image-classification", 1, 16.67, 100),
        ("modality", "text", 3, 50.0, 1600),
        ("modality", "(none)", 2, 33.33, 250),  # no modality, or an empty list
        ("modality", "audio", 1, 16.67, 7),
        ("modality", "image", 1, 16.67, 100),
    ]


def test_dataset_license_families(stats):
    rows = [(r["license_family"], r["datasets"], r["share_pct"], r["commercial_use_allowed"], r["downloads_30d"])
            for r in stats["dataset_license_families"]]  # fmt: skip
    assert rows == [
        ("non-commercial", 2, 33.33, 0, 1100),
        ("permissive", 2, 33.33, 2, 550),
        ("none", 1, 16.67, 0, 200),
        ("unknown", 1, 16.67, 0, 7),
    ]


def test_datasets_behind_the_most_models(stats):
    rows = [(r["dataset"], r["models"], r["models_downloads_30d"], r["in_mirror"], r["license_family"],
             r["dataset_downloads_30d"]) for r in stats["top_training_datasets"]]  # fmt: skip
    assert rows == [
        ("d/nc", 4, 181, True, "non-commercial", 1000),  # m/a once for two spellings; deleted m/g not
        ("d/free", 2, 110, True, "permissive", 500),
        ("d/sa", 1, 50, True, "non-commercial", 100),
        ("d/missing", 1, 20, False, None, None),
        ("d/gone", 1, 5, False, None, None),  # deleted: kept, not in the mirror
        ("d/unlicensed", 1, 0, True, "none", 200),
    ]


def test_license_conflicts_between_a_model_and_its_training_data(stats):
    (summary,) = stats["training_data_conflicts"]
    # declaring an in-mirror dataset: m/a, m/b, m/c, m/e, m/h, org/i; in conflict: m/a, m/b
    assert summary == {"models_declaring_datasets": 6, "models_in_conflict": 2, "share_pct": 33.33,
                       "conflict_downloads_30d": 150, "datasets_in_conflict": 2}  # fmt: skip
    examples = [tuple(r.values()) for r in stats["training_data_conflict_examples"]]
    assert examples == [
        ("m/a", "MIT", 100, "d/nc", "CC-BY-NC-4.0", "non-commercial"),
        ("m/b", "Apache-2.0", 50, "d/nc", "CC-BY-NC-4.0", "non-commercial"),
        ("m/b", "Apache-2.0", 50, "d/sa", "CC-BY-NC-SA-4.0", "non-commercial"),
    ]


def test_spaces_by_sdk_runtime_stage_and_hardware(stats):
    rows = [(r["dimension"], r["value"], r["spaces"], r["share_pct"], r["likes"])
            for r in stats["spaces_by_sdk_stage_hardware"]]  # fmt: skip
    assert rows == [
        ("sdk", "gradio", 2, 50.0, 6),
        ("sdk", "docker", 1, 25.0, 5),
        ("sdk", "streamlit", 1, 25.0, 3),
        ("runtime_stage", "RUNNING", 2, 50.0, 6),
        ("runtime_stage", "(unknown)", 1, 25.0, 5),
        ("runtime_stage", "SLEEPING", 1, 25.0, 3),
        ("hardware", "cpu-basic", 2, 50.0, 6),
        ("hardware", "(unknown)", 1, 25.0, 5),
        ("hardware", "zero-a10g", 1, 25.0, 3),
    ]


def test_models_used_by_spaces(stats):
    top = [(r["model"], r["spaces"], r["downloads_30d"]) for r in stats["top_space_models"]]
    assert top == [("m/a", 2, 100), ("m/b", 1, 50)]  # s/1 names m/a twice; m/g and s/5 are deleted
    (usage,) = stats["models_in_spaces"]
    assert usage == {"models": 8, "models_used_by_spaces": 2, "share_pct": 25.0, "spaces": 4,
                     "spaces_using_models": 2}  # fmt: skip


def test_owners_of_models_datasets_and_spaces(stats):
    rows = [(r["author"], r["models"], r["datasets"], r["spaces"], r["repositories"]) for r in stats["top_owners"]]
    assert rows == [("m", 7, 0, 0, 7), ("d", 0, 5, 0, 5), ("org", 1, 1, 1, 3), ("s", 0, 0, 3, 3)]


def test_the_html_report_has_a_panel_per_section(warehouse):
    con = open_reader(warehouse)
    try:
        html = render_report(run_stats(con, top=100))
    finally:
        con.close()
    for name in ECOSYSTEM_PANELS:
        assert html.count(f'<figure class="panel" id="{name}">') == 1, name
    conflicts = html.split('id="training_data_conflict_examples">')[1].split("</figure>")[0]
    assert conflicts.count("<tr>") == 4 and "<td>m/b</td><td>Apache-2.0</td><td>50</td><td>d/sa</td>" in conflicts


def test_links_as_of_a_moment_are_those_declared_then_by_the_repositories_listed_then(stats_then):
    # then: m/g listed (deleted since), d/gone listed (deleted since), s/5 listed (deleted since), each
    # with the links it declared then: s/5 -> m/a, s/3 -> m/g and m/g -> d/nc count
    top = [(r["model"], r["spaces"], r["downloads_30d"]) for r in stats_then["top_space_models"]]
    assert top == [("m/a", 3, 100), ("m/g", 1, 999), ("m/b", 1, 50)]
    (usage,) = stats_then["models_in_spaces"]
    assert usage == {"models": 9, "models_used_by_spaces": 3, "share_pct": 33.33, "spaces": 5,
                     "spaces_using_models": 4}  # fmt: skip
    # in conflict: m/a, m/b, m/f (llama3) -> d/gone, m/g -> d/nc; declaring one in the mirror: all but m/d
    (summary,) = stats_then["training_data_conflicts"]
    assert summary == {"models_declaring_datasets": 8, "models_in_conflict": 4, "share_pct": 50.0,
                       "conflict_downloads_30d": 1154, "datasets_in_conflict": 3}  # fmt: skip


def test_link_sections_on_a_crawled_stand_in_agree_with_the_links_oracle(tmp_path):
    """Crawled from the stand-in (dangling targets, duplicates, spelling variants), the link sections
    count what the oracle's links say: a Space once per model it uses, a model once per dataset."""
    models, datasets, spaces = three_populations(600, 250, 300, seed=7)
    db = tmp_path / "registry.duckdb"
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub:
        update_mirror(make_settings(db, hub.url, page_size=100))
    links = expected_links(models, datasets, spaces)  # (from_type, from_id, to_type, to_id, source, in_mirror)
    space_uses = {(space, model.lower()) for kind, space, to, model, _, in_mirror in links
                  if (kind, to) == ("space", "model") and in_mirror}  # fmt: skip
    spaces_of = Counter(model for _, model in space_uses)
    declares = {(model, dataset.lower()) for kind, model, to, dataset, _, _ in links
                if (kind, to) == ("model", "dataset")}  # fmt: skip
    models_of = Counter(dataset for _, dataset in declares)
    stats = report(db)

    used = {row["model"].lower(): row["spaces"] for row in stats["top_space_models"]}
    assert len(used) == min(100, len(spaces_of)) and all(spaces_of[m] == n for m, n in used.items())
    assert sorted(used.values()) == sorted(spaces_of.values())[-len(used) :]
    (usage,) = stats["models_in_spaces"]
    assert usage["models_used_by_spaces"] == len(spaces_of) > 0
    assert usage["spaces_using_models"] == len({space for space, _ in space_uses})

    behind = {row["dataset"].lower(): row["models"] for row in stats["top_training_datasets"]}
    assert len(behind) == min(100, len(models_of)) and all(models_of[d] == n for d, n in behind.items())
    assert sorted(behind.values()) == sorted(models_of.values())[-len(behind) :]


def ecosystem_report(path, as_of: datetime | None = None) -> dict[str, list[dict]]:
    """The sections over datasets, Spaces and links, whole; a Space's runtime stage is kept in no
    history (unknown as of a moment), so that dimension is left out."""
    con = open_reader(path)
    try:
        frames = run_stats(con, ECOSYSTEM_SECTIONS, top=10_000, as_of=as_of)
    finally:
        con.close()
    rows = {name: frame.rows(named=True) for name, frame in frames.items()}
    stages = rows["spaces_by_sdk_stage_hardware"]
    rows["spaces_by_sdk_stage_hardware"] = [row for row in stages if row["dimension"] != "runtime_stage"]
    return rows


def test_as_of_the_first_day_gives_the_first_days_answer_after_a_day_of_churn(db):
    """A crawl on day 1, a day of churn on the three kinds (edits of metadata and links, new, deleted
    and renamed repositories, counters moved), a crawl on day 2: as of day 1, every section over
    datasets, Spaces and links answers what it answered on day 1."""
    models, datasets, spaces = three_populations(300, 150, 200, seed=63)
    clock = SimClock(models)
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
        update_mirror(settings)
        day_one, moment = ecosystem_report(db), clock()
        datasets.now = spaces.now = models.now  # one clock for the three (SimClock follows the models')
        for population in (models, datasets, spaces):
            population.live(days=1, base=len(population) * 10)
        datasets.rename(3)
        spaces.rename(3)
        update_mirror(settings)
    now = ecosystem_report(db)
    changed = {name for name in now if now[name] != day_one[name]}
    assert {"dataset_license_families", "spaces_by_sdk_stage_hardware", "top_space_models", "top_training_datasets",
            "top_owners"} <= changed, "the day changed licences, SDKs, links and owners"  # fmt: skip
    assert ecosystem_report(db, as_of=moment) == day_one
