"""Datasets and Spaces for the stand-in, with the Hub's shapes, and the links between the three kinds.

Both grow along the models' growth curve; their mixes (tasks, formats, SDKs, runtime stages...) are
assumptions kept in calibration.py. A Space's `models`/`datasets` and a model's `cardData.datasets` and
`dataset:<id>` tags name mostly real repositories, popular ones far more often, with the oddities real
links have: private targets, ids that never existed, case variants, the same id twice. Targets deleted
later (churn) dangle as on the Hub.
"""

from __future__ import annotations

import math
import random
from datetime import datetime
from sys import intern

from . import calibration as cal
from .population import LANGUAGES, RepoPopulation, _gated, collector_paused, iso, subdomain
from .profiles import Weighted, growth_moments

DATASET_NAMES = ["instructions", "reviews", "squad-style-qa", "wiki-dump", "speech-commands", "images-captions",
                 "math-problems", "code-snippets", "chat-logs", "robot-episodes", "tabular-prices",
                 "translations"]  # fmt: skip
SPACE_NAMES = ["chatbot", "demo", "leaderboard", "image-gen", "tts", "playground", "arena", "ocr", "rag-app"]
EMOJIS = ["🚀", "🤗", "📊", "🎨", "🦀", "💬", "🔥", "🐢"]
COLORS = ["red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"]
EXTRA_LIBRARIES = ["library:pandas", "library:mlcroissant", "library:polars", "library:webdataset"]


def _none_one_or_two(values: list[str]) -> list[list[str]]:
    """Every pick of up to two values, a third of picks empty: one rng draw instead of sample's several."""
    pairs = [[a, b] for a in values for b in values if a != b]
    singles = [[a] for a in values]
    return [[]] * len(pairs) + singles * (len(pairs) // len(singles)) + pairs


LANGUAGE_PICKS = _none_one_or_two(LANGUAGES)
LIBRARY_PICKS = _none_one_or_two(EXTRA_LIBRARIES)


def _pick(rng: random.Random, values: list):
    return values[int(rng.random() * len(values))]


def _author(rng: random.Random, population_size: int) -> str:
    """Authors with a long tail: a few own many repos (as on the Hub), most own one or two."""
    return intern(f"user-{int((population_size / 6 + 50) * rng.random() ** 3)}")


def _tags(prefix: str, values) -> list[str]:
    """`prefix:value` tags, one string object per distinct tag (memory: they repeat across a million repos)."""
    return [intern(f"{prefix}:{value}") for value in values]


# Parts of records that are the same in many records and never changed in place (edits replace them).
RUNTIMES: dict[tuple, dict] = {}
DEFAULT_CONFIGS = [{"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*"}]}]


def _counters(rng: random.Random, created: datetime, now: datetime) -> tuple[int, int]:
    """(last 30 days, all time): 1.5 % popular, the rest a tail with many zeros (as for models)."""
    if rng.random() < cal.HEAD_SHARE:
        all_time = int(rng.lognormvariate(math.log(20_000), 2.0))
    elif rng.random() < cal.TAIL_ZERO_SHARE:
        all_time = 0
    else:
        all_time = int(rng.lognormvariate(math.log(cal.TAIL_MEDIAN), cal.TAIL_SIGMA))
    recent = (now - created).days <= 30
    return (all_time if recent else int(all_time * rng.uniform(0.02, 0.3))), all_time


def case_variant(repo_id: str) -> str:
    """The same id spelled otherwise (`Org/Name` for `org/name`), as links to real repos often are."""
    variant = "/".join(part[:1].upper() + part[1:] for part in repo_id.split("/"))
    return variant if variant != repo_id else repo_id.swapcase()


def link_ids(rng: random.Random, pool: list[str], k: int) -> list[str]:
    """k link targets from `pool` (popular first: the head is drawn far more often), with oddities."""
    ids = []
    for _ in range(k):
        roll = rng.random()
        if not pool or roll < cal.LINK_GHOST_SHARE:
            ids.append(f"ghost-{rng.randint(0, 999)}/never-existed-{rng.randint(0, 10**6)}")
            continue
        target = pool[int(len(pool) * rng.random() ** 3)]
        ids.append(case_variant(target) if roll < cal.LINK_GHOST_SHARE + cal.LINK_CASE_VARIANT_SHARE else target)
    if rng.random() < cal.LINK_DUPLICATE_SHARE:
        ids.append(ids[0])  # the same id twice
    return ids


def popular_first(population: RepoPopulation) -> list[str]:
    """Every id of the population, private ones included, most downloaded (else most liked) first."""

    def popularity(record: dict) -> int:
        value = record.get("downloads", record.get("likes"))
        return value if isinstance(value, int) else 0

    with population.lock:
        records = [r for r in population.records.values() if isinstance(r.get("id"), str)]
        return [r["id"] for r in sorted(records, key=popularity, reverse=True)]


