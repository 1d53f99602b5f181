"""The HTTP side of the stand-in: listing with keyset cursors, repo info, auth, quota and faults, for
models, datasets and Spaces alike (one protocol, one quota; what differs per route is a `Route`)."""

from __future__ import annotations

import base64
import bisect
import json
import socket
import struct
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .faults import ANSWERS, Faults
from .population import Population, RepoPopulation
from .ratelimit import FixedWindow
from .repos import DatasetPopulation, SpacePopulation

EXPANDABLE = {
    "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled", "downloads",
    "downloadsAllTime", "evalResults", "gated", "gguf", "inference", "inferenceProviderMapping", "lastModified",
    "library_name", "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
    "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage",
    "widgetData",
}  # fmt: skip
DEFAULT_FIELDS = ("likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name",
                  "createdAt", "modelId")  # fmt: skip
FULL_FIELDS = (*DEFAULT_FIELDS, "author", "lastModified", "sha", "gated", "disabled", "cardData", "siblings")
SORTS = {"createdAt", "lastModified", "downloads", "likes", "trendingScore", "id", "_id"}
# huggingface_hub 2.4's ExpandDatasetProperty_T and ExpandSpaceProperty_T.
DATASET_EXPANDABLE = {
    "author", "cardData", "citation", "createdAt", "description", "disabled", "downloads", "downloadsAllTime",
    "gated", "lastModified", "likes", "mainSize", "paperswithcode_id", "private", "resourceGroup", "sha",
    "siblings", "tags", "trendingScore", "usedStorage",
}  # fmt: skip
SPACE_EXPANDABLE = {
    "author", "cardData", "createdAt", "datasets", "disabled", "lastModified", "likes", "models", "private",
    "region", "resourceGroup", "runtime", "sdk", "sha", "siblings", "subdomain", "tags", "trendingScore",
    "usedStorage",
}  # fmt: skip
# What a listing without `expand` returns (assumed from real pages: the Hub documents none of it).
DATASET_DEFAULT_FIELDS = ("author", "disabled", "gated", "lastModified", "likes", "trendingScore", "private", "sha",
                          "description", "downloads", "tags", "createdAt")  # fmt: skip
SPACE_DEFAULT_FIELDS = ("author", "likes", "trendingScore", "private", "sdk", "tags", "createdAt", "lastModified")


@dataclass(frozen=True)
class Route:
    """What differs between the listings of the three kinds of repository."""

    expandable: frozenset[str]
    default_fields: tuple[str, ...]
    full_fields: tuple[str, ...]
    sorts: frozenset[str]
    flags: tuple[str, ...]  # the `flag=true` parameters that add fields
    siblings: tuple[str, ...]  # the files a repo info lists


ROUTES = {
    "models": Route(frozenset(EXPANDABLE), DEFAULT_FIELDS, FULL_FIELDS, frozenset(SORTS),
                    ("full", "cardData", "config"), ("README.md", "config.json")),
    "datasets": Route(frozenset(DATASET_EXPANDABLE), DATASET_DEFAULT_FIELDS,
                      (*DATASET_DEFAULT_FIELDS, "cardData", "citation", "paperswithcode_id", "siblings"),
                      frozenset(SORTS), ("full", "cardData"), ("README.md", "data/train-00000-of-00001.parquet")),
    "spaces": Route(frozenset(SPACE_EXPANDABLE), SPACE_DEFAULT_FIELDS,
                    (*SPACE_DEFAULT_FIELDS, "sha", "cardData", "subdomain", "disabled", "siblings"),
                    frozenset(SORTS - {"downloads"}), ("full", "cardData"), ("README.md", "app.py")),
}  # fmt: skip
DESCENDING_BY_DEFAULT = {"downloads", "likes", "trendingScore", "lastModified"}
NUMERIC_SORTS = {"downloads", "likes", "trendingScore"}
# What the Hub does with `direction`: honour it; ignore it and list newest first (as huggingface.co
# does for several sort keys since 2026); or refuse it with 400 and list newest first without it.
SORT_DIRECTIONS = ("honour", "ignore", "refuse")


@dataclass
class Stats:
    requests: int = 0
    pages_served: int = 0
    records_served: int = 0
    count_429: int = 0
    serving_seconds: float = 0.0  # building and sending listing bodies, latency excluded
    latency_seconds: float = 0.0  # the configured per-page latency, summed over listing requests
    statuses: Counter = field(default_factory=Counter)
    faults_injected: Counter = field(default_factory=Counter)
    pages_by_route: Counter = field(default_factory=Counter)  # listing pages served per route
    # Latency and serving seconds of the pages served, per route: a route's cursor chain is
    # sequential, so this is the floor of its listing's wall time.
    seconds_by_route: Counter = field(default_factory=Counter)


