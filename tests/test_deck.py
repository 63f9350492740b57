"""The meeting deck: the story in at most 12 slides, native charts whose values equal the metrics,
overdue reports by State on at most two slides, illustrative-data labels, and a quality check
(no table over 14 rows, axis titles on every chart, no text overflowing its box)."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Pt

from ccm_analytics.data import CcmData
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.outputs.deck import build_deck, outstanding_words, year_ranges
from ccm_analytics.outputs.slidekit import TemplateError, nice_step

DAY = "2018-09-05"
FOOTER = "Data as at 5 September 2018 · Source: test data"
SAMPLE_SETS = ("spend", "reports", "contributions", "meetings", "budget", "workplan")


@pytest.fixture(scope="module")
def built(sample_data):
    return build_deck(sample_data, DAY, "Eighth Meeting of States Parties", "test data", illustrative=SAMPLE_SETS)


@pytest.fixture(scope="module")
def deck(built):
    return Presentation(io.BytesIO(built[0])), built[1]


@pytest.fixture(scope="module")
def metrics(sample_data):
    return compute_metrics(sample_data, DAY)


def titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def slide_titled(prs, start: str):
    return next(s for s in prs.slides if s.shapes.title.text.startswith(start))


def charts(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def tables(slide) -> list:
    return [sh.table for sh in slide.shapes if sh.has_table]


def texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def overdue_states_from_metrics(metrics) -> list[str]:
    """States with an overdue report, the one waited on longest first (ties by name), from the
    metrics' per-report list: the oldest due date per State decides."""
    oldest: dict[str, str] = {}
    for r in metrics["reporting"]["overdue"]:
        oldest[r["state"]] = min(oldest.get(r["state"], r["due_date"]), r["due_date"])
    return [s for s, _ in sorted(oldest.items(), key=lambda kv: (kv[1], kv[0]))]


# -- the story -------------------------------------------------------------------------------------

def test_the_deck_for_the_8msp_day_tells_the_story_in_at_most_12_slides(deck):
    prs, info = deck
    t = titles(prs)
    assert len(prs.slides) == info.slides <= 12
    assert t[0] == "Eighth Meeting of States Parties"
    assert t[1] == "Key messages as at 5 September 2018"
    assert t[2] == "Universalization: 104 States Parties"
    assert t[3].startswith("Transparency reports:")
    assert t[4].startswith("Overdue reports:") and t[5].startswith("Overdue reports:")
    assert t[6].startswith("Articles 3 and 4:")
    assert t[7].startswith("Article 3 and 4 deadlines:")
    assert t[8].startswith("Budget 2018:")
    assert t[9] == "Spending by 5 September: 2018 against earlier years"
    assert t[10].startswith("Contributions for 2018")


def test_the_key_messages_slide_says_three_to_five_sentences_without_ratios(deck, metrics):
    prs, _ = deck
    (box,) = [sh for sh in prs.slides[1].shapes if sh.has_text_frame and sh.text_frame.text.startswith("•")]
    bullets = [p.text for p in box.text_frame.paragraphs]
    assert 3 <= len(bullets) <= 5
    assert bullets[0] == ("•  The Convention has 104 States Parties (26 to go to the target of 130 by 2020) and "
                          "16 signatories still to ratify.")
    # Budget pace on 5 Sep 2018: burn / elapsed; the elapsed share is 248/365 = 67.9%. DOMAIN §8 says it as
    # |pace - 1| in percent with one decimal.
    pace = metrics["budget"]["burn_rate"] / (248 / 365)
    side = "faster" if pace > 1 else "slower"
    assert f"spending {abs(pace - 1) * 100:.1f}% {side} than the calendar" in bullets[3]
    assert "pace 1." not in " ".join(bullets).lower() and "pace 0." not in " ".join(bullets).lower()
    # the year-end is the chosen projection with its range (DOMAIN §8), never the straight line when it is not chosen
    p = metrics["budget"]["projection"]
    assert p["method"] == "seasonal" and p["backtest"]["years"] == [2017]  # 2016 and 2017 complete: 2017 replayed
    assert (f"the projected year-end is CHF {p['year_end']:,.0f} (seasonal projection): it may end over budget"
            in bullets[3]) and "no range yet: only 2 past years" in bullets[3]
    assert f"CHF {p['linear_year_end']:,.0f}" not in " ".join(bullets)
    # Articles 3 and 4 from the record (DOMAIN §6), as the metrics count them
    st, cl = metrics["stockpiles"], metrics["clearance"]
    assert (f"Article 3: {st['destroyed']} of {st['stockpiled']} States Parties that stockpiled cluster munitions "
            f"have destroyed them ({st['submunitions_destroyed'] / 1e6:.1f} million submunitions), "
            f"{st['still_to_destroy']} still to destroy; Article 4: {cl['completed']} of {cl['contaminated']} "
            f"contaminated have completed clearance, {cl['still_to_clear']} still to clear") in bullets[2]
    # every percentage has one decimal (DOMAIN §8)
    import re
    assert all(re.fullmatch(r"\d+\.\d", x) for x in re.findall(r"([\d.]+)%", " ".join(bullets)))


