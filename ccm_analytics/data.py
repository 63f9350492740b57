"""The loaded datasets as one immutable bundle of typed frames.

Frames here are "stored form": a ``state`` column of the input is replaced by ``iso3``
(the ``states`` frame keeps both), dates are ``datetime64[us]``, amounts ``float64``,
whole numbers ``Int64`` and text ``str``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from .schema import DATASETS, Dataset

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
