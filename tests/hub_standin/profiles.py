"""What a generated model is like: `Uniform` spreads everything evenly (fast, every case common, what
most tests want); `HubLike` draws from the Hub's published figures (calibration.py), for the demo,
the benchmarks and the test that the report recovers them.

A profile chooses a model's traits; population.py builds the record, with the Hub's shapes, from them.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from . import calibration as cal

LEGACY_04 = datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC)  # ObjectId timestamp 621ffdc0
LEGACY_05 = datetime(2022, 3, 2, 23, 29, 5, tzinfo=UTC)  # 621ffdc1: 18 of the 23 real legacy bodies
START = datetime(2022, 3, 3, tzinfo=UTC)


@dataclass
class Traits:
    author: str
    name: str
    library: str | None = None
    pipeline: str | None = None
    license: str | None = None
    license_name: str | None = None
    parameters: int | None = None
    parameters_source: str | None = None  # safetensors | gguf | None (then maybe in the name)
    relation: str | None = None
    bases: list[dict] = field(default_factory=list)
    downloads_all_time: int = 0
    downloads: int = 0
    likes: int = 0
    trending: int = 0
    card: bool = True
    card_bytes: int = 0  # the cardData size to pad to (0: no padding)
    family: str | None = None  # the big family a derivative belongs to (HubLike)
    tree: str | None = None  # the _id of the family release it descends from (HubLike)


def legacy_moment(rng: random.Random) -> datetime:
    return LEGACY_04 if rng.random() < 5 / 23 else LEGACY_05


class Weighted:
    """rng.choices with the cumulative weights computed once (it is called millions of times)."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def draw(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Uniform:
    """Everything evenly spread: creations flat since 2022-03, libraries, licenses and sizes alike."""

    LIBRARIES = ["transformers", "diffusers", "peft", "gguf", "sentence-transformers", "timm", "mlx", "onnx", None]
    PIPELINES = ["text-generation", "text-classification", "image-text-to-text", "text-to-image",
                 "automatic-speech-recognition", "feature-extraction", "token-classification", None]  # fmt: skip
    LICENSES = ["apache-2.0", "mit", "openrail", "creativeml-openrail-m", "bigscience-openrail-m", "cc-by-4.0",
                "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "gpl-3.0", "lgpl-3.0", "agpl-3.0", "llama2", "llama3",
                "llama3.1", "gemma", "bsd-3-clause", "unlicense", "cc0-1.0", "other", "afl-3.0", "mpl-2.0",
                "apache license 2.0"]  # fmt: skip
    NAMES = ["llama", "bert", "mistral", "qwen", "sd", "whisper", "phi", "gemma"]
    SIZES = ["", "-7b", "-1.5b", "-350m", "-8x7b", "-70b", "-base", "-small"]
    RELATIONS = ["finetune", "adapter", "quantized", "merge"]

    def creation_moments(self, rng: random.Random, n: int, now: datetime) -> list[datetime]:
        span = (now - START).total_seconds()
        moments = sorted(START + timedelta(seconds=rng.random() * span) for _ in range(n))
        return [legacy_moment(rng) if m < datetime(2022, 6, 1, tzinfo=UTC) and rng.random() < 0.8 else m
                for m in moments]  # fmt: skip

    def traits(self, rng: random.Random, created: datetime, population) -> Traits:
        author = f"org-{rng.randint(0, max(1, len(population.records) // 20 + 50))}"
        traits = Traits(author=author, name=rng.choice(self.NAMES) + rng.choice(self.SIZES))
        traits.downloads = int(rng.paretovariate(1.2)) - 1
        traits.downloads_all_time = traits.downloads + int(rng.paretovariate(1.1)) - 1
        traits.likes = int(rng.paretovariate(1.5)) - 1
        traits.trending = rng.choice([0, 0, 0, rng.randint(1, 100)])
        traits.library, traits.pipeline = rng.choice(self.LIBRARIES), rng.choice(self.PIPELINES)
        traits.license = rng.choice(self.LICENSES) if rng.random() < 0.6 else None
        if traits.license == "other":
            traits.license_name = rng.choice(list(cal.OTHER_LICENSE_NAMES))
        traits.card = rng.random() < 0.8
        self._lineage(rng, traits, population)
        self._size(rng, traits)
        return traits

    def _lineage(self, rng: random.Random, traits: Traits, population) -> None:
        if population._ever_inserted and rng.random() < 0.3:
            traits.relation = rng.choice(self.RELATIONS)
            traits.bases = [rng.choice(population._ever_inserted)]  # may since be deleted, as on the Hub

    def _size(self, rng: random.Random, traits: Traits) -> None:
        roll = rng.random()
        if roll < 0.4:
            traits.parameters, traits.parameters_source = rng.randint(10_000_000, 80_000_000_000), "safetensors"
        elif roll < 0.48:
            traits.parameters, traits.parameters_source = rng.randint(100_000_000, 70_000_000_000), "gguf"

    def register(self, record: dict, traits: Traits) -> None:
        """Nothing to remember: any earlier model may be a base."""


