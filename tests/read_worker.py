"""Subprocess for the readers test: read the store in a tight loop until a stop file appears.

Usage: python tests/read_worker.py STORE STOP_FILE
Prints "ready" after its first read, then, when stopped, one JSON line: reads done, the seconds each read took (worst, median), the longest wait for the lock, versions seen, errors.
"""

import json
import statistics
from contextlib import contextmanager
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ccm_analytics.store import Store  # noqa: E402

WAITS: list[float] = []
_locked = Store._locked


@contextmanager
def _timed(self, write):
    """The store's lock, timing how long it took to get (the wait, apart from the read itself)."""
    start = time.perf_counter()
    with _locked(self, write):
        WAITS.append(time.perf_counter() - start)
        yield


Store._locked = _timed

if __name__ == "__main__":
    store, stop = Store(sys.argv[1]), Path(sys.argv[2])
    times, versions, errors = [], set(), []
    while not stop.exists():
        start = time.perf_counter()
        try:
            version, data = store.snapshot()
            markers = set(data.spend["amount"])
            if len(markers) > 1:
                errors.append(f"version {version} mixes loads {sorted(markers)}")
            versions.add(version)
        except Exception as e:  # noqa: BLE001 - reported to the test
            errors.append(f"{type(e).__name__}: {e}")
        times.append(time.perf_counter() - start)
        if len(times) == 1:
            print("ready", flush=True)
    print(json.dumps({"reads": len(times), "worst": max(times, default=0.0), "worst_wait": max(WAITS, default=0.0),
                      "median": statistics.median(times) if times else 0.0,
                      "versions": sorted(versions), "errors": errors[:5]}))
