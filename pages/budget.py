"""Budget and spend: burn rate, projection, hot cost lines, contributions."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.analysis.budget import LINE_FLAG_THRESHOLD, TOTAL_FLAG_THRESHOLD
from ccm_analytics.views import budget_years, default_budget_year
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header("Budget and spend", "How fast the ISU spends its budget, which cost line runs hot, and how much "
               "of the year's funding has come in.")
years = budget_years(run.data)
if not years:
    w.empty("No budget is loaded.", "Load a workbook with a Budget sheet on the Data page.")
    st.stop()

default = default_budget_year(run.data, run.as_of)
if len(years) <= 8:
    year = st.segmented_control("Budget year", years, default=default, key="budget_year", format_func=str) or default
else:
    year = st.selectbox("Budget year", years, index=years.index(default), key="budget_year")
if year != run.as_of.year:
    st.caption(f"Spend and contributions for {year} are counted up to {fmt.day(run.as_of)}"
               + (" (the whole year)." if year < run.as_of.year else " (the year has not started)."))

v = view("budget", year=year)
s, t = v.status, v.status.total
cur = s.currency

c1, c2, c3, c4 = st.columns(4)
c1.metric("Spent", fmt.chf(t.spent, cur), help="Spend dated in the year, up to the as-of day.")
c2.metric("Burn rate", fmt.pct(t.burn_rate), delta=f"{fmt.pct(s.elapsed_fraction)} of the year elapsed",
          delta_color="off", delta_arrow="off", help="Spent / budget.")
c3.metric("Projected year-end", fmt.chf(t.projected_year_end, cur),
          delta=None if t.projected_variance is None else f"{fmt.chf(t.projected_variance, cur)} vs budget",
          delta_color="inverse", help="Spent / share of the year elapsed: where the year ends at this pace.")
c4.metric("Contributions received", fmt.chf(s.received, cur),
          delta=f"{fmt.pct(s.received_share)} of the budget", delta_color="off", delta_arrow="off",
          help=f"Contributions for {year} received by the as-of day; funding gap {fmt.chf(s.funding_gap, cur)}.")
if v.total_flag:
    side = "over" if t.projected_variance > 0 else "under"
    st.warning(f"At this pace the year would end {fmt.pct(abs(t.projected_variance) / t.budget)} {side} budget "
               f"(more than the {fmt.pct(TOTAL_FLAG_THRESHOLD)} tolerance).", icon=":material/warning:")

tab_lines, tab_year, tab_money, tab_multi = w.tabs(
    ["By cost line", "Over the year", "Contributions", f"All years ({years[0]}–{years[-1]})"], key="budget_tab")
with tab_lines:
    if tab_lines.open and t.budget == 0 and t.spent == 0:
        w.empty(f"Nothing is budgeted or spent for {year}.")
    elif tab_lines.open:
        w.plot(figures.budget_by_line, s.lines, year, run.as_of, cur, name=f"budget-by-line-{year}")
        st.markdown("**Variance by cost line** — flagged when the projected year-end is off the line's budget by "
                    f"more than {fmt.pct(LINE_FLAG_THRESHOLD)}.")
        w.table(s.lines, f"budget-lines-{year}",
                columns=["cost_line", "budget", "spent", "burn_rate", "pace", "projected_year_end",
                         "projected_variance", "variance_share", "flag"],
                column_config={
                    "cost_line": "Cost line", "budget": w.chf_col("Budget", cur), "spent": w.chf_col("Spent", cur),
                    "burn_rate": w.pct_col("Burn rate"),
                    "pace": st.column_config.NumberColumn("Pace", format="%.2f",
                                                          help="Burn rate / share of the year elapsed; 1 = on plan"),
                    "projected_year_end": w.chf_col("Projected year-end", cur),
                    "projected_variance": w.chf_col("Projected variance", cur),
                    "variance_share": w.pct_col("Variance / budget"),
                    "flag": st.column_config.CheckboxColumn(f"Off by > {fmt.pct(LINE_FLAG_THRESHOLD)}")})
with tab_year:
    if tab_year.open:
        w.plot(figures.cumulative_spend, v.cumulative, year, run.as_of, cur, name=f"cumulative-spend-{year}")
        if v.monthly.empty:
            w.empty(f"No spend recorded for {year} up to {fmt.day(run.as_of)}.")
        else:
            w.plot(figures.monthly_spend, v.monthly, year, run.as_of, cur, name=f"monthly-spend-{year}")
with tab_money:
    if tab_money.open and v.contributions_by_donor.empty:
        w.empty(f"No contribution for {year} received by {fmt.day(run.as_of)}.")
    elif tab_money.open:
        col1, col2 = st.columns(2)
        with col1:
            w.plot(figures.contributions_over_year, v.contributions_by_month, t.budget, year, run.as_of, cur,
                   name=f"contributions-{year}")
        with col2:
            w.plot(figures.contributions_by_donor, v.contributions_by_donor, year, run.as_of, cur,
                   name=f"contributions-by-donor-{year}")
        w.table(v.contributions_by_donor, f"contributions-by-donor-{year}", column_config={
            "donor": "Donor", "amount": w.chf_col("Amount", cur), "contributions": w.int_col("Payments"),
            "last_received": w.date_col("Last received")})

with tab_multi:
    if tab_multi.open:
        w.plot(figures.multi_year, v.multi_year, run.as_of, cur, name="budget-multi-year")
        w.table(v.multi_year, "budget-multi-year", column_config={
            "year": st.column_config.NumberColumn("Year", format="%d"), "budget": w.chf_col("Budget", cur),
            "spent": w.chf_col("Spent", cur), "received": w.chf_col("Received", cur),
            "burn_rate": w.pct_col("Burn rate"), "received_share": w.pct_col("Received / budget"),
            "elapsed_fraction": w.pct_col("Year elapsed")})
