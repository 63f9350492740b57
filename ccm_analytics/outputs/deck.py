"""The meeting pack: a 16:9 PowerPoint deck with native (editable) charts and tables.

Slides (DOMAIN.md section 11): title; key messages; universalization; transparency reporting;
overdue reports by State (at most two slides, longest delays first, "and N more"); the
Article 3/4 picture (completed against still to do); Article 3/4 deadlines ahead; budget by
cost line; spending by the same day in earlier years; contributions. Every slide has the
footer "Data as at <day> · Source: <...>" and speaker notes that say its key numbers in
sentences; a slide whose figures rest on illustrative (sample) data says so in a 14 pt label
under its title. Every chart has axis titles with units and data labels where a number
matters. Numbers come from the same analysis functions as the pages and ``metrics``.

Each data slide is built by its own small function from one analysis result, so its data
source can be switched without touching the others. The layout kit (geometry, template, charts,
tables) is :mod:`.slidekit`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from babel.dates import format_date

from .. import formatting as fmt
from .. import i18n
from .. import narrative
from .. import provenance as prov
from ..analysis import budget as b
from ..analysis import deadlines as dl
from ..analysis import funding as fd
from ..analysis import projection as pj
from ..analysis import reporting as rp
from ..analysis.states import parties_over_time
from ..cellsafe import chart_data
from ..data import CcmData
from ..i18n import N_, _, ngettext, pgettext
from ..views import Overview, overview_view
from .slidekit import (BLUE, DEFAULT_TEMPLATE_NAME, GREEN, INK, MAX_TABLE_ROWS, MIN_TABLE_PT, NAVY, ORANGE,
                       ROWS_PER_SLIDE, SLATE, Deck, bars_top_down, chars_per_line, chart_width, fits,
                       last_point_label, pages, round_axis, with_bar_labels)
from .words import counted, due_within_words, overdue_words, owed_words, state_name, submunitions

OVERDUE_SLIDES = 2
YEARS_COMPARED = 3
# Long official names shortened on slides (tables keep one line per State).
SHORT_NAMES = {"GBR": "United Kingdom", "LAO": "Lao PDR", "BOL": "Bolivia", "COD": "DR Congo",
               "VEN": "Venezuela", "IRN": "Iran", "FSM": "Micronesia", "MKD": "North Macedonia",
               "VCT": "St Vincent and the Grenadines", "TZA": "Tanzania"}
# The same in French and Spanish (the UN short forms); other States: their UN/CLDR name in the language.
SHORT_NAMES_IN = {
    "fr": {"GBR": "Royaume-Uni", "LAO": "RDP lao", "BOL": "Bolivie", "COD": "RD Congo", "VEN": "Venezuela",
           "IRN": "Iran", "FSM": "Micronésie", "NLD": "Pays-Bas", "TZA": "Tanzanie"},
    "es": {"GBR": "Reino Unido", "LAO": "RDP Lao", "BOL": "Bolivia", "COD": "RD del Congo", "VEN": "Venezuela",
           "IRN": "Irán", "FSM": "Micronesia", "NLD": "Países Bajos", "TZA": "Tanzanía"},
}
@dataclass(frozen=True)
class DeckInfo:
    """What a built deck holds (for messages and tests).

    Attributes:
        slides: Slides in the deck. overdue_slides: Slides listing overdue reports by State.
        deadline_slides: Slides listing Article 3/4 deadlines ahead.
        overdue_more: States with overdue reports not listed on the slides ("and N more").
    """

    slides: int
    overdue_slides: int
    deadline_slides: int
    overdue_more: int = 0


def short_name(state: str, iso3: str | None = None) -> str:
    """A State's name as written on a slide (a few long official names shortened; in French and Spanish
    the State's name in the language)."""
    lang = i18n.current()
    if lang != "en":
        return SHORT_NAMES_IN.get(lang, {}).get(iso3 or "") or state_name(state, iso3)
    return SHORT_NAMES.get(iso3 or "", state)


def month_day(d) -> str:
    """A day of the year without its year: "5 September" ("5 septembre", "5 de septiembre")."""

    return format_date(pd.Timestamp(d).date(), "d MMMM" if i18n.current() != "es" else "d 'de' MMMM",
                       locale=i18n.locale())