def test_the_budget_slide_speaks_of_the_calendar_not_of_a_pace_ratio(deck):
    prs, _ = deck
    s = slide_titled(prs, "Budget 2018")
    words = " ".join(texts(s)) + s.notes_slide.notes_text_frame.text
    assert "than the calendar" in words
    assert "Pace" not in words


def test_the_deck_is_16_by_9(deck):
    prs, _ = deck
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)


def test_every_slide_has_the_footer_and_speaker_notes(deck):
    prs, _ = deck
    for s in prs.slides:
        assert FOOTER in texts(s), s.shapes.title.text
        assert len(s.notes_slide.notes_text_frame.text) > 40


# -- overdue reports by State ---------------------------------------------------------------------

def test_the_overdue_slides_name_the_longest_waited_states_and_say_how_many_more(deck, metrics):
    prs, info = deck
    expected = overdue_states_from_metrics(metrics)
    slides = [s for s in prs.slides if s.shapes.title.text.startswith("Overdue reports")]
    assert len(slides) == info.overdue_slides == 2
    names = []
    for s in slides:
        (t,) = tables(s)
        assert [c.text for c in t.rows[0].cells] == ["State", "Reports outstanding", "Oldest due", "Days overdue"]
        names += [r.cells[0].text for r in list(t.rows)[1:]]
    # the slides shorten one long official name
    shown = [{"United Kingdom of Great Britain and Northern Ireland": "United Kingdom"}.get(n, n) for n in expected]
    assert names == shown[:24]
    more = len(expected) - 24
    assert info.overdue_more == more
    assert (f"… and {more} more States: full list in the Excel workbook, sheet “Overdue by State”"
            in " ".join(texts(slides[-1])))
    assert expected[-1] in slides[-1].notes_slide.notes_text_frame.text  # the presenter has the rest


def test_an_overdue_row_counts_the_reports_and_the_days_since_the_oldest(deck, metrics):
    prs, _ = deck
    (t,) = tables(slide_titled(prs, "Overdue reports"))
    state, reports, oldest, days = (c.text for c in t.rows[1].cells)
    mine = [r for r in metrics["reporting"]["overdue"] if r["state"] == state]
    assert reports.startswith(f"{len(mine)}: ")
    first = min(mine, key=lambda r: r["due_date"])
    assert days == f"{first['days_overdue']:,}"
    assert oldest == pd.Timestamp(first["due_date"]).strftime("%-d %b %Y")


@pytest.mark.parametrize("per_slide, slides", [(5, 2), (13, 2), (100, 2)])
def test_overdue_reports_never_take_more_than_two_slides(sample_data, per_slide, slides):
    _, info = build_deck(sample_data, DAY, "T", "test data", rows_per_slide=per_slide)
    assert info.overdue_slides == slides


