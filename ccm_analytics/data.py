"""The loaded datasets as one immutable bundle of typed frames.

Frames here are "stored form": a ``state`` column of the input is replaced by ``iso3``
(the ``states`` frame keeps both), dates are ``datetime64[us]``, amounts ``float64``,
whole numbers ``Int64`` and text ``str``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from .i18n import DEFAULT, N_, _, language, parse_language
from .schema import DATASETS, Dataset, LABELLED
from . import countries

DTYPES = {
    "text": "str",
    "state": "str",
    "report_type": "str",
    "date": "datetime64[us]",
    "amount": "float64",
    "integer": "Int64",
    "article": "Int64",
    "bool": "boolean",
}


# Every stored row says whether it came from the bundled sample (True) or from the user's own files
# (False): provenance is per row, so a page can say "12 of 13 rows are illustrative" (DOMAIN §3b).
SAMPLE_COLUMN = "_sample"


def stored_columns(dataset: Dataset) -> dict[str, str]:
    """Column -> dtype of a dataset in stored form."""
    cols: dict[str, str] = {}
    if dataset.name == "states":
        cols["iso3"] = "str"
    for c in dataset.columns:
        if c.kind == "state" and dataset.name != "states":
            cols["iso3"] = "str"
        elif c.name not in cols:
            cols[c.name] = DTYPES[c.kind]
    cols[SAMPLE_COLUMN] = "boolean"
    return cols


STORED: dict[str, dict[str, str]] = {name: stored_columns(ds) for name, ds in DATASETS.items()}


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame with the dataset's stored columns and dtypes."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in STORED[name].items()})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the dataset's stored columns, in order, with their dtypes."""
    cols = STORED[name]
    if list(frame.columns) == list(cols) and all(str(frame[c].dtype) == t for c, t in cols.items()) \
            and isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0:
        return frame
    out = {}
    for c, t in cols.items():
        s = frame[c] if c in frame.columns else pd.Series([None] * len(frame), index=frame.index)
        if c == SAMPLE_COLUMN:  # a row that does not say is the user's own
            s = s.astype("boolean").fillna(False)
        out[c] = s.astype(t) if str(s.dtype) != t else s
    return pd.DataFrame(out).reset_index(drop=True)


_EMPTY = None


@dataclass(frozen=True)
class CcmData:
    """Every dataset, one frame each (empty when not loaded)."""

    states: pd.DataFrame
    reports: pd.DataFrame
    obligations: pd.DataFrame
    extensions: pd.DataFrame
    budget: pd.DataFrame
    spend: pd.DataFrame
    contributions: pd.DataFrame
    meetings: pd.DataFrame
    workplan: pd.DataFrame
    pledges: pd.DataFrame
    followups: pd.DataFrame

    @classmethod
    def empty(cls) -> "CcmData":
        global _EMPTY
        if _EMPTY is None:
            _EMPTY = cls(**{name: empty_frame(name) for name in DATASETS})
        return _EMPTY

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame]) -> "CcmData":
        """A bundle from any subset of datasets; missing ones are empty."""
        return cls(**{name: conform(name, frames[name]) if name in frames else empty_frame(name)
                      for name in DATASETS})

    def frame(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def with_frames(self, frames: dict[str, pd.DataFrame]) -> "CcmData":
        """A copy with some datasets replaced."""
        return replace(self, **{name: conform(name, f) for name, f in frames.items()})

    def row_counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}

    @property
    def is_empty(self) -> bool:
        return not any(self.row_counts().values())

    def as_at(self, day, compiled_on=None) -> "CcmData":
        """The bundle as knowable on ``day``: the one cut every view, output and command reads
        (``ccm_analytics.cut``; DOMAIN.md §3a)."""
        from .cut import as_at  # cycle: cut.py types its argument with this class

        return as_at(self, day, compiled_on)


# The columns that hold a State's name, per dataset, in stored form. Every other dataset keys its
# rows by ``iso3`` only (its input ``state`` column became ``iso3``); donors and meeting places are
# free text, kept as written.
# The UN regions (M49) as a view in French or Spanish names them; any other region is kept as written.
REGION_NAMES: dict[str, str] = {"Africa": N_("Africa"), "Americas": N_("Americas"), "Asia": N_("Asia"),
                                "Europe": N_("Europe"), "Oceania": N_("Oceania")}

STATE_NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    name: ("state",) for name, cols in STORED.items() if "state" in cols and "iso3" in cols
}