def year_ranges(years: list[int]) -> str:
    """Years with runs joined: [2011, 2013, 2014, 2015] -> "2011, 2013–2015"."""
    parts, run = [], []
    for y in sorted(years):
        if run and y == run[-1] + 1:
            run.append(y)
            continue
        if run:
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [y]
    if run:
        parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(parts)


def outstanding_words(items: list[dict], max_chars: int = 40) -> str:
    """A State's outstanding reports in a table cell: "5: initial; annual 2013–2016".

    When the years do not fit in ``max_chars``, only how many and since when ("8: initial; 7 annual
    since 2012"), and if that does not fit either, how many ("8: initial; 7 annual").
    """
    initial = [pgettext("outstanding reports", "initial")] if any(i["report_type"] == "initial" for i in items) else []
    years = [int(i["year"]) for i in items if i["report_type"] == "annual" and i["year"] is not None]
    n = len(years)
    forms = [[ngettext("annual {years}", "annual {years}", n).format(years=year_ranges(years))],
             [ngettext("{n} annual since {year}", "{n} annual since {year}", n).format(n=n, year=min(years))],
             [ngettext("{n} annual", "{n} annual", n).format(n=n)]] if years else [[]]
    for form in forms:  # the first that fits: every year, then how many since when, then how many
        text = f"{len(items)}: " + "; ".join(initial + form)
        if len(text) <= max_chars:
            break
    return text


# -- the slides ---------------------------------------------------------------------------------

def _title_slide(d: Deck, title: str, as_of, ov: Overview) -> None:
    s = d.prs.slides.add_slide(d.layout("Title Slide", fallback=0))
    if s.shapes.title is not None:
        s.shapes.title.text = title
    subtitle = next((p for p in s.placeholders if p.placeholder_format.idx == 1), None)
    lines = [_("Data as at {day}").format(day=fmt.long_day(as_of)),
             _("Convention on Cluster Munitions · Implementation Support Unit")]
    if subtitle is not None:
        subtitle.text = "\n".join(lines)
    else:
        d.text(lines, d.margin, int(d.H * 0.6), d.full_width, int(d.H * 0.2), 20, slide=s)
    d.add_footer(s)
    d.add_label(s, prov.ILLUSTRATIVE_DATASETS, top=int(d.H * 0.84))
    s.notes_slide.notes_text_frame.text = fmt.typography(narrative.state_of_play(ov))


def _key_messages_slide(d: Deck, ov: Overview, messages: list[str]) -> None:
    d.slide(_("Key messages as at {day}").format(day=fmt.long_day(ov.snap.as_of)), " ".join(messages),
            rests_on=("reports", "spend", "budget", "contributions"))
    bullets = [f"•  {m}" for m in messages]
    size = next((z for z in (20, 18, 16) if fits(bullets, z, d.full_width, d.body_height, 10)), 14)
    box = d.text(bullets, d.margin, d.body_top, d.full_width, d.body_height, size, gap=10)
    for p in box.text_frame.paragraphs:
        for r in p.runs:
            r.font.bold = False
            r.font.color.rgb = INK


def _universalization_slide(d: Deck, data: CcmData, ov: Overview) -> None:
    u, as_of = ov.snap.universalization, ov.snap.as_of
    series = parties_over_time(data.states, as_of)
    yearly = series.groupby(series["date"].dt.year).last()
    labels = [str(y) for y in yearly.index[:-1]] + [fmt.day(as_of)]
    s = d.slide(ngettext("Universalization: {n} State Party", "Universalization: {n} States Parties",
                         u.states_parties).format(n=fmt.number(u.states_parties)),
                narrative.universalization_sentence(ov) + " "
                + _("The Convention is in force for {n} of them.").format(n=u.in_force))
    cd = chart_data()
    cd.categories = labels
    cd.add_series(_("States Parties (end of year; last: as at the day)"), [int(v) for v in yearly["states_parties"]])
    if u.target is not None:  # only a target of the plan in force on D (DOMAIN.md §3)
        cd.add_series(_("Target: {target} by {year}").format(target=u.target, year=u.target_year),
                      [u.target] * len(labels))
    w = chart_width(d)
    chart = d.chart(s, XL_CHART_TYPE.LINE_MARKERS, cd, d.margin, d.body_top, w, d.body_height, [BLUE, ORANGE],
                    x_title=_("Year"), y_title=_("States Parties (number)"))
    last_point_label(chart.plots[0].series[0], f"{u.states_parties}")
    gap = narrative.first_upper(narrative.target_phrase(u))
    d.side_text(s, [ngettext("{n} State Party", "{n} States Parties", u.states_parties).format(
                        n=fmt.number(u.states_parties))] + ([gap] if gap else [])
                + [ngettext("{n} signatory still to ratify", "{n} signatories still to ratify", u.signatories).format(
                    n=fmt.number(u.signatories)),
                   _("In force for {n}").format(n=u.in_force)], w, 20)