def test_outstanding_reports_are_written_with_runs_of_years():
    assert year_ranges([2011, 2013, 2014, 2015, 2017]) == "2011, 2013–2015, 2017"
    items = [{"report_type": "initial", "year": None}] + [{"report_type": "annual", "year": y} for y in (2013, 2014)]
    assert outstanding_words(items) == "3: initial; annual 2013–2014"
    # 1 initial + 7 annual with gaps: "8: initial; annual 2011, 2013–2014, 2016, 2019, 2021–2022" is 58 characters,
    # more than a slide cell holds (40), so only how many and since when
    gappy = [{"report_type": "initial", "year": None}] + [
        {"report_type": "annual", "year": y} for y in (2011, 2013, 2014, 2016, 2019, 2021, 2022)]
    assert outstanding_words(gappy) == "8: initial; 7 annual since 2011"


# -- charts ----------------------------------------------------------------------------------------

def test_charts_are_native_with_the_metrics_values(deck, metrics, sample_data):
    prs, _ = deck
    (u,) = charts(slide_titled(prs, "Universalization"))
    assert u.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert u.plots[0].series[0].values[-1] == metrics["universalization"]["states_parties"] == 104
    assert list(u.plots[0].categories)[-1] == "5 Sep 2018"
    assert set(u.plots[0].series[1].values) == {130}

    (r,) = charts(slide_titled(prs, "Transparency reports"))
    assert list(r.plots[0].categories)[-1] == "2017"
    assert r.plots[0].series[0].values[-1] == pytest.approx(metrics["reporting"]["annual"]["compliance_rate"])
    assert r.plots[0].series[1].values[-1] == pytest.approx(metrics["reporting"]["annual"]["submission_rate"])

    (art,) = charts(slide_titled(prs, "Articles 3 and 4"))
    by_series = {s.name: list(s.values) for s in art.plots[0].series}
    st, cl = metrics["stockpiles"], metrics["clearance"]
    # destroyed / cleared, and the still-to-do bars adding up to still to destroy / clear (DOMAIN §6)
    assert by_series["Destroyed / cleared"] == [st["destroyed"], cl["completed"]]
    todo = [sum(v[i] for k, v in by_series.items() if k.startswith("Still to do")) for i in (0, 1)]
    assert todo == [st["still_to_destroy"], cl["still_to_clear"]]
    assert by_series["Still to do: overdue"] == [st["overdue"], cl["overdue"]]

    (bud,) = charts(slide_titled(prs, "Budget 2018"))
    assert bud.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    spent = dict(zip(bud.plots[0].categories, bud.plots[0].series[1].values))
    assert spent == pytest.approx({line["cost_line"]: line["spent"] for line in metrics["budget"]["lines"]})
    # the year-end bars are the chosen (seasonal) projection: they add up to its year-end, not the straight line's
    assert bud.plots[0].series[2].name == "Projected year-end"
    assert sum(bud.plots[0].series[2].values) == pytest.approx(metrics["budget"]["projection"]["year_end"])

    (same,) = charts(slide_titled(prs, "Spending by 5 September"))
    assert list(same.plots[0].categories) == ["2016", "2017", "2018"]
    by_year = dict(zip(same.plots[0].categories, same.plots[0].series[1].values))
    assert by_year["2018"] == pytest.approx(metrics["budget"]["spent"])
    a_year_before = compute_metrics(sample_data, "2017-09-05", budget_year=2017)["budget"]["spent"]
    assert by_year["2017"] == pytest.approx(a_year_before)

    (con,) = charts(slide_titled(prs, "Contributions for 2018"))
    assert con.plots[0].series[0].values[-1] == pytest.approx(metrics["budget"]["received"])


def test_every_chart_has_both_axis_titles_and_money_is_in_chf(deck):
    prs, _ = deck
    seen = 0
    for s in prs.slides:
        for c in charts(s):
            seen += 1
            for axis in (c.category_axis, c.value_axis):
                assert axis.has_title and axis.axis_title.text_frame.text.strip(), s.shapes.title.text
            for p in c.value_axis.axis_title.text_frame.paragraphs:
                assert all(run.font.size >= Pt(14) for run in p.runs)
    assert seen == 6
    for start in ("Budget 2018", "Spending by", "Contributions for"):
        (c,) = charts(slide_titled(prs, start))
        assert "(CHF)" in c.value_axis.axis_title.text_frame.text


