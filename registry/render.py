"""Turn result tables into table, json, csv or markdown text for the terminal or a file."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime, time, timedelta
from decimal import Decimal
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


def _bytes_text(value: bytes) -> str:
    """A BLOB as DuckDB writes it (`'...'::BLOB` reads it back): printable ASCII, else \\xHH."""
    return "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02X}" for b in value)


def _scalar_text(value: object) -> str:
    """Values JSON has no type for, as text that loses nothing (DuckDB casts each back)."""
    if isinstance(value, bytes):
        return _bytes_text(value)
    return str(value)


def _json_value(value: object) -> object:
    """A cell as JSON: lists as arrays, structs as objects, dates, decimals and bytes as their text."""
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, date | time | datetime | timedelta | Decimal | bytes):
        return _scalar_text(value)
    return value


def _nested_text(value: object) -> str:
    return json.dumps(_json_value(value), ensure_ascii=False)


def _cell(value: object) -> str:
    """A cell as one line of text: lists and structs as their whole JSON."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return _nested_text(value)
    return _scalar_text(value)


def _rows(df: pl.DataFrame) -> list[list[str]]:
    return [[_cell(value) for value in row] for row in df.iter_rows()]


WIDTH = 160  # when the width is unknown (output to a file or a pipe, COLUMNS unset)


def terminal_width() -> int:
    return shutil.get_terminal_size((WIDTH, 24)).columns


# rich's default table box (HEAVY_HEAD): top, header row, header rule, row, bottom.
EDGES = {"top": "┏━┳┓", "head": "┃ ┃┃", "rule": "┡━╇┩", "row": "│ ││", "bottom": "└─┴┘"}


def _rich_table(title: str, df: pl.DataFrame, rows: list[list[str]]) -> str:
    table = Table(title=title or None, title_justify="left", show_lines=False)
    for name, dtype in df.schema.items():
        table.add_column(name, justify="right" if dtype.is_numeric() else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # data, never markup
    buffer = io.StringIO()
    Console(file=buffer, width=terminal_width(), force_terminal=False, color_system=None).print(table)
    return buffer.getvalue()


def _plain_table(title: str, df: pl.DataFrame, rows: list[list[str]]) -> str | None:
    """rich's table, drawn directly (rich takes a second per 2,000 rows); None when rich would wrap."""
    header = df.columns
    widths = [max(map(cell_len, column)) for column in zip(header, *rows, strict=True)] if header else []
    total = sum(widths) + 3 * len(widths) + 1
    if not header or total > terminal_width() or cell_len(title) > total:
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


def _natural_width(df: pl.DataFrame, rows: list[list[str]]) -> int:
    widths = [max(map(cell_len, column)) for column in zip(df.columns, *rows, strict=True)]
    return sum(widths) + 3 * len(widths) + 1


def _records(title: str, df: pl.DataFrame, rows: list[list[str]]) -> str:
    """Each row as name/value lines (psql's expanded display): wide tables read whole in any terminal."""
    pad = max(map(cell_len, df.columns))
    out = [title] if title else []
    for number, row in enumerate(rows, start=1):
        out.append(f"-[ row {number} ]" + "-" * max(pad - 8, 4))
        for name, cell in zip(df.columns, row, strict=True):
            continued = cell.replace("\n", "\n" + " " * pad + " | ")  # a multi-line value stays in its column
            out.append(f"{name}{' ' * (pad - cell_len(name))} | {continued}")
    if not rows:
        out.append("(no rows)")
    return "\n".join(out) + "\n"


# A table of this many columns or more that does not fit is shown as records rather than squeezed:
# rich would cut every header (`totals` and `runs` in a 120-column terminal).
RECORDS_FROM_COLUMNS = 2


def _table(title: str, df: pl.DataFrame) -> str:
    rows = _rows(df)
    if len(df.columns) >= RECORDS_FROM_COLUMNS and _natural_width(df, rows) > terminal_width():
        return _records(title, df, rows)
    return _plain_table(title, df, rows) or _rich_table(title, df, rows)


def _as_text(series: pl.Series) -> pl.Series:
    import polars as pl

    return pl.Series(series.name, [None if v is None else _cell(v) for v in series.to_list()], dtype=pl.String)


def _csv(df: pl.DataFrame) -> str:
    """CSV that loses nothing: lists and structs as their JSON, BLOBs as DuckDB's text for them."""
    import polars as pl

    textual = [name for name, dtype in df.schema.items() if dtype.is_nested() or dtype in (pl.Binary, pl.Object)]
    return df.with_columns(_as_text(df[name]) for name in textual).write_csv()


def _markdown(df: pl.DataFrame) -> str:
    def line(cells: list[str]) -> str:
        # A Markdown cell is one line: a newline in a value becomes <br>, as GitHub renders it.
        return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", "<br>") for cell in cells) + " |"

    out = [line(df.columns), line(["---"] * len(df.columns))]
    out += [line(row) for row in _rows(df)]
    return "\n".join(out) + "\n"


def _json_ready(df: pl.DataFrame) -> list[dict]:
    return [{name: _json_value(value) for name, value in zip(df.columns, row, strict=True)} for row in df.iter_rows()]


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