def _reporting_slide(d: Deck, ov: Overview) -> None:
    a, i = ov.snap.reporting.annual, ov.snap.reporting.initial
    series = rp.reporting_series(ov.snap.statuses)
    annual = series[series["report_type"] == "annual"]
    s = d.slide(_("Transparency reports: {rate} of {year} annual reports on time").format(
                    rate=fmt.pct(a.compliance_rate), year=a.year),
                narrative.reporting_sentence(ov) + " "
                + _("Initial reports: {on_time} on time, {submitted} submitted, of {due} due.").format(
                    on_time=fmt.pct(i.compliance_rate), submitted=fmt.pct(i.submission_rate), due=i.due),
                rests_on=("reports",))
    w = chart_width(d)
    if annual.empty:
        d.text(_("No annual report had fallen due by this day."), d.margin, d.body_top, w, int(d.H * 0.2), 20)
    else:
        cd = chart_data()
        cd.categories = [str(int(y)) for y in annual["year"]]
        cd.add_series(_("On time"), [float(v) for v in annual["compliance_rate"]])
        cd.add_series(_("Submitted (on time or late)"), [float(v) for v in annual["submission_rate"]])
        chart = d.chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, cd, d.margin, d.body_top, w, d.body_height,
                        [GREEN, BLUE], x_title=_("Annual report for the year"),
                        y_title=_("Share of the reports due (%)"),
                        number_format="0%")  # axis ticks in whole percent; labels one decimal
        chart.value_axis.maximum_scale = 1.0
        chart.value_axis.minimum_scale = 0.0
        if len(annual) <= 10:
            with_bar_labels(chart.plots[0].series[0], fmt.PCT_EXCEL, 14, INK, upright=True)
        else:  # many years: only the latest year's figure, so the labels do not collide
            last_point_label(chart.plots[0].series[0], fmt.pct(annual["compliance_rate"].iloc[-1]),
                              XL_LABEL_POSITION.OUTSIDE_END)
    d.side_text(s, [_("{rate} on time").format(rate=fmt.pct(a.compliance_rate)),
                    _("{on_time} of the {due} annual reports for {year}").format(on_time=a.on_time, due=a.due,
                                                                                 year=a.year),
                    _("{rate} submitted by now ({late} late, {overdue} still missing)").format(
                        rate=fmt.pct(a.submission_rate), late=a.late, overdue=a.overdue),
                    _("Initial reports: {on_time} on time, {submitted} submitted").format(
                        on_time=fmt.pct(i.compliance_rate), submitted=fmt.pct(i.submission_rate))],
                w)


OVERDUE_COLUMNS = [3.4, 4.4, 2.0, 2.2]  # relative widths: State, reports outstanding, oldest due, days overdue


def overdue_rows(by_state: pd.DataFrame, max_chars: int = 40) -> list[list[str]]:
    """The overdue table's rows: State, reports outstanding, oldest due, days overdue (longest first)."""
    return [[short_name(r.state, r.iso3), outstanding_words(r.outstanding, max_chars), fmt.day(r.oldest_due_date),
             fmt.number(int(r.days_overdue))] for r in by_state.itertuples()]