def test_round_axis_steps():
    assert nice_step(494_938) == 100_000  # 494,938 / 5 = 98,988 -> the next round step is 100,000
    assert nice_step(11) == 2.5  # 11 / 5 = 2.2 -> 2.5
    assert nice_step(0) == 1.0


# -- illustrative data ----------------------------------------------------------------------------

def test_slides_resting_on_illustrative_data_say_so_in_14_point_type(deck):
    prs, _ = deck
    labelled = {s.shapes.title.text.split(":")[0] for s in prs.slides
                if any(sh.name == "Illustrative data" for sh in s.shapes)}
    assert {"Eighth Meeting of States Parties", "Key messages as at 5 September 2018", "Transparency reports",
            "Overdue reports", "Budget 2018", "Spending by 5 September", "Contributions for 2018"} <= labelled
    # States, treaty dates and the Article 3/4 record are real: no label there
    assert "Universalization" not in labelled and "Articles 3 and 4" not in labelled
    for s in prs.slides:
        for sh in s.shapes:
            if sh.name == "Illustrative data":
                assert "sample figures, not real records" in sh.text_frame.text
                assert all(r.font.size >= Pt(14) for p in sh.text_frame.paragraphs for r in p.runs)


def test_own_data_gets_no_illustrative_label(sample_data):
    data, _ = build_deck(sample_data, DAY, "T", "my_workbook.xlsx")
    prs = Presentation(io.BytesIO(data))
    assert not any(sh.name == "Illustrative data" for s in prs.slides for sh in s.shapes)


# -- quality check: what a room can read -----------------------------------------------------------

CHAR_EM = 0.55  # average character width in ems (Calibri/Carlito runs near 0.5; bold and capitals wider)
LINE_EM = 1.2
INSET_X, INSET_Y = Emu(91440 * 2), Emu(45720 * 2)  # PowerPoint's default text insets, both sides


def lines_needed(text: str, size_pt: float, width_emu: int) -> int:
    per_line = max(1, int((width_emu / 12700) / (size_pt * CHAR_EM)))
    return max(1, math.ceil(len(text) / per_line))


def run_size(paragraph, default: float) -> float:
    sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
    return max(sizes) if sizes else default


def overflowing_text(prs) -> list[str]:
    problems = []
    for n, s in enumerate(prs.slides, start=1):
        for sh in s.shapes:
            if sh.has_text_frame and sh.text_frame.text.strip():
                default = 44 if sh == s.shapes.title else 18
                need = INSET_Y
                for p in sh.text_frame.paragraphs:
                    size = run_size(p, default)
                    after = p.space_after.pt if p.space_after is not None else 0
                    need += Pt(lines_needed(p.text, size, sh.width - INSET_X) * size * LINE_EM + after)
                if need > sh.height:
                    problems.append(f"slide {n} {sh.name}: {sh.text_frame.text[:40]!r} needs {need / 914400:.2f} in, "
                                    f"has {sh.height / 914400:.2f} in")
            if sh.has_table:
                for row in sh.table.rows:
                    for col, cell in zip(sh.table.columns, row.cells):
                        size = run_size(cell.text_frame.paragraphs[0], 18)
                        if lines_needed(cell.text, size, col.width - INSET_X) > 1:
                            problems.append(f"slide {n} table cell {cell.text!r} wraps")
                        if row.height < Pt(size * LINE_EM) + cell.margin_top + cell.margin_bottom:
                            problems.append(f"slide {n} table row too low for {size} pt")
                if sh.top + sh.height > prs.slide_height * 0.93:
                    problems.append(f"slide {n} table runs into the footer")
    return problems


@pytest.mark.parametrize("day", [DAY, "2026-11-28", "2011-03-01"])
def test_no_table_is_longer_than_14_rows_and_no_text_overflows(sample_data, day):
    data, _ = build_deck(sample_data, day, "Eighth Meeting of States Parties", "CCM Analytics sample data",
                         illustrative=SAMPLE_SETS)
    prs = Presentation(io.BytesIO(data))
    assert max(len(t.rows) for s in prs.slides for t in tables(s)) <= 14
    assert overflowing_text(prs) == []


