"""The `registry` command: thin commands that parse options, call one function, and format."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from queries.sections import DEFAULT_TOP, SECTIONS
from warehouse.errors import WarehouseError
from warehouse.streams import REPO_TYPES

from .logs import setup_logging
from .render import Format, render
from .settings import lake_settings, load_settings, warehouse_path

# Each command imports what only it needs (the crawler, the scheduler, the HTML report): `registry
# stats` should not pay for the crawler's imports.
if TYPE_CHECKING:
    from crawler.crawl import CrawlReport
    from warehouse.lake_connect import LakeSettings
    from warehouse.staging import CrawlState

    from .api import Registry

# The kinds of repository `registry crawl --type` takes (warehouse/streams.py).
RepoType = Enum("RepoType", {name: name for name in REPO_TYPES}, type=str)

app = typer.Typer(
    help="Mirror the Hugging Face Hub's public models into DuckDB and report on them.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


class Exit:
    """Exit codes (documented in README): scripts and the scheduler tell failures apart by them."""

    OK = 0
    CRAWL_FAILED = 1
    USAGE = 2  # typer/click's own code for bad options
    WAREHOUSE = 3  # missing, locked, or a crawl already running
    UNREACHABLE = 4
    AUTH = 5
    QUERY = 6
    LAKE_CATALOG = 7  # the lake's catalog (PostgreSQL or .ducklake file) unreachable, refused us, or busy
    LAKE_STORAGE = 8  # the lake's data path (S3 or folder) unreachable or refused the credentials
    LAKE_REFUSED = 9  # another warehouse's lake, a newer lake format, or (readers) never published
    INTERRUPTED = 130


DbOption = Annotated[
    Path | None, typer.Option("--db", help="Warehouse file (env REGISTRY_DB; default ./registry.duckdb).")
]
LakeOption = Annotated[
    str | None,
    typer.Option(
        "--lake",
        help="Read/write a DuckLake (env REGISTRY_LAKE): ducklake:postgres:dbname=... or ducklake:PATH.ducklake.",
    ),
]
DataPathOption = Annotated[
    str | None, typer.Option("--data-path", help="The lake's data (env REGISTRY_LAKE_DATA_PATH): s3://... or a folder.")
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)  # messages may hold [brackets]
    return typer.Exit(code)


@contextmanager
def _stop_on_signals(stop: threading.Event):
    """SIGTERM/SIGINT ask the crawl to finish its current page, commit and exit.

    The handler only sets `stop`: it runs in the main thread between any two of its bytecodes, and
    printing from it once imported a module another thread was importing (a traceback, not a stop).
    Who waits on `stop` says that it is stopping."""

    def handler(signum, frame):
        if not stop.is_set():  # set() takes the event's lock: once, not again on a second signal
            stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _progress_bar(quiet: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("records · {task.fields[pages]} pages · {task.fields[retries]} retries"),
        TimeElapsedColumn(),
    ]
    return Progress(*columns, console=err, disable=quiet, transient=False)


@app.command("crawl")
def crawl_command(
    db: DbOption = None,
    full: Annotated[bool, typer.Option("--full", help="A full crawl even when an incremental one would do.")] = False,
    repo_type: Annotated[
        list[RepoType] | None,
        typer.Option("--type", "-t", help="Only these kinds of repository (repeatable); default: all three."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    keep_report: Annotated[
        bool,
        typer.Option("--report/--no-report", help="Keep the report ready for `stats` after the crawl (default)."),
    ] = True,
) -> None:
    """Update the mirror from the Hub (HF_ENDPOINT, HF_TOKEN): models, datasets and Spaces; full the
    first time, then incremental.

    An interrupted crawl is resumed where it stopped. Once a day the counters (downloads, likes,
    trending score) of every repository are refreshed too, which also reveals renames and deletions.
    Then the report is computed and kept, so that the next `registry stats` is served at once.
    """
    setup_logging(verbose)
    settings = load_settings(db)
    stop = threading.Event()
    # One handler from the first page to the exit: a Ctrl-C between the crawl and its report (as its
    # summary prints, say) is a stop like any other, not a KeyboardInterrupt's traceback.
    with _stop_on_signals(stop):
        with _progress_bar(quiet) as progress:
            tasks: dict[int, int] = {}

            def on_page(state: CrawlState) -> None:
                if state.run_id not in tasks:
                    label = f"{state.kind} {state.repo_type}"
                    tasks[state.run_id] = progress.add_task(label, total=None, pages=0, retries=0)
                progress.update(tasks[state.run_id], completed=state.records, pages=state.pages, retries=state.retries)

            types = tuple(dict.fromkeys(t.value for t in repo_type)) if repo_type else REPO_TYPES
            reports = _run_crawl(settings, full, on_page, stop, types)
        for report in reports:
            _print_crawl_summary(report)
        if keep_report:
            _report_after_crawl(settings.db_path, stop)
        _suggest_compaction(settings.db_path)


def _report_after_crawl(db_path: Path, stop: threading.Event) -> None:
    """Compute and keep the report, as the nightly job does after its crawl: the first `registry stats`
    after a crawl is then served from the warehouse (at 2.5M models and a year of history, under a
    second instead of 12-16 s). A SIGINT/SIGTERM during it (`stop` set by the crawl's handler, still
    installed) lets it finish, as the scheduler does."""
    if stop.is_set():  # the stop came after the last page: the crawl is whole, the report can wait
        err.print("stopped: the report is left to the next `registry stats`", highlight=False)
        return
    started = time.perf_counter()
    failure = _keep_report_current(db_path)
    if failure:
        err.print(f"the report was not kept (the next `registry stats` computes it): {failure}", highlight=False)
    else:
        err.print(f"report computed for the next `registry stats` in {time.perf_counter() - started:.1f} s")


def _suggest_compaction(db_path: Path) -> None:
    from warehouse.compact import keeps_raw_uncompressed

    if keeps_raw_uncompressed(db_path):
        err.print(
            f"note: {db_path} was created before raw and cardData were kept compressed; "
            "`registry compact` rewrites it to about an eighth of its size",
            highlight=False,
        )


def _run_crawl(settings, full, on_page, stop, repo_types: tuple[str, ...]) -> list[CrawlReport]:
    from crawler.crawl import CrawlInterrupted, update_mirror
    from crawler.errors import CrawlError, HubAuthError, HubUnreachable

    try:
        return update_mirror(settings, full=full, on_page=on_page, stop=stop, repo_types=repo_types)
    except CrawlInterrupted as error:
        raise _fail(str(error), Exit.INTERRUPTED) from None
    except HubAuthError as error:
        raise _fail(str(error), Exit.AUTH) from None
    except HubUnreachable as error:
        raise _fail(str(error), Exit.UNREACHABLE) from None
    except CrawlError as error:
        raise _fail(str(error), Exit.CRAWL_FAILED) from None
    except WarehouseError as error:
        raise _fail(str(error), Exit.WAREHOUSE) from None


def _print_crawl_summary(report: CrawlReport) -> None:
    s, m = report.state, report.merge
    err.print(
        f"{s.kind} run {report.run_id}{' (resumed)' if report.resumed else ''}: {m.models_loaded} {s.repo_type} "
        f"({m.flagged} flagged, {m.quarantined} quarantined, {m.marked_deleted} newly deleted, "
        f"{m.private_skipped} private skipped) from {s.pages} pages in {report.seconds:.1f} s; "
        f"{s.retries} retries, {s.http_429} HTTP 429, {s.rate_limit_waits} rate-limit waits",
        highlight=False,
    )


def _lake(lake: str | None, data_path: str | None, db: Path | None = None) -> LakeSettings | None:
    """The lake to read: --lake, else REGISTRY_LAKE unless --db names a file; None: the file."""
    if lake is None and db is not None:
        return None
    try:
        return lake_settings(lake, data_path)
    except ValueError as error:
        raise _fail(str(error), Exit.USAGE) from None


def _lake_failure(error: Exception) -> typer.Exit:
    from warehouse.errors import LakeCatalogError, LakeRefused, LakeStorageError

    codes = {LakeCatalogError: Exit.LAKE_CATALOG, LakeStorageError: Exit.LAKE_STORAGE, LakeRefused: Exit.LAKE_REFUSED}
    return _fail(str(error), next((code for kind, code in codes.items() if isinstance(error, kind)), Exit.LAKE_CATALOG))


def _registry(db: Path | None, lake: str | None = None, data_path: str | None = None) -> Registry:
    """The warehouse file, or with --lake (or REGISTRY_LAKE, unless --db names a file) the lake."""
    from .api import Registry

    settings = _lake(lake, data_path, db)
    return Registry(db) if settings is None else Registry(lake=settings.catalog, data_path=settings.data_path)


@contextmanager
def _warehouse_errors():
    """A missing or locked warehouse is exit code 3, a lake's problems 7-9, each with its message."""
    from warehouse.errors import LakeError

    try:
        yield
    except LakeError as error:
        raise _lake_failure(error) from None
    except WarehouseError as error:
        raise _fail(str(error), Exit.WAREHOUSE) from None


