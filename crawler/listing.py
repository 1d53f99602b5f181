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


def listing_path(kind: str, page_size: int) -> str:
    sort, direction, expand = LISTINGS[kind]
    params = [("sort", sort), ("direction", direction), ("limit", str(page_size))]
    params += [("expand", field) for field in expand]
    return "/api/models?" + urlencode(params)


def relative_to(endpoint: str, url: str) -> str:
    """A Link URL without its endpoint, so a saved cursor survives a change of endpoint address."""
    if url.startswith(endpoint + "/"):
        return url[len(endpoint) :]
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
