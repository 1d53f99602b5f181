"""A generated population of Hub repositories with the Hub's real shapes and quirks, and its mutations.

`RepoPopulation` holds what every kind of repository shares (records by _id, the clock, adding, editing,
deleting, renaming, counters drifting); `Population` builds models (datasets and Spaces: repos.py).
Deterministic for a given seed and call sequence. Times come from the population's own clock
(`now`, movable with `advance`) so that tests can simulate days.
"""

from __future__ import annotations

import copy
import gc
import math
import random
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from .profiles import LEGACY_04, LEGACY_05, PROFILES, Traits, Uniform

LEGACY_CREATED_AT = "2022-03-02T23:29:04.000Z"
LEGACY_MOMENTS = (LEGACY_04, LEGACY_05)  # the legacy createdAt is its ObjectId's timestamp: :04 or :05

LIBRARIES = Uniform.LIBRARIES
PIPELINES = Uniform.PIPELINES
LICENSES = Uniform.LICENSES[:-1]  # edits set ids of the Hub's list
LANGUAGES = ["en", "zh", "fr", "de", "es", "ja", "multilingual"]
RELATIONS = ["adapter", "finetune", "merge", "quantized"]
# Malformations, each of which a consumer can detect (so tests can demand a flag for each).
MALFORMATIONS = ["downloads_string", "likes_null", "tags_string", "created_not_a_date", "gated_number",
                 "safetensors_total_string", "no_author", "no_created_at", "no_sha", "license_list",
                 "huge_card_data"]  # fmt: skip


def iso(moment: datetime) -> str:
    """The Hub's form, milliseconds and Z (isoformat: strftime took a tenth of a record's build)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def subdomain(space_id: str) -> str:
    """A Space's host name under hf.space, from its id."""
    return space_id.lower().replace("/", "-").replace("_", "-").replace(".", "-")