def _overdue_slides(d: Deck, ov: Overview, by_state: pd.DataFrame, per_slide: int) -> tuple[int, int]:
    """At most two slides of States with overdue reports; returns (slides, States not listed)."""
    column = d.full_width * OVERDUE_COLUMNS[1] / sum(OVERDUE_COLUMNS)
    rows = overdue_rows(by_state, chars_per_line(column, MIN_TABLE_PT))
    shown = rows[:per_slide * OVERDUE_SLIDES]
    more = len(rows) - len(shown)
    chunks = pages(shown, per_slide)
    owed = int(by_state["count"].sum()) if len(by_state) else 0
    headline = owed_words(len(rows), owed) if rows else pgettext("overdue reports", "none")
    for n, chunk in enumerate(chunks, start=1):
        if not rows:
            title = _("Overdue reports")
        elif len(chunks) > 1:
            title = _("Overdue reports: {headline} ({n} of {total})").format(headline=headline, n=n, total=len(chunks))
        else:
            title = _("Overdue reports: {headline}").format(headline=headline)
        notes = (_("{headline} overdue: {initial} initial and {annual} annual reports, the States waited on "
                   "longest first.").format(headline=headline, initial=ov.reports_overdue_initial,
                                            annual=ov.reports_overdue_annual)
                 if rows else _("No report is overdue."))
        if n == len(chunks) and more:
            notes += " " + _("Also overdue: {states}.").format(
                states=", ".join(short_name(r.state, r.iso3) for r in by_state.iloc[len(shown):].itertuples()))
        s = d.slide(title, notes, rests_on=("reports",))
        if not chunk:
            d.text(_("No Article 7 report is overdue as at {day}.").format(day=fmt.long_day(ov.snap.as_of)),
                   d.margin, d.body_top, d.full_width, int(d.H * 0.2), 22)
            continue
        table = d.table(s, [_("State"), _("Reports outstanding"), _("Oldest due"), _("Days overdue")], chunk,
                        OVERDUE_COLUMNS)
        if n == len(chunks):
            d.below(table, ngettext("… and {n} more State: full list in the Excel workbook, sheet “{sheet}”.",
                                    "… and {n} more States: full list in the Excel workbook, sheet “{sheet}”.",
                                    more).format(n=fmt.number(more), sheet=_("Overdue by State")) if more else
                    _("These are all the States with an overdue report."), 14)
    return len(chunks), more


# The chart's series for dl.OPEN_STATUSES.
STILL_TO_DO = {"on_track": N_("Still to do: on track"), "due_within_12_months": N_("Still to do: due within 12 months"),
               "overdue": N_("Still to do: overdue")}


def _art34_slide(d: Deck, ov: Overview) -> None:
    c, t, (s3, s4) = ov.deadline_counts, ov.snap.deadlines, (ov.record[3], ov.record[4])
    s = d.slide(_("Articles 3 and 4: {destroyed} of {stockpiling} stockpiling States destroyed, {cleared} of "
                  "{contaminated} cleared").format(destroyed=s3.completed, stockpiling=s3.held, cleared=s4.completed,
                                                   contaminated=s4.held),
                narrative.deadlines_message(ov) + " " + _("Article 3 is stockpile destruction, Article 4 clearance."))
    w = chart_width(d)
    if not c.total:
        d.text(_("No Article 3 or 4 obligation of a State Party is recorded."), d.margin, d.body_top, w,
               int(d.H * 0.2), 22)
        return
    todo = dl.still_to_do_by_status(t)
    cd = chart_data()
    cd.categories = [_("Article 3: stockpiles"), _("Article 4: clearance")]
    cd.add_series(_("Destroyed / cleared"), [s3.completed, s4.completed])
    for status, name in STILL_TO_DO.items():
        cd.add_series(_(name), [int(v) for v in todo[status]])
    colours = [RGBColor.from_string(fmt.STATUS_COLOURS[st].lstrip("#")) for st in ["completed", *STILL_TO_DO]]
    chart = d.chart(s, XL_CHART_TYPE.BAR_STACKED, cd, d.margin, d.body_top, w, d.body_height, colours,
                    x_title=_("Article"), y_title=_("States Parties (number)"), number_format="0")
    round_axis(chart, float(max(s3.held, s4.held, 1)))
    for series, status in zip(chart.plots[0].series, ["completed", *STILL_TO_DO]):  # white labels, ink on orange
        with_bar_labels(series, "0;-0;;", 14, INK if status == "due_within_12_months" else RGBColor(255, 255, 255))
    bars_top_down(chart)
    destroy = counted(s3.outstanding, _("No State still to destroy stocks"),
                      ngettext("{n} State still to destroy stocks", "{n} States still to destroy stocks",
                               s3.outstanding))
    clear = counted(s4.outstanding, _("none still to clear"),
                    ngettext("{n} still to clear", "{n} still to clear", s4.outstanding))
    lines = [f"{destroy}, {clear}"]
    if s3.quantity_completed > 0:
        lines.append(_("{quantity} submunitions destroyed").format(quantity=submunitions(s3.quantity_completed)))
    lines.append(narrative.first_upper(f"{overdue_words(s3.overdue + s4.overdue)}, "
                                       f"{due_within_words(c.due_within_12_months, 12)}"))
    ahead = dl.due_within(t, 10 ** 6).head(3)
    if not ahead.empty:
        lines.append(_("Next: {deadlines}").format(deadlines="; ".join(
            _("{state} (Art. {article}) {day}").format(state=short_name(r.state, r.iso3), article=int(r.article),
                                                       day=fmt.day(r.effective_deadline))
            for r in ahead.itertuples())))
    d.side_text(s, lines, w)


