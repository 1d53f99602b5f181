"""`registry report`: one self-contained HTML page (inline SVG charts, no scripts from anywhere)."""

from __future__ import annotations

from datetime import datetime
from html import escape

import polars as pl

from .charts import column_chart, hbar_chart

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; }
h1 { margin-bottom: 0; } .sub { color: #666; margin-top: .2rem; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; } .card { background: #f3f5f9; padding: .7rem 1rem;
border-radius: 6px; min-width: 9rem; } .card b { display: block; font-size: 1.4rem; }
figure { margin: 1.5rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
table { border-collapse: collapse; font-size: 12px; margin: .5rem 0 1.5rem; }
td, th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
"""

# After layout, each chart records the size it was drawn at and how many bars have a real size:
# a browser-based test reads these to know the charts rendered, not just that the markup exists.
MEASURE = """
document.querySelectorAll('figure.chart svg').forEach(function (svg) {
  var box = svg.getBoundingClientRect();
  var drawn = Array.prototype.filter.call(svg.querySelectorAll('.bar'), function (bar) {
    return bar.getBBox().width > 0 && bar.getBBox().height > 0; }).length;
  svg.parentNode.setAttribute('data-rendered', Math.round(box.width) + 'x' + Math.round(box.height));
  svg.parentNode.setAttribute('data-bars-drawn', drawn);
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


def _charts(s: dict[str, pl.DataFrame]) -> list[str]:
    growth = s["growth_by_month"]
    legacy = {i for i, cohort in enumerate(growth["cohort"]) if cohort.startswith("before")}
    charts = [
        column_chart("growth", "Models created per month (first bar: the legacy cohort, created before March 2022)"
                     " and cumulative", [c.replace("before 2022-03 (legacy)", "legacy") for c in growth["cohort"]],
                     growth["created"].to_list(), line=growth["cumulative"].to_list(), highlight=legacy),
        hbar_chart("license-families", "License families (taxonomy: warehouse/license_map.csv)",
                   s["license_families"]["license_family"].to_list(), s["license_families"]["models"].to_list()),
        hbar_chart("licenses", "Licenses (as the Hub gives them)", s["by_license"]["license"].to_list(),
                   s["by_license"]["models"].to_list()),
        hbar_chart("sizes", "Model size (parameters: safetensors, gguf, else the name)",
                   s["size_buckets"]["size_bucket"].to_list(), s["size_buckets"]["models"].to_list()),
        hbar_chart("libraries", "Libraries", s["by_library"]["library"].to_list(), s["by_library"]["models"].to_list()),
        hbar_chart("tasks", "Tasks (pipeline tag)", s["by_pipeline_tag"]["pipeline_tag"].to_list(),
                   s["by_pipeline_tag"]["models"].to_list()),
        hbar_chart("base-models", "Base models with the most derivatives (all generations)",
                   s["top_base_models"]["base_model"].to_list(), s["top_base_models"]["all_derivatives"].to_list()),
        column_chart("lineage-depth", "Depth of family trees (models by generations above them)",
                     [str(d) for d in s["lineage_depth"]["depth"]], s["lineage_depth"]["models"].to_list()),
        hbar_chart("authors", "Top authors by downloads (30 days)", s["top_authors"]["author"].to_list(),
                   s["top_authors"]["downloads_30d"].to_list()),
        hbar_chart("license-families-by-use", "License families by all-time downloads (not by model count)",
                   s["license_families_by_use"]["license_family"].to_list(),
                   s["license_families_by_use"]["downloads_all_time"].to_list()),
        hbar_chart("downloads-by-size", "All-time downloads by model size",
                   s["downloads_by_size"]["size_bucket"].to_list(),
                   s["downloads_by_size"]["downloads_all_time"].to_list()),
        column_chart("median-size", "Median parameter count of the models created each month (sized models)",
                     [c.replace("before 2022-03 (legacy)", "legacy") for c in s["size_over_time"]["cohort"]],
                     s["size_over_time"]["median_parameters"].fill_null(0).to_list()),
    ]  # fmt: skip
    gains = s["daily_download_gains"]
    if gains.height:
        # Gap-aware: a gain over missed crawl days is spread over them, never drawn as a one-day spike.
        charts.append(column_chart("daily-gains", "Downloads gained per day (from history; over missed crawl days, "
                                   "their average)", [str(d) for d in gains["day"]],
                                   gains["gained_per_day"].to_list()))  # fmt: skip
    return charts


def render_report(sections: dict[str, pl.DataFrame], as_of: datetime | None = None) -> str:
    """The page for every section of `registry stats` (SECTIONS), computed now or kept."""
    when = f"as of {as_of:%Y-%m-%d %H:%M} UTC" if as_of else "current state"
    tables = "".join(
        f"<h3>{escape(name.replace('_', ' '))}</h3>{_table(df)}"
        for name, df in sections.items()
        if name not in ("totals",) and df.height
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Open-model registry report</title>'
        f"<style>{STYLE}</style></head><body><h1>The open-model ecosystem</h1>"
        f'<p class="sub">{when}; last crawl {sections["totals"]["last_crawl_finished"][0]}</p>'
        f"{_cards(sections)}"
        f"{''.join(_charts(sections))}<h2>Tables</h2>{tables}<script>{MEASURE}</script></body></html>"
    )
