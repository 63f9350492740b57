"""Many readers while loads commit: no errors, and every read sees one whole version."""

from __future__ import annotations

import threading
import time

import pandas as pd

from ccm_analytics.data import CcmData
from ccm_analytics.io.load import LoadResult
from ccm_analytics.store import Store

from .crash_worker import frames

ROWS = 20_000


def result(marker: float) -> LoadResult:
    f = frames(marker, ROWS)
    return LoadResult(f, CcmData.from_frames(f), [], [])


def test_readers_in_threads_never_see_half_a_load(tmp_path):
    store = Store(tmp_path / "store.duckdb")
    store.load(result(1.0))
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]
    seen: set[float] = set()

    def reader():
        s = Store(store.path)
        while not stop.is_set():
            try:
                version, data = s.snapshot()
                markers = set(data.spend["amount"]) | set(data.budget["amount"])
                assert len(markers) == 1 and len(data.spend) == ROWS, (version, markers)
                seen.update(markers)
                reads[0] += 1
            except BaseException as e:  # noqa: BLE001 - collected and reported below
                errors.append(e)
                return

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for t in threads:
        t.start()
    try:
        for marker in range(2, 12):
            store.load(result(float(marker)))
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors[:3]
    assert reads[0] > 20 and len(seen) > 1
    assert store.version() == 11