def deadline_rows(deadlines: pd.DataFrame) -> list[list[str]]:
    """Deadlines overdue or due within 24 months, soonest first: State, article, deadline, extensions, time left."""
    t = deadlines
    open_ = dl.still_to_do(t)
    soon = t[open_ & ((t["status"] == "overdue") | (t["days_remaining"].fillna(0) <= dl.WITHIN_24_MONTHS_DAYS))]
    rows = []
    for r in soon.itertuples():
        days = int(r.days_remaining)
        granted = str(int(r.extensions)) if r.extensions else pgettext("extensions", "none")
        rows.append([short_name(r.state, r.iso3), _("Art. {article}").format(article=int(r.article)),
                     fmt.day(r.effective_deadline),
                     # a request pending on D is said beside the extensions granted (DOMAIN §6)
                     _("{granted}, 1 requested").format(granted=granted) if pd.notna(r.pending_requested_on)
                     else granted,
                     ngettext("{n} day", "{n} days", days).format(n=fmt.number(days)) if days >= 0 else
                     ngettext("{n} day late", "{n} days late", -days).format(n=fmt.number(-days))])
    return rows


def _deadlines_ahead_slide(d: Deck, ov: Overview, per_slide: int) -> int:
    rows = deadline_rows(ov.snap.deadlines)
    shown, more = rows[:per_slide], len(rows) - min(len(rows), per_slide)
    c = ov.deadline_counts
    s = d.slide(_("Article 3 and 4 deadlines: {overdue}, {soon}").format(
                    overdue=overdue_words(c.overdue), soon=due_within_words(c.due_within_24_months, 24)),
                narrative.deadlines_message(ov) + " "
                + ngettext("{n} falls due within 24 months.", "{n} fall due within 24 months.",
                           c.due_within_24_months).format(n=c.due_within_24_months))
    if not shown:
        d.text(_("No Article 3 or 4 deadline is overdue or due within 24 months of {day}.").format(
                   day=fmt.long_day(ov.snap.as_of)), d.margin, d.body_top, d.full_width, int(d.H * 0.2), 22)
        return 1
    table = d.table(s, [_("State"), _("Article"), _("Deadline now"), _("Extensions"), _("Time left")], shown,
                    [4.4, 1.4, 2, 1.8, 2.2])
    below = [narrative.pending_requests_sentence(ov.pending)]
    if more:
        below.append(ngettext("… and {n} more: the full list is in the Excel workbook (sheet “{sheet}”).",
                              "… and {n} more: the full list is in the Excel workbook (sheet “{sheet}”).", more).format(
            n=more, sheet=_("Deadlines")))
    if any(below):
        d.below(table, " ".join(t for t in below if t), 14)
    return 1