def labels_in(data: CcmData, lang: str) -> CcmData:
    """The bundle with the words the user gave in ``lang`` in place of the loaded ones (DOMAIN §12): each column
    of ``schema.LABELLED`` takes its label column's value (``cost_line_fr``, ``meeting_es``, ``title_fr``...)
    where that cell is filled, and keeps the loaded words where it is empty or the column is absent.

    Cost lines are renamed the same way in ``budget`` and ``spend`` (one name per cost line, the first label
    found in either), so that the two still meet line by line. English, or no label in ``lang``: ``data``
    itself. The frames of ``data`` are not modified.

    >>> import pandas as pd
    >>> d = CcmData.from_frames({"budget": pd.DataFrame({"year": [2018, 2018], "cost_line": ["Travel", "Salaries"],
    ...                                                  "amount": [1.0, 2.0], "cost_line_fr": ["Voyages", None]}),
    ...                          "spend": pd.DataFrame({"date": [pd.Timestamp("2018-01-05")], "cost_line": ["Travel"],
    ...                                                 "amount": [1.0]})})
    >>> list(labels_in(d, "fr").budget["cost_line"]), list(labels_in(d, "fr").spend["cost_line"])
    (['Voyages', 'Salaries'], ['Voyages'])
    >>> labels_in(d, "es") is d
    True
    """

    code = parse_language(lang) or DEFAULT
    if code == DEFAULT:
        return data

    def given(frame: pd.DataFrame, column: str) -> pd.Series:
        label = f"{column}_{code}"
        if label not in frame.columns:
            return pd.Series([None] * len(frame), index=frame.index, dtype="object")
        text = frame[label].astype("object").where(frame[label].notna(), None)
        return text.map(lambda v: v.strip() if isinstance(v, str) and v.strip() else None)

    frames: dict[str, pd.DataFrame] = {}
    names: dict[str, str] = {}  # cost line -> its name in the language
    for name in ("budget", "spend"):
        frame = data.frame(name)
        for line, label in zip(frame["cost_line"], given(frame, "cost_line")):
            if isinstance(label, str):
                names.setdefault(line, label)
    if names:
        for name in ("budget", "spend"):
            frame = data.frame(name)
            if not frame.empty:
                frames[name] = frame.assign(cost_line=frame["cost_line"].map(lambda v: names.get(v, v)).astype(
                    frame["cost_line"].dtype))
    for name, columns in LABELLED.items():
        if name in ("budget", "spend"):
            continue
        frame = data.frame(name)
        changes = {}
        for col in columns:
            label = given(frame, col)
            if label.notna().any():
                changes[col] = label.where(label.notna(), frame[col]).astype(frame[col].dtype)
        if changes:
            frames[name] = frame.assign(**changes)
    return replace(data, **frames) if frames else data


def localized(data: CcmData, lang: str) -> CcmData:
    """The bundle with every State's name, and the UN region names (:data:`REGION_NAMES`), in ``lang``
    (DOMAIN §12), for a view in that language; and the user's own words in that language where the data gives
    them (label columns, :func:`labels_in`).

    French and Spanish: each name in :data:`STATE_NAME_COLUMNS` becomes
    ``countries.name_in(iso3, lang)``: the UN name where CLDR's differs (``countries.UN_NAMES``),
    else CLDR's. A row whose code names no country it knows keeps the name it was loaded with.
    English (or an unknown language): ``data`` itself, unchanged. Figures never change, only names;
    the frames of ``data`` are not modified (a copy of each frame with names is made).

    >>> from ccm_analytics.data import CcmData, localized
    >>> import pandas as pd
    >>> d = CcmData.from_frames({"states": pd.DataFrame({"iso3": ["BGR", "LAO"],
    ...                                                  "state": ["Bulgaria", "Lao PDR"]})})
    >>> list(localized(d, "fr").states["state"])
    ['Bulgarie', 'République démocratique populaire lao']
    >>> list(localized(d, "es").states["state"])
    ['Bulgaria', 'República Democrática Popular Lao']
    >>> localized(d, "en") is d
    True
    """

    code = parse_language(lang) or DEFAULT
    if code == DEFAULT:
        return data
    data = labels_in(data, code)
    frames = {}
    for name, columns in STATE_NAME_COLUMNS.items():
        frame = data.frame(name)
        if frame.empty:
            continue
        codes = frame["iso3"].astype("str")
        names = {c: countries.name_in(c, code) for c in codes.unique() if countries.knows_name(c)}
        frame = frame.copy()
        for col in columns:
            frame[col] = codes.map(names).where(codes.isin(list(names)), frame[col]).astype(frame[col].dtype)
        if "region" in frame.columns:  # the UN region names too: "Europa", "Afrique"
            with language(code):
                regions = {r: _(REGION_NAMES[r]) for r in REGION_NAMES}
            frame["region"] = frame["region"].map(lambda r: regions.get(r, r)).astype(frame["region"].dtype)
        frames[name] = frame
    return replace(data, **frames) if frames else data
