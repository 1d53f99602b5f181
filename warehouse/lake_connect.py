"""Attach a DuckLake (PostgreSQL or local catalog, S3 or folder data) to a DuckDB connection.

The DuckDB extensions come from their PyPI packages (pinned with duckdb) and are loaded from the
installed files: nothing is downloaded at run time. S3 credentials come from the standard AWS_*
variables; DuckDB reads key, secret and region from the environment by itself but not
AWS_ENDPOINT_URL, so the secret is made here. Every error leaving this module has its secrets removed.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from .connect import configure
from .errors import LakeCatalogError, LakeError, LakeRefused, LakeStorageError

LAKE = "lake"  # the attached lake's name in every connection of ours
EXTENSIONS = {  # PyPI package -> extension name (the `duckdb-extension-postgres` package fails to load)
    "duckdb_extension_ducklake": "ducklake",
    "duckdb_extension_postgres_scanner": "postgres_scanner",
    "duckdb_extension_httpfs": "httpfs",
}
CATALOG_WORDS = ("postgres", "libpq", "connection to server", "password", "catalog", "metadata")
STORAGE_WORDS = ("http", "s3", "endpoint", "bucket", "access key", "credentials", "certificate")


@dataclass(frozen=True)
class LakeSettings:
    """Where the lake is and how to reach it; the secrets in here are never logged or stored."""

    catalog: str  # as ATTACH takes it: ducklake:postgres:dbname=... or ducklake:PATH.ducklake
    data_path: str  # s3://bucket/prefix/ or a folder
    aws_key_id: str | None = None
    aws_secret: str | None = None
    aws_region: str | None = None
    aws_endpoint_url: str | None = None
    pg_password: str | None = None  # libpq reads PGPASSWORD itself; kept here only to scrub it from errors

    def __repr__(self) -> str:
        return f"LakeSettings(catalog={redact(self.catalog)!r}, data_path={self.data_path!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        found = [self.aws_key_id, self.aws_secret, self.pg_password, *re.findall(r"password=([^\s\"']+)", self.catalog)]
        return tuple(value for value in found if value)


def redact(text: str) -> str:
    """A catalog string fit to show: its password, if any, replaced."""
    return re.sub(r"password=[^\s\"']+", "password=***", text)


def scrub(message: str, lake: LakeSettings) -> str:
    """An error message with every secret of `lake` removed."""
    message = redact(message)
    for secret in sorted(lake.secrets, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message


def extension_file(package: str, name: str) -> Path:
    """Where a PyPI extension package keeps its extension for the installed duckdb."""
    module = importlib.import_module(package)
    return Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"


def new_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the lake extensions loaded from their packages (offline)."""
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    con = duckdb.connect(config=config)
    for package, name in EXTENSIONS.items():
        con.load_extension(str(extension_file(package, name)))
    return con


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def s3_secret_sql(lake: LakeSettings) -> str | None:
    """CREATE SECRET for an s3:// data path: key, secret and region from AWS_*, and AWS_ENDPOINT_URL
    as ENDPOINT (path-style URLs, SSL as its scheme says), so that MinIO, R2 and moto work too."""
    if not lake.data_path.startswith("s3://"):
        return None
    options = ["TYPE s3"]
    if lake.aws_key_id:
        options += [f"KEY_ID {_quote(lake.aws_key_id)}", f"SECRET {_quote(lake.aws_secret or '')}"]
    if lake.aws_region:
        options.append(f"REGION {_quote(lake.aws_region)}")
    if lake.aws_endpoint_url:
        url = urlsplit(lake.aws_endpoint_url)
        options += [f"ENDPOINT {_quote(url.netloc or url.path)}", "URL_STYLE 'path'"]
        options.append(f"USE_SSL {'false' if url.scheme == 'http' else 'true'}")
    return f"CREATE OR REPLACE TEMPORARY SECRET registry_lake_s3 ({', '.join(options)})"


def classify(error: Exception, lake: LakeSettings, during: str) -> LakeError:
    """Which side failed, the catalog or the data path, with the secrets removed from the message."""
    message = scrub(str(error), lake)
    lowered = message.lower()
    if any(word in lowered for word in STORAGE_WORDS) and not lowered.startswith("catalog"):
        return LakeStorageError(f"the lake's data path {lake.data_path} failed {during}: {message}")
    if during == "attaching" or any(word in lowered for word in CATALOG_WORDS):
        return LakeCatalogError(f"the lake's catalog {redact(lake.catalog)} failed {during}: {message}")
    return LakeError(f"the lake failed {during}: {message}")


def attach_lake(con: duckdb.DuckDBPyConnection, lake: LakeSettings, read_only: bool) -> None:
    """Attach the lake as `lake`; a read-only attach cannot write it whatever the SQL says."""
    try:
        secret = s3_secret_sql(lake)
        if secret:
            con.execute(secret)
        mode = ", READ_ONLY" if read_only else ""
        con.execute(f"ATTACH {_quote(lake.catalog)} AS {LAKE} (DATA_PATH {_quote(lake.data_path)}{mode})")
    except duckdb.Error as error:
        if read_only and "does not exist" in str(error):
            raise never_published(lake) from None
        raise classify(error, lake, "attaching") from None


def never_published(lake: LakeSettings) -> LakeRefused:
    return LakeRefused(f"the lake {redact(lake.catalog)} has never been published to: run `registry publish` first")


def open_lake_reader(lake: LakeSettings, sandboxed: bool = False) -> duckdb.DuckDBPyConnection:
    """The lake, attached read-only and made the default database; `sandboxed` also forbids touching
    any file but the lake's data (as `registry query` does on the warehouse file)."""
    con = configure(new_connection())  # the same session settings as a reader of the file
    attach_lake(con, lake, read_only=True)
    (published,) = con.execute(
        f"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{LAKE}' AND table_name = 'lake_publishes'"
    ).fetchone()
    if not published:
        con.close()
        raise never_published(lake)
    con.execute(f"USE {LAKE}")
    if sandboxed:
        con.execute("SET allowed_directories = ?", [[lake.data_path]])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con
