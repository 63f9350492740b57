"""Kill a loading process (SIGKILL) at random moments: the store afterwards holds the old data or
the new, never a mix, and opens cleanly."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ccm_analytics.store import Store

pytestmark = pytest.mark.slow  # loads killed at random moments, process after process: a stress test

WORKER = Path(__file__).resolve().parent / "crash_worker.py"
ROWS = 150_000
KILLS = int(os.environ.get("CCM_CRASH_KILLS", "12"))


def load(path, marker, kill_after=None):
    """Run a load in a subprocess; kill it ``kill_after`` seconds after it starts writing."""
    proc = subprocess.Popen([sys.executable, str(WORKER), str(path), str(marker), str(ROWS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "start"
    started = time.perf_counter()
    if kill_after is None:
        proc.wait(timeout=120)
        return time.perf_counter() - started, proc.returncode
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return time.perf_counter() - started, proc.returncode


def consistent(path) -> float:
    """The one marker the store's current data carries (fails if markers are mixed)."""
    version, data = Store(path).snapshot()
    markers = set(data.spend["amount"]) | set(data.budget["amount"])
    assert len(markers) == 1, f"version {version} mixes loads: {markers}"
    assert len(data.spend) == ROWS
    return markers.pop()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_load_killed_at_any_moment_leaves_old_or_new_data(tmp_path):
    path = tmp_path / "store.duckdb"
    seconds, rc = load(path, 1.0)
    assert rc == 0 and consistent(path) == 1.0
    rng = random.Random(2018)
    outcomes = {"old": 0, "new": 0}
    current = 1.0
    for i in range(KILLS):
        marker = float(i + 2)
        _, rc = load(path, marker, kill_after=rng.uniform(0, seconds * 1.2))
        now = consistent(path)  # opens cleanly and is not a mix
        assert now in (current, marker)
        outcomes["new" if now == marker else "old"] += 1
        current = now
    print(f"\n{KILLS} kills during a {seconds:.2f} s load: {outcomes['old']} left the old data, "
          f"{outcomes['new']} the new; none mixed")
