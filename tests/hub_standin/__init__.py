"""The Hub stand-in: a real HTTP server on 127.0.0.1 speaking the Hub's listing protocol for models,
datasets and Spaces."""

from .faults import Faults
from .population import Population, RepoPopulation
from .repos import DatasetPopulation, SpacePopulation, link_populations
from .server import HubStandIn

__all__ = ["DatasetPopulation", "Faults", "HubStandIn", "Population", "RepoPopulation", "SpacePopulation",
           "link_populations"]  # fmt: skip
