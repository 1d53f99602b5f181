"""A generated population of Hub models with the Hub's real shapes and quirks, and its mutations.

Deterministic for a given seed and call sequence. Times come from the population's own clock
(`now`, movable with `advance`) so that tests can simulate days.
"""

from __future__ import annotations

import copy
import random
import threading
from datetime import UTC, datetime, timedelta

LEGACY_CREATED_AT = "2022-03-02T23:29:04.000Z"
START = datetime(2022, 3, 3, tzinfo=UTC)

LIBRARIES = ["transformers", "diffusers", "peft", "gguf", "sentence-transformers", "timm", "mlx", "onnx", None]
PIPELINES = ["text-generation", "text-classification", "image-text-to-text", "text-to-image",
             "automatic-speech-recognition", "feature-extraction", "token-classification", None]  # fmt: skip
LICENSES = ["apache-2.0", "mit", "openrail", "creativeml-openrail-m", "bigscience-openrail-m", "cc-by-4.0",
            "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "gpl-3.0", "lgpl-3.0", "agpl-3.0", "llama2", "llama3",
            "llama3.1", "gemma", "bsd-3-clause", "unlicense", "cc0-1.0", "other", "afl-3.0", "mpl-2.0"]  # fmt: skip
LANGUAGES = ["en", "zh", "fr", "de", "es", "ja", "multilingual"]
RELATIONS = ["finetune", "adapter", "quantized", "merge"]
# Malformations, each of which a consumer can detect (so tests can demand a flag for each).
MALFORMATIONS = ["downloads_string", "likes_null", "tags_string", "created_not_a_date", "gated_number",
                 "safetensors_total_string", "no_author", "no_created_at", "no_sha", "license_list",
                 "huge_card_data"]  # fmt: skip


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Population:
    def __init__(self, seed: int = 0, now: datetime | None = None):
        self.rng = random.Random(seed)
        self.now = now or datetime(2026, 11, 1, tzinfo=UTC)
        self.records: dict[str, dict] = {}  # _id -> full record
        self.malformed: dict[str, list[str]] = {}  # id -> what is wrong with it
        self.version = 0  # bumped by every mutation (the server re-sorts lazily)
        self.lock = threading.RLock()
        self._serial = 0
        self._ever_inserted: list[dict] = []  # lineage draws bases from here: O(1), unlike list(records)
        self.aliases: dict[str, str] = {}  # a renamed model's old id -> its _id

    @classmethod
    def generate(
        cls,
        n: int,
        seed: int = 0,
        private_fraction: float = 0.0,
        malformed_fraction: float = 0.0,
        idless: int = 0,
    ) -> Population:
        population = cls(seed)
        span = (population.now - START).total_seconds()
        created = sorted(START + timedelta(seconds=population.rng.random() * span) for _ in range(n))
        for moment in created:
            population._insert(population._new_record(moment, private_fraction))
        for record in population.rng.sample(list(population.records.values()), int(n * malformed_fraction)):
            if not record.get("private"):
                population._malform(record)
        for _ in range(idless):
            population._insert_idless()
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

    def get(self, model_id: str) -> dict | None:
        with self.lock:
            return next((r for r in self.records.values() if r.get("id") == model_id), None)

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
        """A stretch of ordinary Hub activity, scaled to `base` models: per day 0.2 % added, 0.5 % edited,
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
        """Change metadata of n public models, moving lastModified and sha as a commit does."""
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
                if not isinstance(record.get("downloads"), int) or self.rng.random() > fraction:
                    continue
                gained = self.rng.randint(0, 500)
                record["downloads"] = max(0, record["downloads"] + self.rng.randint(-200, 500))
                record["downloadsAllTime"] = record.get("downloadsAllTime", 0) + gained
                record["likes"] = (record.get("likes") or 0) + self.rng.randint(0, 3)
                record["trendingScore"] = self.rng.randint(0, 50)
                changed.append(record["id"])
            self.version += 1
            return changed

    def rename(self, n: int) -> list[tuple[str, str]]:
        """Rename n public models as the Hub does: same _id, new id; half of them move to another owner
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
            self.aliases[old_id] = record["_id"]
            self.version += 1
            return old_id, new_id

    def renamed_to(self, old_id: str) -> str | None:
        """The id a renamed model has now (the Hub redirects its old id there)."""
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

    def _new_record(self, created: datetime, private_fraction: float) -> dict:
        rng = self.rng
        legacy = created < datetime(2022, 6, 1, tzinfo=UTC) and rng.random() < 0.8
        author = f"org-{rng.randint(0, max(1, len(self.records) // 20 + 50))}"
        name = rng.choice(["llama", "bert", "mistral", "qwen", "sd", "whisper", "phi", "gemma"])
        size = rng.choice(["", "-7b", "-1.5b", "-350m", "-8x7b", "-70b", "-base", "-small"])
        model_id = f"{author}/{name}{size}-{self._serial + 1}"
        if rng.random() < 0.01:
            model_id = f"{author}/模型-🤗-{self._serial + 1}"  # non-ASCII ids exist on the Hub
        modified = created + timedelta(days=rng.random() * 200)
        if legacy:
            modified = created - timedelta(days=rng.random() * 300)  # legacy: edited before the field existed
        downloads = int(rng.paretovariate(1.2)) - 1
        record = {
            "_id": self._object_id(created),
            "id": model_id,
            "modelId": model_id,
            "author": author,
            "createdAt": LEGACY_CREATED_AT if legacy else iso(created),
            "lastModified": iso(min(modified, self.now)),
            "sha": f"{rng.getrandbits(160):040x}",
            "private": rng.random() < private_fraction,
            "gated": rng.choices([False, "auto", "manual"], [90, 6, 4])[0],
            "disabled": rng.random() < 0.002,
            "downloads": downloads,
            "downloadsAllTime": downloads + int(rng.paretovariate(1.1)) - 1,
            "likes": int(rng.paretovariate(1.5)) - 1,
            "trendingScore": rng.choice([0, 0, 0, rng.randint(1, 100)]),
            "childrenModelCount": rng.choice([0, 0, 0, rng.randint(1, 30)]),
            "usedStorage": rng.randint(1_000, 50_000_000_000),
        }
        library = rng.choice(LIBRARIES)
        pipeline = rng.choice(PIPELINES)
        if library:
            record["library_name"] = library
        if pipeline:
            record["pipeline_tag"] = pipeline
        tags = [library] if library else []
        license_id = rng.choice(LICENSES) if rng.random() < 0.6 else None
        card: dict | None = {} if rng.random() < 0.8 else None
        if license_id:
            tags.append(f"license:{license_id}")
            if card is not None:
                card["license"] = license_id
                if license_id == "other":
                    card["license_name"] = rng.choice(["deepseek", "qwen-research", "custom-nc"])
                    card["license_link"] = "LICENSE"
        self._add_lineage(record, tags, card)
        self._add_size(record, tags, rng)
        tags += rng.sample(LANGUAGES, rng.randint(0, 2))
        tags += [f"dataset:ds-{rng.randint(1, 99)}"] * (rng.random() < 0.2)
        tags += [f"arxiv:{rng.randint(1000, 2999)}.{rng.randint(10000, 99999)}"] * (rng.random() < 0.1)
        tags += ["endpoints_compatible", rng.choice(["region:us", "region:eu"])]
        record["tags"] = list(dict.fromkeys(tags))
        if card is not None:
            card.setdefault("language", tags[-1:])
            card[f"extra_{rng.randint(0, 5)}"] = rng.choice([True, 3, "text", [1, 2], {"k": None}])
            record["cardData"] = card
        if rng.random() < 0.3:
            record["config"] = {"architectures": [f"{name.title()}ForCausalLM"], "model_type": name}
        return record

    def _add_lineage(self, record: dict, tags: list, card: dict | None) -> None:
        if not self._ever_inserted or self.rng.random() > 0.3:
            return
        base = self.rng.choice(self._ever_inserted)  # may since be deleted, as bases on the Hub may be
        if not isinstance(base.get("id"), str):
            return
        relation = self.rng.choice(RELATIONS)
        record["baseModels"] = {"relation": relation, "models": [{"id": base["id"]}]}
        tags += [f"base_model:{base['id']}", f"base_model:{relation}:{base['id']}"]
        if card is not None:
            card["base_model"] = base["id"] if self.rng.random() < 0.8 else [base["id"]]

    @staticmethod
    def _add_size(record: dict, tags: list, rng: random.Random) -> None:
        roll = rng.random()
        if roll < 0.4:
            bf16 = rng.randint(10_000_000, 80_000_000_000)
            f32 = rng.choice([0, rng.randint(1, 1_000_000)])
            params = {"BF16": bf16, **({"F32": f32} if f32 else {})}
            record["safetensors"] = {"parameters": params, "total": bf16 + f32}
            tags.append("safetensors")
        elif roll < 0.48:
            record["gguf"] = {"total": rng.randint(100_000_000, 70_000_000_000), "architecture": "llama",
                              "context_length": rng.choice([2048, 4096, 8192, 32768])}  # fmt: skip
            tags.append("gguf")

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
        self.malformed[record["id"]] = [kind]
        self.version += 1

    def _insert_idless(self) -> None:
        self.now += timedelta(milliseconds=1)
        record = self._new_record(self.now, 0.0)
        if self.rng.random() < 0.5:
            del record["id"]
        else:
            record["id"] = 12345
        record.pop("modelId", None)
        self._insert(record)
