"""The test tiers a maintainer runs while working: ``make check`` (the linters, then the fast tier) and one
test file alone (the README's example, ``tests/test_store.py``), timed as a maintainer runs them, in a warm
checkout (every test module collected once untimed first: the bytecode cache, the compiled catalogs).

``check_seconds``: the wall seconds of one ``make check`` (about 80 s: one run, whatever ``--runs``).
``one_file_seconds``: the median of ``--runs`` runs of ``python -m pytest tests/test_store.py`` (one process).
Both are goals of issue 27: under 90 s, and seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .common import ROOT

ONE_FILE = "tests/test_store.py"


def _timed(command: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-2000:]
        raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode}); the tiers are timed on passing "
                         f"tests:\n{tail}")
    return seconds


def run(runs: int = 1) -> dict:
    one_file = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", ONE_FILE]
    _timed(["make", "catalogs"])
    _timed([sys.executable, "-m", "pytest", "-q", "--collect-only"])  # warm: bytecode, assert rewriting
    check = _timed(["make", "check"])
    files = sorted(_timed(one_file) for _ in range(max(1, runs)))
    return {"check_seconds": check, "one_file": ONE_FILE, "one_file_seconds": files[len(files) // 2]}
