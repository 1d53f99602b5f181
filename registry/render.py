"""Turn result tables into table, json, csv or markdown text for the terminal or a file."""

from __future__ import annotations

import io
import json
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # imported where used: `registry crawl` loads this module and never needs Polars
    import polars as pl


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def _rows(df: pl.DataFrame) -> list[list[str]]:
    return [[_cell(value) for value in row] for row in df.iter_rows()]


WIDTH = 160
# rich's default table box (HEAVY_HEAD): top, header row, header rule, row, bottom.
EDGES = {"top": "┏━┳┓", "head": "┃ ┃┃", "rule": "┡━╇┩", "row": "│ ││", "bottom": "└─┴┘"}


def _rich_table(title: str, df: pl.DataFrame, rows: list[list[str]]) -> str:
    table = Table(title=title or None, title_justify="left", show_lines=False)
    for name, dtype in df.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # data, never markup
    buffer = io.StringIO()
    Console(file=buffer, width=WIDTH, force_terminal=False, color_system=None).print(table)
    return buffer.getvalue()


def _plain_table(title: str, df: pl.DataFrame, rows: list[list[str]]) -> str | None:
    """rich's table, drawn directly (rich takes a second per 2,000 rows); None when rich would wrap."""
    header = df.columns
    widths = [max(map(cell_len, column)) for column in zip(header, *rows, strict=True)] if header else []
    total = sum(widths) + 3 * len(widths) + 1
    if not header or total > WIDTH or cell_len(title) > total:
        return None
    if any(not cell.isprintable() for row in rows for cell in row):
        return None
    right = [dtype.is_numeric() for dtype in df.schema.values()]

    def rule(edge: str) -> str:
        return edge[0] + edge[2].join(edge[1] * (width + 2) for width in widths) + edge[3]

    def line(cells: list[str], edge: str) -> str:
        padded = [
            " " * (width - cell_len(cell)) + cell if is_right else cell + " " * (width - cell_len(cell))
            for cell, width, is_right in zip(cells, widths, right, strict=True)
        ]
        return edge[0] + " " + f" {edge[2]} ".join(padded) + " " + edge[3]

    out = [title + " " * (total - cell_len(title))] if title else []
    out += [rule(EDGES["top"]), line(header, EDGES["head"]), rule(EDGES["rule"])]
    out += [line(row, EDGES["row"]) for row in rows]
    out.append(rule(EDGES["bottom"]))
    return "\n".join(out) + "\n"


def _table(title: str, df: pl.DataFrame) -> str:
    rows = _rows(df)
    return _plain_table(title, df, rows) or _rich_table(title, df, rows)


def _csv(df: pl.DataFrame) -> str:
    import polars as pl

    nested = [name for name, dtype in df.schema.items() if dtype.is_nested()]
    flat = df.with_columns(pl.col(name).map_elements(_cell, return_dtype=pl.String) for name in nested)
    return flat.write_csv()


def _markdown(df: pl.DataFrame) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [line(df.columns), line(["---"] * len(df.columns))]
    out += [line(row) for row in _rows(df)]
    return "\n".join(out) + "\n"


def _json_ready(df: pl.DataFrame) -> list[dict]:
    return [dict(zip(df.columns, row, strict=True)) for row in df.iter_rows()]


def render(sections: dict[str, pl.DataFrame], fmt: Format) -> str:
    """Render one or more named tables; a single unnamed table renders bare."""
    if fmt is Format.json:
        payload = {name: _json_ready(df) for name, df in sections.items()}
        if list(payload) == [""]:
            payload = payload[""]
        return json.dumps(payload, default=str, indent=2, ensure_ascii=False) + "\n"
    render_one = {Format.table: None, Format.csv: _csv, Format.markdown: _markdown}[fmt]
    parts = []
    for name, df in sections.items():
        if fmt is Format.table:
            parts.append(_table(name, df))
        elif name and fmt is Format.markdown:
            parts.append(f"## {name}\n\n{render_one(df)}")
        elif name and len(sections) > 1:
            parts.append(f"# {name}\n{render_one(df)}")
        else:
            parts.append(render_one(df))
    return "\n".join(parts)
