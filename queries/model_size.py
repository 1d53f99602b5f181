"""Model size distribution, in Polars: counts, sources and storage per size bucket.

The size itself (safetensors, else gguf, else read from the name) is derived in the warehouse
(`models_enriched`, macros in warehouse/sql/migrations/002_analyst_views.sql), so SQL and Polars
agree; this only aggregates, over an Arrow transfer (no Python lists).
"""

from __future__ import annotations

import duckdb
import polars as pl

BUCKET_ORDER = ["<100M", "100M-1B", "1B-3B", "3B-10B", "10B-30B", "30B-100B", ">100B", "unknown"]


def size_distribution(con: duckdb.DuckDBPyConnection, relation: str = "stats_models") -> pl.DataFrame:
    """Models and storage per size bucket, with where the sizes came from."""
    sizes = con.execute(f"SELECT size_bucket, parameters_source, used_storage FROM {relation}").pl()
    return (
        sizes.with_columns(pl.col("size_bucket").cast(pl.Enum(BUCKET_ORDER)))
        .group_by("size_bucket")
        .agg(
            pl.len().alias("models"),
            (pl.col("parameters_source") == "safetensors").sum().alias("from_safetensors"),
            (pl.col("parameters_source") == "gguf").sum().alias("from_gguf"),
            (pl.col("parameters_source") == "name").sum().alias("from_name"),
            (pl.col("used_storage").sum() / 1e9).round(1).alias("storage_gb"),
        )
        .sort("size_bucket")
        .with_columns(pl.col("size_bucket").cast(pl.String))
    )
