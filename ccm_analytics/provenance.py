"""Where the data came from: the bundled sample or the user's files (for notices and footers)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from . import paths
from .i18n import LANGUAGES, N_, _, in_language, ngettext, pgettext
from .store import Version
from .data import SAMPLE_COLUMN

SAMPLE_PATH = paths.SAMPLE_WORKBOOK  # may be absent (an install outside a checkout): see paths
# Datasets of the sample that are not public, hence illustrative.
ILLUSTRATIVE_DATASETS = ("spend", "reports", "contributions", "meetings", "budget", "workplan", "pledges",
                         "followups")
# The source label of the bundled sample (English; :func:`source_label` writes it in the run's language).
SAMPLE_LABEL = N_("CCM Analytics sample data (partly illustrative)")


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


def sample_rows(data) -> dict[str, tuple[int, int]]:
    """Dataset -> (rows from the bundled sample, all rows), for each dataset holding a sample row.

    Provenance is per row (the stored ``_sample`` column): after one real contact is logged on top of the
    sample's thirteen, the follow-up log is ``(13, 14)``, still illustrative, and says how much of it is.
    """

    out = {}
    for name in data.row_counts():
        frame = data.frame(name)
        if SAMPLE_COLUMN in frame.columns and len(frame):
            n = int(frame[SAMPLE_COLUMN].fillna(False).astype(bool).sum())
            if n:
                out[name] = (n, len(frame))
    return out


def sample_datasets_in(data) -> tuple[str, ...]:
    """Datasets holding at least one row of the bundled sample (per row, :func:`sample_rows`)."""
    return tuple(sample_rows(data))


def sample_share(dataset: str, counts: Mapping[str, tuple[int, int]]) -> str:
    """How much of a dataset shown is the sample's, when not all of it: "12 of 13 rows are illustrative
    sample rows" (in the run's language); "" when every row (or none) is the sample's."""
    n, total = counts.get(dataset, (0, 0))
    if n == 0 or n == total:
        return ""
    return ngettext("{n} of {total} row is an illustrative sample row", "{n} of {total} rows are illustrative "
                    "sample rows", total).format(n=n, total=total)


def uses_sample(datasets: tuple[str, ...]) -> bool:
    return any(d in ILLUSTRATIVE_DATASETS for d in datasets)


# What each illustrative dataset of the sample stands for, as the sample-data notice says it: in the run's
# language when read (``ILLUSTRATIVE_WHAT["spend"]`` is "spend", French "dépenses"; see :func:`illustrative_what`).
class _IllustrativeWhat(Mapping):
    """Dataset -> words, translated on every read (so a module constant never fixes one language)."""

    def __init__(self, english: dict[str, str]):
        self.english = english

    def __getitem__(self, dataset: str) -> str:
        return illustrative_what([dataset])[0] if dataset in self.english else self.english[dataset]

    def __iter__(self):
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)


ILLUSTRATIVE_WHAT = _IllustrativeWhat({
    "spend": "spend", "reports": "report submission dates", "contributions": "contributions",
    "meetings": "meetings and sponsorship", "budget": "budgets of years other than 2018",
    "workplan": "work-plan progress", "pledges": "pledges", "followups": "the follow-up log of contacts",
})


def illustrative_what(datasets) -> list[str]:
    """What each illustrative dataset stands for (:data:`ILLUSTRATIVE_WHAT`), in the run's language ("spend",
    French "dépenses")."""
    words = {  # the words of ILLUSTRATIVE_WHAT, marked for the catalogs with their context
        "spend": pgettext("illustrative data", "spend"),
        "reports": pgettext("illustrative data", "report submission dates"),
        "contributions": pgettext("illustrative data", "contributions"),
        "meetings": pgettext("illustrative data", "meetings and sponsorship"),
        "budget": pgettext("illustrative data", "budgets of years other than 2018"),
        "workplan": pgettext("illustrative data", "work-plan progress"),
        "pledges": pgettext("illustrative data", "pledges"),
        "followups": pgettext("illustrative data", "the follow-up log of contacts"),
    }
    return [words[d] for d in datasets if d in words]


def illustrative_shown(shown: tuple[str, ...], sample: tuple[str, ...]) -> tuple[str, ...]:
    """The datasets a page shows that are illustrative: from the bundled sample and not public.

    A page whose datasets are all the user's own (or the sample's public facts) has none, so it
    carries no sample-data notice. Example: Budget shows budget, spend, contributions; after the
    user stores their own spend, the sample still supplies budget and contributions, so the
    notice names "budgets of years other than 2018" and "contributions", not spend.
    """
    return tuple(d for d in shown if d in sample and d in ILLUSTRATIVE_DATASETS)


def source_label(provenance: dict[str, Version | None]) -> str:
    """"sample data" (in the run's language) or the names of the files the current data came from."""
    if uses_sample(sample_datasets(provenance)):
        return _(SAMPLE_LABEL)
    names = sorted({s["name"] for v in provenance.values() if v for s in v.sources})
    return ", ".join(names) or _("no data loaded")


def files_label(names: list[str]) -> str:
    """The footer label for data read straight from files."""
    return _(SAMPLE_LABEL) if any(is_sample_source(Path(n).name) for n in names) else ", ".join(names)


def is_sample_label(text: str) -> bool:
    """Whether a source label is the sample's, in any of the languages (the deck's default notice)."""

    return any(text == in_language(lang, SAMPLE_LABEL) for lang in LANGUAGES)


# The datasets of the Article 3 and 4 record, whose undated notes and sources are known from the day the
# record was compiled (``cut.as_at``).
RECORD_DATASETS = ("obligations", "extensions")


def record_compiled_on(provenance: Mapping[str, Version | None]):
    """The day the Article 3 and 4 record was compiled: the day of the load that wrote it (None if none)."""
    days = [v.created_at.date() for name in RECORD_DATASETS if (v := provenance.get(name)) is not None]
    return max(days) if days else None
