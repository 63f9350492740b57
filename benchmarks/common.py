"""Shared benchmark helpers: medians of repeated runs, the work folder, generated data."""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path
from collections.abc import Callable

import numpy as np
import pandas as pd
import pycountry

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
SAMPLE = ROOT / "data" / "ccm_sample.xlsx"


def median_seconds(fn: Callable[[], object], runs: int = 5, setup: Callable[[], object] | None = None,
                   warmup: int = 1) -> float:
    """The median wall time of ``runs`` calls after ``warmup`` untimed ones (``setup`` runs before each)."""
    for _ in range(warmup):
        if setup:
            setup()
        fn()
    times = []
    for _ in range(runs):
        if setup:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def work_dir() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    return WORK


def synthetic_states(n: int = 200, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """``n`` real states (ISO3 codes) that joined between 2009 and 2016."""
    rng = rng or np.random.default_rng(7)
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)[:n]
    deposit = pd.Timestamp("2009-01-01") + pd.to_timedelta(rng.integers(0, 8 * 365, n), unit="D")
    return pd.DataFrame({
        "iso3": [c.alpha_3 for c in countries], "state": [c.name for c in countries],
        "region": rng.choice(["Africa", "Americas", "Asia", "Europe", "Oceania"], n),
        "signature_date": pd.Timestamp("2008-12-03"), "ratification_date": deposit.astype("datetime64[us]"),
    })


def synthetic_ledger(rows: int, years: range, lines: list[str], rng: np.random.Generator) -> pd.DataFrame:
    """``rows`` expenditures spread over ``years`` and ``lines`` (about 2% refunds)."""
    year = rng.choice(np.array(list(years)), rows)
    day = rng.integers(0, 365, rows)
    dates = (pd.to_datetime(year.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")).astype("datetime64[us]")
    amount = np.round(rng.uniform(1, 40, rows), 2)  # about CHF 0.5m a year at 25,000 rows a year
    amount[rng.random(rows) < 0.02] *= -0.1
    return pd.DataFrame({"date": dates, "cost_line": rng.choice(lines, rows), "amount": amount,
                         "description": pd.Series([f"Expense {i}" for i in range(rows)], dtype="str")})
