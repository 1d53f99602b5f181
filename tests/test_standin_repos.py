"""The stand-in's datasets and Spaces: huggingface_hub's own client pages through them unchanged, one quota
covers every route, each sort behaviour holds per route, renames redirect; the populations have the Hub's
shapes, links with their oddities, detectable malformations and churn; the oracle in tests/expected.py."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import httpx2
import pytest
from huggingface_hub import HfApi

from tests.expected import (
    DATASET_COLUMNS,
    MALFORMATION_FLAGS,
    SPACE_COLUMNS,
    expected_dataset_row,
    expected_links,
    expected_space_row,
)
from tests.hub_standin import DatasetPopulation, Faults, HubStandIn, Population, SpacePopulation, link_populations
from tests.hub_standin.repos import case_variant
from tests.hub_standin.server import SORT_DIRECTIONS

DATASET_FIELDS = ["author", "cardData", "citation", "createdAt", "description", "disabled", "downloads",
                  "downloadsAllTime", "gated", "lastModified", "likes", "paperswithcode_id", "private", "sha", "tags",
                  "trendingScore", "usedStorage"]  # fmt: skip
SPACE_FIELDS = ["author", "cardData", "createdAt", "datasets", "disabled", "lastModified", "likes", "models",
                "private", "runtime", "sdk", "sha", "subdomain", "tags", "trendingScore", "usedStorage"]  # fmt: skip
STAGES = {"RUNNING", "SLEEPING", "BUILDING", "RUNTIME_ERROR", "PAUSED", "BUILD_ERROR", "NO_APP_FILE", "CONFIG_ERROR",
          "STOPPED"}  # fmt: skip


@pytest.fixture(scope="module")
def linked() -> tuple[Population, DatasetPopulation, SpacePopulation]:
    models = Population.generate(n=3000, seed=1, private_fraction=0.04, malformed_fraction=0.02)
    datasets = DatasetPopulation.generate(n=2500, seed=2, private_fraction=0.04, malformed_fraction=0.02)
    spaces = SpacePopulation.generate(n=2200, seed=3, private_fraction=0.04, malformed_fraction=0.02)
    link_populations(models, datasets, spaces, seed=4)
    return models, datasets, spaces


@pytest.fixture(scope="module")
def clean() -> tuple[Population, DatasetPopulation, SpacePopulation]:
    """No malformations: what huggingface_hub's dataclasses can parse (a runtime string cannot be)."""
    models = Population.generate(n=500, seed=5)
    datasets = DatasetPopulation.generate(n=2300, seed=6, private_fraction=0.04)
    spaces = SpacePopulation.generate(n=2100, seed=7, private_fraction=0.04)
    link_populations(models, datasets, spaces, seed=8)
    return models, datasets, spaces


def _walk(client: httpx2.Client, url: str) -> list[dict]:
    records = []
    while url:
        response = client.get(url)
        response.raise_for_status()
        records += response.json()
        url = response.links.get("next", {}).get("url")
    return records


# -- the protocol ------------------------------------------------------------------------------------------


def test_without_datasets_or_spaces_both_listings_are_empty():
    with HubStandIn(Population.generate(n=50, seed=1)) as hub, httpx2.Client() as client:
        answers = [client.get(f"{hub.url}/api/{route}") for route in ("datasets", "spaces")]
        missing = client.get(f"{hub.url}/api/datasets/someone/nothing")
    assert [(a.status_code, a.json(), a.headers.get("Link")) for a in answers] == [(200, [], None)] * 2
    assert missing.status_code == 404


