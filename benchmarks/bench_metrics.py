"""Metrics over a large synthetic store: 200 states, 40 years of reports, a million spend rows.

``seconds``: every headline metric for one day, read from the store (the ledger summed per
day and line in DuckDB) and computed. ``series_seconds``: the full reporting series and the
budget series for every year. ``scaling``: the same as ``seconds`` with 10x the spend rows,
divided by ``seconds`` with a tenth of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .common import median_seconds, synthetic_ledger, synthetic_states, work_dir

AS_OF = pd.Timestamp("2050-06-01")
YEARS = range(2010, 2050)
LINES = ["Salaries", "Social charges", "Travel", "Communication", "Other implementation support costs"]


def frames(spend_rows: int, seed: int = 11) -> dict[str, pd.DataFrame]:
    from ccm_analytics.analysis.reporting import report_obligations
    from ccm_analytics.data import empty_frame

    rng = np.random.default_rng(seed)
    states = synthetic_states(200, rng)
    owed = report_obligations(states.assign(entry_into_force=pd.NaT, withdrawal_date=pd.NaT, accession=pd.NA)
                              .astype({"entry_into_force": "datetime64[us]", "withdrawal_date": "datetime64[us]"}),
                              empty_frame("reports"), max(YEARS))
    sent = owed[rng.random(len(owed)) < 0.85]
    delay = rng.integers(-60, 200, len(sent))
    reports = pd.DataFrame({"iso3": sent["iso3"].to_numpy(), "report_type": sent["report_type"].to_numpy(),
                            "year": sent["year"].to_numpy(),
                            "submitted_on": (sent["due_date"] + pd.to_timedelta(delay, unit="D")).to_numpy()})
    budget = pd.DataFrame([{"year": y, "cost_line": line, "amount": float(rng.integers(10_000, 400_000)),
                            "currency": "CHF"} for y in YEARS for line in LINES])
    spend = synthetic_ledger(spend_rows, YEARS, LINES, rng)
    contributions = pd.DataFrame({
        "date": (pd.to_datetime([f"{y}-01-01" for y in YEARS for _ in range(12)])
                 + pd.to_timedelta(rng.integers(0, 360, 12 * len(YEARS)), unit="D")).astype("datetime64[us]"),
        "donor": rng.choice(states["state"], 12 * len(YEARS)), "amount": rng.uniform(5000, 90000, 12 * len(YEARS)),
        "year": [y for y in YEARS for _ in range(12)]})
    parties = states.sample(60, random_state=seed)
    obligations = pd.DataFrame({"iso3": parties["iso3"].to_numpy(), "article": rng.choice([3, 4], 60)})
    obligations = obligations.drop_duplicates(["iso3", "article"])
    ext = obligations.sample(20, random_state=seed)
    extensions = pd.DataFrame({"iso3": ext["iso3"].to_numpy(), "article": ext["article"].to_numpy(),
                               "granted_on": pd.Timestamp("2019-09-04"), "new_deadline": pd.Timestamp("2024-08-01")})
    return {"states": states, "reports": reports, "budget": budget, "spend": spend, "contributions": contributions,
            "obligations": obligations, "extensions": extensions}


def large_store(spend_rows: int = 1_000_000):
    """A store with the synthetic data (built once, kept in benchmarks/work)."""
    from ccm_analytics.data import CcmData
    from ccm_analytics.reading.load import LoadResult
    from ccm_analytics.store import Store

    path = work_dir() / f"large_{spend_rows}.duckdb"
    store = Store(path)
    if path.exists() and store.version() > 0:
        return store
    f = frames(spend_rows)
    store.load(LoadResult(f, CcmData.from_frames(f), [], []), user="bench")
    return store


def run(runs: int = 5) -> dict:
    from ccm_analytics.analysis import budget as b
    from ccm_analytics.analysis import reporting as rp
    from ccm_analytics.metrics import compute_metrics

    big, small = large_store(1_000_000), large_store(100_000)

    def metrics(store):
        return lambda: compute_metrics(store.snapshot(ledger="daily")[1], AS_OF)

    data = big.snapshot(ledger="daily")[1]

    def series():
        rp.reporting_series(rp.report_statuses(data.states, data.reports, AS_OF))
        b.multi_year(data.budget, data.spend, data.contributions, AS_OF)
        for y in YEARS:
            b.monthly_spend(data.spend, y, AS_OF)
        b.cumulative_vs_plan(data.budget, data.spend, AS_OF.year - 1, AS_OF)

    seconds = median_seconds(metrics(big), runs)
    small_seconds = median_seconds(metrics(small), runs)
    raw = big.snapshot()[1]
    return {
        "states": int(len(data.states)), "report_rows": int(len(data.reports)), "spend_rows": int(len(raw.spend)),
        "years": len(YEARS), "seconds": seconds, "series_seconds": median_seconds(series, runs),
        "analysis_only_seconds": median_seconds(lambda: compute_metrics(data, AS_OF), runs),
        "scaling": {"spend_rows": [100_000, 1_000_000], "seconds": [small_seconds, seconds],
                    "ratio": seconds / small_seconds},
        "targets": {"seconds": "< 0.5", "series_seconds": "< 1", "scaling.ratio": "<= 12"},
    }
