"""What the Hub-like population is calibrated to: each published figure with its source, in one place.

Figures and sources are those of `../shared/hub-figures.md` (section numbers below). Where nothing was
published, the value is an assumption and says so: it only has to look like an ecosystem, not be one.
The population (`profiles.HubLike`) draws from these; tests/test_calibration.py checks that the
registry's own report recovers them.
"""

from __future__ import annotations

import bisect
from datetime import UTC, datetime

IVAN = "https://huggingface.co/blog/ivanfioravanti/three-million-models-and-counting"
HFCOMMUNITY = "repo SOM-Research/HFCommunity, download.html"
SUMMER_2026 = "https://raw.githubusercontent.com/huggingface/blog/main/state-of-open-models-summer-2026.md"
RAMALAMA = "https://blog.ramalama.com/data-shows-public-ai-repos-may-be-quietly-becoming-a-supply-chain-risk"
LISCAN = "https://liscan-ai.com/auth/guest?next=%2Findex%2Fdata_analysis"


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- growth (hub-figures 2.1, 2.2): public models at dates, one consistent series --------------------
# The legacy cohort (models older than the createdAt field, 2022-03-02) is not published: estimated
# by carrying the Sep -> Dec 2022 monthly growth (x1.121) back six months from 68,667.
# Left out, as they disagree with the series (they would make the curve fall and jump): the
# "official" 1,000,000 of 2024-09-25 (IVAN: 2024 ends at 1,080,000) and RamaLama's 1,873,342 in Jul 2025.
LEGACY_MODELS = 34_700
GROWTH = (
    (day("2022-03-03"), LEGACY_MODELS, "estimate (above)"),
    (day("2022-09-01"), 68_667, HFCOMMUNITY),
    (day("2022-12-30"), 108_473, IVAN),
    (day("2023-05-15"), 214_336, HFCOMMUNITY),
    (day("2023-12-31"), 450_208, IVAN),
    (day("2024-12-31"), 1_080_000, IVAN + " (2,264,880 at the end of 2025 less 1,184,880 added in 2025)"),
    (day("2025-10-15"), 2_126_833, IVAN),
    (day("2025-12-31"), 2_264_880, IVAN),
    (day("2026-08-22"), 3_012_377, IVAN),
    # The population's clock stands at 2026-11-01: carried on at 2026's pace (747,497 in 234 days).
    (day("2026-11-01"), 3_012_377 + round(747_497 / 234 * 71), "extrapolated at 2026's pace"),
)


def _slopes(times: list[float], counts: list[float]) -> list[float]:
    """Monotone cubic (Fritsch-Carlson) slopes: a smooth curve through the figures that never falls."""
    h = [b - a for a, b in zip(times, times[1:], strict=False)]
    d = [(counts[i + 1] - counts[i]) / h[i] for i in range(len(h))]
    slopes = [d[0]]
    for i in range(1, len(h)):
        w1, w2 = 2 * h[i] + h[i - 1], h[i] + 2 * h[i - 1]
        slopes.append(0.0 if d[i - 1] * d[i] <= 0 else (w1 + w2) / (w1 / d[i - 1] + w2 / d[i]))
    return [*slopes, d[-1]]


_TIMES = [t.timestamp() for t, _, _ in GROWTH]
_COUNTS = [float(c) for _, c, _ in GROWTH]
_SLOPES = _slopes(_TIMES, _COUNTS)


def cumulative_share(moment: datetime) -> float:
    """The share of today's models that existed at `moment`, on the curve through the figures."""
    x = min(max(moment.timestamp(), _TIMES[0]), _TIMES[-1])
    i = min(max(bisect.bisect_right(_TIMES, x) - 1, 0), len(_TIMES) - 2)
    h = _TIMES[i + 1] - _TIMES[i]
    t = (x - _TIMES[i]) / h
    c0, c1, m0, m1 = _COUNTS[i], _COUNTS[i + 1], _SLOPES[i] * h, _SLOPES[i + 1] * h
    value = (2 * t**3 - 3 * t**2 + 1) * c0 + (t**3 - 2 * t**2 + t) * m0 + (-2 * t**3 + 3 * t**2) * c1
    value += (t**3 - t**2) * m1
    return value / _COUNTS[-1]


