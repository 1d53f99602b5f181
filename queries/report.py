"""`registry report`: one self-contained HTML page (charts drawn by Altair, inlined as SVG: nothing to fetch)."""

from __future__ import annotations

from datetime import datetime
from html import escape

import polars as pl

from . import charts
from .charts import figure

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; }
h1 { margin-bottom: 0; } .sub { color: #666; margin-top: .2rem; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; } .card { background: #f3f5f9; padding: .7rem 1rem;
border-radius: 6px; min-width: 9rem; } .card b { display: block; font-size: 1.4rem; }
figure { margin: 1.5rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
table { border-collapse: collapse; font-size: 12px; margin: .5rem 0 1.5rem; }
td, th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
"""

# After layout, each chart records the size it was drawn at and how many of Vega's marks have a real size:
# a browser-based test reads these to know the charts rendered, not just that the markup exists.
MEASURE = """
document.querySelectorAll('figure.chart > svg').forEach(function (svg) {
  var box = svg.getBoundingClientRect();
  var marks = svg.querySelectorAll('.role-mark > path, .role-mark > line');
  var drawn = Array.prototype.filter.call(marks, function (mark) {
    var b = mark.getBBox(); return b.width > 0 || b.height > 0; }).length;
  svg.parentNode.setAttribute('data-rendered', Math.round(box.width) + 'x' + Math.round(box.height));
  svg.parentNode.setAttribute('data-marks-drawn', drawn);
});
"""


def _table(df: pl.DataFrame, limit: int = 15) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in df.head(limit).iter_rows()
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _cards(s: dict[str, pl.DataFrame]) -> str:
    t, c = s["totals"].row(0, named=True), s["download_concentration"].row(0, named=True)
    tail, unlicensed = s["long_tail"].row(0, named=True), s["unlicensed_share"].row(0, named=True)
    figures = [
        ("models", f"{t['models']:,}"),
        ("authors", f"{t['authors']:,}"),
        ("downloads (30 d)", f"{t['downloads_30d'] or 0:,}"),
        ("deleted since first crawl", f"{t['deleted_models']:,}"),
        ("top 1 % share of downloads", f"{c['top_1pct_share']} %"),
        ("Gini of downloads", f"{c['gini']}"),
        ("models under 200 all-time downloads", f"{tail['under_200_pct']} %"),
        ("of models hold 99 % of downloads", f"{tail['models_holding_99pct_share']} %"),
        ("models with no licence", f"{unlicensed['unlicensed_pct']} %"),
    ]
    return '<div class="cards">' + "".join(f'<div class="card"><b>{v}</b>{k}</div>' for k, v in figures) + "</div>"


def _legacy_short(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.col("cohort").str.replace(r"before 2022-03 \(legacy\)", "legacy"))


def _charts(s: dict[str, pl.DataFrame]) -> list[str]:
    """A chart for each section where a person would rather look than read."""
    sizes = [c for c in s["size_over_time"].columns if c not in ("cohort", "models", "sized", "median_parameters")]
    figures = [
        figure("growth", "Models created per month (first: the legacy cohort, created before March 2022) and "
               "cumulative", charts.growth(_legacy_short(s["growth_by_month"]))),
        figure("size-mix", "Size mix of the models created each month (% per size bucket)",
               charts.size_mix(_legacy_short(s["size_over_time"]), sizes)),
        figure("median-size", "Median parameter count of the models created each month (those sized)",
               charts.columns(_legacy_short(s["size_over_time"]).drop_nulls("median_parameters"), "cohort",
                              "median_parameters", "median parameters")),
        figure("license-families", "License families: share of models and of all-time downloads",
               charts.share_pairs(s["license_families_by_use"], "license_family",
                                  {"models_pct": "models", "downloads_all_time_pct": "downloads"})),
        figure("downloads-by-size", "Share of models and of all-time downloads by model size",
               charts.share_pairs(s["downloads_by_size"].with_columns(
                   (100 * pl.col("models") / pl.col("models").sum()).round(2).alias("models_pct")),
                   "size_bucket", {"models_pct": "models", "share_all_time_pct": "downloads"})),
        figure("lorenz", "Concentration: the Lorenz curve of all-time downloads", charts.lorenz(s["download_lorenz"])),
        figure("licenses", "Licenses (as the Hub gives them)",
               charts.ranking(s["by_license"], "license", "models", "models")),
        figure("sizes", "Model size (parameters: safetensors, gguf, else the name)",
               charts.ranking(s["size_buckets"], "size_bucket", "models", "models")),
        figure("libraries", "Libraries", charts.ranking(s["by_library"], "library", "models", "models")),
        figure("tasks", "Tasks (pipeline tag)",
               charts.ranking(s["by_pipeline_tag"], "pipeline_tag", "models", "models")),
        figure("base-models", "Base models with the most derivatives (all generations)",
               charts.ranking(s["top_base_models"], "base_model", "all_derivatives", "derivatives")),
        figure("quantization", "Organisations by derivatives of their models (all generations)",
               charts.ranking(s["family_quantization"], "organisation", "derivatives", "derivatives")),
        figure("lineage-depth", "Depth of family trees (models by generations above them)",
               charts.columns(s["lineage_depth"], "depth", "models", "models")),
        figure("authors", "Top authors by downloads (30 days)",
               charts.ranking(s["top_authors"], "author", "downloads_30d", "downloads (30 days)")),
    ]  # fmt: skip
    gains = s["daily_download_gains"]
    if gains.height:
        # Gap-aware: a gain over missed crawl days is spread over them, never drawn as a one-day spike.
        per_day = charts.columns(gains, "day", "gained_per_day", "downloads a day")
        title = "Downloads gained per day (from history; over missed crawl days, their average)"
        figures.append(figure("daily-gains", title, per_day))
    return figures


# The panels over datasets, Spaces and the links between repositories: a table each, with its title.
ECOSYSTEM_PANELS = {
    "dataset_growth_by_month": "Datasets created per month (first row: the legacy cohort, created before March 2022)",
    "datasets_by_task_and_modality": "Datasets by task category and by modality",
    "dataset_license_families": "Dataset license families",
    "top_training_datasets": "The datasets behind the most models (declared training data)",
    "training_data_conflicts": "Models for commercial use declaring non-commercial training data",
    "training_data_conflict_examples": "Training-data licence conflicts: the most downloaded models",
    "spaces_by_sdk_stage_hardware": "Spaces by SDK, runtime stage and hardware",
    "top_space_models": "The models used by the most Spaces",
    "models_in_spaces": "Models used by at least one Space",
    "top_owners": "Authors by models, datasets and Spaces",
}


def _ecosystem(sections: dict[str, pl.DataFrame]) -> str:
    panels = "".join(
        f'<figure class="panel" id="{name}"><figcaption>{escape(title)}</figcaption>'
        f"{_table(sections[name], limit=100) if sections[name].height else '<p>none yet</p>'}</figure>"
        for name, title in ECOSYSTEM_PANELS.items()
        if name in sections
    )
    return f"<h2>Datasets, Spaces and the links between them</h2>{panels}"


def render_report(sections: dict[str, pl.DataFrame], as_of: datetime | None = None) -> str:
    """The page for every section of `registry stats` (SECTIONS), computed now or kept."""
    when = f"as of {as_of:%Y-%m-%d %H:%M} UTC" if as_of else "current state"
    tables = "".join(
        f"<h3>{escape(name.replace('_', ' '))}</h3>{_table(df)}"
        for name, df in sections.items()
        if name not in ("totals", *ECOSYSTEM_PANELS) and df.height
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Open-model registry report</title>'
        f"<style>{STYLE}</style></head><body><h1>The open-model ecosystem</h1>"
        f'<p class="sub">{when}; last crawl {sections["totals"]["last_crawl_finished"][0]}</p>'
        f"{_cards(sections)}"
        f"{''.join(_charts(sections))}{_ecosystem(sections)}<h2>Tables</h2>{tables}<script>{MEASURE}</script></body></html>"
    )