@app.command("stats")
def stats_command(
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    section: Annotated[
        list[str] | None, typer.Option("--section", "-s", help=f"Only these sections: {', '.join(SECTIONS)}.")
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per ranked section.")] = DEFAULT_TOP,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", help="Report the ecosystem as it was then (UTC date or time), from history."),
    ] = None,
    lake: LakeOption = None,
    data_path: DataPathOption = None,
) -> None:
    """Report on the mirror: totals, libraries, tasks, licenses, model sizes; now or --as-of a date.

    The current report is kept in the warehouse (schema `report`) and served from there until a
    crawl changes the warehouse; a report --as-of a date is computed each time.
    """
    unknown = sorted(set(section or ()) - set(SECTIONS))
    if unknown:
        raise _fail(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}", Exit.USAGE)
    with _warehouse_errors():
        tables = _registry(db, lake, data_path).stats(*(section or ()), as_of=as_of, top=top)
    sys.stdout.write(render(tables, fmt))


@app.command("report")
def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML page.")] = Path("report.html"),
    db: DbOption = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", help="Report the ecosystem as it was then (UTC date or time), from history."),
    ] = None,
    lake: LakeOption = None,
    data_path: DataPathOption = None,
) -> None:
    """Write one self-contained HTML report with charts (opens offline, no CDN)."""
    from queries.report import render_report

    from .api import end_of_day_if_date

    # The same sections as `registry stats` (its default --top), so that both are served from the kept report.
    with _warehouse_errors():
        sections = _registry(db, lake, data_path).stats(as_of=as_of, top=DEFAULT_TOP)
    html = render_report(sections, end_of_day_if_date(as_of))
    out.write_text(html, encoding="utf-8")
    err.print(f"wrote {out} ({len(html) // 1024} KiB)")