@contextmanager
def collector_paused():
    """Generating builds millions of records and no cycles: the cyclic collector would rescan them again
    and again (700k datasets: 57 s with it, 43 s without, on a busy machine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class RepoPopulation:
    """What every kind of Hub repository shares; subclasses build, edit and malform their records."""

    def __init__(self, seed: int = 0, now: datetime | None = None):
        self.rng = random.Random(seed)
        self.now = now or datetime(2026, 11, 1, tzinfo=UTC)
        self.records: dict[str, dict] = {}  # _id -> full record
        self.malformed: dict[str, list[str]] = {}  # id -> what is wrong with it
        self.version = 0  # bumped by every mutation (the server re-sorts lazily)
        self.lock = threading.RLock()
        self._serial = 0
        self._ever_inserted: list[dict] = []  # draws of earlier repos come from here: O(1), unlike list(records)
        self.aliases: dict[str, str] = {}  # a renamed repository's old id -> its _id

    @classmethod
    def generate(
        cls, n: int, seed: int = 0, private_fraction: float = 0.0, malformed_fraction: float = 0.0
    ) -> RepoPopulation:
        """n repositories created along the Hub's growth curve, some private, some malformed (public ones)."""
        population = cls(seed)
        with collector_paused():
            for moment in population._creation_moments(n):
                population._insert(population._new_record(moment, private_fraction))
        for record in population.rng.sample(list(population.records.values()), int(n * malformed_fraction)):
            if not record.get("private"):
                population._malform(record)
        return population

    # -- reading ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.records)

    def all_records(self) -> list[dict]:
        with self.lock:
            return sorted(self.records.values(), key=lambda r: (str(r.get("createdAt")), r["_id"]))

    def public_records(self) -> list[dict]:
        return [record for record in self.all_records() if record.get("private") is not True]

    def public_ids(self) -> set[str]:
        return {r["id"] for r in self.public_records() if isinstance(r.get("id"), str)}

    def get(self, repo_id: str) -> dict | None:
        with self.lock:
            return next((r for r in self.records.values() if r.get("id") == repo_id), None)

    @staticmethod
    def project(record: dict, expand: list[str] | tuple[str, ...]) -> dict:
        """What a listing with `expand` returns for this record: _id, id and the asked-for fields it has."""
        keys = ("_id", "id", *expand)
        return {key: record[key] for key in record if key in keys}

    # -- mutations -------------------------------------------------------------------------------

    def advance(self, **delta) -> None:
        """Move the population's clock (timedelta keywords: days=1, hours=3, ...)."""
        self.now += timedelta(**delta)

    def live(self, days: float, base: int) -> dict[str, int]:
        """A stretch of ordinary Hub activity, scaled to `base` repositories: per day 0.2 % added, 0.5 % edited,
        0.05 % deleted, and half of all counters move. What each kind of change touched, counted."""
        self.advance(days=days)
        return {
            "added": len(self.add(int(base * days / 500))),
            "edited": len(self.edit(int(base * days / 200))),
            "deleted": len(self.delete(int(base * days / 2000))),
            "counters_drifted": len(self.drift_counters(0.5)),
        }

    def add(self, n: int, private_fraction: float = 0.0) -> list[str]:
        with self.lock:
            added = []
            for _ in range(n):
                self.now += timedelta(milliseconds=1)
                record = self._new_record(self.now, private_fraction)
                self._insert(record)
                added.append(record["id"])
            return added

    def edit(self, n: int) -> list[str]:
        """Change metadata of n public repositories, moving lastModified and sha as a commit does."""
        with self.lock:
            chosen = self.rng.sample(self._public_clean(), min(n, len(self._public_clean())))
            for record in chosen:
                self.now += timedelta(milliseconds=1)
                self._edit_record(record)
            self.version += 1
            return [record["id"] for record in chosen]

    def delete(self, n: int) -> list[str]:
        with self.lock:
            chosen = self.rng.sample(self._public_clean(), min(n, len(self._public_clean())))
            for record in chosen:
                del self.records[record["_id"]]
            self.version += 1
            return [record["id"] for record in chosen]

    def drift_counters(self, fraction: float = 0.5) -> list[str]:
        """Downloads, likes and trending move without lastModified moving, as on the Hub."""
        with self.lock:
            changed = []
            for record in self.records.values():
                if not self._drifts(record) or self.rng.random() > fraction:
                    continue
                self._drift(record)
                changed.append(record["id"])
            self.version += 1
            return changed

    def rename(self, n: int) -> list[tuple[str, str]]:
        """Rename n public repositories as the Hub does: same _id, new id; half of them move to another owner
        (a transfer). lastModified does not move: whether a rename moves it on the Hub is not known,
        and this is the harder case (only a complete listing sees it). (old id, new id) pairs."""
        with self.lock:
            chosen = self.rng.sample(self._public_clean(), min(n, len(self._public_clean())))
            renames = []
            for record in chosen:
                self._serial += 1
                author, name = record["id"].split("/", 1)
                if self.rng.random() < 0.5:
                    author = f"org-{self.rng.randint(0, 99)}"
                renames.append(self.rename_one(record["id"], f"{author}/{name}-v{self._serial}"))
            return renames

    def rename_one(self, old_id: str, new_id: str) -> tuple[str, str]:
        with self.lock:
            record = self.get(old_id)
            record["id"] = new_id
            if "modelId" in record:
                record["modelId"] = new_id
            if "author" in record:
                record["author"] = new_id.split("/", 1)[0]
            if "subdomain" in record:  # a Space's, which follows its id
                record["subdomain"] = subdomain(new_id)
            self.aliases[old_id] = record["_id"]
            self.version += 1
            return old_id, new_id

    def renamed_to(self, old_id: str) -> str | None:
        """The id a renamed repository has now (the Hub redirects its old id there)."""
        with self.lock:
            record = self.records.get(self.aliases.get(old_id, ""))
            return record["id"] if record else None

    def set_license(self, model_id: str, license_id: str) -> None:
        with self.lock:
            record = self.get(model_id)
            card = record.setdefault("cardData", {})
            card["license"] = license_id
            record["tags"] = [t for t in record["tags"] if not t.startswith("license:")] + [f"license:{license_id}"]
            self._touch(record)

    def remove(self, model_id: str) -> None:
        with self.lock:
            del self.records[self.get(model_id)["_id"]]
            self.version += 1

    def put(self, record: dict) -> None:
        with self.lock:
            self._insert(copy.deepcopy(record))

    # -- building records ------------------------------------------------------------------------

    def _insert(self, record: dict) -> None:
        self.records[record["_id"]] = record
        self._ever_inserted.append(record)
        self.version += 1

    def _object_id(self, moment: datetime) -> str:
        """An ObjectId: its first 4 bytes are the creation second (legacy ids: 621ffdc0 or 621ffdc1)."""
        self._serial += 1
        return f"{int(moment.timestamp()):08x}{self._serial:016x}"

    def _public_clean(self) -> list[dict]:
        return [r for r in self.records.values()
                if not r.get("private") and isinstance(r.get("id"), str) and r["id"] not in self.malformed]  # fmt: skip

    def _touch(self, record: dict) -> None:
        self.now += timedelta(milliseconds=1)
        record["lastModified"] = iso(self.now)
        record["sha"] = f"{self.rng.getrandbits(160):040x}"
        self.version += 1

    def _last_modified(self, created: datetime) -> datetime:
        if created in LEGACY_MOMENTS and self.rng.random() < 0.2:
            return created - timedelta(days=self.rng.random() * 600)  # legacy: edited before the field existed
        # Within 200 days and before now: never capped at now, which made thousands share one lastModified.
        return created + min(timedelta(days=200), max(self.now - created, timedelta(0))) * self.rng.random()

    # -- what each kind defines --------------------------------------------------------------------

    def _creation_moments(self, n: int) -> list[datetime]:
        raise NotImplementedError

    def _new_record(self, created: datetime, private_fraction: float) -> dict:
        raise NotImplementedError

    def _edit_record(self, record: dict) -> None:
        raise NotImplementedError

    def _malform(self, record: dict) -> None:
        raise NotImplementedError

    def _drifts(self, record: dict) -> bool:
        """Whether the record's counters are numbers that can move."""
        return isinstance(record.get("downloads"), int)

    def _drift(self, record: dict) -> None:
        gained = self.rng.randint(0, 500)
        record["downloads"] = max(0, record["downloads"] + self.rng.randint(-200, 500))
        record["downloadsAllTime"] = record.get("downloadsAllTime", 0) + gained
        record["likes"] = (record.get("likes") or 0) + self.rng.randint(0, 3)
        record["trendingScore"] = self.rng.randint(0, 50)

    def _flag(self, record: dict, kind: str) -> None:
        self.malformed[record["id"]] = [kind]
        self.version += 1


