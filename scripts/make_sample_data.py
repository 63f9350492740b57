"""Build the bundled sample workbook (data/ccm_sample.xlsx) and the blank templates.

Real, sourced facts come from data/reference/ (see its SOURCES.md): every State Party and
signatory with its dates, the Article 3/4 deadlines and extensions found in public sources,
the ISU's 2018 budget lines and work plan. Everything that is not public is generated here
with a fixed seed and marked as illustrative in the workbook's README sheet: monthly spend,
budgets other than 2018, report submission dates, contributions, meetings and sponsorship,
and work-plan progress.

Run: ``make sample`` (or ``python scripts/make_sample_data.py``).
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccm_analytics.analysis.reporting import report_obligations  # noqa: E402
from ccm_analytics.templates import write_templates, write_workbook  # noqa: E402

REF = ROOT / "data" / "reference"
OUT = ROOT / "data" / "ccm_sample.xlsx"
SEED = 20180905
# The day the illustrative records run to: nothing generated is dated later.
DATA_AS_AT = pd.Timestamp("2026-11-20")
BUDGET_YEARS = range(2016, 2021)
BUDGET_SCALE = {2016: 0.93, 2017: 0.97, 2018: 1.0, 2019: 1.02, 2020: 1.04}


def d(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# -- real facts -----------------------------------------------------------------------------

def states() -> pd.DataFrame:
    r = pd.read_csv(REF / "states.csv", dtype=str, keep_default_na=False)
    out = pd.DataFrame({
        "state": r["state"],
        "iso3": r["iso3"],
        "region": r["region"],
        "signature_date": pd.to_datetime(r["signature_date"].replace("", None)),
        "ratification_date": pd.to_datetime(r["ratification_or_accession_date"].replace("", None)),
        "accession": r["accession"].map({"true": True, "false": False}),
        "entry_into_force": pd.to_datetime(r["entry_into_force_date"].replace("", None)),
        "withdrawal_date": pd.to_datetime(r["withdrawal_effective_date"].replace("", None)),
    })
    return out


# Completion and decision dates the sources give only to the month or year are set to a
# nearby day; the notes say so. Extensions marked "illustrative" are not confirmed grants.
OBLIGATIONS = [
    ("Bulgaria", 3, "2019-10-01", "2023-06-30", "Completed June 2023 (Monitor 2023); day approximated."),
    ("Peru", 3, "2021-03-01", "2023-12-18", "Completion announced Dec 2023 (HRW, 18 Dec 2023); day approximated."),
    ("Slovakia", 3, "2024-01-01", "2023-09-11", "Fulfilment declared in 2023 (ISU); day approximated."),
    ("South Africa", 3, "2023-11-01", "2023-09-11", "Fulfilment declared in 2023 (ISU); day approximated."),
    ("Germany", 3, "2018-08-01", "2015-11-25", "Completed 25 Nov 2015 (Monitor 2017)."),
    ("Switzerland", 3, None, "2019-03-31", "Completed March 2019 (Monitor 2021); day approximated. Deadline computed."),
    ("Germany", 4, "2020-08-01", None, "Extended to 1 Aug 2025 (ISU profile, May 2020). A later request was not read."),
    ("Lao People's Democratic Republic", 4, "2020-08-01", None, "Extension request considered at 9MSP (2019)."),
    ("Bosnia and Herzegovina", 4, "2021-03-01", None, "Extension requested to 1 Sep 2022 (BHMAC, Feb 2021)."),
    ("Montenegro", 4, "2020-08-01", "2020-07-31", "Fulfilment declared before the 1 Aug 2020 deadline (ISU); day approximated."),
    ("Croatia", 4, "2020-08-01", "2020-07-31", "Completion inferred from a 2020 ISU headline (low confidence); day approximated."),
]
EXTENSIONS = [
    ("Bulgaria", 3, "2019-09-04", "2021-04-01", "2019-03-29", "9MSP",
     "New deadline April 2021 (Monitor 2019). Decision day approximated as the last day of 9MSP."),
    ("Bulgaria", 3, "2020-11-27", "2023-12-31", "2020-05-15", "2RC",
     "Second extension implied by the 31 Dec 2023 deadline (Monitor 2023). Decision and request days illustrative."),
    ("Peru", 3, "2020-11-27", "2024-04-01", "2020-03-15", "2RC",
     "New deadline 1 Apr 2024 (ISU). Decision day approximated as the last day of 2RC part one."),
    ("Germany", 4, "2019-09-04", "2025-08-01", "2018-11-30", "9MSP",
     "Extended to 1 Aug 2025 (ISU profile, May 2020). Decision day approximated as the last day of 9MSP."),
    ("Lao People's Democratic Republic", 4, "2019-09-04", "2025-08-01", "2018-11-30", "9MSP",
     "Illustrative: the request was considered at 9MSP but the new deadline was not found in the sources; "
     "five years (the maximum) is assumed."),
    ("Bosnia and Herzegovina", 4, "2021-02-26", "2022-09-01", "2020-11-30", "Silence procedure",
     "Illustrative: 1 Sep 2022 is the requested date; the decision (silence procedure, early 2021) was not read."),
]


def obligations() -> pd.DataFrame:
    return pd.DataFrame([
        {"state": s, "article": a, "deadline": pd.to_datetime(dl), "completed_on": pd.to_datetime(c), "notes": n}
        for s, a, dl, c, n in OBLIGATIONS
    ])


def extensions() -> pd.DataFrame:
    return pd.DataFrame([
        {"state": s, "article": a, "granted_on": d(g), "new_deadline": d(nd), "requested_on": d(rq), "meeting": m,
         "notes": n}
        for s, a, g, nd, rq, m, n in EXTENSIONS
    ])


def budget() -> pd.DataFrame:
    real = pd.read_csv(REF / "isu_budget_2018.csv")
    rows = []
    for year in BUDGET_YEARS:
        for r in real.itertuples():
            amount = r.amount if year == 2018 else round(r.amount * BUDGET_SCALE[year], -2)
            rows.append({"year": year, "cost_line": r.cost_line, "amount": float(amount), "currency": "CHF"})
    return pd.DataFrame(rows)


def workplan(rng: np.random.Generator) -> pd.DataFrame:
    w = pd.read_csv(REF / "isu_workplan_2018.csv")
    on_request = w["title"].str.contains("on request", case=False)
    status = rng.choice(["Completed", "In progress", "In progress", "Completed", "Not started"], size=len(w))
    status = np.where(on_request & (rng.random(len(w)) < 0.5), "Not requested", status)
    notes = np.where(status == "Not requested", "Illustrative: no request received so far.", "Illustrative status.")
    return pd.DataFrame({"activity": w["activity"], "title": w["title"], "outcome": w["outcome"],
                         "output": w["output"], "status": status, "notes": notes})


# -- illustrative records -----------------------------------------------------------------------

MEETINGS = [
    # name, start, end, location, kind  (MSP dates are public; the rest is illustrative)
    ("Sixth Meeting of States Parties (6MSP)", "2016-09-05", "2016-09-07", "Geneva", "Meeting of States Parties"),
    ("Seventh Meeting of States Parties (7MSP)", "2017-09-04", "2017-09-06", "Geneva", "Meeting of States Parties"),
    ("Eighth Meeting of States Parties (8MSP)", "2018-09-03", "2018-09-05", "Geneva", "Meeting of States Parties"),
    ("Ninth Meeting of States Parties (9MSP)", "2019-09-02", "2019-09-04", "Geneva", "Meeting of States Parties"),
    ("Second Review Conference, part one (2RC)", "2020-11-25", "2020-11-27", "Online", "Review Conference"),
    ("Intersessional meetings 2016", "2016-06-20", "2016-06-21", "Geneva", "Intersessional"),
    ("Intersessional meetings 2017", "2017-05-22", "2017-05-23", "Geneva", "Intersessional"),
    ("Intersessional meetings 2018", "2018-05-14", "2018-05-15", "Geneva", "Intersessional"),
    ("Intersessional meetings 2019", "2019-05-13", "2019-05-14", "Geneva", "Intersessional"),
    ("Regional universalization workshop, Africa 2018", "2018-03-20", "2018-03-21", "Lomé", "Workshop"),
    ("Regional universalization workshop, Asia-Pacific 2019", "2019-02-26", "2019-02-27", "Manila", "Workshop"),
]


def meetings(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for name, start, end, loc, kind in MEETINGS:
        if kind in ("Meeting of States Parties", "Review Conference"):
            delegates = int(rng.integers(28, 46)) if loc != "Online" else 0
        elif kind == "Intersessional":
            delegates = int(rng.integers(14, 26))
        else:
            delegates = int(rng.integers(8, 16))
        states_n = int(max(round(delegates * rng.uniform(0.7, 0.9)), 0))
        cost = round(delegates * rng.uniform(2600, 3600), -1)
        rows.append({"meeting": name, "start_date": d(start), "end_date": d(end), "location": loc, "kind": kind,
                     "sponsored_delegates": delegates, "sponsored_states": states_n, "sponsorship_cost": float(cost)})
    for year in BUDGET_YEARS:  # Coordination Committee: about every six weeks
        for i, month in enumerate(sorted(rng.choice(range(1, 13), size=7, replace=False))):
            day = int(rng.integers(8, 26))
            rows.append({"meeting": f"Coordination Committee {year} #{i + 1}",
                         "start_date": pd.Timestamp(year, int(month), day), "end_date": pd.Timestamp(year, int(month), day),
                         "location": "Geneva", "kind": "Coordination Committee", "sponsored_delegates": 0,
                         "sponsored_states": 0, "sponsorship_cost": 0.0})
    return pd.DataFrame(rows).sort_values("start_date").reset_index(drop=True)


def spend(rng: np.random.Generator, budget_frame: pd.DataFrame, meetings_frame: pd.DataFrame) -> pd.DataFrame:
    rows = []

    def add(date, line, amount, text):
        rows.append({"date": pd.Timestamp(date), "cost_line": line, "amount": round(float(amount), 2), "description": text})

    for year in BUDGET_YEARS:
        b = budget_frame[budget_frame["year"] == year].set_index("cost_line")["amount"]
        month_ends = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="ME")
        # Salaries: 13 monthly salaries, the 13th paid with December's.
        monthly = b["Salaries"] / 13
        for m in month_ends:
            amount = monthly * rng.uniform(0.995, 1.005) * (2 if m.month == 12 else 1)
            add(m, "Salaries", amount, f"{m:%B} salaries" + (" and 13th month" if m.month == 12 else ""))
        for m in month_ends:
            add(m, "Social charges", b["Social charges"] / 12 * rng.uniform(0.97, 1.03), f"{m:%B} social charges")
        # Travel: missions around meetings plus a few requested missions; 2020 stops in March.
        heat = {2016: 0.9, 2017: 1.0, 2018: 1.15, 2019: 0.95, 2020: 0.35}[year]
        trips = []
        for mt in meetings_frame[(meetings_frame["start_date"].dt.year == year)
                                 & meetings_frame["kind"].isin(["Meeting of States Parties", "Workshop"])].itertuples():
            trips.append((mt.start_date - pd.Timedelta(days=int(rng.integers(20, 40))), "long", f"Mission to prepare {mt.meeting}"))
        for _ in range(5):
            day = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(20, 340)))
            trips.append((day, rng.choice(["long", "short"]), "Mission to a State Party with an imminent deadline"))
        for day, haul, text in sorted(trips, key=lambda t: t[0]):
            if year == 2020 and day > pd.Timestamp("2020-03-10"):
                continue
            cost = rng.uniform(5200, 8800) if haul == "long" else rng.uniform(1300, 2600)
            add(day, "Travel", cost * heat * 1.25, f"{text} ({haul} haul)")
            if rng.random() < 0.15:
                add(day + pd.Timedelta(days=int(rng.integers(5, 30))), "Travel", -round(cost * 0.1, -1),
                    "Refund of unused ticket")
        # Communication: quarterly website maintenance and a publication before the MSP.
        for q in (3, 6, 9, 12):
            add(pd.Timestamp(year, q, 15), "Communication", b["Communication"] * 0.15 * rng.uniform(0.9, 1.1),
                "Website maintenance")
        add(pd.Timestamp(year, 8, 10), "Communication", b["Communication"] * 0.3 * rng.uniform(0.8, 1.2),
            "Printing of meeting documents")
        # Other: room rental and catering around meetings and workshops.
        for mt in meetings_frame[(meetings_frame["start_date"].dt.year == year)
                                 & meetings_frame["kind"].isin(["Intersessional", "Workshop"])].itertuples():
            add(mt.end_date + pd.Timedelta(days=10), "Other implementation support costs",
                b["Other implementation support costs"] * rng.uniform(0.25, 0.4), f"Room rental and catering, {mt.meeting}")
    return pd.DataFrame(rows).sort_values(["date", "cost_line"]).reset_index(drop=True)


DONORS = ["Australia", "Austria", "Belgium", "France", "Germany", "Ireland", "Italy", "Japan", "Netherlands",
          "New Zealand", "Norway", "Spain", "Switzerland", "United Kingdom", "Canada", "Luxembourg"]


def contributions(rng: np.random.Generator, budget_frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year in BUDGET_YEARS:
        total = budget_frame.loc[budget_frame["year"] == year, "amount"].sum()
        target = total * rng.uniform(0.78, 1.02)
        donors = rng.choice(DONORS, size=int(rng.integers(9, 13)), replace=False)
        shares = rng.dirichlet(np.ones(len(donors)) * 2.5)
        for donor, share in zip(donors, shares):
            early = rng.random() < 0.2
            date = (pd.Timestamp(year - 1, 12, int(rng.integers(1, 20))) if early
                    else pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.beta(1.6, 2.6) * 360)))
            rows.append({"date": date, "donor": str(donor), "amount": float(round(target * share, -2)), "year": year})
    return pd.DataFrame(rows).sort_values("date").reset_index(drop=True)


# Each State Party gets a reporting habit: (share on time, share late, share never).
HABITS = {"diligent": (0.92, 0.07, 0.01), "usual": (0.55, 0.33, 0.12), "weak": (0.2, 0.35, 0.45),
          "silent": (0.02, 0.08, 0.9)}


def reports(rng: np.random.Generator, states_frame: pd.DataFrame) -> pd.DataFrame:
    s = states_frame.assign(entry_into_force=states_frame["entry_into_force"].astype("datetime64[us]"),
                            ratification_date=states_frame["ratification_date"].astype("datetime64[us]"),
                            withdrawal_date=states_frame["withdrawal_date"].astype("datetime64[us]"))
    owed = report_obligations(s, pd.DataFrame(columns=["iso3", "report_type", "year", "submitted_on"])
                              .astype({"year": "Int64", "submitted_on": "datetime64[us]"}), DATA_AS_AT.year)
    owed = owed[owed["due_date"] < DATA_AS_AT]
    habit_of = dict(zip(s["iso3"], rng.choice(list(HABITS), size=len(s), p=[0.38, 0.4, 0.17, 0.05])))
    rows = []
    for o in owed.itertuples():
        on_time, late, _never = HABITS[habit_of[o.iso3]]
        u = rng.random()
        if u < on_time:
            lead = int(rng.integers(0, 45 if o.report_type == "annual" else 120))
            date = o.due_date - pd.Timedelta(days=lead)
        elif u < on_time + late:
            date = o.due_date + pd.Timedelta(days=int(1 + rng.exponential(70)))
        else:
            continue
        if date > DATA_AS_AT:
            continue
        rows.append({"state": o.state, "report_type": o.report_type,
                     "year": None if pd.isna(o.year) else int(o.year), "submitted_on": date})
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    return out.sort_values(["submitted_on", "state"]).reset_index(drop=True)


FOLLOWUP_NOTES = {
    "letter": "Reminder letter on the overdue Article 7 reports sent to the Permanent Mission.",
    "email": "Reminder sent by email to the mission's disarmament focal point.",
    "meeting": "Met the delegation in the margins of the meeting; reports discussed.",
    "call": "Telephone call with the mission; the capital is preparing the report.",
}


def followups(rng: np.random.Generator, states_frame: pd.DataFrame, reports_frame: pd.DataFrame) -> pd.DataFrame:
    """Illustrative contacts: each June-October from 2015 to 2020, a few States with reports
    overdue on 1 June are contacted; some promise a date, which some then miss."""
    from ccm_analytics.analysis.reporting import report_status
    from ccm_analytics.countries import to_iso3

    s = states_frame.assign(entry_into_force=states_frame["entry_into_force"].astype("datetime64[us]"),
                            ratification_date=states_frame["ratification_date"].astype("datetime64[us]"),
                            withdrawal_date=states_frame["withdrawal_date"].astype("datetime64[us]"))
    r = reports_frame.assign(iso3=reports_frame["state"].map(to_iso3),
                             submitted_on=reports_frame["submitted_on"].astype("datetime64[us]"))
    owed = report_obligations(s, r, 2020)
    rows = []
    for year in range(2015, 2021):
        day = pd.Timestamp(f"{year}-06-01")
        st = report_status(owed, day)
        late = sorted(st.loc[st["status"] == "overdue", "state"].unique())
        for state in rng.choice(late, size=min(len(late), 12), replace=False):
            date = day + pd.Timedelta(days=int(rng.integers(0, 140)))
            channel = str(rng.choice(list(FOLLOWUP_NOTES), p=[0.3, 0.4, 0.2, 0.1]))
            promised = date + pd.Timedelta(days=int(rng.integers(20, 120))) if rng.random() < 0.5 else pd.NaT
            rows.append({"state": state, "date": date, "channel": channel,
                         "by": str(rng.choice(["ISU Director", "ISU Implementation Officer", "Working Group co-chair"])),
                         "note": FOLLOWUP_NOTES[channel], "promised_on": promised})
    return pd.DataFrame(rows).sort_values(["date", "state"]).reset_index(drop=True)


def readme() -> list[tuple[str, str]]:
    return [
        ("CCM Analytics sample data", ""),
        ("", "This workbook is in exactly the template format (data/templates/ccm_template.xlsx). "
             "Load it, or your own workbook, from the Data page or with 'python -m ccm_analytics load'."),
        ("", ""),
        ("REAL (public sources)", "States: every State Party and signatory with its signature, ratification/accession, "
                                  "entry-into-force and withdrawal dates (UN Treaty Collection, Cluster Munition "
                                  "Monitor, ISU news; see data/reference/SOURCES.md)."),
        ("", "Obligations and extensions: the Article 3/4 deadlines and extensions found in public sources. Days "
             "given in the sources only to the month or year are approximated; the notes column of each row says so. "
             "Two extensions are marked illustrative (Lao PDR's new deadline, Bosnia and Herzegovina's decision)."),
        ("", "Budget 2018: the five cost lines of the ISU 2018 Work Plan and Budget (CCM/MSP/2017/2), CHF 465,440."),
        ("", "Work plan 2018: the plan's outcomes, outputs and 28 activities (titles shortened)."),
        ("", ""),
        ("ILLUSTRATIVE (not public)", "Budgets for 2016, 2017, 2019 and 2020 (the 2018 lines scaled)."),
        ("", "Spend: every expenditure (salaries, social charges, travel, communication, other costs)."),
        ("", "Report submissions: the dates on which Article 7 reports were received, and which never were."),
        ("", "Contributions: donors, amounts and dates."),
        ("", "Meetings and sponsorship: delegates, states and costs (the dates of the Meetings of States Parties "
             "are real; other meetings are illustrative)."),
        ("", "Work-plan status and notes."),
        ("", "Follow-ups: the contacts with States about overdue reports, and the dates they promised."),
        ("", ""),
        ("Generated by", f"scripts/make_sample_data.py, seed {SEED}; illustrative records run to {DATA_AS_AT:%d %B %Y}."),
    ]


def rng_for(dataset: str) -> np.random.Generator:
    """One random stream per dataset, so that changing how one dataset is drawn never
    shifts the values of another (the seed and the dataset's name make the stream)."""
    return np.random.default_rng([SEED, zlib.crc32(dataset.encode())])


def build() -> dict[str, pd.DataFrame]:
    st = states()
    b = budget()
    m = meetings(rng_for("meetings"))
    r = reports(rng_for("reports"), st)
    return {
        "states": st,
        "reports": r,
        "obligations": obligations(),
        "extensions": extensions(),
        "budget": b,
        "spend": spend(rng_for("spend"), b, m),
        "contributions": contributions(rng_for("contributions"), b),
        "meetings": m,
        "workplan": workplan(rng_for("workplan")),
        "followups": followups(rng_for("followups"), st, r),
    }


def main() -> None:
    frames = build()
    write_workbook(OUT, frames, readme())
    write_templates(ROOT / "data" / "templates")
    for name, f in frames.items():
        print(f"{name:<14} {len(f):>6} rows")
    print(f"Wrote {OUT.relative_to(ROOT)} and data/templates/")


if __name__ == "__main__":
    main()
