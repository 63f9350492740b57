"""The order of names people read: the Unicode Collation Algorithm (pyuca, DUCET), in every language.

A rule about text, not words: it needs no language, so the analysis may sort its tables by it and the
pages, deck and exports list names in the order a reader expects ("México" before "Montenegro",
"Équateur" before "Slovénie"; DOMAIN.md §12). ``formatting`` offers the same functions to the
presentation.
"""

from __future__ import annotations

import functools
import math

import pandas as pd
from pyuca import Collator  # the Unicode Collation Algorithm with its default table (DUCET)


@functools.lru_cache(maxsize=1)
def _collator():
    return Collator()


@functools.lru_cache(maxsize=8192)
def collation_key(text) -> str:
    """The key that sorts names as a reader of French or Spanish expects (DOMAIN §12): letters
    first, accents and case only to break ties, so "México" comes before "Montenegro" and
    "Équateur" before "Slovénie" (Python's own order, by code point, puts every accented capital
    after "Z"). The Unicode Collation Algorithm's keys are written as a string, so that they
    compare as the algorithm says and sit in any column; a missing name sorts last."""
    if text is None or text is pd.NA or text is pd.NaT or (isinstance(text, float) and math.isnan(text)):
        return "\U0010ffff"
    return "".join(chr(w + 1) for w in _collator().sort_key(str(text)))


# The columns that hold names people read (States, donors, regions, chart labels): sorted by
# collation_key wherever a frame is sorted by them; codes ("annual", "article_3") keep their order.
NAME_COLUMNS = frozenset({"state", "donor", "region", "label", "name"})


def sort_key(values):
    """``key=`` for sorting by names, in every language: ``sorted(names, key=fmt.sort_key)``, or
    ``frame.sort_values(["date", "state"], key=fmt.sort_key)``: the columns in
    :data:`NAME_COLUMNS` go by :func:`collation_key`, the others (dates, numbers, codes) as they are."""
    if isinstance(values, pd.Series):
        if values.name in NAME_COLUMNS:
            return values.map(collation_key).astype(object)
        return values
    return collation_key(values)
