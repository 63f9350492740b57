"""As at D by construction (DOMAIN.md §3a): no output mentions an event dated after D, and every output
gives the same headline figures, because all of them read the one cut and the same functions."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm_analytics import formatting as fmt
from ccm_analytics.analysis import deadlines as dl
from ccm_analytics.analysis import reporting as rp
from ccm_analytics.cut import completion_counts_from, withdrawal_notified
from ccm_analytics.export import export_workbook
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.outputs.brief import build_brief
from ccm_analytics.outputs.brief_html import brief_html
from ccm_analytics.outputs.ical import coming_up, to_ics
from ccm_analytics.outputs.deck import build_deck
from ccm_analytics.outputs.letters import build_letters
from ccm_analytics.views import deadlines_view, overview_view, state_view

from .conftest import examples, spread

PROFILES = ("PER", "LTU", "BGR", "SSD", "ESP", "NGA")


def _dates(series) -> set[pd.Timestamp]:
    return {pd.Timestamp(d).normalize() for d in pd.Series(series).dropna()}


def later_events(data, day: pd.Timestamp) -> set[pd.Timestamp]:
    """Days of events recorded after D (not deadlines or due dates): what no output as at D may mention."""
    s, o, e = data.states, data.obligations, data.extensions
    found: set[pd.Timestamp] = set()
    for col in ("signature_date", "ratification_date"):
        found |= {d for d in _dates(s[col]) if d > day}
    notified = withdrawal_notified(s["withdrawal_date"])
    found |= {d for d in _dates(s.loc[notified > day, "withdrawal_date"])}
    for frame, col in ((data.reports, "submitted_on"), (data.spend, "date"), (data.contributions, "date"),
                       (data.pledges, "pledged_on"), (data.followups, "date"), (e, "requested_on"),
                       (e, "granted_on")):
        found |= {d for d in _dates(frame[col]) if d > day}
    counts = completion_counts_from(o["completed_on"], o["completed_precision"])
    found |= {d for d in _dates(o.loc[counts > day, "completed_on"])}
    return found


def knowable_days(cut, day: pd.Timestamp) -> set[pd.Timestamp]:
    """Every day the cut itself holds or derives (deadlines, due dates, meetings, requested deadlines): a later
    event that falls on one of these may be named for that reason."""
    days = {day}
    for name in ("states", "reports", "obligations", "extensions", "meetings", "spend", "contributions", "pledges",
                 "followups"):
        frame = cut.frame(name)
        for col in frame.columns:
            if str(frame[col].dtype).startswith("datetime"):
                days |= _dates(frame[col])
    table = dl.deadline_table(cut.states, cut.obligations, cut.extensions, day, cut.meetings)
    for col in ("deadline", "effective_deadline", "pending_new_deadline", "pending_decides_on"):
        days |= _dates(table[col])
    days |= _dates(rp.report_statuses(cut.states, cut.reports, day)["due_date"])
    # The budget's plan and its projection run to 31 December of D's year: their month-ends are the
    # charts' axis, not events.
    days |= set(pd.date_range(pd.Timestamp(day.year, 1, 31), pd.Timestamp(day.year, 12, 31), freq="ME"))
    return days


# A day as the outputs write it in English: 2012-09-26, 26 September 2012, 26 Sep 2012.
DAY_TOKEN = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4})(?!\d)")


def spellings(day: pd.Timestamp) -> list[str]:
    return [day.date().isoformat(), fmt.long_day(day), fmt.day(day)]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return " ".join(re.sub(r"<[^>]+>", " ", z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml"))


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out += [v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in row if v is not None]
    return " ".join(out)


def outputs_text(cut, day: pd.Timestamp) -> dict[str, str]:
    deck, _ = build_deck(cut, day, "T", "test data")
    by_state = rp.overdue_by_state(rp.report_statuses(cut.states, cut.reports, day), day)
    letters = build_letters(by_state.head(3), day, "en")
    profiles = []
    for iso3 in PROFILES:
        p = state_view(cut, day, iso3)
        if p is not None:
            profiles.append(" ".join([str(p.dates), p.deadlines.to_csv(), p.extensions.to_csv(), p.reports.to_csv(),
                                      p.contributions.to_csv(), " ".join(p.story["event"].astype(str)) if len(p.story)
                                      else "", str(p.followups)]))
    return {
        "deck": docx_text(deck),  # a .pptx is a zip of XML parts too
        "brief": brief_html(build_brief(cut, day), "test data"),
        "metrics": json.dumps(compute_metrics(cut, day), default=str),
        "export": xlsx_text(export_workbook(cut, day, "test data")),
        "calendar": to_ics(coming_up(cut, day, 24), day, 24).decode("utf-8"),
        "letters": " ".join(docx_text(letter.data) for letter in letters),
        "profiles": " ".join(profiles),
    }


@settings(max_examples=examples(4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=dt.date(2008, 12, 3), max_value=dt.date(2030, 12, 31)))
def test_no_output_mentions_an_event_dated_after_d(sample_data, day):
    day = pd.Timestamp(day)
    cut = sample_data.as_at(day)
    forbidden = later_events(sample_data, day) - knowable_days(cut, day)
    texts = outputs_text(cut, day)
    written = {s: d for d in forbidden for s in spellings(d)}  # every way an output writes a later day
    for what, text in texts.items():
        named = sorted({written[t].date().isoformat() for t in DAY_TOKEN.findall(text) if t in written})
        assert named == [], f"the {what} as at {day.date()} names later events on {named}"


_RNG = random.Random(23)
AGREEMENT_DAYS = sorted({dt.date(2009, 1, 1) + dt.timedelta(days=_RNG.randrange(0, 8000)) for _ in range(19)}
                        | {dt.date(2019, 9, 2)})  # 20 days from 2009 to 2030, and two days before the 9MSP's end


@pytest.mark.parametrize("day", sorted(set(spread(AGREEMENT_DAYS)) | {dt.date(2019, 9, 2)}))  # the deck's day kept
def test_the_headline_figures_agree_in_the_json_the_views_the_deck_and_the_brief(sample_data, day):
    day = pd.Timestamp(day)
    cut = sample_data.as_at(day)
    m = compute_metrics(cut, day)
    ov = overview_view(cut, day)
    dv = deadlines_view(cut, day)
    u = m["universalization"]
    assert (ov.snap.universalization.states_parties, ov.snap.universalization.signatories) == \
        (u["states_parties"], u["signatories"])
    overdue = len(m["reporting"]["overdue"])
    assert ov.reports_overdue == overdue
    assert (dv.summary[3].outstanding, dv.summary[4].outstanding) == \
        (m["stockpiles"]["still_to_destroy"], m["clearance"]["still_to_clear"])
    assert len(dv.pending) == len(ov.pending) == len(m["pending_extension_requests"]) == \
        m["stockpiles"]["pending_extensions"] + m["clearance"]["pending_extensions"]
    assert (ov.snap.projection.year_end is None and m["budget"]["projected_year_end"] in (None, 0.0)) or \
        m["budget"]["projected_year_end"] == pytest.approx(ov.snap.projection.year_end)
    if day.day_of_year % 4 == 0 or day == pd.Timestamp("2019-09-02"):  # a deck for some of the days: it is slow
        deck, _ = build_deck(cut, day, "T", "test data")
        assert f"Universalization: {u['states_parties']} States Parties" in docx_text(deck)
    brief = build_brief(cut, day)
    parties = next(h for h in brief.headlines if h.label == "States Parties")
    assert parties.value == str(u["states_parties"])
