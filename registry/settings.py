"""Settings read once from named environment variables, then passed explicitly."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warehouse.lake_connect import LakeSettings

DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_DB = "registry.duckdb"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the crawler tries one page before it stops (resumably)."""

    max_attempts: int = 8  # transport errors, 5xx, bad bodies: consecutive failures on one page
    max_rate_limited: int = 30  # 429s on one page; pacing should make these rare
    backoff_base: float = 0.5  # seconds; doubles each attempt, with full jitter
    backoff_cap: float = 30.0
    timeout: float = 60.0  # per request, seconds


def utc_now() -> datetime:
    """Now, as the warehouse stores time: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Settings:
    db_path: Path
    endpoint: str
    token: str | None  # never logged, never stored
    retry: RetryPolicy
    page_size: int = 1000
    watermark_overlap: timedelta = timedelta(hours=1)  # incremental listings look this far past the last edit
    counters_every: timedelta = timedelta(hours=20)  # refresh all counters when the last refresh is older
    # How long the crawl waits for other processes to let go of the warehouse before each write:
    # readers hold it for seconds, but a `registry export` at 2.5M models holds it for ~6.5 min.
    writer_patience: float = 300.0
    clock: Callable[[], datetime] = utc_now  # tests simulate days by passing their own

    def __repr__(self) -> str:  # keep the token out of any traceback or log line
        return f"Settings(db_path={self.db_path!s}, endpoint={self.endpoint}, token={'***' if self.token else None})"


def _float_env(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number") from None


def warehouse_path(db: str | Path | None = None) -> Path:
    """The warehouse file: `db` (the --db option), else REGISTRY_DB, else ./registry.duckdb."""
    return Path(db or os.environ.get("REGISTRY_DB") or DEFAULT_DB)


def lake_settings(lake: str | None = None, data_path: str | None = None) -> LakeSettings | None:
    """The lake: `lake`/`data_path` (the --lake/--data-path options), else REGISTRY_LAKE and
    REGISTRY_LAKE_DATA_PATH; None when no lake is set. S3 and PostgreSQL secrets from their standard
    variables (AWS_*, PGPASSWORD), only to pass them on and to keep them out of messages."""
    catalog = lake or os.environ.get("REGISTRY_LAKE")
    if not catalog:
        return None
    if not catalog.startswith("ducklake:"):
        raise ValueError(
            "a lake is named as DuckDB attaches it: ducklake:postgres:dbname=... or ducklake:PATH.ducklake"
        )
    path = data_path or os.environ.get("REGISTRY_LAKE_DATA_PATH")
    if not path:
        raise ValueError(
            "a lake needs its data path too: --data-path or REGISTRY_LAKE_DATA_PATH (s3://... or a folder)"
        )
    env = os.environ.get
    return LakeSettings(
        catalog=catalog,
        data_path=path,
        aws_key_id=env("AWS_ACCESS_KEY_ID"),
        aws_secret=env("AWS_SECRET_ACCESS_KEY"),
        aws_region=env("AWS_REGION") or env("AWS_DEFAULT_REGION"),
        aws_endpoint_url=env("AWS_ENDPOINT_URL_S3") or env("AWS_ENDPOINT_URL"),
        pg_password=env("PGPASSWORD"),
    )


def lake_retention() -> timedelta:
    """How long lake snapshots are kept for time travel (REGISTRY_LAKE_RETENTION_DAYS)."""
    return timedelta(days=_float_env("REGISTRY_LAKE_RETENTION_DAYS", 30))


def load_settings(db: str | Path | None = None) -> Settings:
    """Build the crawl's settings from the environment; `db` (the --db option) wins over REGISTRY_DB."""
    from huggingface_hub import get_token  # here: the commands that only read the warehouse do without it

    db_path = warehouse_path(db)
    # The same variable and default huggingface_hub uses, read the same way.
    endpoint = (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
    retry = RetryPolicy(
        max_attempts=int(_float_env("REGISTRY_MAX_ATTEMPTS", RetryPolicy.max_attempts)),
        max_rate_limited=int(_float_env("REGISTRY_MAX_RATE_LIMITED", RetryPolicy.max_rate_limited)),
        backoff_base=_float_env("REGISTRY_BACKOFF_BASE", RetryPolicy.backoff_base),
        backoff_cap=_float_env("REGISTRY_BACKOFF_CAP", RetryPolicy.backoff_cap),
        timeout=_float_env("REGISTRY_HTTP_TIMEOUT", RetryPolicy.timeout),
    )
    return Settings(
        db_path=db_path,
        endpoint=endpoint,
        token=get_token(),
        retry=retry,
        page_size=int(_float_env("REGISTRY_PAGE_SIZE", 1000)),
        watermark_overlap=timedelta(seconds=_float_env("REGISTRY_WATERMARK_OVERLAP_SECONDS", 3600)),
        counters_every=timedelta(hours=_float_env("REGISTRY_COUNTERS_EVERY_HOURS", 20)),
        writer_patience=_float_env("REGISTRY_WRITER_PATIENCE_SECONDS", Settings.writer_patience),
    )