END_2022_SHARE = cumulative_share(day("2022-12-31"))  # ~3.35 % of the final count

# -- licences (hub-figures 2.3) ----------------------------------------------------------------------
NO_LICENSE_SHARE = 0.644  # RamaLama, Jul 2025: 64.4 % of 1,873,342 repositories declare none
# Among declared licences, LiScan's counts for the top nine; the rest of the 76 types (~22 % of the
# declared ones, so that about 60 % are traditional open-source licences, mend.io) is spread over
# other ids as an assumption, including ids outside the Hub's list, which real cards carry.
LICENSE_WEIGHTS = {
    "apache-2.0": 249_075, "mit": 92_116, "openrail": 35_295, "creativeml-openrail-m": 26_738,
    "cc-by-nc-4.0": 12_892, "llama3": 9_898, "llama2": 9_682, "llama3.1": 6_858, "cc-by-4.0": 5_841,
    # assumed from here on
    "other": 30_000, "gemma": 20_000, "cc-by-nc-sa-4.0": 12_000, "cc-by-sa-4.0": 8_000, "gpl-3.0": 8_000,
    "llama3.2": 8_000, "bsd-3-clause": 6_000, "afl-3.0": 5_000, "cc0-1.0": 5_000, "unlicense": 4_000,
    "bigscience-openrail-m": 4_000, "llama3.3": 4_000, "agpl-3.0": 3_000, "openrail++": 3_000,
    "cc-by-nc-nd-4.0": 3_000, "lgpl-3.0": 2_000, "mpl-2.0": 2_000,
    # outside the Hub's list (typed as given, family unknown)
    "apache license 2.0": 2_500, "cc-by-nc-sa": 2_000, "llama-3-community-license": 1_500,
}  # fmt: skip
OTHER_LICENSE_NAMES = {"deepseek": 3, "qwen-research": 2, "custom-nc": 5}  # `other` + license_name (assumed)
LICENSE_SOURCES = (RAMALAMA, LISCAN, "https://mend.io/?p=4049")

# -- libraries: no published mix; assumed, ordered as the 2026 library growth figures suggest --------
LIBRARY_WEIGHTS = {
    "transformers": 38, None: 22, "peft": 12, "gguf": 6, "diffusers": 5, "sentence-transformers": 4,
    "mlx": 2, "timm": 2, "stable-baselines3": 2, "ml-agents": 2, "pytorch": 2, "lerobot": 1, "keras": 1,
    "onnx": 1,
}  # fmt: skip
PIPELINE_BY_LIBRARY = {
    "diffusers": {"text-to-image": 8, "image-to-image": 1, None: 1},
    "sentence-transformers": {"sentence-similarity": 6, "feature-extraction": 4},
    "timm": {"image-classification": 1},
    "stable-baselines3": {"reinforcement-learning": 1},
    "ml-agents": {"reinforcement-learning": 1},
    "lerobot": {"robotics": 1},
}
PIPELINE_WEIGHTS = {  # every other library (assumed)
    "text-generation": 40, "text-classification": 12, None: 15, "image-text-to-text": 8,
    "automatic-speech-recognition": 6, "token-classification": 5, "feature-extraction": 4,
    "text2text-generation": 4, "image-classification": 4, "translation": 2,
}  # fmt: skip

# -- sizes (hub-figures 2.4) ---------------------------------------------------------------------------
KNOWN_SIZE_SHARE = 0.7776  # lbourdois, Oct 2025: the size is knowable for 77.76 % of the Hub
# By count, among models of known size: not published; assumed, "most models small" (<1B: 56 %),
# in line with <1B models taking 83 % of downloads (HF Summer 2026).
SIZE_BUCKET_WEIGHTS = {"<100M": 26, "100M-1B": 30, "1B-3B": 12, "3B-10B": 20, "10B-30B": 7, "30B-100B": 4,
                       ">100B": 1}  # fmt: skip