def test_huggingface_hub_lists_every_public_dataset_and_space(clean):
    models, datasets, spaces = clean
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub:
        api = HfApi(endpoint=hub.url, token=False)
        listed_datasets = list(api.list_datasets(expand=DATASET_FIELDS))
        listed_spaces = list(api.list_spaces(expand=SPACE_FIELDS))
        by_creation = [space.id for space in api.list_spaces(sort="created_at")]
        pages = dict(hub.stats.pages_by_route)
    assert sorted(d.id for d in listed_datasets) == sorted(datasets.public_ids())
    assert sorted(s.id for s in listed_spaces) == sorted(spaces.public_ids())
    assert by_creation == [record["id"] for record in spaces.public_records()]
    assert pages == {"datasets": 3, "spaces": 6}, "1000 a page, followed by Link headers"
    by_id = {record["id"]: record for record in datasets.public_records()}
    for info in listed_datasets:
        record = by_id[info.id]
        assert (info.downloads, info.likes, info.tags, info.gated) == (
            record["downloads"], record["likes"], record["tags"], record["gated"])  # fmt: skip
        assert info.card_data is None or info.card_data.get("license") == record["cardData"].get("license")
    runtimes = {s.id: s.runtime for s in listed_spaces}
    by_id = {record["id"]: record for record in spaces.public_records()}
    assert all(runtimes[i].stage == by_id[i]["runtime"]["stage"] for i in runtimes)
    assert any(s.models for s in listed_spaces)
    assert all(
        s.models == by_id[s.id].get("models") and s.datasets == by_id[s.id].get("datasets") for s in listed_spaces
    )


def test_dataset_info_and_space_info_and_renames_redirect(clean):
    models, datasets, spaces = clean
    dataset, space = datasets.public_records()[100], spaces.public_records()[200]
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub, httpx2.Client() as client:
        api = HfApi(endpoint=hub.url, token=False)
        assert api.dataset_info(dataset["id"]).sha == dataset["sha"]
        assert api.space_info(space["id"]).subdomain == space["subdomain"]
        old_dataset, new_dataset = datasets.rename_one(dataset["id"], "elsewhere/renamed-dataset")
        old_space, new_space = spaces.rename_one(space["id"], "elsewhere/renamed-space")
        assert api.dataset_info(old_dataset).id == new_dataset
        assert api.space_info(old_space).id == new_space
        raw = client.get(f"{hub.url}/api/spaces/{old_space}")
        projected = client.get(f"{hub.url}/api/datasets/{new_dataset}?expand=sha&expand=likes").json()
        unknown = client.get(f"{hub.url}/api/spaces/{old_space}-typo")
    assert (raw.status_code, raw.headers["Location"]) == (307, f"/api/spaces/{new_space}")
    assert set(projected) == {"_id", "id", "sha", "likes"}
    assert unknown.status_code == 404
    assert dataset["_id"] == datasets.get(new_dataset)["_id"] and dataset["author"] == "elsewhere"
    assert spaces.get(new_space)["subdomain"] == "elsewhere-renamed-space", "a Space's host name follows its id"


def test_one_quota_for_every_route(clean):
    models, datasets, spaces = clean
    with HubStandIn(models, datasets=datasets, spaces=spaces, quota=4, window=60) as hub, httpx2.Client() as client:
        answers = [client.get(f"{hub.url}/api/{route}?limit=1") for route in ("models", "datasets", "spaces")]
        answers.append(client.get(f"{hub.url}/api/spaces/{spaces.public_records()[0]['id']}"))
        over = [client.get(f"{hub.url}/api/{route}?limit=1") for route in ("datasets", "spaces", "models")]
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    assert [a.headers["RateLimit"].split(";")[1] for a in answers] == ["r=3", "r=2", "r=1", "r=0"]
    assert [a.status_code for a in over] == [429, 429, 429] and all(int(a.headers["Retry-After"]) > 0 for a in over)


