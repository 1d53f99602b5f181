"""Turn result tables into table, json, csv or markdown text for the terminal or a file."""

from __future__ import annotations

import io
import json
from enum import StrEnum

import polars as pl
from rich.console import Console
from rich.table import Table


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


def _table(title: str, df: pl.DataFrame) -> str:
    table = Table(title=title or None, title_justify="left", show_lines=False)
    for name, dtype in df.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in _rows(df):
        table.add_row(*row)
    buffer = io.StringIO()
    Console(file=buffer, width=160, force_terminal=False, color_system=None).print(table)
    return buffer.getvalue()


def _csv(df: pl.DataFrame) -> str:
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