# Size tokens as names carry them, per bucket (the registry reads them: `7b`, `8x7b`, `350m`).
SIZE_TOKENS = {
    "<100M": ["22m", "33m", "66m", "82m"], "100M-1B": ["110m", "135m", "350m", "0.5b", "770m"],
    "1B-3B": ["1b", "1.5b", "1.7b", "2b"], "3B-10B": ["3b", "4b", "7b", "8b", "9b"],
    "10B-30B": ["12b", "13b", "14b", "27b"], "30B-100B": ["32b", "70b", "72b", "8x7b"],
    ">100B": ["235b", "405b", "671b"],
}  # fmt: skip
NAME_ONLY_SHARE = 0.12  # of sized models outside gguf, the size is only in the name (assumed)

# -- downloads (hub-figures 2.7) ---------------------------------------------------------------------
UNDER_200_ALL_TIME_SHARE = 0.856  # HF Summer 2026: 85.6 % of models have fewer than 200 lifetime downloads
HEAD_SHARE = 0.015  # HF Summer 2026: 1.5 % of repositories ...
HEAD_DOWNLOAD_SHARE = 0.992  # ... account for 99.2 % of all downloads
# How the two groups are drawn (fitted to the three figures above): the tail, 40 % zero and a
# log-normal (median 50, sigma 1.8) for the rest; the head, log-normal with sigma 2 and the median
# that gives it 99.2 % of the total.
TAIL_ZERO_SHARE = 0.40
TAIL_MEDIAN, TAIL_SIGMA = 50.0, 1.8
HEAD_SIGMA = 2.0
DOWNLOAD_SOURCES = (SUMMER_2026,)

# -- lineage (hub-figures 2.5) -------------------------------------------------------------------------
# Models declaring a base: ~400,000 labelled edges when the Hub held ~1.5M models (Model Atlas, Mar
# 2025) -> about a quarter (an estimate: a merge has two edges).
DERIVATIVE_SHARE = 0.25
HUB_AT_FAMILY_FIGURES = 3_000_000  # HF Summer 2026 counts against ~3.0M models
# family org -> (derivatives, first release the family's derivatives can follow, source)
FAMILIES = {
    "Qwen": (151_448, day("2023-08-03"), SUMMER_2026),
    "google": (82_506, day("2022-03-03"), SUMMER_2026),
    "meta-llama": (round(151_448 / 2.6), day("2023-07-18"), SUMMER_2026 + " (Qwen is 2.6x Meta)"),
    "deepseek-ai": (6_000, day("2023-11-29"), "ellis.replygirl.club summary of HF's DeepSeek blog (mid-2025)"),
}
FAMILY_SHARES = {org: count / HUB_AT_FAMILY_FIGURES for org, (count, _, _) in FAMILIES.items()}
FAMILY_ROOT_NAMES = {  # what the families' own releases are called
    "Qwen": ["Qwen2", "Qwen2.5", "Qwen2.5-Coder", "Qwen3"], "google": ["gemma-2", "gemma-3", "flan-t5", "vit"],
    "meta-llama": ["Llama-2", "Llama-3.1", "Llama-3.2"], "deepseek-ai": ["DeepSeek-R1-Distill", "DeepSeek-V3"],
}  # fmt: skip
# Relations follow the library (assumed): gguf repos are quantizations, peft repos adapters; the rest
# fine-tunes and some merges. Quantized models are leaves (99.41 %, Model Atlas): never a base.
DERIVATIVE_PROBABILITY = {"gguf": 0.9, "peft": 0.6}
MERGE_SHARE = 0.15  # of the other derivatives (assumed)
NEW_ROOT_PROBABILITY = 0.004  # a family member that is a new official release (assumed)
ROOT_AS_BASE_PROBABILITY = 0.4  # else a random earlier member: chains grow (assumed)

# -- cardData sizes: measured on the 34 real detail bodies of ../shared/hub-real (cassettes) ----------
# minified JSON: 40 B to 13.9 KB, median 329 B; a log-normal with that median and sigma 1.5 puts ~7 %
# above 3 KB and ~1 % above 13 KB, as the sample does.
CARD_MEDIAN_BYTES, CARD_SIGMA, CARD_MAX_BYTES = 330, 1.5, 60_000
CARD_SHARE = 0.97  # 1 of 35 real bodies has no cardData

