"""Serve a generated population until killed; the first line on stdout is the URL.

python -m tests.hub_standin --models 20000 --seed 1 --port 0 [--profile hub|uniform] [--quota N --window S]
    [--latency S]

The population looks like the Hub (`--profile hub`, calibrated to published figures: calibration.py)
unless `--profile uniform` asks for everything evenly spread.
"""

from __future__ import annotations

import argparse
import sys
import threading

from . import Faults, HubStandIn, Population


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--profile", choices=["hub", "uniform"], default="hub")
    parser.add_argument("--private-fraction", type=float, default=0.02)
    parser.add_argument("--malformed-fraction", type=float, default=0.005)
    parser.add_argument("--quota", type=int, default=0, help="requests per window (0: no limit)")
    parser.add_argument("--window", type=float, default=300)
    parser.add_argument("--latency", type=float, default=0.0, help="extra seconds per listing request")
    parser.add_argument("--fault-5xx", type=float, default=0.0)
    parser.add_argument("--fault-truncated", type=float, default=0.0)
    parser.add_argument("--fault-reset", type=float, default=0.0)
    args = parser.parse_args()
    population = Population.generate(args.models, seed=args.seed, private_fraction=args.private_fraction,
                                     malformed_fraction=args.malformed_fraction, profile=args.profile)  # fmt: skip
    faults = Faults(error_5xx=args.fault_5xx, truncated=args.fault_truncated, reset=args.fault_reset, seed=args.seed)
    hub = HubStandIn(population, quota=args.quota or None, window=args.window, faults=faults,
                     latency=args.latency, port=args.port)  # fmt: skip
    hub.start()
    print(hub.url, flush=True)
    print(f"serving {len(population)} models", file=sys.stderr, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
