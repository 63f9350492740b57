"""Overview: the headline figures, each with its meaning and a link to its page."""

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics import narrative
from ccm_analytics.i18n import _, ngettext
from ccm_analytics.narrative import state_of_play
from ccm_analytics.ui import exports
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header(_("Overview"), _("The state of play of the Convention and of the ISU's budget."))
if run.data.is_empty:
    w.empty(_("No data is loaded yet."), _("Go to the Data page to load a workbook or restore the sample data."))
    st.page_link("pages/data.py", label=_("Data"), icon=":material/database:")
    st.stop()

ov = view("overview")
u, rep, st_b = ov.snap.universalization, ov.snap.reporting, ov.snap.budget

st.header(_("State of play as at {day}").format(day=fmt.long_day(run.as_of)))
st.write(state_of_play(ov))

a, c = rep.annual, ov.deadline_counts
cards = [
    w.Metric(_("States Parties"), f"{u.states_parties}",
             " ".join(filter(None, [narrative.plan_line(u), ngettext(
                 "{n} signatory has not ratified.", "{n} signatories have not ratified.", u.signatories).format(
                 n=fmt.number(u.signatories))])),
             page="pages/universalization.py", link=_("Universalization"),
             delta=(_("{difference} vs target").format(difference=f"{u.states_parties - u.target:+d}")
                    if u.target is not None else None),
             delta_color="off", delta_arrow=False),
    w.Metric(_("Annual reports for {year} on time").format(year=a.year), fmt.pct(a.compliance_rate),
             _("{on_time} of {due} due by 30 April {next_year} came on time; {rate} have been submitted by now.").format(
                 on_time=a.on_time, due=a.due, next_year=a.year + 1, rate=fmt.pct(a.submission_rate)),
             page="pages/reports.py", link=_("Transparency reports")),
    w.Metric(_("Reports overdue now"), f"{ov.reports_overdue}",
             _("{initial} initial and {annual} annual reports due and not received.").format(
                 initial=ov.reports_overdue_initial, annual=ov.reports_overdue_annual),
             page="pages/reports.py", link=_("Who is overdue, by State"), query={"reports_tab": "overdue"}),
    w.Metric(_("Article 3/4 deadlines overdue"), f"{c.overdue}",
             ngettext("{n} more falls due within 12 months. Stockpiles destroyed: {destroyed} of {held} States; "
                      "clearance completed: {cleared} of {contaminated}.",
                      "{n} more fall due within 12 months. Stockpiles destroyed: {destroyed} of {held} States; "
                      "clearance completed: {cleared} of {contaminated}.", c.due_within_12_months).format(
                 n=c.due_within_12_months, destroyed=ov.record[3].completed, held=ov.record[3].held,
                 cleared=ov.record[4].completed, contaminated=ov.record[4].held),
             page="pages/deadlines.py", link=_("Deadlines")),
]
if ov.has_budget:
    t, proj = st_b.total, ov.snap.projection  # the Budget page's year-end (DOMAIN §8)
    meaning = (_("{spent} of {budget}, with {elapsed} of the year elapsed. Actual year-end: {year_end}.")
               if proj.is_actual else
               _("{spent} of {budget}, with {elapsed} of the year elapsed. Projected year-end: {year_end}."))
    cards.append(w.Metric(
        _("Budget {year} spent").format(year=st_b.year), fmt.pct(t.burn_rate),
        meaning.format(spent=fmt.chf(t.spent, st_b.currency), budget=fmt.chf(t.budget, st_b.currency),
                       elapsed=fmt.pct(st_b.elapsed_fraction), year_end=fmt.chf(proj.year_end, st_b.currency)),
        page="pages/budget.py", link=_("Budget and spend"),
        delta=None if proj.year_end is None
        else (_("{amount} actual") if proj.is_actual else _("{amount} projected")).format(
            amount=fmt.chf(proj.year_end - t.budget, st_b.currency)),
        delta_color="inverse"))
    cards.append(w.Metric(
        _("Contributions for {year} received").format(year=st_b.year), fmt.pct(st_b.received_share),
        _("{received} of the {budget} budget; funding gap {gap}.").format(
            received=fmt.chf(st_b.received, st_b.currency), budget=fmt.chf(st_b.total.budget, st_b.currency),
            gap=fmt.chf(st_b.funding_gap, st_b.currency)),
        page="pages/budget.py", link=_("Contributions"), query={"budget_tab": "money"}))
else:
    cards.append(w.Metric(
        _("Budget {year}").format(year=st_b.year), "–",
        _("No budget is loaded for {year}. Pick another day in the sidebar or load the year's budget.").format(
            year=st_b.year), page="pages/budget.py", link=_("Budget and spend")))
    cards.append(w.Metric(
        _("Contributions for {year}").format(year=st_b.year), fmt.chf(st_b.received, st_b.currency),
        _("Received so far for the year (no budget to compare with)."), page="pages/budget.py",
        link=_("Contributions")))
w.metrics(cards, key="overview", columns=3, cards=True)

st.header(_("Meeting deck"))
with st.container(border=True):
    st.markdown(_("A PowerPoint deck of this state of play as at **{day}**, ready for a meeting: key messages, "
                  "universalization, reporting, overdue reports by State, Articles 3 and 4, budget and contributions, "
                  "with native charts you can restyle, a footer and speaker notes on every slide. A house template "
                  "can be set on the Data page.").format(day=fmt.long_day(run.as_of)))
    exports.deck_form()