class DatasetPopulation(RepoPopulation):
    MALFORMATIONS = ("downloads_string", "likes_null", "tags_string", "created_not_a_date", "gated_number",
                     "no_author", "no_created_at", "no_sha")  # fmt: skip

    def __init__(self, seed: int = 0, now: datetime | None = None):
        super().__init__(seed, now)
        self.licenses = Weighted(cal.DATASET_LICENSE_WEIGHTS)
        self.tasks = Weighted(cal.DATASET_TASK_WEIGHTS)
        self.formats = Weighted(cal.DATASET_FORMAT_WEIGHTS)
        self.sizes = Weighted(cal.DATASET_SIZE_WEIGHTS)

    def _creation_moments(self, n: int) -> list[datetime]:
        return growth_moments(self.rng, n, self.now)

    def _new_record(self, created: datetime, private_fraction: float) -> dict:
        rng = self.rng
        object_id = self._object_id(created)
        author = _author(rng, len(self.records))
        downloads, all_time = _counters(rng, created, self.now)
        record = {
            "_id": object_id,
            "id": f"{author}/{_pick(rng, DATASET_NAMES)}-{self._serial}",
            "author": author,
            "createdAt": iso(created),
            "disabled": rng.random() < 0.001,
            "downloads": downloads,
            "downloadsAllTime": all_time,
            "gated": _gated(rng.random()),
            "lastModified": iso(self._last_modified(created)),
            "likes": int(rng.paretovariate(2.0)) - 1,
            "private": rng.random() < private_fraction,
            "sha": f"{rng.getrandbits(160):040x}",
            "trendingScore": rng.randint(1, 100) if rng.random() < 0.05 else 0,
            "usedStorage": int(rng.lognormvariate(math.log(5_000_000), 2.5)),
        }
        task = self.tasks.draw(rng)
        modalities, task_ids = cal.DATASET_TASKS[task]
        languages = _pick(rng, LANGUAGE_PICKS) if "text" in modalities else []
        size = self.sizes.draw(rng) if rng.random() < 0.9 else None
        license_id = self.licenses.draw(rng) if rng.random() >= cal.DATASET_NO_LICENSE_SHARE else None
        tags = []
        if rng.random() < cal.DATASET_CARD_SHARE:  # what the card declares, as tags and as cardData
            tags += _tags("task_categories", [task]) + _tags("task_ids", task_ids[: int(rng.random() * 3)])
            tags += _tags("language", languages) + _tags("license", [license_id] if license_id else [])
            record["cardData"] = self._card(task, languages, size, license_id)
            self._add_texts(record)
        tags += _tags("size_categories", [size] if size else [])  # the rest as the dataset viewer derives it
        tags += _tags("format", [self.formats.draw(rng)]) + _tags("modality", modalities) + ["library:datasets"]
        tags += _pick(rng, LIBRARY_PICKS)
        tags += [f"arxiv:{rng.randint(1000, 2999)}.{rng.randint(10000, 99999)}"] * (rng.random() < 0.05)
        record["tags"] = [*tags, rng.choice(["region:us", "region:us", "region:eu"])]
        return record

    def _card(self, task: str, languages: list[str], size: str | None, license_id: str | None) -> dict:
        rng = self.rng
        card: dict = {}
        if license_id:
            card["license"] = [license_id] if rng.random() < 0.05 else license_id  # a list in some real cards
            if license_id == "other":
                card["license_name"] = rng.choice(list(cal.OTHER_LICENSE_NAMES))
                card["license_link"] = "LICENSE"
        card["task_categories"] = [task]
        if languages:
            card["language"] = languages
        if size:
            card["size_categories"] = [size]
        if rng.random() < 0.6:
            card["pretty_name"] = f"{task.replace('-', ' ').title()} corpus {rng.randint(1, 999)}"
        card["configs"] = DEFAULT_CONFIGS
        return card

    def _add_texts(self, record: dict) -> None:
        """description, citation and paperswithcode_id: present only when the card has them."""
        rng = self.rng
        if rng.random() < 0.6:
            record["description"] = f"A dataset for {record['id'].split('/')[1]}, collected and cleaned."
        if rng.random() < 0.2:
            key = record["id"].replace("/", "_").replace("-", "_")
            record["citation"] = f"@misc{{{key},\n  title={{{record['id']}}},\n  year={{2024}}\n}}"
        if rng.random() < 0.05:
            record["paperswithcode_id"] = record["id"].split("/")[1]

    def _drifts(self, record: dict) -> bool:
        return isinstance(record.get("downloads"), int) and isinstance(record.get("likes"), int)

    def _edit_record(self, record: dict) -> None:
        rng = self.rng
        change = rng.choice(["license", "tags", "card", "gated"])
        if change == "license":
            license_id = rng.choice([key for key in cal.DATASET_LICENSE_WEIGHTS if key != "other"])
            record.setdefault("cardData", {})["license"] = license_id
            record["tags"] = [t for t in record["tags"] if not t.startswith("license:")] + [f"license:{license_id}"]
        elif change == "tags":
            record["tags"] = [*record["tags"], f"language:{rng.choice(LANGUAGES)}"]
        elif change == "gated":
            record["gated"] = rng.choice([False, "auto", "manual"])
        else:
            record["description"] = f"edited {rng.randint(0, 10**6)}"
        self._touch(record)

    def _malform(self, record: dict) -> None:
        kind = self.rng.choice(self.MALFORMATIONS)
        _malform_common(record, kind, self.rng)
        self._flag(record, kind)


