"""Serve a generated population until killed; the first line on stdout is the URL.

python -m tests.hub_standin --models 20000 [--datasets N --spaces N] --seed 1 --port 0 [--profile hub|uniform]
    [--quota N --window S] [--latency S] [--sort-direction honour|ignore|refuse]

The population looks like the Hub (`--profile hub`, calibrated to published figures: calibration.py)
unless `--profile uniform` asks for everything evenly spread. Datasets and Spaces default to 0.25 and 0.3
of the models (about the Hub's proportions), linked to the models and to each other.
"""

from __future__ import annotations

import argparse
import sys
import threading

from . import DatasetPopulation, Faults, HubStandIn, Population, SpacePopulation, link_populations
from .calibration import DATASETS_PER_MODEL, SPACES_PER_MODEL
from .server import SORT_DIRECTIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=20_000)
    parser.add_argument("--datasets", type=int, help=f"default: {DATASETS_PER_MODEL} of --models")
    parser.add_argument("--spaces", type=int, help=f"default: {SPACES_PER_MODEL} of --models")
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
    parser.add_argument("--sort-direction", choices=SORT_DIRECTIONS, default="honour")
    args = parser.parse_args()
    population = Population.generate(args.models, seed=args.seed, private_fraction=args.private_fraction,
                                     malformed_fraction=args.malformed_fraction, profile=args.profile)  # fmt: skip
    n_datasets = int(args.models * DATASETS_PER_MODEL) if args.datasets is None else args.datasets
    n_spaces = int(args.models * SPACES_PER_MODEL) if args.spaces is None else args.spaces
    shares = {"private_fraction": args.private_fraction, "malformed_fraction": args.malformed_fraction}
    datasets = DatasetPopulation.generate(n_datasets, seed=args.seed, **shares)
    spaces = SpacePopulation.generate(n_spaces, seed=args.seed, **shares)
    link_populations(population, datasets, spaces, seed=args.seed)
    faults = Faults(error_5xx=args.fault_5xx, truncated=args.fault_truncated, reset=args.fault_reset, seed=args.seed)
    hub = HubStandIn(population, datasets=datasets, spaces=spaces, quota=args.quota or None, window=args.window,
                     faults=faults, latency=args.latency, port=args.port,
                     sort_direction=args.sort_direction)  # fmt: skip
    hub.start()
    print(hub.url, flush=True)
    print(f"serving {len(population)} models, {len(datasets)} datasets, {len(spaces)} Spaces", file=sys.stderr,
          flush=True)  # fmt: skip
    threading.Event().wait()


if __name__ == "__main__":
    main()
