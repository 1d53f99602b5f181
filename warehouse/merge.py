"""Apply a crawl's staged pages to the warehouse, while it lists and once it is done.

In chunks of pages, each typed (warehouse/page_typing.py) and then applied in its own short
transaction that also records how far the merge got: the warehouse is never held for long (readers
wait at most one chunk), memory stays bounded whatever the crawl's size, and a merge interrupted at
any moment resumes after its last committed chunk. The crawler applies staged pages while it lists
(crawler/crawl.py decides when), so that merging overlaps with fetching; once the listing is done,
the rest is applied, its last chunk in the transaction that marks deletions and logs the run.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from .connect import WRITER_THREADS, connect_writer_with_patience, open_writer, transaction
from .errors import StagedPageMissing
from .freed_memory import release_freed_memory
from .page_typing import StagedPage, create_typed_rows, type_staged_pages
from .runs import record_progress
from .settle import settle_counter_days
from .sqlfiles import execute_script, sql
from .staging import CrawlState, page_path, pages_dir
from .streams import STREAMS, Stream

log = logging.getLogger("registry.warehouse")

# Pages a merge transaction applies at most. Their ~29,000 public records of the Hub's 1,000-record
# pages are more than a row group (connect.WRITER_ROW_GROUP_ROWS), so that they are written straight
# into the file, not through the WAL; a chunk holds them all in typed_rows (spilled beyond the
# memory cap). Readers wait at most one chunk.
CHUNK_PAGES = int(os.environ.get("REGISTRY_MERGE_CHUNK_PAGES", 0)) or 30
# An incremental listing's repositories are scattered over the whole table, and the checkpoint after
# each merge rewrites what a chunk touched. At 2.5M models (13 GB with datasets and Spaces), within the
# 160 MB cap, a 19-page chunk could not COMMIT (its automatic checkpoint) and a 5-page chunk's
# checkpoint failed fatally. So such a listing merges 5 pages at a time, with SCATTERED_MEMORY_LIMIT.
SCATTERED_CHUNK_PAGES = 5
# A merge's COMMIT does not checkpoint: each chunk is checkpointed after it, explicitly, so that a
# checkpoint needing more than the cap cannot lose or repeat work. An incremental listing's merges
# and checkpoints always get this much: the undo information of its MERGE's updates, scattered over
# every row group, is held until the COMMIT (2.5M models, a day's 17,500 new and edited models: 109
# MB in row groups of 30,720 rows, 131 MB in groups of 16,384, which left the 160 MB cap too little
# for the statements after it; 2026-12-03). Any other merge's checkpoint gets it only when it fails
# within the cap: the file is opened again with this much, which replays what the COMMIT wrote to
# the WAL, and checkpointed. A counters refresh's checkpoints get it from the start: each rewrites the
# counters of every row group its chunk touched, and at 2.5M models 105 of its 128 ran out of the
# 160 MB cap and were made again (2026-12-03, tenth session).
# Merging full listings with 512 MB throughout cached reads up to the cap (nightly peak RSS 652 MB at
# 200k models; BENCHMARKS.md).
SCATTERED_MEMORY_LIMIT = CHECKPOINT_MEMORY_LIMIT = "512MB"


def scattered(kind: str) -> bool:
    """Whether a crawl of this kind lists repositories scattered over the whole table (newest edits
    first), which its merges get SCATTERED_CHUNK_PAGES and SCATTERED_MEMORY_LIMIT for."""
    return kind == "incremental"


def chunk_pages(kind: str) -> int:
    """Pages merged in one transaction by a crawl of this kind."""
    return min(CHUNK_PAGES, SCATTERED_CHUNK_PAGES) if scattered(kind) else CHUNK_PAGES


# Which crawls list every public model (so that what they miss is deleted) and which carry full records.
COMPLETE_LISTINGS = {"full", "counters"}
FULL_RECORDS = {"full", "incremental"}


@dataclass(frozen=True)
class MergeResult:
    models_loaded: int
    private_skipped: int
    flagged: int
    quarantined: int
    marked_deleted: int


def ran_out_of_memory(error: duckdb.Error) -> bool:
    """DuckDB ran out of its memory cap: while running a statement, or while committing (at 2.5M
    models, an incremental chunk's updates scattered over the table failed its COMMIT this way)."""
    if isinstance(error, duckdb.OutOfMemoryException):
        return True
    return isinstance(error, duckdb.TransactionException) and "failed to pin block" in str(error)


def merge_staged(
    db_path: Path, staging_file: Path, state: CrawlState, merged: int, patience: float, until: int | None = None
) -> int:
    """Apply what is staged beyond page `merged`, up to page `until`, in chunks; the pages now merged."""
    until = state.pages if until is None else until
    while merged < until:
        through = min(merged + chunk_pages(state.kind), until)
        _merge_chunk(db_path, staging_file, state, merged, through, patience)
        merged = through
    return merged


def _merge_chunk(
    db_path: Path, staging_file: Path, state: CrawlState, after: int, through: int, patience: float
) -> None:
    """Merge pages after < page_no <= through in one transaction; in halves if it runs out of DuckDB memory.

    What a chunk's merge needs grows with its records' size (raw goes through the MERGE),
    not only their number: a chunk of unusually large records could exceed the cap, and as the same
    chunk it would fail every rerun. The failed transaction is rolled back; its halves commit apart.
    """
    started = time.monotonic()
    try:
        with _writer(db_path, staging_file, patience, state.kind) as con:
            _type_pages(con, staging_file, STREAMS[state.repo_type], after, through)
            with transaction(con):
                _apply_pages(con, state, after, through)
            release_freed_memory()  # before the checkpoint (warehouse/freed_memory.py)
    except duckdb.Error as error:
        if not ran_out_of_memory(error) or through - after < 2:
            raise
        middle = (after + through) // 2
        log.warning("merging pages %d-%d ran out of DuckDB memory: merging them in halves", after + 1, through)
        _merge_chunk(db_path, staging_file, state, after, middle, patience)
        _merge_chunk(db_path, staging_file, state, middle, through, patience)
        return
    log.debug("merged pages %d-%d in %.2f s", after + 1, through, time.monotonic() - started)


def merge_crawl(
    db_path: Path, staging_file: Path, state: CrawlState, clock: Callable[[], datetime], patience: float
) -> MergeResult:
    """Apply what is left of the finished listing, then mark the unlisted deleted and log the run.

    The last chunk goes in the same transaction as the finish: one warehouse open and checkpoint fewer.
    """
    merged = merged_pages(db_path, state.run_id, patience)
    last_chunk = max(merged, state.pages - chunk_pages(state.kind))
    merge_staged(db_path, staging_file, state, merged, patience, until=last_chunk)
    try:
        with _writer(db_path, staging_file, patience, state.kind) as con:
            _type_pages(con, staging_file, STREAMS[state.repo_type], last_chunk, state.pages)
            return _finish_and_settle(con, state, last_chunk, clock)
    except duckdb.Error as error:
        if not ran_out_of_memory(error) or last_chunk == state.pages:
            raise
        log.warning("merging the last pages with the finish ran out of DuckDB memory: merging them apart")
    merge_staged(db_path, staging_file, state, last_chunk, patience)
    with _writer(db_path, staging_file, patience, state.kind) as con:
        return _finish_and_settle(con, state, state.pages, clock)


def _finish_and_settle(
    con: duckdb.DuckDBPyConnection, state: CrawlState, merged: int, clock: Callable[[], datetime]
) -> MergeResult:
    """The typed pages after `merged` and the run's finish in one transaction; then the settling."""
    with transaction(con):
        if merged < state.pages:
            _apply_pages(con, state, merged, state.pages)
        result = _finish(con, state, clock())
    _settle(con, STREAMS[state.repo_type], clock())
    return result


def _settle(con: duckdb.DuckDBPyConnection, stream: Stream, now: datetime) -> None:
    """After a run: the finished days of its kind's counters history, stored again in counter order
    (warehouse/settle.py), in transactions of their own: if it fails, the next run settles them."""
    try:
        days = settle_counter_days(con, stream, now.date())
    except duckdb.Error as error:  # housekeeping: the run it follows has committed; never fail it
        log.warning("the %s counters of past days were left in the order written: %s", stream.name, error)
        return
    if days:
        log.debug("%s counters of %s stored again in counter order", stream.name, ", ".join(map(str, days)))


def _type_pages(con: duckdb.DuckDBPyConnection, staging_file: Path, stream: Stream, after: int, through: int) -> None:
    """Type staged pages after < page_no <= through into typed_rows, outside any transaction: a
    page's fallbacks (warehouse/page_typing.py) go on after a statement that failed."""
    create_typed_rows(con, stream)
    staged = con.execute(
        "SELECT page_no, fetched_at, records FROM stage.staged_pages "
        "WHERE page_no > ? AND page_no <= ? ORDER BY page_no",
        [after, through],
    ).fetchall()
    pages = [StagedPage(*row, page_path(staging_file, row[0])) for row in staged]
    for page in pages:
        if not page.path.exists():
            raise StagedPageMissing(
                f"the body of staged page {page.page_no} is missing from {pages_dir(staging_file)}: delete "
                f"{staging_file} to start the crawl again"
            )
    if pages:
        type_staged_pages(con, pages, stream)


def _apply_pages(con: duckdb.DuckDBPyConnection, state: CrawlState, after: int, through: int) -> None:
    """Merge the typed pages after < page_no <= through, with their quarantined records, and record the progress."""
    _apply_chunk(con, state.kind, STREAMS[state.repo_type])
    con.execute(sql("copy_quarantine"), {"run_id": state.run_id})
    con.execute(
        "UPDATE crawl_runs SET merged_pages = ?, "
        "private_skipped = private_skipped + (SELECT count(*) FROM typed_rows WHERE is_private) WHERE id = ?",
        [through, state.run_id],
    )


@contextmanager
def _writer(db_path: Path, staging_file: Path, patience: float, kind: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer connection with the staging file attached, checkpointed and closed afterwards (freeing readers)."""
    con = open_writer(db_path, patience=patience)
    con.execute("SET checkpoint_threshold = '1GB'")  # no checkpoint at COMMIT: _checkpoint, after the body
    if scattered(kind):
        con.execute(f"SET memory_limit = '{SCATTERED_MEMORY_LIMIT}'")
    try:
        quoted = str(staging_file).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS stage (READ_ONLY)")
        yield con
        if kind == "counters":
            con.execute(f"SET memory_limit = '{CHECKPOINT_MEMORY_LIMIT}'")
        _checkpoint(con, db_path, patience)
    finally:
        con.close()


def _checkpoint(con: duckdb.DuckDBPyConnection, db_path: Path, patience: float) -> None:
    """Write what the connection committed into the file, with the connection's memory limit; a
    checkpoint that fails (fatally: the connection is lost) is made again by opening the file with
    CHECKPOINT_MEMORY_LIMIT, which replays the committed transactions from the WAL first."""
    try:
        con.execute("CHECKPOINT")
        return
    except duckdb.Error as error:
        if not _lost_the_warehouse(error):
            raise
        failure = str(error).splitlines()[0][:200]
        log.warning("checkpointing the warehouse failed (%s): again with %s", failure, CHECKPOINT_MEMORY_LIMIT)
    con.close()
    config = {"memory_limit": CHECKPOINT_MEMORY_LIMIT, "threads": WRITER_THREADS}
    again = connect_writer_with_patience(db_path, patience, config=config)
    try:
        again.execute("CHECKPOINT")
    finally:
        again.close()


def _lost_the_warehouse(error: duckdb.Error) -> bool:
    """A failed checkpoint that invalidated the warehouse: a fatal error where the file is the
    connection's own database, an IO error naming it invalidated where it is attached (a writer's)."""
    if isinstance(error, duckdb.FatalException):
        return True
    return isinstance(error, duckdb.IOException) and "has been invalidated" in str(error)


def merged_pages(db_path: Path, run_id: int, patience: float) -> int:
    con = open_writer(db_path, patience=patience)
    try:
        (merged,) = con.execute("SELECT merged_pages FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    finally:
        con.close()
    return merged


def _apply_chunk(con: duckdb.DuckDBPyConnection, kind: str, stream: Stream) -> None:
    # `latest` is a view over typed_rows: the statements below read only the columns they need.
    execute_script(con, sql("latest_staged", stream), {})
    upsert = _upsert_for(con, kind, stream)
    if upsert != "insert_repos":  # a chunk the warehouse knows none of holds no rename
        execute_script(con, sql("record_renames", stream), {})
    execute_script(con, _upsert_sql(con, upsert, stream), {})
    # Every row just merged has last_seen >= the chunk's first fetch; passed as a constant, it lets
    # DuckDB skip the row groups of rows merged before (all of them, in a first crawl) instead of
    # scanning the whole table once per chunk.
    (since,) = con.execute("SELECT min(last_seen) FROM latest").fetchone()
    if since is None:  # a chunk of private or id-less records only
        return
    if kind in FULL_RECORDS:
        execute_script(con, sql("record_versions", stream), {"since": since})
        if stream.link_from:
            execute_script(con, sql("record_links", stream), {"since": since})
    counters = {"first_day": since.date(), "since": since, "pass": kind}
    execute_script(con, sql("record_daily_counters", stream), counters)
    if stream.rollups:
        execute_script(con, sql("apply_counter_rollups", stream), {})


def _upsert_for(con: duckdb.DuckDBPyConnection, kind: str, stream: Stream) -> str:
    """The statement that applies the chunk: a counters refresh patches counters; full records are
    merged into what the warehouse has, or, where it has none of them (a first crawl), appended."""
    if kind not in FULL_RECORDS:
        return "merge_counters"
    (knows_any,) = con.execute(sql("knows_any_staged", stream)).fetchone()
    return "merge_repos" if knows_any else "insert_repos"


def _upsert_sql(con: duckdb.DuckDBPyConnection, upsert: str, stream: Stream) -> str:
    """The upsert's text; a MERGE updates every column of the table but its key and first_seen, and
    draws a new change_seq where {changed}: a column other than the counters and when it was seen."""
    text = sql(upsert, stream)
    if "{update_set}" not in text:
        return text
    columns = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [stream.stored],
    ).fetchall()
    kept = [name for (name,) in columns if name not in (stream.key, "first_seen", "change_seq")]
    compared = [name for name in kept if name not in (*stream.counters, "last_seen", "deleted_at")]
    changed = " OR ".join(f"m.{name} IS DISTINCT FROM s.{name}" for name in compared)
    text = text.replace("{changed}", f"({changed})")
    return text.replace("{update_set}", ", ".join(f"{name} = s.{name}" for name in kept))


def _finish(con: duckdb.DuckDBPyConnection, state: CrawlState, finished: datetime) -> MergeResult:
    stream = STREAMS[state.repo_type]
    (started,) = con.execute("SELECT started FROM crawl_runs WHERE id = ?", [state.run_id]).fetchone()
    loaded, flagged = con.execute(sql("crawl_totals", stream), {"started": started}).fetchone()
    if state.kind not in FULL_RECORDS:
        flagged = 0  # a counters listing carries too few fields to judge a record
    deleted = 0
    if state.kind in COMPLETE_LISTINGS:
        (deleted,) = con.execute(sql("mark_deleted", stream), {"finished": finished, "started": started}).fetchone()
    quarantined, private = con.execute(
        "SELECT (SELECT count(*) FROM quarantine WHERE run_id = $run), private_skipped FROM crawl_runs WHERE id = $run",
        {"run": state.run_id},
    ).fetchone()
    record_progress(con, state, "finished", finished=finished)
    con.execute(
        "UPDATE crawl_runs SET models_loaded = ?, flagged = ?, quarantined = ?, marked_deleted = ? WHERE id = ?",
        [loaded, flagged, quarantined, deleted, state.run_id],
    )
    return MergeResult(loaded, private, flagged, quarantined, deleted)