def test_a_deck_on_a_house_template_has_no_overflowing_text_either(sample_data):
    template = io.BytesIO()
    Presentation().save(template)  # PowerPoint's own 4:3 design: a 44 pt title placeholder 1.25 in high
    data, _ = build_deck(sample_data, DAY, "Eighth Meeting of States Parties", "CCM Analytics sample data",
                         template=template.getvalue(), illustrative=SAMPLE_SETS)
    assert overflowing_text(Presentation(io.BytesIO(data))) == []


def test_the_overflow_check_catches_a_long_text_in_a_small_box():
    prs = Presentation()
    s = prs.slides.add_slide(prs.slide_layouts[6])
    box = s.shapes.add_textbox(0, 0, Emu(914400 * 2), Emu(914400 // 2))
    box.text_frame.text = "A sentence far too long for a two-inch box at eighteen points, on several lines."
    assert len(overflowing_text(prs)) == 1


# -- other cases -----------------------------------------------------------------------------------

def test_an_empty_store_gives_a_deck_that_says_so():
    data, info = build_deck(CcmData.empty(), DAY, "T", "nothing")
    prs = Presentation(io.BytesIO(data))
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "No Article 7 report is overdue" in text and "No budget is loaded for 2018" in text
    assert info.slides <= 12


def test_a_template_gives_its_layouts_and_theme(sample_data):
    template = Presentation()
    template.slide_layouts[5].name = "House Title Only"
    template.slides.add_slide(template.slide_layouts[6])  # a slide of the template's own: dropped
    buf = io.BytesIO()
    template.save(buf)
    data, info = build_deck(sample_data, DAY, "T", "test data", template=buf.getvalue())
    prs = Presentation(io.BytesIO(data))
    assert prs.slide_width == 9144000  # the template's 4:3 size is kept
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {"House Title Only"}
    assert titles(prs)[0] == "T" and len(prs.slides) == info.slides


def test_a_template_that_is_not_powerpoint_is_refused_plainly(sample_data):
    with pytest.raises(TemplateError, match="not a PowerPoint"):
        build_deck(sample_data, DAY, "T", "x", template=b"not a pptx")


def test_in_2026_the_lausanne_plan_is_in_force_and_the_lapsed_target_is_not_shown(sample_data):
    data, _ = build_deck(sample_data, "2026-11-28", "T", "test data")
    prs = Presentation(io.BytesIO(data))
    notes = slide_titled(prs, "Universalization").notes_slide.notes_text_frame.text
    # Under the Lausanne Action Plan (adopted 21 Sep 2021, no count target): Nigeria and South Sudan since.
    assert ("111 States Parties (2 States became parties since the Lausanne Action Plan was adopted on 21 September "
            "2021)") in notes
    assert slide_titled(prs, "Budget").shapes.title.text == "Budget 2026: no budget loaded"


def test_the_spending_slide_names_the_day_its_figures_count_to_the_end_of_february_in_a_leap_year():
    # DOMAIN §8 "same day": 28 February of a common year (2017) is matched to 29 February of a leap year (2016),
    # so the CHF 300 paid on 29 February 2016 counts. By then 2016 had spent 100 + 300 = CHF 400 of 1,000;
    # 2017 by 28 February CHF 250 of 1,000: CHF 150 less.
    data = CcmData.from_frames({
        "budget": pd.DataFrame({"year": [2016, 2017], "cost_line": ["Salaries", "Salaries"], "amount": [1000.0, 1000.0]}),
        "spend": pd.DataFrame({"date": pd.to_datetime(["2016-01-10", "2016-02-29", "2016-03-01", "2017-02-28"]),
                               "cost_line": ["Salaries"] * 4, "amount": [100.0, 300.0, 50.0, 250.0]}),
    })
    prs = Presentation(io.BytesIO(build_deck(data, "2017-02-28", "T", "test data")[0]))
    slide = slide_titled(prs, "Spending by 28 February")
    lines = "\n".join(texts(slide)).splitlines()
    assert "CHF 150 less than by 29 February 2016" in lines and "2016: 40.0% of the budget spent by 28 February" in lines
