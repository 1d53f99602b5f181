"""A small warehouse with a row in every table: a full crawl of models, datasets and Spaces, then a day
of renames, edits, deletions, counter drift and a second crawl. Shared by the output-format, API and
export tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from crawler.crawl import update_mirror
from tests.conftest import make_settings
from tests.hub_standin import DatasetPopulation, HubStandIn, Population, SpacePopulation, link_populations
from tests.test_history import SimClock


def crawl_lived_in(db: Path, n: int = 600, seed: int = 20) -> Population:
    population = Population.generate(n=n, seed=seed, private_fraction=0.03, malformed_fraction=0.03)
    datasets = DatasetPopulation.generate(n=n // 4, seed=seed + 1, malformed_fraction=0.03)
    spaces = SpacePopulation.generate(n=n // 4, seed=seed + 2, malformed_fraction=0.03)
    link_populations(population, datasets, spaces, seed=seed)
    datasets.now = spaces.now = population.now
    clock = SimClock(population)
    with HubStandIn(population, datasets=datasets, spaces=spaces) as hub:
        settings = replace(make_settings(db, hub.url, page_size=100), clock=clock, counters_every=timedelta(0))
        update_mirror(settings)
        population.advance(days=1)
        population.rename(5)
        population.edit(20)
        population.delete(5)
        population.add(10)
        population.drift_counters(1.0)
        population._insert_idless()  # after the drift, which needs every record's id: one quarantined
        for other in (datasets, spaces):
            other.live(days=1, base=len(other))
            other.rename(2)
        update_mirror(settings)
    return population