def _year_end_line(label: str, year_end: str, side: str) -> str:
    """The year-end line of the budget slide's panel: "Projected year-end: CHF 467,050; CHF 1,610 over budget"."""
    return _("{label}: {year_end}; {side}").format(label=label, year_end=year_end, side=side)


def _range_line(rng: pj.Range, currency: str) -> str:
    """The range in the panel, short: "Range CHF 382,690 to CHF 428,447 (held in 4 of 4 past years)", or "No
    range yet" (the slide's subtitle says why)."""
    if not rng.known:
        return _("No range yet")
    return ngettext("Range {low} to {high} (held in {inside} of {n} past year)",
                    "Range {low} to {high} (held in {inside} of {n} past years)", rng.cases).format(
        low=fmt.chf(rng.low, currency), high=fmt.chf(rng.high, currency), inside=fmt.number(rng.inside),
        n=fmt.number(rng.cases))


def _budget_slide(d: Deck, ov: Overview) -> None:
    st, t, p = ov.snap.budget, ov.snap.budget.total, ov.snap.projection
    cur = st.currency
    words = narrative.pace_phrase(ov)
    s = d.slide(_("Budget {year}: {spent} spent with {elapsed} of the year gone").format(
                    year=st.year, spent=fmt.pct(t.burn_rate), elapsed=fmt.pct(st.elapsed_fraction))
                if ov.has_budget else _("Budget {year}: no budget loaded").format(year=st.year),
                narrative.budget_sentence(ov) + (" " + _("That is {pace}.").format(pace=words) if words else ""),
                rests_on=("spend", "budget"))
    if not ov.has_budget:
        d.text(_("No budget is loaded for {year}.").format(year=st.year), d.margin, d.body_top, d.full_width,
               int(d.H * 0.2), 22)
        return
    outlook = pj.line_outlook(st, p).sort_values("budget", ascending=False)
    year_end = _("Actual year-end") if p.is_actual else _("Projected year-end")
    cd = chart_data()
    cd.categories = list(outlook["cost_line"])
    cd.add_series(_("Budget"), [float(v) for v in outlook["budget"]])
    cd.add_series(_("Spent to date"), [float(v) for v in outlook["spent"]])
    cd.add_series(year_end, [float(v) if pd.notna(v) else 0.0 for v in outlook["year_end"]])
    w = chart_width(d)
    chart = d.chart(s, XL_CHART_TYPE.BAR_CLUSTERED, cd, d.margin, d.body_top, w, d.body_height,
                    [SLATE, NAVY, ORANGE], x_title=_("Cost line"), y_title=_("Amount ({currency})").format(currency=cur),
                    number_format="#,##0")
    for series in chart.plots[0].series:
        with_bar_labels(series, "#,##0")
    round_axis(chart, float(max(outlook["budget"].max(), outlook["spent"].max(), outlook["year_end"].fillna(0).max())))
    bars_top_down(chart)
    panel = [_("{amount} spent").format(amount=fmt.chf(t.spent, cur)),
             _("{rate} of {budget}").format(rate=fmt.pct(t.burn_rate), budget=fmt.chf(t.budget, cur))]
    if words:
        panel.append(narrative.first_upper(words))
    if p.method in ("seasonal", "linear"):
        status, _flag = pj.total_outlook(st, p)
        panel.append(_year_end_line(year_end, fmt.chf(p.year_end, cur),
                                    narrative.side_words(status, p.year_end - t.budget, cur)))
        panel.append(_range_line(p.range, cur))
    # every line here is flagged: drop the "(flagged)" / "(signalé)" / "(señalado)" the table's text ends with
    panel += [f"{r.cost_line}: {narrative.outlook_words(r.status, r.variance, r.variance_share, r.flag, flag_note=False)}"
              for r in outlook[outlook["flag"]].head(2).itertuples()]
    d.side_text(s, panel, w)


