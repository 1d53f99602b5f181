"""The names of `registry stats` sections, in report order: importable without Polars, so that the
CLI can list them without `registry crawl` paying ~30 MB of memory for a library it never uses."""

# Rows per ranked section, by default: what `registry stats` asks for and what a crawl, the nightly
# job and a publish keep ready (a kept report is served only to a request with its `top`).
DEFAULT_TOP = 20

# Report order. Sections marked history read the day-by-day tables (empty until crawls accumulate).
SECTIONS = (
    "totals",
    "by_library",
    "by_pipeline_tag",
    "by_license",
    "license_families",
    "license_families_by_use",
    "unlicensed_share",
    "unknown_licenses",
    "size_buckets",
    "size_over_time",
    "downloads_by_size",
    "growth_by_month",
    "growth_by_library",
    "growth_by_pipeline_tag",
    "growth_by_license_family",
    "top_base_models",
    "lineage_depth",
    "license_inheritance",
    "license_conflicts",
    "family_quantization",
    "download_concentration",
    "long_tail",
    "download_lorenz",
    "top_authors",
    # datasets, Spaces and the links between repositories
    "dataset_growth_by_month",
    "datasets_by_task_and_modality",
    "dataset_license_families",
    "top_training_datasets",
    "training_data_conflicts",
    "training_data_conflict_examples",
    "spaces_by_sdk_stage_hardware",
    "top_space_models",
    "models_in_spaces",
    "top_owners",
    "daily_download_gains",  # history
    "fastest_risers",  # history
    "license_changes",  # history
)
