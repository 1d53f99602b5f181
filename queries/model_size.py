"""Model size: parameters from safetensors, else gguf, else the model's name; buckets; storage.

Polars, because reading a size out of a name ("8x7B", "1.5b", "350M") is string work that reads
more clearly as dataframe expressions than as SQL.
"""

from __future__ import annotations

import duckdb
import polars as pl

# A size token in a name: an optional expert count ("8x"), a number, a unit; bounded by separators
# so that "v2" or "4bit" do not count. Units: k, m(illion), b(illion), t(rillion).
SIZE_TOKEN = r"(?i)(?:^|[-_./ ])(?:(\d{1,3})x)?(\d{1,4}(?:\.\d{1,2})?)([kmbt])(?:$|[-_./ ])"
UNITS = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}

BUCKETS = [  # (upper bound, label), in order
    (100e6, "<100M"),
    (1e9, "100M-1B"),
    (3e9, "1B-3B"),
    (10e9, "3B-10B"),
    (30e9, "10B-30B"),
    (100e9, "30B-100B"),
    (float("inf"), ">100B"),
]
BUCKET_ORDER = [label for _, label in BUCKETS] + ["unknown"]


def parameters_from_name(names: pl.Expr) -> pl.Expr:
    """Parameter count read from the name part of "author/name"; null where the name has no size."""
    name = names.str.split("/").list.last()
    token = name.str.extract_groups(SIZE_TOKEN)
    experts = token.struct.field("1").cast(pl.Float64).fill_null(1.0)
    number = token.struct.field("2").cast(pl.Float64)
    unit = token.struct.field("3").str.to_lowercase().replace_strict(UNITS, default=None, return_dtype=pl.Float64)
    return (experts * number * unit).round(0).cast(pl.Int64)


def size_bucket(parameters: pl.Expr) -> pl.Expr:
    expression = pl.when(parameters.is_null()).then(pl.lit("unknown"))
    for upper, label in BUCKETS:
        expression = expression.when(parameters < upper).then(pl.lit(label))
    return expression.otherwise(pl.lit(">100B")).cast(pl.Enum(BUCKET_ORDER))


def with_sizes(models: pl.DataFrame) -> pl.DataFrame:
    """Add parameters (best source), parameters_source and size_bucket to rows with id, parameters,
    parameters_source (as stored: safetensors or gguf)."""
    from_name = parameters_from_name(pl.col("id"))
    return models.with_columns(
        pl.coalesce(pl.col("parameters"), from_name).alias("parameters"),
        pl.when(pl.col("parameters").is_not_null())
        .then(pl.col("parameters_source"))
        .when(from_name.is_not_null())
        .then(pl.lit("name"))
        .alias("parameters_source"),
    ).with_columns(size_bucket(pl.col("parameters")).alias("size_bucket"))


def model_sizes(con: duckdb.DuckDBPyConnection, relation: str = "stats_models") -> pl.DataFrame:
    """model_key, id, parameters, parameters_source, size_bucket, used_storage for every model."""
    models = con.execute(f"SELECT model_key, id, parameters, parameters_source, used_storage FROM {relation}").pl()
    return with_sizes(models)


def size_distribution(sizes: pl.DataFrame) -> pl.DataFrame:
    """Models and storage per size bucket, with where the sizes came from."""
    return (
        sizes.group_by("size_bucket")
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
