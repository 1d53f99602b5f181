"""What each kind of crawl asks the Hub for, and in which order."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

# Every property an analyst needs (see README, "Warehouse schema"). `private` is asked for so that a
# token owner's private models, which the Hub lists to them, can be recognised and left out.
EXPAND_FIELDS = (
    "author",
    "createdAt",
    "lastModified",
    "sha",
    "gated",
    "disabled",
    "private",
    "downloads",
    "downloadsAllTime",
    "likes",
    "trendingScore",
    "library_name",
    "pipeline_tag",
    "tags",
    "cardData",
    "safetensors",
    "gguf",
    "baseModels",
    "childrenModelCount",
    "usedStorage",
)

# huggingface_hub 2.4.0 documents these three for model_info only, not for list_models (its PR #3182:
# the Hub's listing route does not allow them). They are asked for; if the Hub refuses the listing
# for them, the crawl drops them (base models then come from the base_model:<relation>: tags).
INFO_ONLY_FIELDS = ("baseModels", "childrenModelCount", "usedStorage")

# The daily counters refresh: what changes without lastModified moving, plus what lets it see
# deletions (every id), renames (every _id with its id and owner), the order it is listed in
# (createdAt, its sort key) and skip private models.
COUNTER_FIELDS = (
    "author", "createdAt", "downloads", "downloadsAllTime", "likes", "trendingScore", "lastModified", "private"
)  # fmt: skip

# kind -> (sort, direction, expand). Creation order never moves a model while the Hub is edited, so
# complete listings stay stable in either direction; lastModified newest-first finds what changed.
# The Hub may honour `direction`, ignore it (newest first) or refuse it (400): listing_paths() says
# what to try, and the order each listing came in is read from its pages (listing_order).
LISTINGS = {
    "full": ("createdAt", "1", EXPAND_FIELDS),
    "counters": ("createdAt", "1", COUNTER_FIELDS),
    "incremental": ("lastModified", "-1", EXPAND_FIELDS),
}


def listing_path(kind: str, page_size: int, info_only_fields: bool = True, direction: bool = True) -> str:
    sort, order, expand = LISTINGS[kind]
    params = [("sort", sort), *([("direction", order)] if direction else []), ("limit", str(page_size))]
    params += [("expand", field) for field in expand if info_only_fields or field not in INFO_ONLY_FIELDS]
    return "/api/models?" + urlencode(params)


def listing_paths(kind: str, page_size: int) -> list[str]:
    """The first pages to try, best first: a Hub that refuses one (400) is asked the next. Without
    `direction` the Hub lists in its own order (newest first on huggingface.co since 2026); without
    the info-only fields, base models come from the tags."""
    variants = [(True, True), (True, False)]
    if any(field in LISTINGS[kind][2] for field in INFO_ONLY_FIELDS):
        variants += [(False, True), (False, False)]
    return list(dict.fromkeys(listing_path(kind, page_size, fields, direction) for fields, direction in variants))


def next_listing_path(paths: list[str], refused: str, refusal: str) -> str | None:
    """What to list after the Hub refused `refused` (one of `paths`) saying `refusal`: the next path
    without what the refusal names (`direction`, an info-only field), else simply the next one."""
    later = paths[paths.index(refused) + 1 :] if refused in paths else []
    no_direction = "direction" in refusal
    no_info_fields = any(field in refusal for field in INFO_ONLY_FIELDS)
    fitting = [
        path
        for path in later
        if not (no_direction and "direction=" in path) and not (no_info_fields and asks_info_only_fields(path))
    ]
    return (fitting or later or [None])[0]


def dropped_from(path: str, fallback: str) -> str:
    """What `fallback` leaves out of `path`, in words: 'without direction, baseModels'."""
    kept = parse_qs(urlsplit(fallback).query)
    dropped = [
        value if name == "expand" else name
        for name, values in parse_qs(urlsplit(path).query).items()
        for value in values
        if value not in kept.get(name, [])
    ]
    return "without " + ", ".join(dropped)


def asks_info_only_fields(path: str) -> bool:
    return any(f"expand={field}" in path for field in INFO_ONLY_FIELDS)


def sort_key(path: str) -> str:
    """The field a listing's path sorts by."""
    return parse_qs(urlsplit(path).query).get("sort", [""])[0]


def listing_order(page_file: Path, key: str) -> str | None:
    """'ascending' or 'descending': the order a page's records come in by `key` (a timestamp field),
    read from the answer rather than assumed; None when the page cannot tell (one value only, or not
    a JSON array). Ties are broken by `_id` in an order of the Hub's own, so only the key is compared."""
    try:
        records = json.loads(page_file.read_bytes())
    except (ValueError, OSError):
        return None
    if not isinstance(records, list):
        return None
    values = [moment for record in records if (moment := _moment(record, key)) is not None]
    later = next((value for value in values if value != values[0]), None)
    if later is None:
        return None
    return "ascending" if later > values[0] else "descending"


def _moment(record, key: str) -> datetime | None:
    value = record.get(key) if isinstance(record, dict) else None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def relative_to(endpoint: str, url: str) -> str:
    """A Link URL without its endpoint, so a saved cursor survives a change of endpoint address."""
    if url.startswith(endpoint + "/"):
        return url[len(endpoint) :]
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