@app.command("query")
def query_command(
    sql: Annotated[str, typer.Argument(help="One SELECT statement (read-only).")],
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    lake: LakeOption = None,
    data_path: DataPathOption = None,
) -> None:
    """Run one read-only SQL statement against the warehouse (or the lake, with --lake)."""
    from queries.readonly import QueryFailed, QueryRefused

    try:
        with _warehouse_errors():
            result = _registry(db, lake, data_path).sql(sql)
    except QueryRefused as error:
        raise _fail(str(error), Exit.QUERY) from None
    except QueryFailed as error:
        raise _fail(f"query failed: {error}", Exit.QUERY) from None
    sys.stdout.write(render({"": result}, fmt))


@app.command("runs")
def runs_command(
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    limit: Annotated[int, typer.Option(min=1, help="How many runs, newest first.")] = 20,
) -> None:
    """List recent crawl runs with their outcome and counters."""
    with _warehouse_errors():
        runs = _registry(db).runs(limit)
    sys.stdout.write(render({"": runs}, fmt))


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="A new (or empty) folder for the Parquet files.")],
    db: DbOption = None,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", help="Export the ecosystem as it was then (UTC date or time), from history."),
    ] = None,
) -> None:
    """Export every table and view as Parquet (zstd), history by month, with a schema file (schema.json)."""
    from queries.export import ExportError

    try:
        with _warehouse_errors():
            schema = _registry(db).export(out, as_of)
    except ExportError as error:
        raise _fail(str(error), Exit.USAGE) from None
    rows = sum(table["rows"] for table in schema["tables"].values())
    err.print(f"wrote {out}: {len(schema['tables'])} tables, {rows:,} rows, schema in {out / 'schema.json'}")


