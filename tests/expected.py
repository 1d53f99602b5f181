"""What a Hub record should become in the warehouse, derived independently of the crawler's SQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from warehouse.streams import MODELS

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
    """A number as given; per-relation counts ({"adapter": 2, "finetune": 5}) summed."""
    value = record.get("childrenModelCount")
    return sum(value.values()) if isinstance(value, dict) else value


def expected_row(record: dict) -> tuple:
    """The typed columns (in COLUMNS order) of a well-formed record."""
    base_models, base_relation = _lineage(record)
    parameters, source = _parameters(record)
    return (
        record["id"],
        record["_id"],
        record.get("author"),
        _timestamp(record.get("createdAt")),
        _timestamp(record.get("lastModified")),
        record.get("sha"),
        _gated_text(record.get("gated")),
        record.get("disabled"),
        record.get("downloads"),
        record.get("downloadsAllTime"),
        record.get("likes"),
        _float(record.get("trendingScore")),
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
    return population.project(record, list(MODELS.fields))


# -- datasets and Spaces (issue 18) --------------------------------------------------------------------

DATASET_COLUMNS = (
    "id", "object_id", "author", "created_at", "last_modified", "sha", "gated", "disabled", "downloads",
    "downloads_all_time", "likes", "trending_score", "tags", "license", "license_name", "task_categories",
    "modalities", "formats", "size_category", "languages", "used_storage",
)  # fmt: skip
SPACE_COLUMNS = (
    "id", "object_id", "author", "created_at", "last_modified", "sha", "sdk", "runtime_stage", "hardware", "likes",
    "trending_score", "tags", "license", "models", "datasets", "used_storage",
)  # fmt: skip
# Each malformation the stand-in makes, and a flag the warehouse must raise for it (it may raise more).
MALFORMATION_FLAGS = {
    "downloads_string": "bad_type:downloads", "likes_null": "missing:likes", "tags_string": "bad_type:tags",
    "created_not_a_date": "bad_type:createdAt", "gated_number": "bad_type:gated", "no_author": "missing:author",
    "no_created_at": "missing:createdAt", "no_sha": "missing:sha", "models_not_list": "bad_type:models",
    "datasets_not_list": "bad_type:datasets", "runtime_not_object": "bad_type:runtime",
}  # fmt: skip


def _tag_values(record: dict, prefix: str) -> list[str]:
    """The values of the record's `prefix...` tags, in tag order."""
    return [tag[len(prefix) :] for tag in record.get("tags") or [] if tag.startswith(prefix)]


def _gated_text(value) -> str | None:
    return None if value is None else json.dumps(value) if isinstance(value, bool) else value


def _float(value) -> float | None:
    return None if value is None else float(value)


def expected_dataset_row(record: dict) -> tuple:
    """The typed columns (in DATASET_COLUMNS order) of a well-formed dataset record."""
    license_name = (record.get("cardData") or {}).get("license_name")
    sizes = _tag_values(record, "size_categories:")
    return (
        record["id"],
        record["_id"],
        record.get("author"),
        _timestamp(record.get("createdAt")),
        _timestamp(record.get("lastModified")),
        record.get("sha"),
        _gated_text(record.get("gated")),
        record.get("disabled"),
        record.get("downloads"),
        record.get("downloadsAllTime"),
        record.get("likes"),
        _float(record.get("trendingScore")),
        record.get("tags"),
        _license(record),
        license_name if isinstance(license_name, str) else None,
        _tag_values(record, "task_categories:"),
        _tag_values(record, "modality:"),
        _tag_values(record, "format:"),
        sizes[0] if sizes else None,
        _tag_values(record, "language:"),
        record.get("usedStorage"),
    )


def expected_space_row(record: dict) -> tuple:
    """The typed columns (in SPACE_COLUMNS order) of a well-formed Space record."""
    runtime = record.get("runtime") or {}
    hardware = runtime.get("hardware") or {}
    return (
        record["id"],
        record["_id"],
        record.get("author"),
        _timestamp(record.get("createdAt")),
        _timestamp(record.get("lastModified")),
        record.get("sha"),
        record.get("sdk"),
        runtime.get("stage"),
        hardware.get("current") if hardware.get("current") is not None else hardware.get("requested"),
        record.get("likes"),
        _float(record.get("trendingScore")),
        record.get("tags"),
        _license(record),
        record.get("models"),
        record.get("datasets"),
        record.get("usedStorage"),
    )


def _listed_records(population) -> list[dict]:
    """Public records with an id: every one the warehouse keeps (malformed ones too, flagged)."""
    return [r for r in population.public_records() if isinstance(r.get("id"), str)]


def _list_of(value) -> list:
    """A declared list as the warehouse reads it: a list of ids, or nothing (a value of another type is
    flagged, not read)."""
    return value if isinstance(value, list) else []


def _mirrored_ids(population) -> set[str]:
    """Lower-cased ids of the population's public repositories (the mirror holds malformed ones too)."""
    return {r["id"].lower() for r in population.public_records() if isinstance(r.get("id"), str)}


def _declared_links(model_records: list[dict], space_records: list[dict]) -> list[tuple]:
    """(from_type, from_id, to_type, to_id, source) for each declaration, duplicates included."""
    links = []
    for record in model_records:
        card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
        card_datasets = card.get("datasets")
        for dataset_id in [card_datasets] if isinstance(card_datasets, str) else _list_of(card_datasets):
            links.append(("model", record["id"], "dataset", dataset_id, "cardData"))
        tags = _list_of(record.get("tags"))
        links += [("model", record["id"], "dataset", tag[len("dataset:") :], "tags") for tag in tags
                  if tag.startswith("dataset:")]  # fmt: skip
    for record in space_records:
        links += [("space", record["id"], "model", m, "space.models") for m in _list_of(record.get("models"))]
        links += [("space", record["id"], "dataset", d, "space.datasets") for d in _list_of(record.get("datasets"))]
    return links


def expected_links(models, datasets, spaces) -> set[tuple]:
    """repo_links as (from_type, from_id, to_type, to_id, source, in_mirror), one row per distinct link
    declared by a public, well-formed model or Space; in_mirror: a public repository of the target's type
    has that id, compared case-insensitively. (model -> model lineage links are left out.)"""
    mirrored = {"model": _mirrored_ids(models), "dataset": _mirrored_ids(datasets)}
    declared = set(_declared_links(_listed_records(models), _listed_records(spaces)))
    return {(*link, link[3].lower() in mirrored[link[2]]) for link in declared}
