"""The meeting deck: slide order, native charts whose values equal the metrics, footers, notes, paging."""

from __future__ import annotations

import io
import math

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt

from ccm_analytics.outputs.deck import TemplateError, build_deck
from ccm_analytics.data import CcmData
from ccm_analytics.metrics import compute_metrics

DAY = "2018-09-05"
FOOTER = "Data as at 5 September 2018 · Source: test data"


@pytest.fixture(scope="module")
def deck(sample_data):
    data, info = build_deck(sample_data, DAY, "Eighth Meeting of States Parties", "test data")
    return Presentation(io.BytesIO(data)), info


@pytest.fixture(scope="module")
def metrics(sample_data):
    return compute_metrics(sample_data, DAY)


def titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def charts(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def tables(slide) -> list:
    return [sh.table for sh in slide.shapes if sh.has_table]


def test_slides_come_in_the_meeting_order(deck, metrics):
    prs, info = deck
    n_overdue = math.ceil(len(metrics["reporting"]["overdue"]) / 12)
    t = titles(prs)
    assert t[0] == "Eighth Meeting of States Parties"
    assert t[1] == "Universalization: 104 States Parties"
    on_time = metrics["reporting"]["annual"]["compliance_rate"]
    assert t[2].startswith(f"Transparency reporting: {on_time:.0%} of 2017 annual reports on time")
    assert t[3:3 + n_overdue] == [f"Overdue reports ({i} of {n_overdue})" for i in range(1, n_overdue + 1)]
    assert t[3 + n_overdue].startswith("Article 3 and 4 deadlines")
    burn = metrics["budget"]["burn_rate"]
    assert t[-2].startswith(f"Budget 2018: {burn:.0%} spent, 68% of the year elapsed")  # 248/365 days
    assert t[-1].startswith("Contributions for 2018")
    assert info.slides == len(prs.slides) == 3 + n_overdue + 1 + 2


def test_the_deck_is_16_by_9(deck):
    prs, _ = deck
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)


def test_charts_are_native_with_the_metrics_values(deck, metrics):
    prs, _ = deck
    slides = list(prs.slides)
    (u,) = charts(slides[1])
    assert u.chart_type == XL_CHART_TYPE.LINE_MARKERS
    parties = u.plots[0].series[0].values
    assert parties[-1] == metrics["universalization"]["states_parties"] == 104
    assert list(u.plots[0].categories)[-1] == "5 Sep 2018"
    assert set(u.plots[0].series[1].values) == {130}

    (r,) = charts(slides[2])
    assert r.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(r.plots[0].categories)[-1] == "2017"
    assert r.plots[0].series[0].values[-1] == pytest.approx(metrics["reporting"]["annual"]["compliance_rate"])
    assert r.plots[0].series[1].values[-1] == pytest.approx(metrics["reporting"]["annual"]["submission_rate"])

    (bud,) = charts(slides[-2])
    assert bud.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    spent = dict(zip(bud.plots[0].categories, bud.plots[0].series[1].values))
    assert spent == pytest.approx({line["cost_line"]: line["spent"] for line in metrics["budget"]["lines"]})

    (con,) = charts(slides[-1])
    assert con.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert con.plots[0].series[0].values[-1] == pytest.approx(metrics["budget"]["received"])


def test_every_slide_has_the_footer_and_speaker_notes(deck):
    prs, _ = deck
    for s in prs.slides:
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        assert FOOTER in texts, s.shapes.title.text
        assert len(s.notes_slide.notes_text_frame.text) > 40
    notes = list(prs.slides)[1].notes_slide.notes_text_frame.text
    assert "104 States Parties" in notes and "26 to go to the target of 130 by 2020" in notes


def test_overdue_reports_continue_over_slides_in_readable_type(deck, metrics):
    prs, _ = deck
    overdue = [s for s in prs.slides if s.shapes.title.text.startswith("Overdue reports")]
    rows = []
    for s in overdue:
        (t,) = tables(s)
        body = list(t.rows)[1:]
        assert 1 <= len(body) <= 12
        rows += [[c.text for c in r.cells] for r in body]
        for r in t.rows:
            for c in r.cells:
                for p in c.text_frame.paragraphs:
                    assert all(run.font.size >= Pt(14) for run in p.runs)
    assert len(rows) == len(metrics["reporting"]["overdue"])
    first = metrics["reporting"]["overdue"][0]
    assert rows[0][3] == f"{first['days_overdue']:,}"


@pytest.mark.parametrize("per_slide", [5, 20, 500])
def test_the_page_size_decides_how_many_overdue_slides(sample_data, metrics, per_slide):
    data, info = build_deck(sample_data, DAY, "T", "test data", rows_per_slide=per_slide)
    assert info.overdue_slides == math.ceil(len(metrics["reporting"]["overdue"]) / per_slide)


def test_an_empty_store_gives_a_deck_that_says_so():
    data, info = build_deck(CcmData.empty(), DAY, "T", "nothing")
    prs = Presentation(io.BytesIO(data))
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "No Article 7 report is overdue" in text and "No budget is loaded for 2018" in text


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


def test_after_2020_the_target_is_described_as_missed(sample_data):
    data, _ = build_deck(sample_data, "2026-11-28", "T", "test data")
    prs = Presentation(io.BytesIO(data))
    notes = list(prs.slides)[1].notes_slide.notes_text_frame.text
    assert "111 States Parties (19 short of the target of 130 set for 2020)" in notes
    budget = [s for s in prs.slides if s.shapes.title.text.startswith("Budget")][0]
    assert budget.shapes.title.text == "Budget 2026: no budget loaded"