class HubLike:
    """The Hub's shape: its growth curve, licence, library and size mix, heavy-tailed downloads, and
    derivatives in long chains under a few big families (figures and sources in calibration.py)."""

    def __init__(self):
        self.libraries = Weighted(cal.LIBRARY_WEIGHTS)
        self.licenses = Weighted(cal.LICENSE_WEIGHTS)
        self.license_names = Weighted(cal.OTHER_LICENSE_NAMES)
        self.buckets = Weighted(cal.SIZE_BUCKET_WEIGHTS)
        self.pipelines = Weighted(cal.PIPELINE_WEIGHTS)
        self.pipelines_by_library = {lib: Weighted(w) for lib, w in cal.PIPELINE_BY_LIBRARY.items()}
        self.roots: dict[str, list[dict]] = {org: [] for org in cal.FAMILIES}
        self.trees: dict[str, list[dict]] = {}  # root _id -> its possible bases (quantized excluded)
        self.root_names: dict[str, str] = {}  # root _id -> the name its derivatives carry
        self.others: list[dict] = []  # bases outside the families
        self.head_median = _head_median()
        self.other_derivative = _other_derivative_probability()
        # Each family's share of the models created after its first release: its share of all models.
        self.family_rates = [(org, cal.FAMILIES[org][1], share / (1 - cal.cumulative_share(cal.FAMILIES[org][1])))
                             for org, share in cal.FAMILY_SHARES.items()]  # fmt: skip
        self.token_parameters = {token: _parse_token(token) for tokens in cal.SIZE_TOKENS.values() for token in tokens}

    # -- when -----------------------------------------------------------------------------------------

    def creation_moments(self, rng: random.Random, n: int, now: datetime) -> list[datetime]:
        return growth_moments(rng, n, now)

    # -- what -----------------------------------------------------------------------------------------

    def traits(self, rng: random.Random, created: datetime, population) -> Traits:
        author = f"user-{int((len(population.records) / 6 + 50) * rng.random() ** 3)}"
        traits = Traits(author=author, name=rng.choice(Uniform.NAMES), card=rng.random() < cal.CARD_SHARE)
        traits.library = self.libraries.draw(rng)
        chooser = self.pipelines_by_library.get(traits.library, self.pipelines)
        traits.pipeline = chooser.draw(rng)
        if rng.random() >= cal.NO_LICENSE_SHARE:
            traits.license = self.licenses.draw(rng)
            traits.license_name = self.license_names.draw(rng) if traits.license == "other" else None
        self._lineage(rng, traits, created)
        self._size(rng, traits)
        self._counters(rng, traits, created, population.now)
        traits.card_bytes = min(int(rng.lognormvariate(math.log(cal.CARD_MEDIAN_BYTES), cal.CARD_SIGMA)),
                                cal.CARD_MAX_BYTES)  # fmt: skip
        return traits

    def _lineage(self, rng: random.Random, traits: Traits, created: datetime) -> None:
        if rng.random() >= cal.DERIVATIVE_PROBABILITY.get(traits.library, self.other_derivative):
            return
        traits.relation = {"gguf": "quantized", "peft": "adapter"}.get(traits.library) or (
            "merge" if rng.random() < cal.MERGE_SHARE else "finetune")  # fmt: skip
        traits.family = self._family(rng, created)
        if traits.family is None:
            traits.bases = [rng.choice(self.others)] if self.others else []
        elif not self.roots[traits.family] or rng.random() < cal.NEW_ROOT_PROBABILITY:
            self._release(rng, traits)
            return
        else:
            root = rng.choice(self.roots[traits.family])
            traits.tree = root["_id"]
            tree = self.trees[traits.tree]
            traits.bases = [root if rng.random() < cal.ROOT_AS_BASE_PROBABILITY else rng.choice(tree)]
            traits.name = f"{self.root_names[root['_id']]}-{rng.choice(['instruct', 'chat', 'abliterated', 'sft'])}"
        if traits.relation == "merge" and traits.bases:  # two parents, from the same tree
            second = rng.choice(self.trees[traits.tree]) if traits.tree else rng.choice(self.others)
            traits.bases = list({id(b): b for b in [*traits.bases, second]}.values())
        if not traits.bases:
            traits.relation = None

    def _release(self, rng: random.Random, traits: Traits) -> None:
        """The family's own release: the root of a tree of derivatives."""
        traits.author, traits.name = traits.family, rng.choice(cal.FAMILY_ROOT_NAMES[traits.family])
        traits.library, traits.pipeline, traits.relation = "transformers", "text-generation", None

    def _without_size(self, name: str) -> str:
        """A release's name without its size token: its derivatives carry their own size."""
        stem, _, last = name.rpartition("-")
        return stem if last in self.token_parameters else name

    def _family(self, rng: random.Random, created: datetime) -> str | None:
        """Which big family a derivative belongs to, if any: each holds its published share of all models."""
        roll = rng.random() * cal.DERIVATIVE_SHARE
        for org, released, rate in self.family_rates:
            if created >= released:
                roll -= rate
                if roll < 0:
                    return org
        return None

    def _size(self, rng: random.Random, traits: Traits) -> None:
        known = traits.library == "gguf" or rng.random() < _known_outside_gguf()
        if not known:
            return
        token = rng.choice(cal.SIZE_TOKENS[self.buckets.draw(rng)])
        from_name = self.token_parameters[token]
        if traits.library == "gguf":
            traits.parameters, traits.parameters_source = from_name, "gguf"
        elif rng.random() >= cal.NAME_ONLY_SHARE:
            traits.parameters, traits.parameters_source = from_name, "safetensors"
        if traits.parameters is None or rng.random() < 0.5:
            traits.name = f"{traits.name}-{token}"

    def _counters(self, rng: random.Random, traits: Traits, created: datetime, now: datetime) -> None:
        head = rng.random() < cal.HEAD_SHARE or (traits.family is not None and not traits.bases)
        if head:
            all_time = int(rng.lognormvariate(math.log(self.head_median), cal.HEAD_SIGMA))
        elif rng.random() < cal.TAIL_ZERO_SHARE:
            all_time = 0
        else:
            all_time = int(rng.lognormvariate(math.log(cal.TAIL_MEDIAN), cal.TAIL_SIGMA))
        recent = (now - created).days <= 30
        traits.downloads_all_time = all_time
        traits.downloads = all_time if recent else int(all_time * rng.uniform(0.02, 0.3))
        traits.likes = int(rng.lognormvariate(math.log(40), 1.5)) if head else int(rng.paretovariate(2.5)) - 1
        traits.trending = rng.randint(1, 200) if head and rng.random() < 0.3 else 0

    def register(self, record: dict, traits: Traits) -> None:
        """Remember the new model as a possible base (quantized models stay leaves, as on the Hub)."""
        if traits.family and not traits.bases:
            self.roots[traits.family].append(record)
            self.trees[record["_id"]] = [record]
            self.root_names[record["_id"]] = self._without_size(traits.name)
        elif traits.relation == "quantized":
            return
        elif traits.tree:
            self.trees[traits.tree].append(record)
        else:
            self.others.append(record)


