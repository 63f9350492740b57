"""The cut of the data as at D (DOMAIN.md §3a): nothing after D is in it, by construction."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm_analytics.cut import completion_counts_from, withdrawal_notified

from .conftest import examples


def latest_event(data) -> pd.Timestamp | None:
    """The latest dated fact in a bundle, deadlines and due dates aside (in a cut as at D it is never
    after D)."""
    days = []
    s = data.states
    for col in ("signature_date", "ratification_date"):
        days.append(s[col].max() if len(s) else pd.NaT)
    if len(s):
        days.append(withdrawal_notified(s["withdrawal_date"]).max())
    for frame, col in ((data.reports, "submitted_on"), (data.spend, "date"), (data.contributions, "date"),
                       (data.pledges, "pledged_on"), (data.followups, "date"), (data.extensions, "requested_on"),
                       (data.extensions, "granted_on")):
        days.append(frame[col].max() if len(frame) else pd.NaT)
    if len(data.obligations):
        days.append(completion_counts_from(data.obligations["completed_on"],
                                           data.obligations["completed_precision"]).max())
    known = [d for d in days if pd.notna(d)]
    return max(known) if known else None


def row(data, iso3: str) -> pd.Series:
    found = data.states[data.states["iso3"] == iso3]
    assert len(found) == 1, f"{iso3} not in the cut"
    return found.iloc[0]


def test_a_state_that_ratified_after_d_is_a_signatory_with_no_later_date(sample_data):
    # Peru signed on 3 Dec 2008 and deposited on 26 Sep 2012 (in force 1 Mar 2013).
    peru = row(sample_data.as_at("2012-06-01"), "PER")
    assert peru["signature_date"] == pd.Timestamp("2008-12-03")
    assert pd.isna(peru["ratification_date"]) and pd.isna(peru["entry_into_force"]) and pd.isna(peru["accession"])
    # Between the deposit and entry into force the State is party, in force from the Art. 17 date.
    peru = row(sample_data.as_at("2012-10-01"), "PER")
    assert (peru["ratification_date"], peru["entry_into_force"]) == (pd.Timestamp("2012-09-26"),
                                                                      pd.Timestamp("2013-03-01"))


def test_a_withdrawal_is_known_from_its_notification_six_months_before_it_takes_effect(sample_data):
    # Lithuania's withdrawal took effect on 6 Mar 2025, so it was notified on 6 Sep 2024 (Art. 20(2)).
    assert withdrawal_notified(pd.Series([pd.Timestamp("2025-03-06")]))[0] == pd.Timestamp("2024-09-06")
    assert pd.isna(row(sample_data.as_at("2024-09-05"), "LTU")["withdrawal_date"])
    assert row(sample_data.as_at("2024-09-06"), "LTU")["withdrawal_date"] == pd.Timestamp("2025-03-06")
    assert pd.isna(row(sample_data.as_at("2012-06-01"), "LTU")["withdrawal_date"])


def test_a_state_with_nothing_known_on_d_is_not_in_the_cut(sample_data):
    # South Sudan acceded on 3 Aug 2023 without signing: nothing about it is known in 2018.
    assert "SSD" not in set(sample_data.as_at("2018-09-05").states["iso3"])
    assert "SSD" in set(sample_data.as_at("2023-08-03").states["iso3"])


def test_a_contribution_after_d_is_not_in_the_cut(tiny_data):
    # Australia's (30 Sep 2018) and Germany's (15 Oct 2018) contributions are after 5 Sep 2018 (tiny example).
    cut = tiny_data.as_at("2018-09-05")
    assert cut.contributions["date"].max() <= pd.Timestamp("2018-09-05")
    assert cut.contributions["amount"].sum() == 90_000 + 60_000 + 45_000


def test_an_extension_requested_before_d_and_granted_after_is_pending_on_d(tiny_data):
    # Bulgaria asked on 1 Mar 2019 for 1 Apr 2021; the 9MSP granted it on 4 Sep 2019.
    ext = tiny_data.as_at("2019-09-02").extensions
    assert len(ext) == 1
    r = ext.iloc[0]
    assert (r["requested_on"], r["new_deadline"], r["meeting"]) == (pd.Timestamp("2019-03-01"),
                                                                    pd.Timestamp("2021-04-01"), "9MSP")
    assert pd.isna(r["granted_on"])
    # Before the request nothing is known; from the grant on it is granted.
    assert tiny_data.as_at("2019-02-28").extensions.empty
    assert tiny_data.as_at("2019-09-04").extensions.iloc[0]["granted_on"] == pd.Timestamp("2019-09-04")


def test_a_meeting_ahead_keeps_its_dates_but_not_what_happened_there(sample_data):
    cut = sample_data.as_at("2018-09-01")
    ahead = cut.meetings[cut.meetings["start_date"] > pd.Timestamp("2018-09-01")]
    assert len(ahead) and ahead["sponsorship_cost"].isna().all() and ahead["sponsored_delegates"].isna().all()


def test_notes_naming_a_later_year_are_not_in_the_cut_and_undated_ones_wait_for_the_record(sample_data):
    from ccm_analytics.cut import knowable_text
    notes = pd.Series(["Completed June 2023", "Declared in 2011", "No year here"], dtype="str")
    known = knowable_text(notes, "2018-09-05", compiled_on="2026-12-07")
    assert [None if pd.isna(t) else t for t in known] == [None, "Declared in 2011", None]
    assert list(knowable_text(notes, "2026-12-07", compiled_on="2026-12-07")) == list(notes)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=dt.date(2008, 12, 3), max_value=dt.date(2030, 12, 31)))
def test_the_cut_holds_no_event_after_d(sample_data, day):
    cut = sample_data.as_at(day)
    last = latest_event(cut)
    assert last is None or last <= pd.Timestamp(day)
    # Every State in the cut had signed or deposited by D.
    s = cut.states
    assert ((s["signature_date"] <= pd.Timestamp(day)) | (s["ratification_date"] <= pd.Timestamp(day))).all()