class Population(RepoPopulation):
    """Models: `profile` "uniform" spreads everything evenly, "hub" follows the Hub (profiles.py)."""

    def __init__(self, seed: int = 0, now: datetime | None = None, profile: str = "uniform"):
        super().__init__(seed, now)
        self.profile = PROFILES[profile]()
        self._children: dict[str, dict[str, int]] = {}  # base _id -> children per relation

    @classmethod
    def generate(
        cls,
        n: int,
        seed: int = 0,
        private_fraction: float = 0.0,
        malformed_fraction: float = 0.0,
        idless: int = 0,
        profile: str = "uniform",
    ) -> Population:
        """n models; `profile` "uniform" spreads everything evenly, "hub" follows the Hub (profiles.py)."""
        population = cls(seed, profile=profile)
        with collector_paused():
            for moment in population.profile.creation_moments(population.rng, n, population.now):
                population._insert(population._new_record(moment, private_fraction))
            population._settle_children_counts()
        for record in population.rng.sample(list(population.records.values()), int(n * malformed_fraction)):
            if not record.get("private"):
                population._malform(record)
        for _ in range(idless):
            population._insert_idless()
        return population

    def _new_record(self, created: datetime, private_fraction: float) -> dict:
        rng = self.rng
        traits = self.profile.traits(rng, created, self)
        model_id = f"{traits.author}/{traits.name}-{self._serial + 1}"
        if rng.random() < 0.01:
            model_id = f"{traits.author}/模型-🤗-{self._serial + 1}"  # non-ASCII ids exist on the Hub
        record = {
            "_id": self._object_id(created),  # its timestamp is createdAt's, as on the Hub (legacy ones too)
            "id": model_id,
            "modelId": model_id,
            "author": traits.author,
            "createdAt": iso(created),
            "lastModified": iso(self._last_modified(created)),
            "sha": f"{rng.getrandbits(160):040x}",
            "private": rng.random() < private_fraction,
            "gated": _gated(rng.random()),
            "disabled": rng.random() < 0.002,
            "downloads": traits.downloads,
            "downloadsAllTime": traits.downloads_all_time,
            "likes": traits.likes,
            "trendingScore": traits.trending,
            "childrenModelCount": self._children_count({}),
        }
        # Optional keys are absent, not null, when there is nothing to say (as in real bodies).
        if traits.library:
            record["library_name"] = traits.library
        if traits.pipeline:
            record["pipeline_tag"] = traits.pipeline
        tags = [traits.library] if traits.library else []
        card: dict | None = {} if traits.card else None
        self._add_license(traits, tags, card)
        self._add_lineage(record, tags, card, traits)
        self._add_size(record, tags, traits, created)
        tags += rng.sample(LANGUAGES, rng.randint(0, 2))
        tags += [f"dataset:ds-{rng.randint(1, 99)}"] * (rng.random() < 0.2)
        tags += [f"arxiv:{rng.randint(1000, 2999)}.{rng.randint(10000, 99999)}"] * (rng.random() < 0.1)
        tags += ["endpoints_compatible", rng.choice(["region:us", "region:eu"])]
        record["tags"] = list(dict.fromkeys(tags))
        if card is not None:
            card.setdefault("language", tags[-1:])
            card[f"extra_{rng.randint(0, 5)}"] = rng.choice([True, 3, "text", [1, 2], {"k": None}])
            if traits.card_bytes > 120:
                card["widget"] = [{"text": _filler(traits.card_bytes - 120)}]
            record["cardData"] = card
        record["usedStorage"] = self._used_storage(record, rng)
        self.profile.register(record, traits)
        return record

    @staticmethod
    def _add_license(traits: Traits, tags: list, card: dict | None) -> None:
        if not traits.license:
            return
        tags.append(f"license:{traits.license}")
        if card is not None:
            card["license"] = traits.license
            if traits.license_name:
                card["license_name"] = traits.license_name
                card["license_link"] = "LICENSE"

    def _add_lineage(self, record: dict, tags: list, card: dict | None, traits: Traits) -> None:
        bases = [base for base in traits.bases if isinstance(base.get("id"), str)]
        if not bases:
            return
        relation = traits.relation
        # The shape secondary sources agree on: {relation, models: [{_id, id}]}; a merge has two parents.
        record["baseModels"] = {"relation": relation, "models": [{"_id": b["_id"], "id": b["id"]} for b in bases]}
        for base in bases:
            tags += [f"base_model:{base['id']}", f"base_model:{relation}:{base['id']}"]
            self._children.setdefault(base["_id"], {}).setdefault(relation, 0)
            self._children[base["_id"]][relation] += 1
        if card is not None:
            one = len(bases) == 1 and self.rng.random() < 0.8
            card["base_model"] = bases[0]["id"] if one else [base["id"] for base in bases]
            if relation == "merge":
                card["base_model_relation"] = relation

    def _add_size(self, record: dict, tags: list, traits: Traits, created: datetime) -> None:
        if traits.parameters_source == "safetensors":
            record["safetensors"] = self._safetensors(traits.parameters, created)
            tags.append("safetensors")
        elif traits.parameters_source == "gguf":
            record["gguf"] = self._gguf(traits.parameters)
            record["config"] = {}  # as the Hub gives it for GGUF repos
            tags.append("gguf")
        elif self.rng.random() < 0.3:
            name = traits.name.split("-")[0]
            record["config"] = {"architectures": [f"{name.title()}ForCausalLM"], "model_type": name}

    def _safetensors(self, total: int, created: datetime) -> dict:
        """Several dtypes, in any key order, summing to total (buffers in I64, norms in F32)."""
        rng = self.rng
        main = "F32" if created < datetime(2023, 6, 1, tzinfo=UTC) else rng.choice(["BF16", "BF16", "F16", "F32"])
        extras = {"I64": 512} if rng.random() < 0.2 else {}
        if main != "F32" and rng.random() < 0.15:
            extras["F32"] = rng.randint(1, max(1, total // 1000))
        extras = {dtype: count for dtype, count in extras.items() if count < total}
        parameters = {main: total - sum(extras.values()), **extras}
        keys = list(parameters)
        rng.shuffle(keys)
        return {"parameters": {key: parameters[key] for key in keys}, "total": total}

    def _gguf(self, total: int) -> dict:
        """The Hub's gguf block: totalFileSize is the one parsed file's bytes, never the repo's size."""
        rng = self.rng
        block = {"total": total, "architecture": rng.choice(["llama", "qwen2", "gemma3", "phi3"]),
                 "context_length": rng.choice([2048, 4096, 8192, 32768, 131072])}  # fmt: skip
        if rng.random() < 0.7:
            block |= {"chat_template": "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{% endfor %}",
                      "bos_token": "<bos>", "eos_token": "<eos>"}  # fmt: skip
        block["totalFileSize"] = int(total * rng.choice([0.56, 1.07, 2.0]))  # Q4, Q8 or F16 bytes a parameter
        return block

    @staticmethod
    def _used_storage(record: dict, rng: random.Random) -> int:
        if "gguf" in record:
            return int(record["gguf"]["totalFileSize"] * rng.uniform(1, 6))  # several quantizations
        if "safetensors" in record:
            return int(record["safetensors"]["total"] * rng.uniform(2, 5))
        return rng.randint(1_000, 5_000_000_000)

    def _children_count(self, counts: dict[str, int]) -> int | dict[str, int]:
        """A number, or per relation: the Hub's shape is uncertain (hub-real/README.md), so both."""
        if self.rng.random() < 0.3:
            return sum(counts.values())
        return {relation: counts.get(relation, 0) for relation in RELATIONS}

    def _settle_children_counts(self) -> None:
        """Once generated, each base's childrenModelCount counts its children, in the shape it was given."""
        for object_id, counts in self._children.items():
            record = self.records.get(object_id)
            if record is not None:
                as_object = isinstance(record["childrenModelCount"], dict)
                record["childrenModelCount"] = (
                    {relation: counts.get(relation, 0) for relation in RELATIONS} if as_object else sum(counts.values())
                )

    def _edit_record(self, record: dict) -> None:
        rng = self.rng
        change = rng.choice(["license", "tags", "library", "pipeline", "card"])
        if change == "license":
            license_id = rng.choice(LICENSES[:-3])
            record.setdefault("cardData", {})["license"] = license_id
            record["tags"] = [t for t in record["tags"] if not t.startswith("license:")] + [f"license:{license_id}"]
        elif change == "tags":
            record["tags"] = [*record["tags"], f"tag-{rng.randint(0, 999)}"]
        elif change == "library":
            record["library_name"] = rng.choice(LIBRARIES[:-1])
        elif change == "pipeline":
            record["pipeline_tag"] = rng.choice(PIPELINES[:-1])
        else:
            record.setdefault("cardData", {})["description"] = f"edited {rng.randint(0, 10**6)}"
        self._touch(record)

    def _malform(self, record: dict) -> None:
        kind = self.rng.choice(MALFORMATIONS)
        if kind == "downloads_string":
            record["downloads"] = f"{self.rng.randint(1, 99)}k"
        elif kind == "likes_null":
            record["likes"] = None
        elif kind == "tags_string":
            record["tags"] = "text-generation,license:mit"
        elif kind == "created_not_a_date":
            record["createdAt"] = "not-a-date"
        elif kind == "gated_number":
            record["gated"] = 123
        elif kind == "safetensors_total_string":
            record["safetensors"] = {"parameters": {"BF16": 7}, "total": "7B"}
        elif kind in ("no_author", "no_created_at", "no_sha"):
            record.pop({"no_author": "author", "no_created_at": "createdAt", "no_sha": "sha"}[kind])
        elif kind == "license_list":
            record.setdefault("cardData", {})["license"] = ["mit", "apache-2.0"]
        else:
            record["cardData"] = {"license": "mit", "blob": [{"line": "x" * 1000, "n": i} for i in range(1100)]}
        self._flag(record, kind)

    def _insert_idless(self) -> None:
        self.now += timedelta(milliseconds=1)
        record = self._new_record(self.now, 0.0)
        if self.rng.random() < 0.5:
            del record["id"]
        else:
            record["id"] = 12345
        record.pop("modelId", None)
        self._insert(record)


_FILLERS: dict[int, str] = {}


def _filler(length: int) -> str:
    """Card text of about `length` characters, shared between records (memory stays flat at millions)."""
    step = int(math.log(max(length, 1)) / math.log(1.05))
    if step not in _FILLERS:
        _FILLERS[step] = ("The model card, as its author wrote it. " * (int(1.05**step) // 40 + 1))[: int(1.05**step)]
    return _FILLERS[step]


def _gated(roll: float) -> bool | str:
    """90 % open, 6 % gated "auto", 4 % "manual" (rng.choices costs a tenth of a record's build)."""
    return False if roll < 0.9 else "auto" if roll < 0.96 else "manual"
