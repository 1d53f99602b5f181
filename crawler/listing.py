"""What each kind of crawl asks the Hub for, and in which order."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

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
# deletions (every id) and skip private models.
COUNTER_FIELDS = ("downloads", "downloadsAllTime", "likes", "trendingScore", "lastModified", "private")

# kind -> (sort, direction, expand). Creation order, oldest first, never moves a model while the
# Hub is edited, so complete listings stay stable; lastModified newest-first finds what changed.
LISTINGS = {
    "full": ("createdAt", "1", EXPAND_FIELDS),
    "counters": ("createdAt", "1", COUNTER_FIELDS),
    "incremental": ("lastModified", "-1", EXPAND_FIELDS),
}


def listing_path(kind: str, page_size: int, info_only_fields: bool = True) -> str:
    sort, direction, expand = LISTINGS[kind]
    params = [("sort", sort), ("direction", direction), ("limit", str(page_size))]
    params += [("expand", field) for field in expand if info_only_fields or field not in INFO_ONLY_FIELDS]
    return "/api/models?" + urlencode(params)


def asks_info_only_fields(path: str) -> bool:
    return any(f"expand={field}" in path for field in INFO_ONLY_FIELDS)


def relative_to(endpoint: str, url: str) -> str:
    """A Link URL without its endpoint, so a saved cursor survives a change of endpoint address."""
    if url.startswith(endpoint + "/"):
        return url[len(endpoint) :]
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
