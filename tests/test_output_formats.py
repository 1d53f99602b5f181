"""Every output format loses nothing: each column of each warehouse table, written by `registry query`
as CSV or JSON, reads back into DuckDB equal to the table; lists and structs come out whole."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from rich.cells import cell_len

from tests.conftest import registry, registry_env
from tests.lived_in import crawl_lived_in

# Read back as text, then cast from JSON: what DuckDB cannot read from a CSV cell directly.
NESTED = ("[]", "STRUCT", "MAP")


@pytest.fixture(scope="module")
def lived_in(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("formats") / "registry.duckdb"
    crawl_lived_in(db)
    return db


def _relations(db: Path) -> dict[str, list[tuple[str, str]]]:
    """Each table and view of the warehouse (the kept report too), with its columns and types."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND NOT internal ORDER BY schema_name, table_name, column_index"
        ).fetchall()
    finally:
        con.close()
    relations: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, kind in rows:
        relations.setdefault(f"{schema}.{table}", []).append((column, kind))
    return relations


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_back(db: Path, relation: str, columns: list[tuple[str, str]], path: Path, reader: str) -> tuple:
    """Rows of `relation` missing from the file read back, rows of the file not in `relation`, row counts."""
    nested = {name for name, kind in columns if any(mark in kind for mark in NESTED)}
    as_read = {name: "VARCHAR" if name in nested or kind == "JSON" else kind for name, kind in columns}
    if reader == "read_csv":
        # Null and empty text are one thing in CSV; every other value must come back exactly.
        as_read = {name: "VARCHAR" if kind == "JSON" else kind for name, kind in as_read.items()}
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in as_read.items()) + "}"
    csv_options = "header = true, quote = '\"', escape = '\"', max_line_size = 100000000"
    options = csv_options if reader == "read_csv" else "format = 'array'"
    back = ", ".join(
        f"CAST(CAST({_q(name)} AS JSON) AS {kind}) AS {_q(name)}" if name in nested else _q(name)
        for name, kind in columns
    )
    original = ", ".join(
        f"CAST({_q(name)} AS VARCHAR) AS {_q(name)}" if kind == "JSON" else _q(name) for name, kind in columns
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"CREATE TEMP TABLE back AS SELECT {back} FROM {reader}('{path}', columns = {spec}, {options})")
        con.execute(f"CREATE TEMP TABLE original AS SELECT {original} FROM {relation}")
        text = [name for name, kind in columns if kind in ("VARCHAR", "JSON")]
        if reader == "read_csv" and text:  # CSV has one empty cell for NULL and ''
            con.execute("UPDATE original SET " + ", ".join(f"{_q(n)} = nullif({_q(n)}, '')" for n in text))
        missing = con.execute("SELECT count(*) FROM (FROM original EXCEPT ALL FROM back)").fetchone()[0]
        extra = con.execute("SELECT count(*) FROM (FROM back EXCEPT ALL FROM original)").fetchone()[0]
        counts = con.execute("SELECT (SELECT count(*) FROM original), (SELECT count(*) FROM back)").fetchone()
    finally:
        con.close()
    return missing, extra, counts


@pytest.mark.parametrize("fmt, reader", [("csv", "read_csv"), ("json", "read_json")])
def test_every_column_of_every_table_reads_back_equal(lived_in, tmp_path, fmt, reader):
    relations = _relations(lived_in)
    assert {"main.models", "main.models_enriched", "main.model_versions", "main.crawl_runs", "main.daily_counters",
            "main.quarantine", "main.model_renames"} <= set(relations)  # fmt: skip
    kinds = {kind for columns in relations.values() for _, kind in columns}
    assert {"VARCHAR[]", "JSON", "TIMESTAMP", "DATE", "BOOLEAN", "DOUBLE", "BIGINT", "INTEGER"} <= kinds
    for relation, columns in relations.items():
        result = registry("query", f"SELECT * FROM {relation}", "--db", str(lived_in), "-f", fmt, env=registry_env())
        assert result.returncode == 0, (relation, result.stderr)
        path = tmp_path / f"{relation}.{fmt}"
        path.write_text(result.stdout)
        missing, extra, (rows, rows_back) = _read_back(lived_in, relation, columns, path, reader)
        assert (missing, extra, rows_back) == (0, 0, rows), relation


