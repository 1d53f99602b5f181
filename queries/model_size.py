"""Model size distribution, in Polars: counts, sources and storage per size bucket.

The size itself (safetensors, else gguf, else read from the name) is derived in the warehouse
(`models_enriched`, macros in warehouse/sql/migrations/002_analyst_views.sql), so SQL and Polars
agree; the counting runs in the warehouse, Polars orders and shapes the few rows it returns.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

SIZE_SQL = Path(__file__).with_suffix(".sql")
BUCKET_ORDER = ["<100M", "100M-1B", "1B-3B", "3B-10B", "10B-30B", "30B-100B", ">100B", "unknown"]


def size_distribution(con: duckdb.DuckDBPyConnection, relation: str = "stats_models") -> pl.DataFrame:
    """Models and storage per size bucket, with where the sizes came from."""
    counted = con.execute(SIZE_SQL.read_text().format(relation=relation)).pl()
    counts = ["models", "from_safetensors", "from_gguf", "from_name"]
    return (
        counted.with_columns(
            pl.col("size_bucket").cast(pl.Enum(BUCKET_ORDER)),
            pl.col(counts).cast(pl.UInt32),
            (pl.col("used_storage") / 1e9).round(1).alias("storage_gb"),
        )
        .select("size_bucket", *counts, "storage_gb")
        .sort("size_bucket")
        .with_columns(pl.col("size_bucket").cast(pl.String))
    )
