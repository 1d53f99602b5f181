"""Shared fixtures: a Hub stand-in on loopback, real DuckDB files, the real `registry` command."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from crawler.crawl import CrawlInterrupted, crawl
from registry.settings import RetryPolicy, Settings
from tests.hub_standin import Faults, HubStandIn, Population
from tests.lake_fixtures import lake_servers  # noqa: F401  (a fixture: real PostgreSQL and S3 servers)
from warehouse import migrations

# Tests about the models path crawl models only; datasets and Spaces have tests of their own.
MODELS_ONLY = ("models",)

# Fast retries: tests inject faults on purpose and should not sleep through real backoff.
FAST_RETRY = RetryPolicy(max_attempts=8, max_rate_limited=30, backoff_base=0.01, backoff_cap=0.05, timeout=5.0)


def make_settings(db: Path, endpoint: str, token: str | None = None, page_size: int = 1000) -> Settings:
    return Settings(db_path=db, endpoint=endpoint, token=token, retry=FAST_RETRY, page_size=page_size)


def run_crawl(db: Path, hub: HubStandIn, token: str | None = None, page_size: int = 1000, **kwargs):
    return crawl(make_settings(db, hub.url, token, page_size), **kwargs)


def crawl_interrupted_after(db: Path, hub: HubStandIn, pages: int, held_after_request: int) -> None:
    """A crawl (pages of 100) stopped once `pages` are staged: the requests after `held_after_request`
    wait for the stop, so that the fetcher cannot list to the end first (on a loaded machine, it did)."""
    stop = threading.Event()
    hub.on_request = lambda hub, request_no: stop.wait(10) if request_no > held_after_request else None
    try:
        with pytest.raises(CrawlInterrupted):
            run_crawl(db, hub, page_size=100, on_page=lambda state: state.pages == pages and stop.set(), stop=stop)
    finally:
        hub.on_request = None


def registry_env(endpoint: str | None = None, token: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "REGISTRY_"))}
    env.update(
        HF_HUB_OFFLINE="0",
        HF_HOME=str(Path(env.get("TMPDIR", "/tmp")) / "registry-tests-hf-home"),  # no token file from the host
        REGISTRY_BACKOFF_BASE="0.01",
        REGISTRY_BACKOFF_CAP="0.05",
        REGISTRY_HTTP_TIMEOUT="5",
        COLUMNS="200",
    )
    if endpoint:
        env["HF_ENDPOINT"] = endpoint
    if token:
        env["HF_TOKEN"] = token
    env.update(extra)
    return env


def registry(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `registry` command in its own process."""
    command = [sys.executable, "-m", "registry", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def create_warehouse_before_zstd(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warehouse as created before raw and card_data were kept compressed: in DuckDB 1.0's storage
    format, its columns without a compression of their own (DuckDB analyses each at checkpoint). The
    migrations stay patched until the test ends or calls monkeypatch.undo()."""
    plain = migrations.sql
    monkeypatch.setattr(migrations, "sql", lambda name: plain(name).replace(" USING COMPRESSION zstd", ""))
    con = duckdb.connect(str(db))
    try:
        migrations.migrate(con)
    finally:
        con.close()


def query_all(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "registry.duckdb"


@pytest.fixture
def small_population() -> Population:
    return Population.generate(n=2500, seed=11, private_fraction=0.03)


@pytest.fixture
def hub(small_population: Population):
    with HubStandIn(small_population) as server:
        yield server


__all__ = [
    "FAST_RETRY",
    "MODELS_ONLY",
    "Faults",
    "make_settings",
    "query_all",
    "registry",
    "registry_env",
    "replace",
    "run_crawl",
]