def _same_day_slide(d: Deck, data: CcmData, ov: Overview) -> None:
    as_of, cur = ov.snap.as_of, ov.snap.budget.currency
    by_year = b.same_day_totals(data.budget, data.spend, data.contributions, as_of, YEARS_COMPARED)
    when = month_day(as_of)
    w = chart_width(d)
    if len(by_year) < 2:
        s = d.slide(_("Spending by {day}: no earlier year to compare").format(day=when),
                    _("No budget is loaded for {year} and an earlier year, so there is nothing to compare.").format(
                        year=as_of.year))
        d.text(_("Spending by {day} can be compared once budgets for {year} and an earlier year are loaded.").format(
                   day=when, year=as_of.year), d.margin, d.body_top, d.full_width, int(d.H * 0.2), 22)
        return
    now, last = by_year.iloc[-1], by_year.iloc[-2]
    change = now["spent"] - last["spent"]
    last_day = fmt.long_day(b.reference_day(int(last["year"]), as_of))  # the day the figures count to
    if not change:
        compare = _("the same as by {day}").format(day=last_day)
    elif change > 0:
        compare = _("{amount} more than by {day}").format(amount=fmt.chf(abs(change), cur), day=last_day)
    else:
        compare = _("{amount} less than by {day}").format(amount=fmt.chf(abs(change), cur), day=last_day)
    s = d.slide(_("Spending by {day}: {year} against earlier years").format(day=when, year=int(now["year"])),
                _("By {day} the ISU had spent {amount} ({rate} of its budget), {compare} ({last_rate} of that "
                  "year's budget).").format(day=fmt.long_day(b.reference_day(int(now["year"]), as_of)),
                                            amount=fmt.chf(now["spent"], cur), rate=fmt.pct(now["burn_rate"]),
                                            compare=compare, last_rate=fmt.pct(last["burn_rate"])),
                rests_on=("spend", "budget"))
    cd = chart_data()
    cd.categories = [str(int(y)) for y in by_year["year"]]
    cd.add_series(_("Budget for the year"), [float(v) for v in by_year["budget"]])
    cd.add_series(_("Spent by {day}").format(day=when), [float(v) for v in by_year["spent"]])
    chart = d.chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, cd, d.margin, d.body_top, w, d.body_height, [SLATE, NAVY],
                    x_title=_("Budget year"), y_title=_("Amount ({currency})").format(currency=cur),
                    number_format="#,##0")
    for series in chart.plots[0].series:
        with_bar_labels(series, "#,##0", 14)
    round_axis(chart, float(max(by_year["budget"].max(), by_year["spent"].max())))
    d.side_text(s, [_("{amount} spent by {day}").format(amount=fmt.chf(now["spent"], cur), day=fmt.day(now["day"])),
                    narrative.first_upper(compare)]
                + [_("{year}: {rate} of the budget spent by {day}").format(year=int(r.year), rate=fmt.pct(r.burn_rate),
                                                                          day=when)
                   for r in by_year.iloc[::-1].itertuples()], w)