@pytest.mark.parametrize("behaviour", SORT_DIRECTIONS)
@pytest.mark.parametrize("route", ["datasets", "spaces"])
def test_each_sort_behaviour_per_route(clean, route, behaviour):
    models, datasets, spaces = clean
    population = {"datasets": datasets, "spaces": spaces}[route]
    with HubStandIn(models, datasets=datasets, spaces=spaces, sort_direction=behaviour) as hub, httpx2.Client() as c:
        asked = c.get(f"{hub.url}/api/{route}?sort=likes&direction=1&limit=500&expand=likes")
        listed = _walk(c, f"{hub.url}/api/{route}?sort=likes&limit=500&expand=likes")
    likes = [record["likes"] for record in listed]
    assert sorted(r["id"] for r in listed) == sorted(population.public_ids()) and likes == sorted(likes, reverse=True)
    if behaviour == "refuse":
        assert asked.status_code == 400
    else:
        first = [record["likes"] for record in asked.json()]
        assert first == sorted(first, reverse=behaviour == "ignore") and len(first) == 500


def test_keyset_cursor_survives_changes_between_pages():
    spaces = SpacePopulation.generate(n=600, seed=9)
    before = spaces.public_ids()
    with HubStandIn(Population(), spaces=spaces) as hub, httpx2.Client() as client:
        url, seen = f"{hub.url}/api/spaces?sort=createdAt&direction=1&limit=50", []
        while url:
            response = client.get(url)
            seen += [record["id"] for record in response.json()]
            if len(seen) == 100:
                deleted, added = set(spaces.delete(30)), spaces.add(10)
            url = response.links.get("next", {}).get("url")
    assert len(seen) == len(set(seen)) and (before - deleted) <= set(seen) and set(added) <= set(seen)


def test_expand_private_owner_and_info_only_refusals_per_route(linked):
    models, datasets, spaces = linked
    hub = HubStandIn(models, datasets=datasets, spaces=spaces, owner_tokens={"owner"},
                     info_only={"datasets": {"usedStorage"}})  # fmt: skip
    private = next(r for r in spaces.all_records() if r.get("private"))
    with hub, httpx2.Client() as client:
        spaces_page = client.get(f"{hub.url}/api/spaces?limit=5&expand[]=runtime&expand[]=models").json()
        refused = client.get(f"{hub.url}/api/datasets?expand=usedStorage")
        allowed = client.get(f"{hub.url}/api/spaces?limit=1&expand=usedStorage")
        info = client.get(f"{hub.url}/api/datasets/{datasets.public_records()[0]['id']}?expand=usedStorage")
        not_a_dataset_field = client.get(f"{hub.url}/api/datasets?expand=runtime")
        not_a_space_field = client.get(f"{hub.url}/api/spaces?expand=downloads")
        no_downloads_sort = client.get(f"{hub.url}/api/spaces?sort=downloads")
        anonymous = _walk(client, f"{hub.url}/api/spaces?expand=private")
        owner = client.get(f"{hub.url}/api/spaces/{private['id']}", headers={"Authorization": "Bearer owner"})
        hidden = client.get(f"{hub.url}/api/spaces/{private['id']}")
    assert all(set(r) <= {"_id", "id", "runtime", "models"} and "runtime" in r for r in spaces_page)
    assert refused.status_code == 400 and allowed.status_code == 200 and "usedStorage" in info.json()
    assert [r.status_code for r in (not_a_dataset_field, not_a_space_field, no_downloads_sort)] == [400, 400, 400]
    assert not any(record["private"] for record in anonymous) and len(anonymous) == len(spaces.public_ids())
    assert (owner.status_code, hidden.status_code) == (200, 404)


def test_faults_and_on_request_apply_to_every_route(clean):
    models, datasets, spaces = clean
    seen = []
    with (
        HubStandIn(models, datasets=datasets, spaces=spaces, faults=Faults(error_5xx=1.0)) as hub,
        httpx2.Client() as c,
    ):
        hub.on_request = lambda hub, request_no: seen.append(request_no)
        statuses = [c.get(f"{hub.url}/api/{route}").status_code for route in ("datasets", "spaces")]
    assert all(status in (500, 502, 503) for status in statuses) and seen == [1, 2]


