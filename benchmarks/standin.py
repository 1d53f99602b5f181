"""A Hub stand-in in its own process, so that its CPU is never charged to the crawler being measured.

Benchmarks reconfigure it (latency, quota), read its own serving figures and make it churn through
the stand-in's control routes (`/_standin/...`), which are not part of the Hub's API. Its population
is the Hub-like one (`--profile hub`: the Hub's growth, licence, library and size mix, downloads).
"""

from __future__ import annotations

import subprocess
import sys

import httpx2


class StandIn:
    """A running stand-in: one this object started (`launch`), or one already running at a URL."""

    def __init__(self, url: str, process: subprocess.Popen | None = None):
        self.url = url
        self.process = process
        self._control = httpx2.Client(base_url=url, timeout=3600)

    @classmethod
    def launch(
        cls,
        models: int,
        malformed_fraction: float = 0.005,
        faults: bool = False,
        seed: int = 1,
        datasets: int | None = None,
        spaces: int | None = None,
        profile: str = "hub",
    ) -> StandIn:
        """A stand-in of `models` models; datasets and Spaces by default in the Hub's proportions to them."""
        command = [sys.executable, "-m", "tests.hub_standin", "--models", str(models), "--seed", str(seed)]
        command += ["--datasets", str(datasets)] if datasets is not None else []
        command += ["--spaces", str(spaces)] if spaces is not None else []
        command += ["--port", "0", "--profile", profile, "--malformed-fraction", str(malformed_fraction)]
        if faults:
            command += ["--fault-5xx", "0.02", "--fault-truncated", "0.01", "--fault-reset", "0.01"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            process.kill()
            raise SystemExit("the Hub stand-in did not start")
        return cls(url, process)

    def configure(self, latency: float = 0.0, quota: int = 0, window: float = 300) -> None:
        """Set latency and quota for what follows, and restart the stand-in's counters."""
        params = {"latency": latency, "quota": quota, "window": window}
        self._control.post("/_standin/config", params=params).raise_for_status()

    def stats(self) -> dict:
        """Requests, pages, 429s and the stand-in's own serving seconds since the last configure()."""
        return self._control.get("/_standin/stats").raise_for_status().json()

    def churn(self, days: float = 1) -> dict:
        """One simulated day on the Hub: models added, edited, deleted; half of all counters move."""
        return self._control.post("/_standin/churn", params={"days": days}).raise_for_status().json()

    def close(self) -> None:
        """Stop the stand-in if this object started it."""
        self._control.close()
        if self.process:
            self.process.terminate()
            self.process.wait()

    def __enter__(self) -> StandIn:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
