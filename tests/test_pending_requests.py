"""Extension requests pending on D: one list for the Deadlines page, the deck, the brief and the JSON
(DOMAIN.md §6), and never pending for years once the meeting that was to decide them is over."""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation

from ccm_analytics.analysis import deadlines as dl
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.outputs.brief import build_brief
from ccm_analytics.outputs.deck import build_deck
from ccm_analytics.views import deadlines_view, overview_view

from .test_deck import slide_titled

# Two days before the Ninth Meeting of States Parties (2-4 September 2019), which decided three requests
# of the sample: Bulgaria (Art. 3, asked 30 Apr 2019 for 1 Apr 2021), Germany (Art. 4, asked 15 Jan 2019
# for 1 Aug 2025) and Lao PDR (Art. 4, asked 26 Feb 2019 for 1 Aug 2025).
DAY = pd.Timestamp("2019-09-02")
EXPECTED = [("BGR", 3, "2021-04-01"), ("DEU", 4, "2025-08-01"), ("LAO", 4, "2025-08-01")]


def listed(frame) -> list[tuple[str, int, str]]:
    return sorted((r.iso3, int(r.article), r.new_deadline.date().isoformat()) for r in frame.itertuples())


def test_the_requests_before_the_ninth_meeting_are_pending_two_days_before_it(sample_data):
    cut = sample_data.as_at(DAY)
    pending = dl.pending_requests(dl.deadline_table(cut.states, cut.obligations, cut.extensions, DAY, cut.meetings))
    assert listed(pending) == EXPECTED
    assert set(pending["meeting"]) == {"Ninth Meeting of States Parties (9MSP)"}
    assert set(pending["decides_on"]) == {pd.Timestamp("2019-09-04")}
    ov = overview_view(cut, DAY)
    assert (ov.record[3].pending_extensions, ov.record[4].pending_extensions) == (1, 2)


def test_the_deadlines_page_the_deck_the_brief_and_the_json_list_the_same_requests(sample_data):
    cut = sample_data.as_at(DAY)
    assert listed(deadlines_view(cut, DAY).pending) == EXPECTED
    json_rows = compute_metrics(cut, DAY)["pending_extension_requests"]
    assert sorted((r["iso3"], r["article"], r["new_deadline"]) for r in json_rows) == EXPECTED
    sentence = ("Extension requests before the Ninth Meeting of States Parties (9MSP): Bulgaria (Article 3, to "
                "1 April 2021); Germany (Article 4, to 1 August 2025); Lao People's Democratic Republic (Article 4, "
                "to 1 August 2025).")
    deck, _ = build_deck(cut, DAY, "T", "test data")
    prs = Presentation(io.BytesIO(deck))
    slide = slide_titled(prs, "Article 3 and 4 deadlines")
    texts = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert sentence in texts and sentence in slide.notes_slide.notes_text_frame.text
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    rows = {table.cell(i, 0).text: table.cell(i, 3).text for i in range(1, len(table.rows))}
    assert rows["Bulgaria"] == "none, 1 requested"
    brief = build_brief(cut, DAY)
    assert any(sentence in h.detail for h in brief.headlines)


def test_a_request_whose_meeting_is_over_without_a_recorded_decision_is_not_pending_for_years():
    # A request of 16 Nov 2022 with no decision and no meeting on record is due to be decided by the next
    # yearly Meeting of States Parties: by 31 Dec 2023. On 1 Jun 2023 it is pending; on 7 Dec 2026 it reads
    # "decision not recorded" and counts nowhere as pending.
    ext = pd.DataFrame({"iso3": ["IRQ"], "article": [4], "requested_on": [pd.Timestamp("2022-11-16")],
                        "granted_on": [pd.NaT], "new_deadline": [pd.Timestamp("2028-11-01")], "meeting": [None]})
    assert dl.deciding_meetings(ext, None)["decides_on"].iloc[0] == pd.Timestamp("2023-12-31")
    assert list(dl.open_requests(ext, "2023-06-01")["decision"]) == ["pending"]
    assert list(dl.open_requests(ext, "2026-12-07")["decision"]) == ["not_recorded"]
    assert dl.pending_extensions(ext, "2026-12-07").empty


def test_the_deciding_meeting_is_found_by_its_code_or_as_the_next_formal_meeting():
    meetings = pd.DataFrame({
        "meeting": ["Coordination Committee 2019 #4", "Ninth Meeting of States Parties (9MSP)"],
        "start_date": pd.to_datetime(["2019-05-23", "2019-09-02"]), "end_date": pd.to_datetime(["2019-05-23",
                                                                                                "2019-09-04"]),
        "kind": ["Coordination Committee", "Meeting of States Parties"]})
    ext = pd.DataFrame({"iso3": ["BGR", "DEU"], "article": [3, 4],
                        "requested_on": pd.to_datetime(["2019-04-30", "2019-01-15"]), "granted_on": [pd.NaT, pd.NaT],
                        "new_deadline": pd.to_datetime(["2021-04-01", "2025-08-01"]), "meeting": ["9MSP", None]})
    found = dl.deciding_meetings(ext, meetings)
    assert list(found["decides_meeting"]) == ["Ninth Meeting of States Parties (9MSP)"] * 2
    assert list(found["decides_on"]) == [pd.Timestamp("2019-09-04")] * 2


def test_the_deadlines_page_says_decision_not_recorded_after_the_meeting(sample_data):
    # Iraq asked on 16 Nov 2022 for 1 Nov 2028; the sample records no decision and no meeting after 2020.
    day = pd.Timestamp("2026-12-07")
    v = deadlines_view(sample_data.as_at(day), day)
    iraq = v.table[(v.table["iso3"] == "IRQ") & (v.table["article"] == 4)].iloc[0]
    assert iraq["pending_text"] == "Requested 16 November 2022: decision not recorded"
    assert "IRQ" not in set(v.pending["iso3"])
