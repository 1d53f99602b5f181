"""Terminal tables: drawn directly when they fit, exactly as rich would draw them."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from registry.render import _plain_table, _rich_table, _rows

FRAMES = {
    "counts": pl.DataFrame({"library": ["transformers", "(none)", None], "models": [10, 2000, None]}),
    "empty": pl.DataFrame(schema={"a": pl.Int64, "b": pl.String}),
    "wide characters": pl.DataFrame({"naïve 模型": ["日本語モデル", "x"], "share_pct": [1.25, 100.0]}),
    "lists and times": pl.DataFrame({"declared_in": [["cardData", "tags"]], "day": [date(2026, 11, 20)]}),
    "markup-like data": pl.DataFrame({"id": ["org/[bold]model[/bold]", ":smile: x"]}),
    "": pl.DataFrame({"a": [1.5, 2.25]}),
}


@pytest.mark.parametrize("title", list(FRAMES))
def test_the_direct_table_is_richs_table(title):
    df = FRAMES[title]
    rows = _rows(df)
    assert _plain_table(title, df, rows) == _rich_table(title, df, rows)


def test_what_rich_would_wrap_is_left_to_rich():
    df = pl.DataFrame({"id": ["x" * 200]})
    assert _plain_table("t", df, _rows(df)) is None
    narrow = pl.DataFrame({"a": [1]})
    assert _plain_table("a title longer than the table", narrow, _rows(narrow)) is None