class SpacePopulation(RepoPopulation):
    MALFORMATIONS = ("likes_null", "tags_string", "created_not_a_date", "models_not_list", "datasets_not_list",
                     "runtime_not_object", "no_author", "no_created_at", "no_sha")  # fmt: skip

    def __init__(self, seed: int = 0, now: datetime | None = None):
        super().__init__(seed, now)
        self.sdks = Weighted(cal.SPACE_SDK_WEIGHTS)
        self.stages = Weighted(cal.SPACE_STAGE_WEIGHTS)
        self.hardware = Weighted(cal.SPACE_HARDWARE_WEIGHTS)
        self.licenses = Weighted(cal.DATASET_LICENSE_WEIGHTS)
        # What links name: ids popular first (link_populations sets them; empty: every link dangles).
        self.targets: dict[str, list[str]] = {"models": [], "datasets": []}

    def _creation_moments(self, n: int) -> list[datetime]:
        return growth_moments(self.rng, n, self.now)

    def _new_record(self, created: datetime, private_fraction: float) -> dict:
        rng = self.rng
        object_id = self._object_id(created)
        author = _author(rng, len(self.records))
        name = f"{rng.choice(SPACE_NAMES)}-{self._serial}"
        sdk = self.sdks.draw(rng)
        card = {"title": name.replace("-", " ").title(), "emoji": rng.choice(EMOJIS), "colorFrom": rng.choice(COLORS),
                "colorTo": rng.choice(COLORS), "sdk": sdk, "pinned": rng.random() < 0.1}  # fmt: skip
        if sdk in ("gradio", "streamlit"):
            card |= {"sdk_version": rng.choice(["4.44.1", "5.9.1", "1.41.0"]), "app_file": "app.py"}
        tags = [sdk]
        if rng.random() < cal.SPACE_LICENSE_SHARE:
            card["license"] = self.licenses.draw(rng)
            tags += _tags("license", [card["license"]])
        if rng.random() < 0.4:
            card["short_description"] = f"A {sdk} app: {name}"
        record = {
            "_id": object_id,
            "id": f"{author}/{name}",
            "author": author,
            "cardData": card,
            "createdAt": iso(created),
            "disabled": rng.random() < 0.002,
            "lastModified": iso(self._last_modified(created)),
            "likes": int(rng.paretovariate(1.6)) - 1,
            "private": rng.random() < private_fraction,
            "runtime": self._runtime(sdk),
            "sdk": sdk,
            "sha": f"{rng.getrandbits(160):040x}",
            "subdomain": subdomain(f"{author}/{name}"),
            "tags": [*tags, *(["mcp-server"] * (rng.random() < 0.03)), "region:us"],
            "trendingScore": rng.randint(1, 300) if rng.random() < 0.03 else 0,
            "usedStorage": int(rng.lognormvariate(math.log(200_000), 2.0)),
        }
        self.set_links(record, rng)
        return record

    def _runtime(self, sdk: str) -> dict:
        """The Hub's runtime block: hardware is current only while running; static Spaces have none.
        One shared object per shape (a million Spaces hold a few dozen shapes; edits replace, never change)."""
        stage = "RUNNING" if sdk == "static" else self.stages.draw(self.rng)
        requested = None if sdk == "static" else self.hardware.draw(self.rng)
        key = (sdk == "static", stage, requested)
        if key not in RUNTIMES:
            running = stage == "RUNNING"
            RUNTIMES[key] = {
                "stage": stage,
                "hardware": {"current": requested if running else None, "requested": requested},
                "storage": None,
                "gcTimeout": None if sdk == "static" else 172800,
                "replicas": {"current": 1, "requested": 1} if running else {"requested": 1},
                "devMode": False,
            }
        return RUNTIMES[key]

    def set_links(self, record: dict, rng: random.Random) -> None:
        """Draw the Space's `models` and `datasets` (absent when it declares none); its card lists them too."""
        card = record.get("cardData") if isinstance(record.get("cardData"), dict) else None
        for key, share in (("models", cal.SPACE_MODELS_SHARE), ("datasets", cal.SPACE_DATASETS_SHARE)):
            record.pop(key, None)
            if card is not None:
                card.pop(key, None)
            if rng.random() < share:
                record[key] = link_ids(rng, self.targets[key], rng.randint(1, 3))
                if card is not None and rng.random() < 0.9:
                    card[key] = list(record[key])

    def _drifts(self, record: dict) -> bool:
        return isinstance(record.get("likes"), int)

    def _drift(self, record: dict) -> None:
        record["likes"] += self.rng.randint(0, 3)
        record["trendingScore"] = self.rng.randint(0, 50)

    def _edit_record(self, record: dict) -> None:
        rng = self.rng
        change = rng.choice(["links", "sdk", "runtime", "license", "title"])
        if change == "links":
            self.set_links(record, rng)
        elif change == "sdk":
            record["sdk"] = record["cardData"]["sdk"] = rng.choice(["gradio", "streamlit", "docker"])
            record["tags"] = [record["sdk"], *record["tags"][1:]]
            record["runtime"] = self._runtime(record["sdk"])
        elif change == "runtime":  # a restart or a hardware change (a commit to the README, here)
            record["runtime"] = self._runtime(record["sdk"])
        elif change == "license":
            record["cardData"]["license"] = rng.choice([key for key in cal.DATASET_LICENSE_WEIGHTS if key != "other"])
            record["tags"] = [t for t in record["tags"] if not t.startswith("license:")]
            record["tags"].insert(1, f"license:{record['cardData']['license']}")
        else:
            record["cardData"]["title"] = f"edited {rng.randint(0, 10**6)}"
        self._touch(record)

    def _malform(self, record: dict) -> None:
        kind = self.rng.choice(self.MALFORMATIONS)
        if kind == "models_not_list":
            record["models"] = "org-1/model-a,org-2/model-b"
        elif kind == "datasets_not_list":
            record["datasets"] = "org-1/dataset-a"
        elif kind == "runtime_not_object":
            record["runtime"] = "RUNNING"
        else:
            _malform_common(record, kind, self.rng)
        self._flag(record, kind)