def _contributions_slide(d: Deck, data: CcmData, ov: Overview) -> None:
    st = ov.snap.budget
    cur = st.currency
    by_month = fd.cumulative_contributions(data.contributions, st.year, ov.snap.as_of)
    donors = fd.contributions_by_donor(data.contributions, st.year, ov.snap.as_of)
    top = ", ".join(f"{r.donor} ({fmt.chf_short(r.amount, cur)})" for r in donors.head(5).itertuples())
    n = len(donors)
    if ov.has_budget:
        title = _("Contributions for {year}: {amount} received ({share} of the budget)")
        notes = ngettext("Contributions received for {year}: {amount} from {n} donor, {share} of the budget of "
                         "{budget}; the funding gap is {gap}.",
                         "Contributions received for {year}: {amount} from {n} donors, {share} of the budget of "
                         "{budget}; the funding gap is {gap}.", n)
    else:
        title = _("Contributions for {year}: {amount} received")
        notes = ngettext("Contributions received for {year}: {amount} from {n} donor.",
                         "Contributions received for {year}: {amount} from {n} donors.", n)
    values = dict(year=st.year, amount=fmt.chf(st.received, cur), share=fmt.pct(st.received_share), n=fmt.number(n),
                  budget=fmt.chf(st.total.budget, cur), gap=fmt.chf(st.funding_gap, cur))
    s = d.slide(title.format(**values),
                notes.format(**values) + (" " + _("Largest: {donors}.").format(donors=top) if top else ""),
                rests_on=("contributions",))
    w = chart_width(d)
    if by_month.empty:
        d.text(_("No contribution for {year} had been received by {day}.").format(
                   year=st.year, day=fmt.long_day(ov.snap.as_of)), d.margin, d.body_top, w, int(d.H * 0.2), 22)
    else:
        cd = chart_data()
        cd.categories = [fmt.month(m) for m in by_month["month"]]
        cd.add_series(_("Received to date"), [float(v) for v in by_month["cumulative"]])
        if ov.has_budget:
            cd.add_series(_("Budget"), [float(st.total.budget)] * len(by_month))
        chart = d.chart(s, XL_CHART_TYPE.LINE_MARKERS, cd, d.margin, d.body_top, w, d.body_height, [NAVY, ORANGE],
                        x_title=_("Month received"), y_title=_("Received to date ({currency})").format(currency=cur),
                        number_format="#,##0")
        last_point_label(chart.plots[0].series[0], fmt.chf(st.received, cur))
        round_axis(chart, float(max(by_month["cumulative"].max(), st.total.budget)))
    lines = [_("{amount} received").format(amount=fmt.chf(st.received, cur)),
             _("Budget {amount}").format(amount=fmt.chf(st.total.budget, cur)) if ov.has_budget else
             _("No budget loaded"),
             _("Funding gap {amount}").format(amount=fmt.chf(st.funding_gap, cur)) if ov.has_budget else None,
             ngettext("{n} donor", "{n} donors", n).format(n=fmt.number(n))]
    d.side_text(s, [line for line in lines if line], w)


def default_illustrative(source: str) -> tuple[str, ...]:
    """The illustrative datasets when only the source label is known (the bundled sample: all of them)."""
    return prov.ILLUSTRATIVE_DATASETS if prov.is_sample_label(source) else ()


def build_deck(data: CcmData, as_of, title: str, source: str, template: bytes | Path | None = None,
               rows_per_slide: int = ROWS_PER_SLIDE,
               illustrative: Iterable[str] | None = None, template_name: str | None = None
               ) -> tuple[bytes, DeckInfo]:
    """Build the meeting deck for day D.

    Args:
        data: The datasets.
        as_of: D.
        title: The meeting's name, e.g. "Eighth Meeting of States Parties".
        source: Where the data comes from, for the footers.
        template: A .pptx whose layouts and theme to use (bytes or a path); it passes the Office
            guard (``guard.check_office``) every time.
        rows_per_slide: Table rows per slide (at most 13; overdue reports take at most two slides).
        illustrative: Datasets whose figures are illustrative (sample) data; their slides carry
            a label. Default: all of ``provenance.ILLUSTRATIVE_DATASETS`` when ``source`` is the
            sample's label, else none.
        template_name: The template's file name, for messages (default: the path's name).

    Returns:
        The .pptx file's bytes and a summary of what it holds.
    """
    as_of = pd.Timestamp(as_of)
    rows_per_slide = max(1, min(rows_per_slide, MAX_TABLE_ROWS - 1))
    if isinstance(template, (str, Path)):
        template_name = template_name or Path(template).name
        template = Path(template).read_bytes()
    shown = tuple(default_illustrative(source) if illustrative is None else illustrative)
    ov = overview_view(data, as_of)
    by_state = rp.overdue_by_state(ov.snap.statuses, as_of)
    d = Deck(template, _("Data as at {day} · Source: {source}").format(day=fmt.long_day(as_of), source=source),
              shown, template_name or DEFAULT_TEMPLATE_NAME)
    _title_slide(d, title, as_of, ov)
    _key_messages_slide(d, ov, narrative.key_messages(ov, by_state))
    _universalization_slide(d, data, ov)
    _reporting_slide(d, ov)
    n_overdue, more = _overdue_slides(d, ov, by_state, rows_per_slide)
    _art34_slide(d, ov)
    n_deadlines = _deadlines_ahead_slide(d, ov, rows_per_slide)
    _budget_slide(d, ov)
    _same_day_slide(d, data, ov)
    _contributions_slide(d, data, ov)
    return d.save(), DeckInfo(len(d.prs.slides), n_overdue, n_deadlines, more)
