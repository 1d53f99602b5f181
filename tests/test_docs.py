"""The README is the contract: every command, warehouse column and setting in the code is documented there."""

from __future__ import annotations

import re
from pathlib import Path

from queries.stored_report import SCHEMA_SQL
from registry.cli import app
from warehouse.connect import open_writer

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_command_is_documented():
    names = [command.name for command in app.registered_commands]
    assert len(names) >= 5
    for name in names:
        assert f"`registry {name}" in README, name


def test_every_warehouse_column_is_documented(tmp_path):
    con = open_writer(tmp_path / "schema.duckdb")
    try:
        con.execute(SCHEMA_SQL.read_text())  # the kept report's index, created when a report is first kept
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN "
            "('models', 'crawl_runs', 'quarantine', 'daily_counters', 'model_versions', 'license_map', "
            "'model_renames', 'models_enriched', 'datasets', 'spaces', 'repo_links', 'declared_links', "
            "'datasets_enriched', 'spaces_enriched', 'dataset_daily_counters', 'space_daily_counters', "
            "'dataset_versions', 'space_versions', 'dataset_renames', 'space_renames', 'counter_days', "
            "'counter_days_settled', "
            "'model_counter_changes', 'dataset_counter_changes', 'space_counter_changes', 'model_last_counters', "
            "'dataset_last_counters', 'space_last_counters') OR schema_name = 'report'"
        ).fetchall()
    finally:
        con.close()
    assert len(columns) > 60
    undocumented = [f"{table}.{column}" for table, column in columns if f"`{column}`" not in README]
    assert not undocumented


def test_every_setting_is_documented():
    sources = [
        path.read_text() for folder in ("registry", "crawler", "warehouse") for path in (ROOT / folder).glob("*.py")
    ]
    settings = set(re.findall(r"REGISTRY_[A-Z_]+", "\n".join(sources)))
    assert "REGISTRY_DB" in settings
    assert not [name for name in sorted(settings) if f"`{name}`" not in README]
