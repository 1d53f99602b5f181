"""The Hub's fixed-window quota, per caller, with its IETF-draft RateLimit headers."""

from __future__ import annotations

import math
import threading
import time


class FixedWindow:
    def __init__(self, quota: int, window: float):
        self.quota = quota
        self.window = window
        self._windows: dict[str, tuple[float, int]] = {}  # caller -> (window start, requests)
        self._lock = threading.Lock()

    def charge(self, caller: str) -> tuple[bool, dict[str, str]]:
        """Count one request; return whether it is allowed and the headers to send."""
        now = time.monotonic()
        with self._lock:
            start, used = self._windows.get(caller, (now, 0))
            if now >= start + self.window:
                start, used = now, 0
            used += 1
            self._windows[caller] = (start, used)
        # Rounded up (sleeping t never wakes early), after rounding off float noise: (now + 60) - now
        # can be 60.000000000007, which would say 61.
        reset_in = max(1, math.ceil(round(start + self.window - now, 6)))
        headers = {
            "RateLimit": f'"api";r={max(self.quota - used, 0)};t={reset_in}',
            "RateLimit-Policy": f'"fixed window";"api";q={self.quota};w={math.ceil(self.window)}',
        }
        allowed = used <= self.quota
        if not allowed:
            headers["Retry-After"] = str(reset_in)
        return allowed, headers
