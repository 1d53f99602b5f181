"""The documented meaning of each warehouse column, read from the README's schema (the contract), so
that an export's schema file and the README can never say two things."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = re.compile(r"^### `([a-z_.<>]+)[`(]")
COLUMN_HEADER = "| column | type | meaning |"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _schema_section(text: str) -> list[str]:
    start = text.index("## Warehouse schema")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None].splitlines()


def documented_tables(text: str | None = None) -> dict[str, dict]:
    """Each documented table: its description (the heading) and {column: meaning} from its table."""
    if text is None and not README.exists():  # installed without the source tree: no meanings to give
        return {}
    lines = _schema_section(README.read_text() if text is None else text)
    tables: dict[str, dict] = {}
    current, in_columns = None, False
    for line in lines:
        if heading := HEADING.match(line):
            current, in_columns = heading.group(1), False
            tables[current] = {"description": line.split(":", 1)[-1].strip(), "notes": [], "columns": {}}
        elif current and line.strip() == COLUMN_HEADER:
            in_columns = True
        elif in_columns and line.startswith("| `"):
            names, _, meaning = _cells(line)[:3]
            for name in re.findall(r"`([a-z_0-9]+)`", names):
                tables[current]["columns"][name] = meaning
        elif not line.startswith("|"):
            in_columns = False
            if current and line.strip() and not line.startswith("```"):
                tables[current]["notes"].append(line.strip())  # prose: where the columns are listed in a sentence
    return {name: {**table, "notes": " ".join(table["notes"])} for name, table in tables.items()}


def _described_by(table: str) -> list[str]:
    """The tables whose columns this one repeats, nearest first: `x_enriched` extends `x` (and, for
    datasets and Spaces, what `models_enriched` adds); `model_versions` tracks `models`; datasets and
    Spaces share the models' columns, their history tables the models' history tables'."""
    if table.endswith("_enriched"):
        base = table.removesuffix("_enriched")
        return [base, *_described_by(base), "models_enriched"]
    if table.endswith("_versions"):
        base = table.removesuffix("_versions") + "s"
        return [base, *_described_by(base), "model_versions"]
    if table.endswith("_daily_counters"):
        return ["daily_counters"]
    if table.endswith("_counter_changes"):
        return ["model_counter_changes", "daily_counters"]
    if table.endswith("_last_counters"):
        return ["model_last_counters"]
    if table.endswith("_renames"):
        return ["model_renames"]
    return ["models"] if table in ("datasets", "spaces") else []


def column_meaning(tables: dict[str, dict], table: str, column: str) -> str | None:
    """The column's meaning in its table's README table, else in the table it repeats; None when the
    README gives it in prose only (the table's `notes`)."""
    for name in (table, *_described_by(table)):
        if meaning := tables.get(name, {}).get("columns", {}).get(column):
            return meaning
    return None