class BadRequest(Exception):
    pass


class HubStandIn:
    def __init__(
        self,
        population: Population,
        quota: int | None = None,
        window: float = 300,
        faults: Faults | None = None,
        latency: float = 0.0,
        tokens: set[str] | None = None,
        owner_tokens: set[str] | None = None,
        default_limit: int = 1000,
        port: int = 0,
        model_info_only: tuple[str, ...] = (),
        sort_direction: str = "honour",
        datasets: RepoPopulation | None = None,
        spaces: RepoPopulation | None = None,
        info_only: dict[str, set[str]] | None = None,
    ):
        if sort_direction not in SORT_DIRECTIONS:
            raise ValueError(f"sort_direction must be one of {SORT_DIRECTIONS}")
        self.sort_direction = sort_direction
        self.population = population
        self.datasets = datasets if datasets is not None else DatasetPopulation()
        self.spaces = spaces if spaces is not None else SpacePopulation()
        self.ratelimit = FixedWindow(quota, window) if quota else None
        self.faults = faults or Faults()
        self.latency = latency
        self.tokens = tokens
        self.owner_tokens = owner_tokens or set()
        self.default_limit = default_limit
        # Expand values the listing refuses (400) though model info takes them, as the real Hub does for
        # baseModels, childrenModelCount and usedStorage (huggingface_hub PR #3182); per route, e.g.
        # info_only={"datasets": {"usedStorage"}}. model_info_only is the models' set.
        self.info_only = {route: set((info_only or {}).get(route, ())) for route in ROUTES}
        self.info_only["models"] |= set(model_info_only)
        self.model_info_only = self.info_only["models"]
        self.stats = Stats()
        self.on_request = None  # callable(hub, request_no), run before each listing request
        self.on_route_request = None  # callable(hub, route), run before each listing request too
        self._stats_lock = threading.Lock()
        self._orders: dict[tuple, tuple[int, list, list]] = {}  # (route, sort) -> (version, keys, records)
        self._server = _QuietServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> HubStandIn:
        self._thread = threading.Thread(target=self._server.serve_forever, name="hub-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HubStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def count(self, **increments) -> None:
        with self._stats_lock:
            for name, value in increments.items():
                setattr(self.stats, name, getattr(self.stats, name) + value)

    # -- listing -----------------------------------------------------------------------------------

    @property
    def populations(self) -> dict[str, RepoPopulation]:
        return {"models": self.population, "datasets": self.datasets, "spaces": self.spaces}

    def ordered(self, sort: str, route: str = "models") -> tuple[list, list]:
        """(keys, records) in ascending (sort value, _id) order, rebuilt when the population changed."""
        population = self.populations[route]
        with population.lock:
            cached = self._orders.get((route, sort))
            if cached and cached[0] == population.version:
                return cached[1], cached[2]
            pairs = sorted(((_sort_value(r, sort), r["_id"]), r) for r in population.records.values())
            keys, records = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
            self._orders[(route, sort)] = (population.version, keys, records)
            return keys, records

    def list_page(
        self, params: list[tuple[str, str]], owner: bool, route: str = "models"
    ) -> tuple[list[dict], str | None]:
        """One page of the route's listing and the cursor for the next one (None on the last page)."""
        options = dict(params)
        fields = _fields(params, options, ROUTES[route])
        refused = sorted(set(fields or ()) & self.info_only[route])
        if refused:
            raise BadRequest(f"Invalid expand value(s) for listing: {', '.join(refused)}")
        sort = options.get("sort", "_id")
        if sort not in ROUTES[route].sorts:
            raise BadRequest(f"Invalid sort parameter: {sort}")
        direction = self._direction(sort, options.get("direction"))
        limit = min(_int(options.get("limit", self.default_limit), "limit"), 1000)
        keys, records = self.ordered(sort, route)
        cursor = _decode_cursor(options["cursor"]) if "cursor" in options else None
        if direction == "-1":
            end = bisect.bisect_left(keys, cursor) if cursor else len(keys)
            candidates = (records[i] for i in range(end - 1, -1, -1))
        else:
            start = bisect.bisect_right(keys, cursor) if cursor else 0
            candidates = (records[i] for i in range(start, len(records)))
        page, last = [], None
        for record in candidates:
            if _visible(record, options, owner):
                page.append(RepoPopulation.project(record, fields) if fields else dict(record))
                last = record
                if len(page) == limit:
                    break
        more = last is not None and len(page) == limit and self._any_after(last, sort, direction, options, owner, route)
        return page, _encode_cursor((_sort_value(last, sort), last["_id"])) if more else None

    def _direction(self, sort: str, asked: str | None) -> str:
        if asked is not None and self.sort_direction == "refuse":
            raise BadRequest("Invalid query parameter: direction (sorting is always descending)")
        if self.sort_direction != "honour":
            return "-1"
        return asked or ("-1" if sort in DESCENDING_BY_DEFAULT else "1")

    def _any_after(self, last: dict, sort: str, direction: str, options: dict, owner: bool, route: str) -> bool:
        keys, records = self.ordered(sort, route)
        position = bisect.bisect_left(keys, (_sort_value(last, sort), last["_id"]))
        rest = records[position + 1 :] if direction != "-1" else reversed(records[:position])
        return any(_visible(record, options, owner) for record in rest)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """Clients that hang up (timeouts, injected resets) are expected here, not errors to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def _sort_value(record: dict, sort: str):
    value = record.get(sort)
    if sort in NUMERIC_SORTS:
        return value if isinstance(value, int | float) and not isinstance(value, bool) else -1
    return value if isinstance(value, str) else ""


def _visible(record: dict, options: dict, owner: bool) -> bool:
    if record.get("private") is True and not owner:
        return False
    model_id = record.get("id") if isinstance(record.get("id"), str) else ""
    if "search" in options and options["search"].lower() not in model_id.lower():
        return False
    return "author" not in options or record.get("author") == options["author"]


def _fields(params: list[tuple[str, str]], options: dict, route: Route) -> tuple[str, ...] | None:
    expand = [value for key, value in params if key in ("expand", "expand[]")]
    flags = [key for key in route.flags if options.get(key, "").lower() in ("true", "1")]
    if expand and flags:
        raise BadRequest(f"`expand` cannot be combined with {', '.join(route.flags)}")
    unknown = sorted(set(expand) - route.expandable)
    if unknown:
        raise BadRequest(f"Invalid expand value(s): {', '.join(unknown)}")
    if expand:
        return tuple(expand)
    fields = route.full_fields if "full" in flags else route.default_fields
    return (*fields, *(["cardData"] if "cardData" in flags else []), *(["config"] if "config" in flags else []))


def _int(value, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"Invalid {name}: {value}") from None


def _encode_cursor(position: tuple) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def _decode_cursor(cursor: str) -> tuple:
    try:
        value, object_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        raise BadRequest("Invalid cursor") from None
    return (value, object_id)


def _handler_for(hub: HubStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass

    Handler.hub = hub
    return Handler


class _Handler(BaseHTTPRequestHandler):
    hub: HubStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet: tests read stats, not logs
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        hub = self.hub
        parts = urlsplit(self.path)
        if parts.path == "/_standin/stats":  # for benchmarks in another process; not a Hub request
            stats = {
                name: dict(value) if isinstance(value, Counter) else value for name, value in vars(hub.stats).items()
            }
            return self._send(200, json.dumps(stats).encode(), {})
        hub.count(requests=1)
        params = parse_qsl(parts.query, keep_blank_values=True)
        token = self._token()
        if hub.tokens is not None and token is not None and token not in hub.tokens:
            return self._json(401, {"error": "Invalid credentials in Authorization header"})
        if parts.path == "/api/agent-harnesses":  # huggingface_hub's user-agent asks for this
            return self._json(200, {"standardEnvVars": [], "harnesses": {}})
        route, _, repo_id = parts.path.removeprefix("/api/").partition("/")
        if not parts.path.startswith("/api/") or route not in ROUTES:
            return self._json(404, {"error": "Not Found"})
        extra_headers = {}
        if hub.ratelimit:
            allowed, extra_headers = hub.ratelimit.charge(token or self.client_address[0])
            if not allowed:
                hub.count(count_429=1)
                return self._json(429, {"error": "You have exceeded the rate limit"}, extra_headers)
        owner = token is not None and token in hub.owner_tokens
        try:
            if not repo_id:
                return self._listing(route, params, owner, extra_headers)
            return self._repo_info(route, unquote(repo_id), params, owner, extra_headers)
        except BadRequest as error:
            return self._json(400, {"error": str(error)}, extra_headers)

    def do_POST(self) -> None:  # noqa: N802
        """Control routes for benchmarks that drive a stand-in in another process; not part of the Hub."""
        parts = urlsplit(self.path)
        options = dict(parse_qsl(parts.query))
        if parts.path == "/_standin/churn":
            return self._churn(float(options.get("days", 1)))
        if parts.path == "/_standin/config":
            return self._configure(options)
        return self._json(404, {"error": "Not Found"})

    def _configure(self, options: dict) -> None:
        """?latency=S&quota=N&window=S (quota=0: none)&sort_direction=honour|ignore|refuse; the counters
        in /_standin/stats restart from zero."""
        hub = self.hub
        hub.latency = float(options.get("latency", hub.latency))
        hub.sort_direction = options.get("sort_direction", hub.sort_direction)
        if "quota" in options:
            quota = int(options["quota"])
            hub.ratelimit = FixedWindow(quota, float(options.get("window", 300))) if quota else None
        hub.stats = Stats()
        return self._json(200, {"latency": hub.latency, "quota": options.get("quota")})

    def _churn(self, days: float) -> None:
        """A stretch of Hub activity on all three populations: the models' counts, then each other kind's."""
        hub = self.hub
        churned = hub.population.live(days, base=len(hub.population))
        for route in ("datasets", "spaces"):
            population = hub.populations[route]
            churned[route] = population.live(days, base=len(population))
        return self._json(200, churned)

    def _token(self) -> str | None:
        header = self.headers.get("Authorization", "")
        return header[len("Bearer ") :] if header.startswith("Bearer ") else None

    def _listing(self, route: str, params: list, owner: bool, headers: dict) -> None:
        hub = self.hub
        if hub.on_request:
            hub.on_request(hub, hub.stats.requests)
        if hub.on_route_request:
            hub.on_route_request(hub, route)
        if hub.latency:
            time.sleep(hub.latency)
            hub.count(latency_seconds=hub.latency)
        fault = hub.faults.draw()
        if fault:
            hub.stats.faults_injected[fault] += 1
        if fault == "reset":
            return self._reset()
        if fault in ANSWERS:
            status, error = ANSWERS[fault]
            if status == 429:
                hub.count(count_429=1)
                headers = {**headers, "Retry-After": str(hub.faults.retry_after)}
            return self._json(status, {"error": error}, headers)
        if fault == "error_5xx":
            status = (500, 502, 503)[hub.stats.faults_injected[fault] % 3]
            return self._json(status, {"error": "Internal Error - We're working hard to fix this"}, headers)
        if fault == "slow":
            time.sleep(hub.faults.slow_seconds)
        started = time.perf_counter()
        page, cursor = hub.list_page(params, owner, route)
        body = json.dumps(page, ensure_ascii=False).encode()
        if cursor:
            query = urlencode([(k, v) for k, v in params if k != "cursor"] + [("cursor", cursor)])
            headers = {**headers, "Link": f'<{hub.url}/api/{route}?{query}>; rel="next"'}
        if fault in ("truncated", "truncated_json"):
            return self._truncated(body, headers, announce_full=fault == "truncated")
        hub.count(pages_served=1, records_served=len(page))  # before sending: a client may read stats at once
        hub.stats.pages_by_route[route] += 1
        self._send(200, body, headers)
        served = time.perf_counter() - started
        hub.count(serving_seconds=served)
        with hub._stats_lock:
            hub.stats.seconds_by_route[route] += served + hub.latency

    def _repo_info(self, route: str, repo_id: str, params: list, owner: bool, headers: dict) -> None:
        population = self.hub.populations[route]
        record = population.get(repo_id)
        renamed_to = population.renamed_to(repo_id) if record is None else None
        if renamed_to:  # as the Hub answers a renamed repository's old id
            location = f"/api/{route}/{renamed_to}"
            self.hub.stats.statuses[307] += 1
            body = f"Temporary Redirect. Redirecting to {location}".encode()
            return self._send(307, body, {**headers, "Location": location})
        if record is None or (record.get("private") is True and not owner):
            return self._json(404, {"error": "Repository not found"}, headers)
        expand = [value for key, value in params if key in ("expand", "expand[]")]
        full = {**record, "siblings": [{"rfilename": name} for name in ROUTES[route].siblings]}
        return self._json(200, RepoPopulation.project(full, expand) if expand else full, headers)

    def _json(self, status: int, payload, headers: dict | None = None) -> None:
        self.hub.stats.statuses[status] += 1
        self._send(status, json.dumps(payload, ensure_ascii=False).encode(), headers or {})

    def _send(self, status: int, body: bytes, headers: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _truncated(self, body: bytes, headers: dict, announce_full: bool) -> None:
        cut = body[: len(body) // 2]
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body) if announce_full else len(cut)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(cut)
        self.wfile.flush()
        if announce_full:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_WR)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()
