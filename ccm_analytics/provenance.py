"""Where the data came from: the bundled sample or the user's files (for notices and footers)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .store import Version

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "ccm_sample.xlsx"
# Datasets of the sample that are not public, hence illustrative.
ILLUSTRATIVE_DATASETS = ("spend", "reports", "contributions", "meetings", "budget", "workplan", "pledges",
                         "followups")
SAMPLE_LABEL = "CCM Analytics sample data (partly illustrative)"


@lru_cache(maxsize=1)
def sample_sha256() -> str:
    return hashlib.sha256(SAMPLE_PATH.read_bytes()).hexdigest() if SAMPLE_PATH.exists() else ""


def is_sample_source(name: str, sha256: str | None = None) -> bool:
    return name == SAMPLE_PATH.name or (sha256 is not None and sha256 == sample_sha256())


def is_sample(version: Version | None) -> bool:
    """Whether a load put the bundled sample in the store."""
    if version is None:
        return False
    return version.action == "sample" or any(is_sample_source(s.get("name", ""), s.get("sha256"))
                                             for s in version.sources)


def sample_datasets(provenance: dict[str, Version | None]) -> tuple[str, ...]:
    """Datasets whose current data is the bundled sample."""
    return tuple(name for name, v in provenance.items() if is_sample(v))


def uses_sample(datasets: tuple[str, ...]) -> bool:
    return any(d in ILLUSTRATIVE_DATASETS for d in datasets)


# What each illustrative dataset of the sample stands for, as the sample-data notice says it.
ILLUSTRATIVE_WHAT = {
    "spend": "spend", "reports": "report submission dates", "contributions": "contributions",
    "meetings": "meetings and sponsorship", "budget": "budgets of years other than 2018",
    "workplan": "work-plan progress", "pledges": "pledges", "followups": "the follow-up log of contacts",
}


def illustrative_shown(shown: tuple[str, ...], sample: tuple[str, ...]) -> tuple[str, ...]:
    """The datasets a page shows that are illustrative: from the bundled sample and not public.

    A page whose datasets are all the user's own (or the sample's public facts) has none, so it
    carries no sample-data notice. Example: Budget shows budget, spend, contributions; after the
    user stores their own spend, the sample still supplies budget and contributions, so the
    notice names "budgets of years other than 2018" and "contributions", not spend.
    """
    return tuple(d for d in shown if d in sample and d in ILLUSTRATIVE_DATASETS)


def source_label(provenance: dict[str, Version | None]) -> str:
    """"sample data" or the names of the files the current data came from."""
    if uses_sample(sample_datasets(provenance)):
        return SAMPLE_LABEL
    names = sorted({s["name"] for v in provenance.values() if v for s in v.sources})
    return ", ".join(names) or "no data loaded"


def files_label(names: list[str]) -> str:
    """The footer label for data read straight from files."""
    return SAMPLE_LABEL if any(is_sample_source(Path(n).name) for n in names) else ", ".join(names)