def _malform_common(record: dict, kind: str, rng: random.Random) -> None:
    """The malformations models, datasets and Spaces share."""
    if kind == "downloads_string":
        record["downloads"] = f"{rng.randint(1, 99)}k"
    elif kind == "likes_null":
        record["likes"] = None
    elif kind == "tags_string":
        record["tags"] = ",".join(record["tags"])
    elif kind == "created_not_a_date":
        record["createdAt"] = "not-a-date"
    elif kind == "gated_number":
        record["gated"] = 123
    else:
        record.pop({"no_author": "author", "no_created_at": "createdAt", "no_sha": "sha"}[kind])


def link_populations(models: RepoPopulation, datasets: RepoPopulation, spaces: SpacePopulation, seed: int = 0):
    """Point the links of the three populations at each other: every well-formed Space's `models` and
    `datasets`, and every well-formed model's `cardData.datasets` and `dataset:` tags, are drawn again
    from the real ids (popular ones far more often), with dangling, private, case-variant and
    duplicate targets. Spaces created or edited later draw from the same targets."""
    rng = random.Random(seed)
    spaces.targets = {"models": popular_first(models), "datasets": popular_first(datasets)}
    with spaces.lock, models.lock, collector_paused():
        for record in spaces.records.values():
            if record["id"] not in spaces.malformed:
                spaces.set_links(record, rng)
        spaces.version += 1
        for record in models.records.values():
            if isinstance(record.get("tags"), list) and record.get("id") not in models.malformed:
                _link_model(record, spaces.targets["datasets"], rng)
        models.version += 1


def _link_model(record: dict, datasets: list[str], rng: random.Random) -> None:
    """A model's training data: in its card (a string or a list) and as `dataset:` tags, or only one of them."""
    tags = [tag for tag in record["tags"] if not tag.startswith("dataset:")]
    card = record.get("cardData") if isinstance(record.get("cardData"), dict) else None
    if card is not None:
        card.pop("datasets", None)
    if rng.random() < cal.MODEL_DATASETS_SHARE:
        ids = link_ids(rng, datasets, rng.randint(1, 3))
        where = rng.random()
        if card is not None and where < 0.85:
            card["datasets"] = ids[0] if len(ids) == 1 and rng.random() < 0.5 else ids
        if card is None or where >= 0.15:
            tags += [f"dataset:{dataset_id}" for dataset_id in dict.fromkeys(ids)]
    record["tags"] = tags
