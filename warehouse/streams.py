"""The stream contract: one declaration per kind of Hub repository, carried through every step.

A crawl, its staging, the merge, the history and the run log are written once, over any stream; what
differs between models, datasets and Spaces is declared here (what the Hub is asked for, where rows
go, which columns are counters and which are tracked for history) and in the stream's own SQL files:
`typed_<name>.sql` (records -> typed rows), `typed_rows_<name>.sql` (their table) and
`latest_<name>.sql` (what the current-state table derives from each row). A new kind of repository
is a declaration and those three files (and `links_<name>.sql` when its repositories declare links).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stream:
    name: str  # the Hub's route (/api/<name>) and crawl_runs.repo_type: 'models', 'datasets', 'spaces'
    table: str  # current state: one row per repository ever seen, keyed by object_id (the Hub's _id)
    # The table `table` is kept in, which writers write: `table` is a view over it that adds card_data,
    # computed from raw as it is read, so that cardData is stored once (migration 018).
    stored: str
    key: str  # the compact INTEGER key of `table` that history tables use
    fields: tuple[str, ...]  # expand of full-record listings (full, incremental), in the Hub's names
    counter_fields: tuple[str, ...]  # expand of the daily counters listing
    info_only_fields: tuple[str, ...]  # fields a Hub may refuse in listings: dropped then, with a warning
    counters: tuple[str, ...]  # typed columns the counters listing refreshes, kept day by day
    tracked: tuple[str, ...]  # typed columns kept in the versions table (a new version on change)
    hashed: tuple[str, ...]  # the tracked columns whose change opens a version (version_hash)
    derived_from_id: tuple[str, ...]  # columns `table` computes from the id: recomputed on a rename
    counters_table: str  # the dense day-by-day view (one row per repository and day a crawl observed it)
    changes_table: str  # what it is stored as: a row per repository and day its counters changed
    last_counters_table: str  # each repository's latest observed day and counters: what the next is compared with
    versions_table: str
    renames_table: str
    rollups: bool = False  # daily_totals and latest_counters (downloads gained per day) follow it
    # Its stored changes keep each row's downloads_gained (since the row before): the all-time
    # downloads a model had before a change, without reading back through its history.
    gained: bool = False
    link_from: str | None = None  # repo_links.from_type of the links its rows declare (links_<name>.sql)

    @property
    def route(self) -> str:
        return f"/api/{self.name}"

    def names(self) -> dict[str, str]:
        """What the stream's generic SQL is written with: identifiers ({table}, {key}, ...) and column
        lists ({counter_columns}, {counter_set}: `downloads = s.downloads, ...`)."""
        return {
            "repo_type": self.name,
            "table": self.stored,
            "key": self.key,
            "counters_table": self.counters_table,
            "changes_table": self.changes_table,
            "last_counters_table": self.last_counters_table,
            "counter_columns": ", ".join(self.counters),
            "counters_o": _qualified("o", self.counters),
            "counters_s": _qualified("s", self.counters),
            "versions_table": self.versions_table,
            "renames_table": self.renames_table,
            "link_from": self.link_from or "",
            "counter_set": _assignments(self.counters),
            "counters_m": _qualified("m", self.counters),
            "target_counters": _qualified(self.stored, self.counters),
            "source_counters": _qualified("s", self.counters),
            "tracked_m": _qualified("m", self.tracked),
            "hashed_m": _qualified("m", self.hashed),
            "renamed_set": _assignments(("id", "author", *self.derived_from_id)),
            **self._gained_names(),
        }

    def _gained_names(self) -> dict[str, str]:
        """What write_observed_counters.sql keeps of downloads_gained: the previous all-time downloads
        of each observation, of each replaced row, and the gain written."""
        if not self.gained:
            return {"previous_total": "NULL::BIGINT", "replaced_previous_total": "", "gained_value": ""}
        return {
            "previous_total": "s.downloads_all_time",
            "replaced_previous_total": ", c.downloads_all_time - c.downloads_gained AS previous_total",
            "gained_value": ", o.downloads_all_time - CASE WHEN r.day IS NULL THEN o.previous_total "
            "ELSE r.previous_total END AS downloads_gained",
        }


def _qualified(alias: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{column}" for column in columns)


def _assignments(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{column} = s.{column}" for column in columns)


# Counters move without lastModified moving; the counters listing also carries what lets it see
# deletions (every id), renames (every _id with its id and owner), the order it is listed in
# (createdAt, its sort key), and private repositories (to skip them).
_COUNTER_LISTING = ("author", "createdAt", "lastModified", "private")

MODELS = Stream(
    name="models",
    table="models",
    stored="models_stored",
    key="model_key",
    # Every property an analyst needs (README, "Warehouse schema"); `private` so that a token owner's
    # private models, which the Hub lists to them, can be recognised and left out.
    fields=(
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
    ),  # fmt: skip
    counter_fields=(
        "author",
        "createdAt",
        "downloads",
        "downloadsAllTime",
        "likes",
        "trendingScore",
        "lastModified",
        "private",
    ),  # fmt: skip
    # huggingface_hub 2.4.0 documents these three for model_info only (its PR #3182: the Hub's listing
    # route does not allow them); if refused, base models come from the base_model:<relation>: tags.
    info_only_fields=("baseModels", "childrenModelCount", "usedStorage"),
    counters=("downloads", "downloads_all_time", "likes", "trending_score"),
    tracked=(
        "sha",
        "license",
        "license_name",
        "library_name",
        "pipeline_tag",
        "gated",
        "disabled",
        "parameters",
        "parameters_source",
        "base_models",
        "base_relation",
        "tags",
    ),  # fmt: skip
    hashed=(
        "sha",
        "license",
        "license_name",
        "library_name",
        "pipeline_tag",
        "gated",
        "disabled",
        "parameters",
        "base_models",
        "base_relation",
        "tags",
    ),  # fmt: skip
    derived_from_id=("name_parameters",),
    counters_table="daily_counters",
    changes_table="model_counter_changes",
    last_counters_table="model_last_counters",
    versions_table="model_versions",
    renames_table="model_renames",
    rollups=True,
    gained=True,
    link_from="model",
)

DATASETS = Stream(
    name="datasets",
    table="datasets",
    stored="datasets_stored",
    key="dataset_key",
    # huggingface_hub 2.4's dataset expand properties that analysts need (issue 18)
    fields=(
        "author",
        "cardData",
        "citation",
        "createdAt",
        "description",
        "disabled",
        "downloads",
        "downloadsAllTime",
        "gated",
        "lastModified",
        "likes",
        "paperswithcode_id",
        "private",
        "sha",
        "tags",
        "trendingScore",
        "usedStorage",
    ),  # fmt: skip
    counter_fields=(*_COUNTER_LISTING, "downloads", "downloadsAllTime", "likes", "trendingScore"),
    info_only_fields=("usedStorage",),
    counters=("downloads", "downloads_all_time", "likes", "trending_score"),
    tracked=("sha", "license", "license_name", "gated", "disabled", "tags"),
    hashed=("sha", "license", "license_name", "gated", "disabled", "tags"),
    derived_from_id=(),
    counters_table="dataset_daily_counters",
    changes_table="dataset_counter_changes",
    last_counters_table="dataset_last_counters",
    versions_table="dataset_versions",
    renames_table="dataset_renames",
    gained=True,
)

SPACES = Stream(
    name="spaces",
    table="spaces",
    stored="spaces_stored",
    key="space_key",
    # Spaces have no downloads
    fields=(
        "author",
        "cardData",
        "createdAt",
        "datasets",
        "disabled",
        "lastModified",
        "likes",
        "models",
        "private",
        "runtime",
        "sdk",
        "sha",
        "subdomain",
        "tags",
        "trendingScore",
        "usedStorage",
    ),  # fmt: skip
    counter_fields=(*_COUNTER_LISTING, "likes", "trendingScore"),
    info_only_fields=("usedStorage",),
    counters=("likes", "trending_score"),
    tracked=("sha", "license", "sdk", "hardware", "models", "datasets", "tags"),
    hashed=("sha", "license", "sdk", "hardware", "models", "datasets", "tags"),
    derived_from_id=(),
    counters_table="space_daily_counters",
    changes_table="space_counter_changes",
    last_counters_table="space_last_counters",
    versions_table="space_versions",
    renames_table="space_renames",
    link_from="space",
)

STREAMS = {stream.name: stream for stream in (MODELS, DATASETS, SPACES)}
# Each stored table (Stream.stored) -> the view analysts read it through (Stream.table).
VIEW_OF_STORED = {stream.stored: stream.table for stream in STREAMS.values()}
REPO_TYPES = tuple(STREAMS)