def growth_moments(rng: random.Random, n: int, now: datetime) -> list[datetime]:
    """n moments following the growth curve (the inverse of its cumulative share, day by day)."""
    first = cal.GROWTH[0][0]
    days = [first + timedelta(days=i) for i in range((now - first).days + 1)]
    shares = [cal.cumulative_share(moment) for moment in days]
    moments = []
    for share in sorted(rng.random() * shares[-1] for _ in range(n)):
        if share < shares[0]:
            moments.append(legacy_moment(rng))  # older than the createdAt field
            continue
        i = min(bisect.bisect_right(shares, share), len(days) - 1)
        within = (share - shares[i - 1]) / (shares[i] - shares[i - 1]) if shares[i] > shares[i - 1] else 0
        moments.append(days[i - 1] + timedelta(days=within))
    return sorted(moments)


def _parse_token(token: str) -> int:
    """The parameter count a size token stands for, as the registry reads it (`8x7b` = 56B)."""
    experts, _, size = token.rpartition("x")
    scale = {"m": 1e6, "b": 1e9}[size[-1]]
    return round(float(size[:-1]) * scale * (int(experts) if experts else 1))


def _known_outside_gguf() -> float:
    gguf = cal.LIBRARY_WEIGHTS["gguf"] / sum(cal.LIBRARY_WEIGHTS.values())
    return (cal.KNOWN_SIZE_SHARE - gguf) / (1 - gguf)


def _other_derivative_probability() -> float:
    """The chance a model of another library is a derivative, so that all derivatives make DERIVATIVE_SHARE."""
    total = sum(cal.LIBRARY_WEIGHTS.values())
    set_apart = {lib: cal.LIBRARY_WEIGHTS[lib] / total for lib in cal.DERIVATIVE_PROBABILITY}
    fixed = sum(share * cal.DERIVATIVE_PROBABILITY[lib] for lib, share in set_apart.items())
    return (cal.DERIVATIVE_SHARE - fixed) / (1 - sum(set_apart.values()))


def _head_median() -> float:
    """The head's log-normal median that gives HEAD_SHARE of the models HEAD_DOWNLOAD_SHARE of downloads."""
    tail_mean = (1 - cal.TAIL_ZERO_SHARE) * cal.TAIL_MEDIAN * math.exp(cal.TAIL_SIGMA**2 / 2)
    tail_total = (1 - cal.HEAD_SHARE) * tail_mean
    head_mean = tail_total * cal.HEAD_DOWNLOAD_SHARE / (1 - cal.HEAD_DOWNLOAD_SHARE) / cal.HEAD_SHARE
    return head_mean / math.exp(cal.HEAD_SIGMA**2 / 2)


PROFILES = {"uniform": Uniform, "hub": HubLike}