@app.command("compact")
def compact_command(
    db: DbOption = None,
    keep_old: Annotated[
        bool, typer.Option("--keep-old", help="Keep the old file beside it, as <db>.before-compact.")
    ] = False,
) -> None:
    """Rewrite the warehouse into a new file: the current storage format (raw and cardData compressed),
    no space left by deleted rows. Every row is checked; no crawl or publish may run meanwhile."""
    from warehouse.compact import compact

    path = warehouse_path(db)
    with _warehouse_errors():
        done = compact(path, keep_old=keep_old)
    kept = f"; the old file is kept as {done.kept_old}" if done.kept_old else ""
    err.print(
        f"compacted {path}: {done.bytes_before / 1e6:,.1f} MB -> {done.bytes_after / 1e6:,.1f} MB, storage "
        f"{done.storage_before} -> {done.storage_after}, {done.rows:,} rows copied and checked{kept}",
        highlight=False,
    )


@app.command("schedule")
def schedule_command(
    db: DbOption = None,
    cron: Annotated[
        str | None,
        typer.Option(
            help="When to crawl, UTC: 5-field crontab, or 6 fields with seconds first.",
            show_default="nightly at 02:00 UTC",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """Run the crawl on a schedule (default nightly at 02:00 UTC) until SIGTERM/SIGINT."""
    stop = threading.Event()
    with _stop_on_signals(stop):  # first: a signal during the imports below stops it cleanly too
        from scheduler import DEFAULT_CRON, parse_cron, run_schedule

        setup_logging(verbose)
        cron = cron or DEFAULT_CRON
        try:
            parse_cron(cron)
        except ValueError as error:
            raise _fail(f"bad --cron: {error}", Exit.USAGE) from None
        run_schedule(load_settings(db), cron, stop)


@app.command("publish")
def publish_command(
    db: DbOption = None,
    lake: LakeOption = None,
    data_path: DataPathOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """Bring the lake (a DuckLake) up to date with the warehouse: one publish, one snapshot.

    Writes what changed since the last publish; a publish that fails or is killed leaves the lake at
    its last snapshot, and the next one completes it. Logged in the warehouse's publish_runs.
    """
    from queries.stored_report import kept_for_lake
    from warehouse.errors import LakeError
    from warehouse.lake_publish import publish_and_log

    setup_logging(verbose)
    settings = _lake(lake, data_path)
    if settings is None:
        raise _fail("no lake to publish to: pass --lake and --data-path, or set REGISTRY_LAKE", Exit.USAGE)
    try:
        failure = _keep_report_current(warehouse_path(db))
        if failure:
            logging.getLogger("registry.lake").warning(
                "the report is not published with this snapshot (lake readers compute it): %s", failure
            )
        report = publish_and_log(warehouse_path(db), settings, current_report=kept_for_lake)
    except LakeError as error:
        raise _lake_failure(error) from None
    except WarehouseError as error:
        raise _fail(str(error), Exit.WAREHOUSE) from None
    err.print(
        f"published snapshot {report.snapshot_id} (publish {report.publish_id}) in {report.seconds:.1f} s: "
        f"{', '.join(report.changed) or 'nothing changed'}",
        highlight=False,
    )


def _keep_report_current(db_path: Path) -> str | None:
    """Compute the kept report if the warehouse changed since (served as it is otherwise). Best
    effort, after a crawl and before a publish: what failed, or None."""
    import duckdb

    from .api import Registry

    try:
        Registry(db_path).stats()
    except (WarehouseError, duckdb.Error) as error:
        return str(error)
    return None


@app.command("lake-maintain")
def lake_maintain_command(
    lake: LakeOption = None,
    data_path: DataPathOption = None,
    retention_days: Annotated[
        float | None,
        typer.Option(help="Keep snapshots this many days (env REGISTRY_LAKE_RETENTION_DAYS).", show_default="30"),
    ] = None,
) -> None:
    """Housekeeping of the lake: compact small files, expire old snapshots, delete unused files."""
    from datetime import timedelta

    from warehouse.errors import LakeError
    from warehouse.lake_maintain import maintain

    from .settings import lake_retention, utc_now

    settings = _lake(lake, data_path)
    if settings is None:
        raise _fail("no lake to maintain: pass --lake and --data-path, or set REGISTRY_LAKE", Exit.USAGE)
    retention = timedelta(days=retention_days) if retention_days is not None else lake_retention()
    try:
        done = maintain(settings, retention, utc_now())
    except LakeError as error:
        raise _lake_failure(error) from None
    err.print(
        f"lake maintained: {done.rows_pruned} superseded metadata rows deleted, {done.files_merged} compactions, "
        f"{done.snapshots_expired} snapshots expired, {done.files_deleted} files deleted",
        highlight=False,
    )
