"""Overview: the headline figures, each with its meaning and a link to its page."""

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics.narrative import state_of_play
from ccm_analytics.ui import exports
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header("Overview", "The state of play of the Convention and of the ISU's budget.")
if run.data.is_empty:
    w.empty("No data is loaded yet.", "Go to the Data page to load a workbook or restore the sample data.")
    st.page_link("pages/data.py", label="Data", icon=":material/database:")
    st.stop()

ov = view("overview")
u, rep, st_b = ov.snap.universalization, ov.snap.reporting, ov.snap.budget

st.header(f"State of play as at {fmt.long_day(run.as_of)}")
st.write(state_of_play(ov))

c1, c2, c3 = st.columns(3)
with c1:
    w.card("States Parties", f"{u.states_parties}", f"Dubrovnik Action Plan target: {u.target} by {u.target_year}; "
           f"{u.target_phrase()}. {u.signatories} signatories have not ratified.",
           "pages/universalization.py", "Universalization", delta=f"{u.states_parties - u.target:+d} vs target",
           delta_color="off", delta_arrow="off")
with c2:
    a = rep.annual
    w.card(f"Annual reports for {a.year} on time", fmt.pct(a.compliance_rate),
           f"{a.on_time} of {a.due} due by 30 April {a.year + 1} came on time; {fmt.pct(a.submission_rate)} "
           "have been submitted by now.", "pages/reports.py", "Transparency reports")
with c3:
    w.card("Reports overdue now", f"{ov.reports_overdue}",
           f"{ov.reports_overdue_initial} initial and {ov.reports_overdue_annual} annual reports due and not received.",
           "pages/reports.py", "Who is overdue, by State", query={"reports_tab": "Overdue"})

c4, c5, c6 = st.columns(3)
with c4:
    c = ov.deadline_counts
    w.card("Article 3/4 deadlines overdue", f"{c.overdue}",
           f"{c.due_within_12_months} more fall due within 12 months. Stockpiles destroyed: {ov.record[3].completed} of "
           f"{ov.record[3].held} States; clearance completed: {ov.record[4].completed} of {ov.record[4].held}.",
           "pages/deadlines.py", "Deadlines")
with c5:
    if ov.has_budget:
        t, proj = st_b.total, ov.snap.projection  # the Budget page's year-end (DOMAIN §8)
        w.card(f"Budget {st_b.year} spent", fmt.pct(t.burn_rate),
               f"{fmt.chf(t.spent, st_b.currency)} of {fmt.chf(t.budget, st_b.currency)}, with "
               f"{fmt.pct(st_b.elapsed_fraction)} of the year elapsed. {'Actual' if proj.is_actual else 'Projected'} "
               f"year-end: {fmt.chf(proj.year_end, st_b.currency)}.",
               "pages/budget.py", "Budget and spend",
               delta=None if proj.year_end is None
               else f"{fmt.chf(proj.year_end - t.budget, st_b.currency)} {'actual' if proj.is_actual else 'projected'}",
               delta_color="inverse")
    else:
        w.card(f"Budget {st_b.year}", "–", f"No budget is loaded for {st_b.year}. Pick another day in the sidebar "
               "or load the year's budget.", "pages/budget.py", "Budget and spend")
with c6:
    if ov.has_budget:
        w.card(f"Contributions for {st_b.year} received", fmt.pct(st_b.received_share),
               f"{fmt.chf(st_b.received, st_b.currency)} of the {fmt.chf(st_b.total.budget, st_b.currency)} budget; "
               f"funding gap {fmt.chf(st_b.funding_gap, st_b.currency)}.", "pages/budget.py", "Contributions",
               query={"budget_tab": "Contributions"})
    else:
        w.card(f"Contributions for {st_b.year}", fmt.chf(st_b.received, st_b.currency),
               "Received so far for the year (no budget to compare with).", "pages/budget.py", "Contributions")

st.header("Meeting deck")
with st.container(border=True):
    st.markdown(f"A PowerPoint deck of this state of play as at **{fmt.long_day(run.as_of)}**, ready for a meeting: "
                "key messages, universalization, reporting, overdue reports by State, Articles 3 and 4, budget and "
                "contributions, with native charts you can restyle, a footer and speaker notes on every slide. A "
                "house template can be set on the Data page.")
    exports.deck_form()