# -- datasets and Spaces (issue 18): no published mixes were found; every weight below is assumed ---------
# Sizes of the Hub: ~600k public datasets and ~700k+ Spaces (issue 18), against ~3M models; 75k datasets
# with 350k models in Nov 2023 (hub-docs PR #1108). Both grow along the models' curve (assumed).
DATASETS_PER_MODEL, SPACES_PER_MODEL = 0.25, 0.3  # the stand-in's default population sizes
DATASET_NO_LICENSE_SHARE = 0.55
DATASET_LICENSE_WEIGHTS = {
    "mit": 30, "apache-2.0": 25, "cc-by-4.0": 15, "cc-by-nc-4.0": 8, "cc-by-sa-4.0": 5, "other": 5,
    "cc-by-nc-sa-4.0": 3, "odc-by": 3, "cc0-1.0": 3, "openrail": 2, "unknown": 1,
}  # fmt: skip
DATASET_CARD_SHARE = 0.7  # the rest were uploaded without a card: only the viewer's tags
DATASET_TASKS = {  # task category -> (modalities, task ids)
    "text-generation": (["text"], []),
    "text-classification": (["text"], ["sentiment-classification", "topic-classification"]),
    "question-answering": (["text"], ["extractive-qa", "open-domain-qa"]), "translation": (["text"], []),
    "summarization": (["text"], []), "token-classification": (["text"], ["named-entity-recognition"]),
    "image-classification": (["image"], ["multi-class-image-classification"]), "image-to-text": (["image", "text"], []),
    "text-to-image": (["image", "text"], []), "automatic-speech-recognition": (["audio", "text"], []),
    "tabular-classification": (["tabular"], []), "robotics": (["timeseries", "video"], []),
}  # fmt: skip
DATASET_TASK_WEIGHTS = {"text-generation": 30, "text-classification": 12, "question-answering": 12, "translation": 4,
                        "summarization": 3, "token-classification": 3, "image-classification": 6, "image-to-text": 5,
                        "text-to-image": 4, "automatic-speech-recognition": 5, "tabular-classification": 3,
                        "robotics": 4}  # fmt: skip
DATASET_FORMAT_WEIGHTS = {"parquet": 60, "json": 15, "csv": 10, "imagefolder": 5, "audiofolder": 3, "webdataset": 3,
                          "text": 3, "arrow": 1}  # fmt: skip
DATASET_SIZE_WEIGHTS = {"n<1K": 30, "1K<n<10K": 28, "10K<n<100K": 20, "100K<n<1M": 12, "1M<n<10M": 6,
                        "10M<n<100M": 2, "100M<n<1B": 1, "1B<n<10B": 0.5, "n>1T": 0.1}  # fmt: skip
SPACE_SDK_WEIGHTS = {"gradio": 60, "docker": 18, "streamlit": 12, "static": 10}
SPACE_STAGE_WEIGHTS = {"SLEEPING": 45, "RUNNING": 20, "RUNTIME_ERROR": 15, "PAUSED": 8, "BUILD_ERROR": 5,
                       "NO_APP_FILE": 3, "CONFIG_ERROR": 2, "BUILDING": 1, "STOPPED": 1}  # fmt: skip
SPACE_HARDWARE_WEIGHTS = {"cpu-basic": 85, "zero-a10g": 6, "cpu-upgrade": 3, "t4-small": 2, "a10g-small": 2,
                          "l4x1": 1, "a100-large": 1}  # fmt: skip
SPACE_LICENSE_SHARE = 0.45  # Spaces whose card declares a licence
# Links: the share of Spaces declaring models / datasets, and of models declaring training data; a link
# names a popular repository far more often than an obscure one (drawn with a cube towards the head).
SPACE_MODELS_SHARE, SPACE_DATASETS_SHARE, MODEL_DATASETS_SHARE = 0.35, 0.12, 0.2
# Oddities among link targets: an id that never existed, a case variant of a real id, one id twice.
LINK_GHOST_SHARE, LINK_CASE_VARIANT_SHARE, LINK_DUPLICATE_SHARE = 0.04, 0.04, 0.03
