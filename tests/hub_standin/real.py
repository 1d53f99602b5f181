"""Real Hub bodies (tests/fixtures/hub_real, provenance in its README) as a stand-in population of their own.

Each body is a full `GET /api/models/{id}` answer the live Hub gave. Served by the stand-in's listing,
a body is projected as the Hub projects a listing with `expand`: `_id`, `id` and the asked-for fields
it has (Population.project), which is what the crawler receives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from .population import Population

FIXTURES = Path(__file__).parent.parent / "fixtures" / "hub_real"


class RealBody(NamedTuple):
    source: str  # where it was recorded: the fixture file and the record's own provenance
    body: dict


def cassette_bodies() -> list[RealBody]:
    """huggingface_hub's VCR cassettes (2025-01..03): one full detail body per model."""
    data = json.loads((FIXTURES / "huggingface_hub_cassettes.json").read_text())
    return [RealBody(f"huggingface_hub {r['cassette_path']} @ {r['cassette_blob']}", r["body"])
            for r in data["records"]]  # fmt: skip


def hf_hub_versions() -> list[RealBody]:
    """hf-hub's `detailed_info` test: one model's detail body as the live Hub gave it, 2023-08 to 2026-01."""
    data = json.loads((FIXTURES / "hf_hub_rust_detailed_info.json").read_text())
    return [RealBody(f"hf-hub {v['path']} @ {v['first_seen_commit']}", v["body"]) for v in data["versions"]]


def transcript_bodies() -> list[RealBody]:
    """Two gguf repos and one merge (2026-07/08), the only such raw bodies found; weak provenance."""
    data = json.loads((FIXTURES / "unattributed_agent_transcripts.json").read_text())
    return [RealBody(f"transcript {r['request']} ({r['fetched']})", r["body"]) for r in data["records"]]


def default_listing_records() -> list[RealBody]:
    """Two records of a real `GET /api/models` page with the default fields (no expand), 2025-11."""
    data = json.loads((FIXTURES / "burncloud_list_default_fields.json").read_text())
    return [RealBody(f"burncloud {data['source']['path']} @ {data['source']['commit']}", r) for r in data["body"]]


def real_bodies() -> list[RealBody]:
    """The population's bodies: every model's latest full detail body (hf-hub's newest version)."""
    return [*cassette_bodies(), hf_hub_versions()[-1], *transcript_bodies()]


def real_population() -> Population:
    population = Population(seed=0)
    for real in real_bodies():
        population.put(real.body)
    return population
