"""An analyst's process: plain DuckDB attaches the lake read-only (optionally at a snapshot) and copies
the tables it reads into a local file. Run as `python -m tests.read_lake CATALOG DATA_PATH OUT [VERSION]`
with the AWS_* and PGPASSWORD variables set, as an analyst would."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

TABLES = ("models", "models_enriched", "model_versions", "daily_counters", "daily_totals", "model_renames",
          "crawl_runs", "license_map", "quarantine", "datasets", "dataset_versions", "dataset_renames", "spaces",
          "space_versions", "space_renames", "repo_links")  # fmt: skip


def extension(package: str, name: str) -> str:
    module = __import__(package)
    return str(Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


def main(catalog: str, data_path: str, out: str, version: str | None = None) -> None:
    con = duckdb.connect(out)
    for package, name in (("duckdb_extension_ducklake", "ducklake"), ("duckdb_extension_postgres_scanner",
                          "postgres_scanner"), ("duckdb_extension_httpfs", "httpfs")):  # fmt: skip
        con.load_extension(extension(package, name))
    if data_path.startswith("s3://"):
        endpoint = urlsplit(os.environ["AWS_ENDPOINT_URL"]).netloc
        con.execute(
            f"CREATE SECRET (TYPE s3, KEY_ID '{os.environ['AWS_ACCESS_KEY_ID']}', "
            f"SECRET '{os.environ['AWS_SECRET_ACCESS_KEY']}', REGION '{os.environ['AWS_REGION']}', "
            f"ENDPOINT '{endpoint}', URL_STYLE 'path', USE_SSL false)"
        )
    at = f", SNAPSHOT_VERSION {int(version)}" if version else ""
    con.execute(f"ATTACH '{catalog}' AS lake (DATA_PATH '{data_path}', READ_ONLY{at})")
    for table in TABLES:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM lake.{table}")
    con.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
