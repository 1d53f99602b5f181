"""The Hub stand-in: a real HTTP server on 127.0.0.1 speaking the Hub's model-listing protocol."""

from .faults import Faults
from .population import Population
from .server import HubStandIn

__all__ = ["Faults", "HubStandIn", "Population"]