def test_churn_route_moves_all_three_populations():
    models, datasets, spaces = (
        Population.generate(n=1000, seed=11),
        DatasetPopulation.generate(n=1000, seed=12),
        SpacePopulation.generate(n=1000, seed=13),
    )
    link_populations(models, datasets, spaces, seed=14)
    before = {kind: len(population) for kind, population in (("d", datasets), ("s", spaces), ("m", models))}
    with HubStandIn(models, datasets=datasets, spaces=spaces) as hub, httpx2.Client() as client:
        churned = client.post(f"{hub.url}/_standin/churn?days=5").json()
    for counts in (churned, churned["datasets"], churned["spaces"]):  # per 5 days of 1000: 0.2 % a day added...
        assert (counts["added"], counts["edited"], counts["deleted"]) == (10, 25, 2)
        assert 300 < counts["counters_drifted"] < 700
    assert (len(models), len(datasets), len(spaces)) == (before["m"] + 8, before["d"] + 8, before["s"] + 8)


# -- the populations ---------------------------------------------------------------------------------------


def test_generation_is_deterministic():
    assert (
        DatasetPopulation.generate(300, seed=3).all_records() == DatasetPopulation.generate(300, seed=3).all_records()
    )
    assert SpacePopulation.generate(300, seed=3).all_records() == SpacePopulation.generate(300, seed=3).all_records()


def test_dataset_shapes(linked):
    _, datasets, _ = linked
    clean = [r for r in datasets.public_records() if r["id"] not in datasets.malformed]
    required = {"_id", "id", "author", "createdAt", "disabled", "downloads", "downloadsAllTime", "gated",
                "lastModified", "likes", "private", "sha", "tags", "trendingScore", "usedStorage"}  # fmt: skip
    optional = {"cardData", "citation", "description", "paperswithcode_id"}
    for record in clean:
        assert required <= set(record) <= required | optional and None not in record.values()
        assert record["gated"] in (False, "auto", "manual") and isinstance(record["downloads"], int)
        datetime.fromisoformat(record["createdAt"].replace("Z", "+00:00"))
        card = record.get("cardData")
        if card and card.get("license") == "other":
            assert isinstance(card["license_name"], str)
    share = {key: sum(key in r for r in clean) / len(clean) for key in optional}
    assert 0.5 < share["cardData"] < 0.9 and 0.05 < share["citation"] < 0.4 and 0 < share["paperswithcode_id"] < 0.2
    prefixes = {tag.split(":")[0] for r in clean for tag in r["tags"] if ":" in tag}
    assert {"task_categories", "task_ids", "modality", "format", "size_categories", "language", "license", "library",
            "region", "arxiv"} <= prefixes  # fmt: skip
    rows = [dict(zip(DATASET_COLUMNS, expected_dataset_row(r), strict=True)) for r in clean]
    assert any(row["license"] and row["license"].startswith("[") for row in rows), "a card licence list, as JSON"
    assert any(row["size_category"] is None for row in rows) and any(not row["task_categories"] for row in rows)


def test_space_shapes(linked):
    _, _, spaces = linked
    clean = [r for r in spaces.public_records() if r["id"] not in spaces.malformed]
    required = {"_id", "id", "author", "cardData", "createdAt", "disabled", "lastModified", "likes", "private",
                "runtime", "sdk", "sha", "subdomain", "tags", "trendingScore", "usedStorage"}  # fmt: skip
    for record in clean:
        assert required <= set(record) <= required | {"models", "datasets"} and None not in record.values()
        assert record["sdk"] in ("gradio", "streamlit", "docker", "static") and record["tags"][0] == record["sdk"]
        assert record["runtime"]["stage"] in STAGES and record["cardData"]["sdk"] == record["sdk"]
        assert all(isinstance(record.get(key, []), list) for key in ("models", "datasets"))
    rows = [dict(zip(SPACE_COLUMNS, expected_space_row(r), strict=True)) for r in clean]
    assert {row["sdk"] for row in rows} == {"gradio", "streamlit", "docker", "static"}
    assert {"cpu-basic", "zero-a10g"} <= {row["hardware"] for row in rows} and None in {row["hardware"] for row in rows}
    assert any(row["models"] is None for row in rows) and any(row["license"] for row in rows)


