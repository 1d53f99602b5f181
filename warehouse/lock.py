"""One crawl at a time per warehouse: an OS file lock, released by the kernel even on SIGKILL."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import CrawlAlreadyRunning


class CrawlLock:
    """Exclusive, non-blocking lock on `<db>.lock`, held for the whole crawl (or publish: `holder`,
    written in the file beside the pid so that a refused one can say what holds it)."""

    def __init__(self, db_path: Path, holder: str = "crawl"):
        self.path = db_path.with_name(db_path.name + ".lock")
        self.holder = holder
        self._fd: int | None = None

    def __enter__(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise CrawlAlreadyRunning(
                f"{self._held_by()} is already running on this warehouse (lock {self.path} is held)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self.holder}".encode())
        self._fd = fd
        return self

    def _held_by(self) -> str:
        """'a publish' or 'another crawl', as the holder wrote it; either when it has not yet."""
        try:
            holder = self.path.read_text().split()[1]
        except (OSError, IndexError):
            return "another crawl or a publish"
        return "another crawl" if holder == "crawl" else f"a {holder}"

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
