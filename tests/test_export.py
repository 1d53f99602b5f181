"""`registry export`: every table and view as Parquet that reads back, with DuckDB and with Polars,
equal to the warehouse; history partitioned by month; a schema file with the README's meanings."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from registry import Registry
from tests.conftest import query_all, registry, registry_env
from tests.lived_in import crawl_lived_in
from warehouse.connect import open_writer

AS_OF = "2026-11-01"  # the lived-in warehouse's first crawled day (its second is 2026-11-02)


@pytest.fixture(scope="module")
def lived_in(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("export") / "registry.duckdb"
    crawl_lived_in(db)
    return db


def _export(db: Path, out: Path, *args: str) -> dict:
    result = registry("export", "--db", str(db), "--out", str(out), *args, env=registry_env())
    assert result.returncode == 0, result.stderr
    return json.loads((out / "schema.json").read_text())


def _parquet(out: Path, entry: dict) -> str:
    path = out / entry["path"]
    return f"'{path}/**/*.parquet'" if entry["partitioned_by"] else f"'{path}'"


def _duckdb_differences(db: Path, out: Path, table: str, entry: dict, source: str) -> tuple[int, int, list, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        back = f"SELECT * EXCLUDE (month) FROM read_parquet({_parquet(out, entry)}, hive_partitioning = true)"
        if not entry["partitioned_by"]:
            back = f"SELECT * FROM read_parquet({_parquet(out, entry)})"
        missing = con.execute(f"SELECT count(*) FROM ({source} EXCEPT ALL {back})").fetchone()[0]
        extra = con.execute(f"SELECT count(*) FROM ({back} EXCEPT ALL {source})").fetchone()[0]
        types = [row[:2] for row in con.execute(f"DESCRIBE {source}").fetchall()]
        types_back = [row[:2] for row in con.execute(f"DESCRIBE {back}").fetchall()]
    finally:
        con.close()
    return missing, extra, types, types_back


def _polars(out: Path, entry: dict) -> pl.DataFrame:
    path = out / entry["path"]
    if entry["partitioned_by"]:
        return pl.read_parquet(path, hive_partitioning=True).drop("month")
    return pl.read_parquet(path)


def test_every_table_round_trips_through_duckdb_and_polars(lived_in, tmp_path):
    out = tmp_path / "export"
    schema = _export(lived_in, out)
    reg = Registry(lived_in)
    expected = {name for name in reg.tables() if "." not in name} - {"schema_migrations"}
    assert set(schema["tables"]) == expected and schema["not_exported"] == []
    for table, entry in schema["tables"].items():
        missing, extra, types, types_back = _duckdb_differences(lived_in, out, table, entry, f"FROM {table}")
        assert (missing, extra) == (0, 0), table
        assert types_back == [(name, "VARCHAR" if kind == "JSON" else kind) for name, kind in types], table
        assert entry["rows"] == query_all(lived_in, f"SELECT count(*) FROM {table}")[0][0]
        assert_frame_equal(_polars(out, entry), reg.sql(f"SELECT * FROM {table}"), check_row_order=False)
    assert not list(tmp_path.glob(".*partial*")), "the temporary folder is gone"


def test_history_is_partitioned_by_month_and_every_file_is_zstd(lived_in, tmp_path):
    out = tmp_path / "export"
    schema = _export(lived_in, out)
    months = {"daily_counters": "day", "model_versions": "valid_from"}
    for table, column in months.items():
        assert schema["tables"][table]["partitioned_by"] == "month"
        found = sorted(path.name for path in (out / table).iterdir())
        expected = query_all(
            lived_in, f"SELECT DISTINCT 'month=' || strftime({column}, '%Y-%m') FROM {table} ORDER BY 1"
        )
        assert found == [month for (month,) in expected]
    codecs = duckdb.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{out}/**/*.parquet')").fetchall()
    assert codecs == [("ZSTD",)]


def test_the_schema_file_carries_the_documented_meanings(lived_in, tmp_path):
    schema = _export(lived_in, tmp_path / "export")
    models = {column["name"]: column for column in schema["tables"]["models"]["columns"]}
    assert models["base_models"]["type"] == "VARCHAR[]"
    assert models["base_models"]["meaning"].startswith("`baseModels.models[].id`")
    enriched = {column["name"]: column["meaning"] for column in schema["tables"]["models_enriched"]["columns"]}
    assert enriched["license_family"].startswith("`permissive`") and enriched["tags"] == models["tags"]["meaning"]
    for table, entry in schema["tables"].items():
        undocumented = [column["name"] for column in entry["columns"] if not column["meaning"]]
        prose = entry["notes"] or ""
        assert all(f"`{name}`" in prose for name in undocumented), (table, undocumented)


def test_an_export_as_of_a_day_holds_that_days_ecosystem(lived_in, tmp_path):
    out = tmp_path / "then"
    schema = _export(lived_in, out, "--as-of", AS_OF)
    moment = f"TIMESTAMP '{AS_OF} 23:59:59.999999'"
    entry = schema["tables"]["models"]
    missing, extra, _, _ = _duckdb_differences(lived_in, out, "models", entry, f"FROM models_as_of({moment})")
    assert (missing, extra) == (0, 0) and entry["rows"] > 0
    assert entry["rows"] == Registry(lived_in).stats("totals", as_of=AS_OF)["totals"]["models"][0]
    assert entry["rows"] != query_all(lived_in, "SELECT count(*) FROM models")[0][0], "the day differs from now"
    days = pl.read_parquet(out / "daily_counters", hive_partitioning=True)["day"]
    assert str(days.max()) == AS_OF
    versions = pl.read_parquet(out / "model_versions", hive_partitioning=True)
    assert versions["valid_to"].null_count() == versions.height == entry["rows"]
    # Tables without a history to cut by (the last counters: what the next crawl compares with).
    no_history = [
        "counter_days_settled",
        "dataset_last_counters",
        "latest_counters",
        "model_last_counters",
        "space_last_counters",
    ]
    assert sorted(schema["not_exported"]) == no_history and schema["as_of"].startswith(AS_OF)


def test_an_export_never_writes_into_a_folder_in_use(lived_in, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    result = registry("export", "--db", str(lived_in), "--out", str(taken), env=registry_env())
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert [path.name for path in taken.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _export(lived_in, empty)["tables"]


def test_wide_records_are_written_in_row_groups_a_reader_can_hold(tmp_path):
    """By rows alone (DuckDB's 122,880 a row group), each writing thread held ~0.5 GB of models with
    their raw JSON, and at 2.5M models the export ran out of the readers' 1 GB: row groups stop at 32 MB."""
    db = tmp_path / "wide.duckdb"
    con = open_writer(db)
    con.execute(
        "INSERT INTO models_stored (id, model_key, raw, first_seen, last_seen) "
        "SELECT 'org/model-' || i, i, json_object('id', 'org/model-' || i, 'blob', repeat(md5(i::VARCHAR), 128)), "
        "TIMESTAMP '2026-11-01', TIMESTAMP '2026-11-01' FROM range(20000) AS t(i)"
    )  # ~4 KB a record, 80 MB in all
    con.close()
    out = tmp_path / "export"
    assert _export(db, out)["tables"]["models"]["rows"] == 20000
    groups = duckdb.execute(
        "SELECT row_group_id, any_value(row_group_bytes) FROM parquet_metadata(?) GROUP BY ALL",
        [str(out / "models.parquet")],
    ).fetchall()
    assert len(groups) > 1 and max(size for _, size in groups) <= 40 * 2**20, groups
