"""Subprocess for the crash-safety test: load one marked version into a store, announcing the start.

Usage: python tests/crash_worker.py STORE MARKER ROWS
Every spend row and every budget line of the load carries MARKER as its amount, so a reader can
tell which load a row came from; a consistent store never mixes markers.
"""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccm_analytics.data import CcmData  # noqa: E402
from ccm_analytics.reading.load import LoadResult  # noqa: E402
from ccm_analytics.store import Store  # noqa: E402


def frames(marker: float, rows: int) -> dict[str, pd.DataFrame]:
    days = pd.date_range("2018-01-01", "2018-12-31", freq="D")
    spend = pd.DataFrame({"date": days[pd.RangeIndex(rows) % len(days)].astype("datetime64[us]"),
                          "cost_line": "Travel", "amount": marker, "description": f"load {marker}"})
    budget = pd.DataFrame({"year": [2018], "cost_line": ["Travel"], "amount": [marker], "currency": ["CHF"]})
    return {"spend": spend, "budget": budget}


if __name__ == "__main__":
    path, marker, rows = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    f = frames(marker, rows)
    result = LoadResult(f, CcmData.from_frames(f), [], [])
    print("start", flush=True)
    Store(path).load(result, user=f"worker {marker}")
    print("done", flush=True)
