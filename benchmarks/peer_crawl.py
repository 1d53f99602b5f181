"""The peers: the crawls an analyst writes by hand, measured on the same stand-in.

huggingface_hub's `list_models(expand=...)` into a Python list, then a Polars DataFrame, then a
DuckDB table. The peer asks for and keeps the same fields as the registry; the minimal peer
(--minimal) asks for every field but the model card's (`cardData`) and keeps no card data, as a new
user's first script would. Run as its own process so that its CPU and peak memory are its own. Give
it a population without malformed records: huggingface_hub's ModelInfo raises on a createdAt that is
not a date, and the whole hand-written crawl is lost (the registry keeps and flags such records).

    python -m benchmarks.peer_crawl --endpoint URL --db peer.duckdb [--minimal]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb
import polars as pl
from huggingface_hub import HfApi

from warehouse.streams import MODELS

CARD_FIELD = "cardData"


def as_row(model) -> dict:
    """The same fields the registry keeps, flattened as an analyst would."""
    return {
        "id": model.id,
        "author": model.author,
        "created_at": model.created_at,
        "last_modified": model.last_modified,
        "sha": model.sha,
        "gated": str(model.gated),
        "disabled": model.disabled,
        "private": model.private,
        "downloads": model.downloads,
        "downloads_all_time": model.downloads_all_time,
        "likes": model.likes,
        "trending_score": model.trending_score,
        "library_name": model.library_name,
        "pipeline_tag": model.pipeline_tag,
        "tags": model.tags,
        "card_data": json.dumps(model.card_data.to_dict(), default=str) if model.card_data else None,
        "parameters": model.safetensors.total if model.safetensors else None,
        "base_models": json.dumps(getattr(model, "base_models", None), default=str),
        "used_storage": getattr(model, "used_storage", None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--minimal", action="store_true", help="ask for no card data and keep none")
    args = parser.parse_args()
    api = HfApi(endpoint=args.endpoint, token=False)
    fields = [field for field in MODELS.fields if not (args.minimal and field == CARD_FIELD)]
    models = list(api.list_models(expand=fields))
    rows = [as_row(model) for model in models]
    if args.minimal:
        for row in rows:
            del row["card_data"]
    frame = pl.DataFrame(rows, infer_schema_length=None)
    con = duckdb.connect(str(args.db))
    con.register("frame", frame)
    con.execute("CREATE OR REPLACE TABLE models AS SELECT * FROM frame")
    (count,) = con.execute("SELECT count(*) FROM models").fetchone()
    con.close()
    print(json.dumps({"records": count}))


if __name__ == "__main__":
    main()
