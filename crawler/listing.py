"""What a full listing asks the Hub for, and in which order."""

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


def full_listing_path(page_size: int) -> str:
    """Creation order, oldest first: edits never move a model in it, so paging stays stable."""
    params = [("sort", "createdAt"), ("direction", "1"), ("limit", str(page_size))]
    params += [("expand", field) for field in EXPAND_FIELDS]
    return "/api/models?" + urlencode(params)


def relative_to(endpoint: str, url: str) -> str:
    """A Link URL without its endpoint, so a saved cursor survives a change of endpoint address."""
    if url.startswith(endpoint + "/"):
        return url[len(endpoint) :]
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
