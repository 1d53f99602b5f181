"""`registry schedule` exits 0, without a traceback, on SIGTERM or SIGINT at any moment: idle, while a
scheduled crawl starts, mid-crawl, and while the report is computed after a crawl."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from registry.cli import _stop_on_signals
from tests.conftest import query_all, registry_env, run_crawl
from tests.hub_standin import HubStandIn, Population


class Scheduler:
    """A real `registry schedule` process whose log lines are read as they come."""

    def __init__(self, db: Path, env: dict[str, str], cron: str = "0 2 * * *"):
        command = [sys.executable, "-m", "registry", "schedule", "--db", str(db), "--cron", cron]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for(self, condition, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, f"timed out; log so far:\n{''.join(self.lines)}"
            time.sleep(0.005)

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(sig)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=10)
        return code, "".join(self.lines)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def computing_the_report(self) -> bool:
        """A `registry stats` child of the scheduler is running."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                parent = int(fields[1])
                if parent == self.process.pid and "stats" in (stat.parent / "cmdline").read_text():
                    return True
            except (OSError, IndexError, ValueError):
                continue
        return False


@pytest.fixture
def scheduler():
    started: list[Scheduler] = []

    def start(*args, **kwargs) -> Scheduler:
        started.append(Scheduler(*args, **kwargs))
        return started[-1]

    yield start
    for process in started:
        process.kill()


def assert_clean_exit(code: int, log: str) -> None:
    assert code == 0, log
    assert "Traceback" not in log and "Error" not in log.replace("error:", ""), log
    assert "scheduler stopped" in log, log


def _statuses(db: Path) -> list[str]:
    """The statuses of the models crawls (the schedule crawls datasets and Spaces too)."""
    query = "SELECT status FROM crawl_runs WHERE repo_type = 'models' ORDER BY id"
    return [status for (status,) in query_all(db, query)]


def test_sigterm_while_a_scheduled_crawl_starts(db, scheduler):
    population = Population.generate(n=500, seed=51)
    with HubStandIn(population, latency=0.5) as hub:  # the first page takes half a second
        process = scheduler(db, registry_env(hub.url, REGISTRY_PAGE_SIZE="100"))
        process.wait_for(lambda: process.logged("scheduled crawl starting"))
        assert hub.stats.pages_served == 0, "signalled before the first page"
        code, log = process.stop()
    assert_clean_exit(code, log)
    assert not db.exists() or set(_statuses(db)) <= {"interrupted"}


def test_sigint_mid_crawl(db, scheduler):
    population = Population.generate(n=3000, seed=52)
    with HubStandIn(population, latency=0.05) as hub:
        process = scheduler(db, registry_env(hub.url, REGISTRY_PAGE_SIZE="100"))
        process.wait_for(lambda: hub.stats.pages_served >= 5)
        code, log = process.stop(signal.SIGINT)
        served = hub.stats.pages_served
    assert_clean_exit(code, log)
    assert served < 30, "stopped mid-crawl"
    assert _statuses(db) == ["interrupted"]
    assert "scheduled crawl stopped on request" in log and " ERROR " not in log, "a stop requested is no error"


def test_sigterm_while_the_report_is_computed(db, scheduler):
    population = Population.generate(n=1000, seed=53)
    with HubStandIn(population) as hub:
        process = scheduler(db, registry_env(hub.url))
        process.wait_for(process.computing_the_report)
        code, log = process.stop()
    assert_clean_exit(code, log)
    assert "report computed for the next `registry stats`" in log, "the report was let finish"
    assert _statuses(db) == ["finished"]


def test_sigterm_while_idle(db, scheduler):
    population = Population.generate(n=500, seed=54)
    with HubStandIn(population) as hub:
        run_crawl(db, hub)  # a success within the period: no run is due at start-up
        process = scheduler(db, registry_env(hub.url))
        process.wait_for(lambda: process.logged("scheduler started"))
        time.sleep(0.5)
        code, log = process.stop()
        assert hub.stats.pages_served == 1
    assert_clean_exit(code, log)
    assert "next run" in log


def test_the_signal_handler_only_sets_the_stop_event(capfd):
    """It runs in the main thread between two bytecodes, whatever that thread holds: printing from it
    once imported a module another thread was importing, and `registry schedule` died of an ImportError."""
    stop = threading.Event()
    with _stop_on_signals(stop):
        modules = set(sys.modules)
        os.kill(os.getpid(), signal.SIGTERM)
        deadline = time.monotonic() + 5
        while not stop.is_set() and time.monotonic() < deadline:
            time.sleep(0.001)
        imported = set(sys.modules) - modules
    assert stop.is_set()
    assert capfd.readouterr() == ("", ""), "the handler printed"
    assert not imported, "the handler imported"
