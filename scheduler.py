"""The nightly crawl, scheduled: `registry schedule` runs this with APScheduler 3.x.

It calls the same `crawl()` the CLI does. Never two crawls at once: max_instances=1 here, and the
crawl's own OS lock on the warehouse also stops a manual `registry crawl` from colliding. Missed runs
coalesce into one, a start-up after a missed period runs at once, and a failed run (logged in
crawl_runs) is simply tried again at the next tick. After a crawl the report is computed once, so
that the morning's `registry stats` is served from the warehouse.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler.crawl import CrawlInterrupted, update_mirror
from crawler.errors import CrawlError
from registry.settings import Settings
from warehouse.connect import open_reader
from warehouse.errors import WarehouseError

log = logging.getLogger("registry.scheduler")

DEFAULT_CRON = "0 2 * * *"  # 02:00 UTC every day
CRON_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
STOP_POLL_SECONDS = 0.2  # how soon a stop request is noticed while the scheduler idles


def parse_cron(expression: str) -> CronTrigger:
    """A 5-field crontab line, or 6 fields with seconds first (for short test periods); UTC.

    Day-of-week names (mon..sun) are safest: APScheduler 3.x numbers Monday as 0, not Sunday.
    """
    values = expression.split()
    names = CRON_FIELDS if len(values) == 5 else ("second", *CRON_FIELDS) if len(values) == 6 else None
    if names is None:
        raise ValueError(f"a cron expression has 5 fields (or 6 with seconds first); got {expression!r}")
    return CronTrigger(timezone=UTC, **dict(zip(names, values, strict=True)))


def period_of(trigger: CronTrigger, now: datetime) -> timedelta:
    """The time between two consecutive fire times after `now`."""
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first + timedelta(microseconds=1))
    return second - first


def last_success(settings: Settings) -> datetime | None:
    """When the last crawl finished successfully (UTC), or None if none has."""
    try:
        con = open_reader(settings.db_path)
    except WarehouseError:
        return None
    try:
        (finished,) = con.execute("SELECT max(finished) FROM crawl_runs WHERE status = 'finished'").fetchone()
    finally:
        con.close()
    return finished.replace(tzinfo=UTC) if finished else None


def is_overdue(settings: Settings, trigger: CronTrigger, now: datetime) -> bool:
    finished = last_success(settings)
    return finished is None or now - finished > period_of(trigger, now)


def nightly_crawl(settings: Settings, stop: threading.Event) -> None:
    """One scheduled run; failures are logged (and kept in crawl_runs), never raised into the scheduler."""
    if stop.is_set():
        return
    log.info("scheduled crawl starting")
    try:
        reports = update_mirror(settings, stop=stop)
    except CrawlInterrupted:
        log.info("scheduled crawl stopped on request after committing its last page; the next run resumes it")
        return
    except (CrawlError, WarehouseError) as error:
        log.error("scheduled crawl did not finish: %s", error)
        return
    for report in reports:
        log.info(
            "scheduled %s crawl finished: run %d, %d models",
            report.state.kind,
            report.run_id,
            report.merge.models_loaded,
        )
    if stop.is_set():
        log.info("stopping: the report is left to the next `registry stats`")
        return
    keep_report_ready(settings)
    publish_to_lake(settings)


def publish_to_lake(settings: Settings) -> None:
    """When REGISTRY_LAKE is set, publish after the crawl, then the lake's housekeeping; in their own
    processes (as the report). A failure is logged (and kept in publish_runs) and the next night's
    publish completes it: the crawl never waits on the lake."""
    if not os.environ.get("REGISTRY_LAKE"):
        return
    for command in (["publish", "--db", str(settings.db_path)], ["lake-maintain"]):
        result = subprocess.run(
            [sys.executable, "-m", "registry", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            start_new_session=True,
        )
        if result.returncode != 0:
            log.error("registry %s failed (the next night retries): %s", command[0], result.stderr.strip()[-500:])
            return
        log.info("registry %s done: %s", command[0], result.stderr.strip()[-300:])


def keep_report_ready(settings: Settings) -> None:
    """Compute the report once after the crawl, so that the next `registry stats` is served from the
    warehouse. In its own process: the scheduler does not grow by Polars and the report's memory."""
    command = [sys.executable, "-m", "registry", "stats", "--db", str(settings.db_path), "--format", "json"]
    # In a session of its own: a Ctrl-C meant for the scheduler would kill it half-way, with a traceback;
    # the scheduler stops after it instead.
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False, start_new_session=True
    )
    if result.returncode != 0:
        log.warning("the report could not be computed after the crawl: %s", result.stderr.strip()[-500:])
    else:
        log.info("report computed for the next `registry stats`")


def _sleep_until(stop: threading.Event) -> None:
    """Wait for `stop` without holding its lock, as stop.wait() does at moments: the signal handler
    that sets it runs in this thread, and would wait for ever on a lock its own thread holds."""
    while not stop.is_set():
        time.sleep(STOP_POLL_SECONDS)


def run_schedule(settings: Settings, cron: str, stop: threading.Event) -> None:
    """Run the nightly crawl on `cron` until `stop` is set; then let the current crawl commit and exit."""
    trigger = parse_cron(cron)
    scheduler = BackgroundScheduler(timezone=UTC)
    now = datetime.now(UTC)
    overdue = is_overdue(settings, trigger, now)
    scheduler.add_job(
        nightly_crawl,
        trigger,
        args=(settings, stop),
        id="nightly-crawl",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,  # a run missed while the machine slept still runs (once)
        next_run_time=now if overdue else trigger.get_next_fire_time(None, now),
    )
    scheduler.start()
    log.info(
        "scheduler started (cron %r, UTC); %s",
        cron,
        "running now: last success is older than a period"
        if overdue
        else f"next run {scheduler.get_job('nightly-crawl').next_run_time:%Y-%m-%dT%H:%M:%SZ}",
    )
    _sleep_until(stop)
    log.info("stop requested: letting the current crawl commit its page")
    scheduler.shutdown(wait=True)
    log.info("scheduler stopped")