def test_links_name_real_repos_with_the_oddities_of_real_links(linked):
    models, datasets, spaces = linked
    model_ids = {r["id"] for r in models.all_records() if isinstance(r.get("id"), str)}
    private_models = {r["id"] for r in models.all_records() if r.get("private")}
    linked_spaces = [r for r in spaces.public_records() if isinstance(r.get("models"), list)]
    targets = [target for r in linked_spaces for target in r["models"]]
    assert sum(t in model_ids for t in targets) / len(targets) > 0.85, "mostly real ids"
    assert any(t in private_models for t in targets), "some private"
    assert any(t not in model_ids and t.lower() in {i.lower() for i in model_ids} for t in targets), "case variants"
    assert any("never-existed" in t for t in targets), "ids that never existed"
    assert any(len(r["models"]) != len(set(r["models"])) for r in linked_spaces), "the same id twice"
    assert any(r["cardData"].get("models") == r["models"] for r in linked_spaces)
    cards = [r["cardData"]["datasets"] for r in models.public_records() if "datasets" in (r.get("cardData") or {})]
    assert any(isinstance(c, str) for c in cards) and any(isinstance(c, list) for c in cards)
    tagged = [t for r in models.public_records() if isinstance(r.get("tags"), list) for t in r["tags"]]
    dataset_ids = {r["id"] for r in datasets.all_records()}
    assert sum(t[len("dataset:") :] in dataset_ids for t in tagged if t.startswith("dataset:")) > 100


def test_expected_links_follow_the_contract(linked):
    models, datasets, spaces = linked
    links = expected_links(models, datasets, spaces)
    sources = {link[4] for link in links}
    assert sources == {"cardData", "tags", "space.models", "space.datasets"}
    assert {True, False} == {link[5] for link in links}
    public_models = {r["id"].lower() for r in models.public_records() if isinstance(r.get("id"), str)}
    for _, _, to_type, to_id, _, in_mirror in links:
        if to_type == "model":
            assert in_mirror == (to_id.lower() in public_models)
    variant = next(link for link in links if link[5] and link[3] not in models.public_ids() and link[2] == "model")
    assert variant[3].lower() in public_models, "a case variant of a public id is in the mirror"
    # A malformed Space's links count as far as they can be read: a link list that is not a list declares none.
    unreadable = {r["id"] for r in spaces.public_records() if not isinstance(r.get("models"), list | None)}
    assert unreadable and not any(link[0] == "space" and link[1] in unreadable and link[4] == "space.models"
                                  for link in links)  # fmt: skip
    # The oracle on a hand-made case: duplicates collapse, a string card entry is one id.
    one = Population(seed=0)
    one.put({"_id": "a", "id": "m/one", "tags": ["dataset:D/x", "dataset:D/x"], "cardData": {"datasets": "d/x"}})
    target = DatasetPopulation(seed=0)
    target.put({"_id": "b", "id": "d/x", "tags": []})
    assert expected_links(one, target, SpacePopulation()) == {
        ("model", "m/one", "dataset", "D/x", "tags", True),
        ("model", "m/one", "dataset", "d/x", "cardData", True),
    }


def test_each_malformation_is_recorded_and_visible(linked):
    _, datasets, spaces = linked
    for population in (datasets, spaces):
        by_id = {r.get("id"): r for r in population.all_records()}
        kinds = {kind for kinds in population.malformed.values() for kind in kinds}
        assert kinds == set(population.MALFORMATIONS) and kinds <= set(MALFORMATION_FLAGS)
        for repo_id, (kind,) in population.malformed.items():
            assert _defect(by_id[repo_id]) == kind, (repo_id, kind)
        assert all(_defect(r) is None for r in population.all_records() if r["id"] not in population.malformed)


