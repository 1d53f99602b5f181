"""Charts drawn by Altair (Vega-Lite), rendered to SVG here by vl-convert: the report inlines them,
so it opens offline, with no script, font or CDN to fetch."""

from __future__ import annotations

import re
from html import escape

import altair as alt
import polars as pl
import vl_convert

WIDTH = 860
PALETTE = "tableau10"
# Inline SVG in HTML needs no namespace declarations; dropped, the page names no URL at all.
NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')


def _svg(chart: alt.TopLevelMixin) -> str:
    return NAMESPACES.sub("", vl_convert.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[]), count=2)


def figure(name: str, title: str, chart: alt.TopLevelMixin) -> str:
    """One chart as a <figure>: the SVG Vega drew, its title as the caption."""
    return (
        f'<figure class="chart" data-chart="{escape(name)}"><figcaption>{escape(title)}</figcaption>'
        f"{_svg(chart.configure_view(stroke=None))}</figure>"
    )


def ranking(df: pl.DataFrame, label: str, value: str, value_title: str) -> alt.Chart:
    """Horizontal bars in the frame's order: for rankings and categories."""
    height = max(60, 22 * df.height)
    return (
        alt.Chart(df, width=WIDTH - 300, height=height)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=value_title),
            color=alt.Color(f"{label}:N", sort=None, legend=None, scale=alt.Scale(scheme=PALETTE)),
            tooltip=[label, value],
        )
    )


def columns(df: pl.DataFrame, label: str, value: str, value_title: str) -> alt.Chart:
    """Vertical columns over an ordered axis (months, days, depths)."""
    return (
        alt.Chart(df, width=WIDTH, height=240)
        .mark_bar()
        .encode(x=alt.X(f"{label}:O", sort=None, title=None), tooltip=[label, value],
                y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format="~s")))
    )  # fmt: skip


def growth(df: pl.DataFrame) -> alt.LayerChart:
    """Models created per month (columns) and their running total (a line on its own scale)."""
    base = alt.Chart(df, width=WIDTH, height=260).encode(x=alt.X("cohort:O", sort=None, title=None))
    legacy_apart = alt.condition("datum.cohort == 'legacy'", alt.value("#e07b39"), alt.value("#3b6fb6"))
    created = base.mark_bar().encode(
        y=alt.Y("created:Q", title="created that month"), color=legacy_apart, tooltip=["cohort", "created"]
    )
    total = base.mark_line(color="#c44e52").encode(y=alt.Y("cumulative:Q", title="cumulative"))
    return alt.layer(created, total).resolve_scale(y="independent")


def size_mix(df: pl.DataFrame, buckets: list[str]) -> alt.Chart:
    """The share of each size bucket among the models created each month, as stacked areas."""
    long = df.unpivot(index="cohort", on=buckets, variable_name="size", value_name="share_pct")
    return (
        alt.Chart(long, width=WIDTH, height=260)
        .mark_area()
        .encode(
            x=alt.X("cohort:O", sort=None, title=None),
            y=alt.Y("share_pct:Q", stack="zero", title="% of the month's models"),
            color=alt.Color("size:N", sort=buckets, scale=alt.Scale(scheme=PALETTE), title="size"),
            order=alt.Order("size_order:Q"),
            tooltip=["cohort", "size", "share_pct"],
        )
        .transform_calculate(size_order=f"indexof({buckets!r}, datum.size)")
    )


def share_pairs(df: pl.DataFrame, label: str, shares: dict[str, str]) -> alt.Chart:
    """Two (or more) shares per category side by side: e.g. of models and of downloads."""
    long = df.select(label, *shares).rename(shares).unpivot(index=label, variable_name="share of", value_name="pct")
    return (
        alt.Chart(long, width=WIDTH - 300, height=max(80, 34 * df.height))
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort=None, title=None),
            yOffset=alt.YOffset("share of:N"),
            x=alt.X("pct:Q", title="%"),
            color=alt.Color("share of:N", scale=alt.Scale(scheme=PALETTE)),
            tooltip=[label, "share of", "pct"],
        )
    )


def lorenz(df: pl.DataFrame) -> alt.LayerChart:
    """Share of downloads held by the least downloaded x % of models, against equality (the diagonal)."""
    curve = pl.concat([pl.DataFrame({"models_pct": [0.0], "downloads_pct": [0.0]}),
                       df.select(pl.col("models_pct", "downloads_pct").cast(pl.Float64))])  # fmt: skip
    axes = {"x": alt.X("models_pct:Q", title="% of models (least downloaded first)"),
            "y": alt.Y("downloads_pct:Q", title="% of all-time downloads")}  # fmt: skip
    line = alt.Chart(curve, width=420, height=420).mark_line(color="#3b6fb6").encode(**axes)
    equal = pl.DataFrame({"models_pct": [0.0, 100.0], "downloads_pct": [0.0, 100.0]})
    diagonal = alt.Chart(equal).mark_line(color="#999", strokeDash=[4, 4]).encode(**axes)
    return alt.layer(diagonal, line)
