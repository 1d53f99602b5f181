"""Switchable faults, decided per listing request by their own seeded random stream."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

KINDS = ("error_5xx", "truncated", "truncated_json", "reset", "slow", "rate_limited", "forbidden", "not_found")
# Faults answered with a status and a JSON error instead of the page.
ANSWERS = {
    "rate_limited": (429, "You have exceeded the rate limit"),
    "forbidden": (403, "Forbidden"),
    "not_found": (404, "Not Found"),
}


@dataclass
class Faults:
    """Probabilities per listing request. At most one fault fires per request."""

    error_5xx: float = 0.0  # 500/502/503 with a JSON error
    truncated: float = 0.0  # full Content-Length announced, half the body sent, connection closed
    truncated_json: float = 0.0  # a 200 whose (correctly sized) body is cut JSON
    reset: float = 0.0  # connection reset (RST) without any response
    slow: float = 0.0  # answer only after slow_seconds
    slow_seconds: float = 2.0
    rate_limited: float = 0.0  # 429 with Retry-After, unannounced: the RateLimit headers said quota was left
    retry_after: int = 1  # seconds, as the Hub's Retry-After gives them
    forbidden: float = 0.0  # 403
    not_found: float = 0.0  # 404
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def draw(self) -> str | None:
        """The fault for the next request, if any."""
        with self._lock:
            roll = self._rng.random()
        for kind in KINDS:
            probability = getattr(self, kind)
            if roll < probability:
                return kind
            roll -= probability
        return None