EXOTIC = (
    "SELECT ['a', 'b,\"c\"', NULL] AS list, {'a': 1, 'b': [1, 2]} AS struct, MAP {'k': 'v'} AS map, "
    "[[1, 2], [3]] AS nested, [DATE '2026-01-01'] AS dates, 1.50::DECIMAL(10, 2) AS dec, "
    "'\\x01\\x5Cab'::BLOB AS blob, INTERVAL 3 DAY AS interval, "
    "340282366920938463463374607431768211455::UHUGEINT AS uhuge, TIMETZ '01:02:03+05' AS timetz, "
    "[1, 2]::INTEGER[2] AS array, 'a' || chr(10) || 'b|c' AS text, INTERVAL 2 HOUR AS interval"
)
WHOLE = {
    "list": ["a", 'b,"c"', None], "struct": {"a": 1, "b": [1, 2]}, "map": {"k": "v"}, "nested": [[1, 2], [3]],
    "dates": ["2026-01-01"], "dec": "1.50", "blob": "\\x01\\x5Cab", "interval": "3 days",
    "uhuge": "340282366920938463463374607431768211455", "timetz": "01:02:03+05", "array": [1, 2],
    "text": "a\nb|c", "interval_1": "02:00:00",
}  # fmt: skip


def test_lists_structs_and_odd_types_come_out_whole_in_every_format(lived_in):
    def run(fmt: str) -> str:
        result = registry("query", EXOTIC, "--db", str(lived_in), "-f", fmt, env=registry_env())
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert json.loads(run("json")) == [WHOLE]
    (row,) = csv.DictReader(io.StringIO(run("csv")))
    nested = {"list", "struct", "map", "nested", "dates", "array"}
    assert {k: json.loads(v) if k in nested else v for k, v in row.items()} == WHOLE
    markdown = run("markdown").splitlines()[2]
    assert '| ["a", "b,\\"c\\"", null] | {"a": 1, "b": [1, 2]} |' in markdown and "| a<br>b\\|c |" in markdown
    table = run("table")
    assert '["a", "b,\\"c\\"", null]' in table and '{"a": 1, "b": [1, 2]}' in table and "3 days" in table


def test_the_longest_lists_are_whole_in_table_and_markdown(lived_in):
    sql = "SELECT id, tags FROM models ORDER BY len(tags) DESC, id LIMIT 3"
    expected = duckdb.connect(str(lived_in), read_only=True).execute(sql).fetchall()
    for fmt in ("table", "markdown"):
        out = registry("query", sql, "--db", str(lived_in), "-f", fmt, env=registry_env(COLUMNS="120")).stdout
        for _, tags in expected:
            assert json.dumps(tags, ensure_ascii=False) in out, fmt


@pytest.mark.parametrize("args", [("stats", "--section", "totals"), ("runs",), ("stats",)])
def test_wide_tables_read_in_a_120_column_terminal(lived_in, args):
    result = registry(*args, "--db", str(lived_in), env=registry_env(COLUMNS="120"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(map(cell_len, lines)) <= 120
    as_json = json.loads(registry(*args, "--db", str(lived_in), "-f", "json", env=registry_env()).stdout)
    tables = as_json.values() if isinstance(as_json, dict) else [as_json]
    for rows in tables:
        for name in rows[0] if rows else ():
            assert any(line.split()[:1] == [name] or f" {name} " in line for line in lines), name


def _text(value: object) -> str:
    """A JSON value as the CSV cell for it (CSV writes times ISO-style, with a T)."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) >= 19 and value[10] == " " and value[4] == "-":
        return value[:10] + "T" + value[11:]
    return str(value)


def test_runs_and_stats_csv_equal_their_json(lived_in):
    runs_csv = list(csv.DictReader(io.StringIO(registry("runs", "--db", str(lived_in), "-f", "csv",
                                                        env=registry_env()).stdout)))  # fmt: skip
    runs_json = json.loads(registry("runs", "--db", str(lived_in), "-f", "json", env=registry_env()).stdout)
    assert len(runs_csv) == len(runs_json) == 6 + 3  # full, then incremental + counters, of each kind
    for as_csv, as_json in zip(runs_csv, runs_json, strict=True):
        assert as_csv == {k: _text(v) for k, v in as_json.items()}
    section = ("--section", "license_inheritance")
    stats_csv = registry("stats", *section, "--db", str(lived_in), "-f", "csv", env=registry_env()).stdout
    stats_json = json.loads(registry("stats", *section, "--db", str(lived_in), "-f", "json", env=registry_env()).stdout)
    rows = list(csv.DictReader(io.StringIO(stats_csv)))
    assert rows == [{k: _text(v) for k, v in row.items()} for row in stats_json["license_inheritance"]]
    assert rows