def _defect(record: dict) -> str | None:
    """What an independent reader finds wrong with a record (None: nothing)."""
    missing = {"author": "no_author", "createdAt": "no_created_at", "sha": "no_sha"}
    for key, kind in missing.items():
        if key not in record:
            return kind
    if "downloads" in record and not isinstance(record["downloads"], int):
        return "downloads_string"
    if record["likes"] is None:
        return "likes_null"
    if isinstance(record["tags"], str):
        return "tags_string"
    if not record["createdAt"][:4].isdigit():
        return "created_not_a_date"
    if "gated" in record and not isinstance(record["gated"], bool | str):
        return "gated_number"
    for key in ("models", "datasets"):
        if key in record and not isinstance(record[key], list):
            return f"{key}_not_list"
    if "runtime" in record and not isinstance(record["runtime"], dict):
        return "runtime_not_object"
    return None


def test_expected_rows_on_hand_made_records():
    dataset = {"_id": "o1", "id": "a/d", "createdAt": "2024-01-02T03:04:05.678Z", "gated": False, "trendingScore": 3,
               "tags": ["task_categories:translation", "language:en", "license:mit", "size_categories:n<1K",
                        "size_categories:1K<n<10K", "format:json", "modality:text", "language:fr"],
               "cardData": {"license": ["mit", "apache-2.0"], "license_name": 7}}  # fmt: skip
    row = dict(zip(DATASET_COLUMNS, expected_dataset_row(dataset), strict=True))
    assert row["created_at"] == datetime(2024, 1, 2, 3, 4, 5, 678000) and row["gated"] == "false"
    assert (row["license"], row["license_name"], row["trending_score"]) == ('["mit","apache-2.0"]', None, 3.0)
    assert (row["languages"], row["size_category"], row["formats"]) == (["en", "fr"], "n<1K", ["json"])
    assert row["author"] is None and row["task_categories"] == ["translation"] and row["modalities"] == ["text"]
    space = {"_id": "o2", "id": "a/s", "tags": ["docker", "license:apache-2.0"], "models": ["m/x", "m/x"],
             "runtime": {"stage": "SLEEPING", "hardware": {"current": None, "requested": "t4-small"}}}  # fmt: skip
    row = dict(zip(SPACE_COLUMNS, expected_space_row(space), strict=True))
    assert (row["runtime_stage"], row["hardware"], row["license"]) == ("SLEEPING", "t4-small", "apache-2.0")
    assert (row["models"], row["datasets"]) == (["m/x", "m/x"], None)


def test_case_variant_differs_only_in_case():
    for repo_id in ("org/name", "Org/Name", "1/2", "user-3/模型"):
        variant = case_variant(repo_id)
        assert variant.lower() == repo_id.lower() and (variant != repo_id or not any(c.isalpha() for c in repo_id))


def test_command_serves_datasets_and_spaces_in_proportion():
    command = [sys.executable, "-m", "tests.hub_standin", "--models", "400", "--profile", "uniform",
               "--private-fraction", "0", "--malformed-fraction", "0", "--sort-direction", "ignore"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = process.stdout.readline().strip()
        with httpx2.Client() as client:
            counts = [len(_walk(client, f"{url}/api/{route}?limit=1000")) for route in ("datasets", "spaces")]
            refused = client.get(f"{url}/api/spaces?sort=likes&direction=1")
            stats = client.get(f"{url}/_standin/stats").json()
    finally:
        process.terminate()
        process.wait(10)
    assert counts == [100, 120] and refused.status_code == 200, "ignored, not refused"
    assert stats["pages_by_route"] == {"datasets": 1, "spaces": 2} and stats["records_served"] == 100 + 120 + 120
