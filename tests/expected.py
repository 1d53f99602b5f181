"""What a Hub record should become in the warehouse, derived independently of the crawler's SQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from crawler.listing import EXPAND_FIELDS

COLUMNS = (
    "id", "object_id", "author", "created_at", "last_modified", "sha", "gated", "disabled", "downloads",
    "downloads_all_time", "likes", "trending_score", "library_name", "pipeline_tag", "tags", "license",
    "license_name", "parameters", "parameters_source", "base_models", "base_relation", "children_model_count",
    "used_storage", "card_base_models",
)  # fmt: skip


def _timestamp(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def _license(record: dict) -> str | None:
    card = record.get("cardData") or {}
    value = card.get("license")
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return json.dumps(value, separators=(",", ":"))
    return next((tag[len("license:") :] for tag in record.get("tags", []) if tag.startswith("license:")), None)


def _parameters(record: dict) -> tuple[int | None, str | None]:
    for source in ("safetensors", "gguf"):
        total = (record.get(source) or {}).get("total")
        if isinstance(total, int):
            return total, source
    return None, None


def _card_base_models(record: dict) -> list[str] | None:
    value = (record.get("cardData") or {}).get("base_model")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item if isinstance(item, str) else json.dumps(item) for item in value]
    return None


RELATIONS = ("adapter", "finetune", "merge", "quantized")


def _lineage(record: dict) -> tuple[list[str] | None, str | None]:
    """baseModels' ids and relation; without baseModels, the base_model:<relation>:<id> tags (in tag order)."""
    base = record.get("baseModels")
    if base:
        return [model["id"] for model in base["models"]], base["relation"]
    declared = []
    for tag in record.get("tags") or []:
        relation, _, model_id = tag.removeprefix("base_model:").partition(":")
        if tag.startswith("base_model:") and relation in RELATIONS and model_id:
            declared.append((relation, model_id))
    return ([model_id for _, model_id in declared], declared[0][0]) if declared else (None, None)


def _children_model_count(record: dict) -> int | None:
    """A number as it is; per-relation counts summed (the typing contract); anything else NULL."""
    value = record.get("childrenModelCount")
    if isinstance(value, dict):
        return sum(count for count in value.values() if isinstance(count, int | float) and not isinstance(count, bool))
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def expected_row(record: dict) -> tuple:
    """The typed columns (in COLUMNS order) of a well-formed record."""
    base_models, base_relation = _lineage(record)
    parameters, source = _parameters(record)
    gated = record.get("gated")
    return (
        record["id"],
        record["_id"],
        record.get("author"),
        _timestamp(record.get("createdAt")),
        _timestamp(record.get("lastModified")),
        record.get("sha"),
        None if gated is None else json.dumps(gated) if isinstance(gated, bool) else gated,
        record.get("disabled"),
        record.get("downloads"),
        record.get("downloadsAllTime"),
        record.get("likes"),
        None if record.get("trendingScore") is None else float(record["trendingScore"]),
        record.get("library_name"),
        record.get("pipeline_tag"),
        record.get("tags"),
        _license(record),
        (record.get("cardData") or {}).get("license_name"),
        parameters,
        source,
        base_models,
        base_relation,
        _children_model_count(record),
        record.get("usedStorage"),
        _card_base_models(record),
    )


def listed(population, record: dict) -> dict:
    """The record as the crawler's listing request returns it."""
    return population.project(record, list(EXPAND_FIELDS))
