"""`Registry`, the Python API: the README's example runs as written; `sql` refuses what `registry
query` refuses; `stats` equals `registry stats --format json`; `lazy` reads every table whole."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from registry import QueryFailed, QueryRefused, Registry, WarehouseError
from registry.render import Format, render
from tests.conftest import query_all, registry, registry_env
from tests.lived_in import crawl_lived_in
from tests.test_cli import REFUSED

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.fixture(scope="module")
def lived_in(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("api") / "registry.duckdb"
    crawl_lived_in(db)
    return db


def _readme_example() -> str:
    section = README[README.index("### Python and Polars") :]
    (code,) = re.findall(r"```python\n(.*?)```", section[: section.index("\n### ", 5)], re.S)
    return code


def test_the_readme_example_runs_as_written(lived_in, tmp_path, monkeypatch):
    shutil.copy(lived_in, tmp_path / "registry.duckdb")  # the example opens ./registry.duckdb
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REGISTRY_DB", raising=False)
    printed = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(_readme_example(), "README.md", "exec"), namespace)
    assert namespace["top"].height == 5 and namespace["permissive"].height >= 1
    assert set(namespace["report"]) == {"totals", "license_families"}
    assert namespace["then"]["totals"]["models"][0] > 0
    assert "refused: registry query is read-only" in printed.getvalue()


@pytest.mark.parametrize("sql", REFUSED)
def test_sql_refuses_what_registry_query_refuses(lived_in, sql):
    before = query_all(lived_in, "SELECT count(*), sum(likes) FROM models")
    with pytest.raises(QueryRefused):
        Registry(lived_in).sql(sql)
    assert registry("query", sql, "--db", str(lived_in), env=registry_env()).returncode == 6
    assert query_all(lived_in, "SELECT count(*), sum(likes) FROM models") == before


def test_sql_answers_and_fails_clearly(lived_in, tmp_path):
    reg = Registry(lived_in)
    frame = reg.sql("SELECT id, tags, card_data FROM models ORDER BY id LIMIT 3")
    expected = query_all(lived_in, "SELECT id, tags, card_data FROM models ORDER BY id LIMIT 3")
    assert isinstance(frame, pl.DataFrame) and frame.rows() == expected
    with pytest.raises(QueryFailed, match="no_such_table"):
        reg.sql("SELECT * FROM no_such_table")
    with pytest.raises(WarehouseError, match="no warehouse"):
        Registry(tmp_path / "missing.duckdb").sql("SELECT 1")


def _as_json(tables: dict[str, pl.DataFrame]) -> dict:
    return json.loads(render(tables, Format.json))


@pytest.mark.parametrize("as_of", [None, "2026-11-01"])
def test_stats_equal_registry_stats_json(lived_in, as_of):
    args = ["stats", "--db", str(lived_in), "-f", "json", "--top", "7"] + (["--as-of", as_of] if as_of else [])
    cli = registry(*args, env=registry_env())
    assert cli.returncode == 0, cli.stderr
    found = Registry(lived_in).stats(as_of=as_of, top=7)
    assert all(isinstance(frame, pl.DataFrame) for frame in found.values())
    assert _as_json(found) == json.loads(cli.stdout)
    some = Registry(lived_in).stats("by_library", "totals", as_of=as_of, top=7)
    assert list(some) == ["by_library", "totals"] and _as_json(some) == {k: json.loads(cli.stdout)[k] for k in some}
    with pytest.raises(ValueError, match="unknown section"):
        Registry(lived_in).stats("nonsense")


def test_lazy_reads_every_table_and_view_whole(lived_in):
    reg = Registry(lived_in)
    names = reg.tables()
    assert {"models", "models_enriched", "daily_counters", "model_versions", "crawl_runs"} <= set(names)
    for name in names:
        assert_frame_equal(reg.lazy(name).collect(), reg.sql(f"SELECT * FROM {name}"), check_row_order=False)
    with pytest.raises(ValueError, match="no table or view"):
        reg.lazy("models; DROP TABLE models")


def test_lazy_projects_filters_and_limits_as_sql_does(lived_in):
    lazy = Registry(lived_in).lazy("models_enriched")
    found = (
        lazy.filter(pl.col("license_family") == "permissive")
        .select("id", "base_models", "size_bucket")
        .sort("id")
        .collect()
    )
    sql = "SELECT id, base_models, size_bucket FROM models_enriched WHERE license_family = 'permissive' ORDER BY id"
    assert found.rows() == query_all(lived_in, sql) and found.height > 0
    assert lazy.head(3).collect().height == 3
    assert lazy.filter(pl.col("downloads") > 0).head(2).collect()["downloads"].min() > 0


@contextlib.contextmanager
def _held_for_writing(db: Path, seconds: float):
    """Another process holds the file for writing (as a crawl's merge does) for `seconds`."""
    code = f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep({seconds})"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_registry_waits_out_a_crawls_write_lock(lived_in):
    hold = 1.5
    with _held_for_writing(lived_in, hold):
        started = time.monotonic()
        answer = Registry(lived_in).sql("SELECT count(*) AS n FROM models")
        waited = time.monotonic() - started
    assert answer["n"][0] == query_all(lived_in, "SELECT count(*) FROM models")[0][0]
    assert waited >= hold * 0.5, "it answered while the file was held for writing?"
    with _held_for_writing(lived_in, 5), pytest.raises(WarehouseError, match="locked"):
        Registry(lived_in, patience=0.3).sql("SELECT 1")


@pytest.mark.parametrize(
    "query, sql",
    [
        (lambda lf: lf.filter(pl.col("author") == "org-3").select("id"), "WHERE author = 'org-3'"),
        (lambda lf: lf.filter(pl.col("likes").is_between(5, 20) & pl.col("license").is_not_null()).select("id"),
         "WHERE likes BETWEEN 5 AND 20 AND license IS NOT NULL"),
        (lambda lf: lf.filter(pl.col("tags").list.contains("gguf")).select("id"), "WHERE list_contains(tags, 'gguf')"),
        (lambda lf: lf.filter(pl.col("id").str.starts_with("org-1")).select("id"), "WHERE starts_with(id, 'org-1')"),
        (lambda lf: lf.filter(pl.col("likes") > 3).sort("downloads", "id", descending=True, nulls_last=True)
         .head(4).select("id"), "WHERE likes > 3 ORDER BY downloads DESC NULLS LAST, id DESC LIMIT 4"),
    ],
)  # fmt: skip
def test_lazy_filters_are_answered_as_sql_answers_them(lived_in, query, sql):
    """Filters DuckDB can run are pushed to it (only matching rows are read), others applied by Polars:
    either way the rows are those of the same SQL."""
    found = query(Registry(lived_in).lazy("models")).collect()
    expected = query_all(lived_in, f"SELECT id FROM models {sql}")
    ordered = "ORDER BY" in sql
    assert (found["id"].to_list() if ordered else sorted(found["id"])) == [
        row[0] for row in (expected if ordered else sorted(expected))
    ]
    assert found.height > 0
