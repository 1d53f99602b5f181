"""The Hub stand-in speaks the Hub's protocol: huggingface_hub's own client pages through it unchanged."""

from __future__ import annotations

import json

import httpx2
import pytest
from huggingface_hub import HfApi
from huggingface_hub.utils import parse_ratelimit_headers

from tests.hub_standin import Faults, HubStandIn, Population


@pytest.fixture(scope="module")
def population() -> Population:
    return Population.generate(n=2500, seed=1, private_fraction=0.04)


def test_huggingface_hub_list_models_pages_through_every_public_model(population):
    with HubStandIn(population, default_limit=1000) as hub:
        api = HfApi(endpoint=hub.url, token=False)
        listed = [model.id for model in api.list_models(expand=["author", "downloads", "cardData"])]
        by_creation = [model.id for model in api.list_models(sort="created_at")]
        pages = hub.stats.pages_served
    assert sorted(listed) == sorted(population.public_ids()) and len(listed) == len(set(listed))
    assert by_creation == [r["id"] for r in population.public_records()]
    assert pages == 6, "two listings of three 1000-model pages each, followed by Link headers"


def test_keyset_cursor_survives_changes_between_pages():
    population = Population.generate(n=500, seed=2)
    before = {r["id"] for r in population.public_records()}
    with HubStandIn(population) as hub, httpx2.Client() as client:
        url, seen = f"{hub.url}/api/models?sort=createdAt&direction=1&limit=50", []
        while url:
            response = client.get(url)
            seen += [record["id"] for record in response.json()]
            if len(seen) == 100:
                deleted = set(population.delete(30))
                added = population.add(10)
            url = response.links.get("next", {}).get("url")
    assert len(seen) == len(set(seen)), "nothing twice"
    assert (before - deleted) <= set(seen), "nothing that existed throughout was skipped"
    assert set(added) <= set(seen), "models created during the listing appear at its end"


def test_expand_projection_both_syntaxes_and_errors(population):
    with HubStandIn(population, tokens={"good"}) as hub, httpx2.Client() as client:
        plain = client.get(f"{hub.url}/api/models?limit=3&expand=author&expand=sha").json()
        bracket = client.get(f"{hub.url}/api/models?limit=3&expand[]=author&expand[]=sha").json()
        both = client.get(f"{hub.url}/api/models?limit=3&expand=author&full=true")
        unknown = client.get(f"{hub.url}/api/models?expand=nonsense")
        bad_token = client.get(f"{hub.url}/api/models", headers={"Authorization": "Bearer bad"})
    assert plain == bracket and set(plain[0]) == {"_id", "id", "author", "sha"}
    assert both.status_code == 400 and "error" in both.json()
    assert unknown.status_code == 400
    assert bad_token.status_code == 401


def test_private_models_hidden_except_to_their_owner(population):
    private = [r for r in population.all_records() if r.get("private")]
    with HubStandIn(population, owner_tokens={"owner"}) as hub, httpx2.Client() as client:
        anonymous = client.get(f"{hub.url}/api/models?limit=1000&expand=private&sort=createdAt&direction=1")
        owner = client.get(f"{hub.url}/api/models?limit=1000&expand=private", headers={"Authorization": "Bearer owner"})
        info = client.get(f"{hub.url}/api/models/{private[0]['id']}")
    assert not any(record["private"] for record in anonymous.json())
    assert any(record["private"] for record in owner.json())
    assert info.status_code == 404


def test_ratelimit_headers_and_429_past_the_quota(population):
    with HubStandIn(population, quota=3, window=60) as hub, httpx2.Client() as client:
        responses = [client.get(f"{hub.url}/api/models?limit=1") for _ in range(4)]
    info = parse_ratelimit_headers(responses[0].headers)
    assert (info.remaining, info.limit, info.window_seconds) == (2, 3, 60) and 0 < info.reset_in_seconds <= 60
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert int(responses[3].headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("error_5xx", "status"),
        ("truncated", httpx2.RemoteProtocolError),
        ("truncated_json", json.JSONDecodeError),
        ("reset", (httpx2.ReadError, httpx2.RemoteProtocolError, httpx2.ConnectError)),
        ("slow", httpx2.ReadTimeout),
    ],
)
def test_each_fault_does_what_it_says(population, kind, expected):
    faults = Faults(**{kind: 1.0}, slow_seconds=1.0)
    with HubStandIn(population, faults=faults) as hub, httpx2.Client(timeout=0.3) as client:
        if expected == "status":
            assert client.get(f"{hub.url}/api/models").status_code in (500, 502, 503)
        else:
            with pytest.raises(expected):
                client.get(f"{hub.url}/api/models").json()
