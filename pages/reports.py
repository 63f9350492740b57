"""Transparency reports (Article 7): compliance by year, who is overdue, repeated misses."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.analysis.treaty import default_report_year
from ccm_analytics.views import filter_overdue, regions
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui import working_groups as wg
from ccm_analytics.ui.cache import view

run = w.header("Transparency reports", "Initial and annual Article 7 reports: who reported on time, who is late, "
               "who is overdue.")
if run.data.states.empty:
    w.empty("No states are loaded.", "Load a workbook with a States sheet on the Data page.")
    st.stop()

COUNTS = {"due": w.int_col("Due"), "on_time": w.int_col("On time"), "late": w.int_col("Late"),
          "overdue": w.int_col("Overdue"), "compliance_rate": w.pct_col("Compliance rate"),
          "submission_rate": w.pct_col("Submission rate")}
base = view("reports")
latest = default_report_year(run.as_of)
years = sorted(set(base.years) | {latest}, reverse=True)
year = st.selectbox("Annual reporting year", years, index=years.index(latest), key="report_year",
                    help="The calendar year an annual report covers; it is due on 30 April of the next year.")
v = view("reports", report_year=year) if year != latest else base
i, a = v.summary.initial, v.summary.annual

c1, c2, c3, c4 = st.columns(4)
c1.metric(f"Annual {year}: on time", fmt.pct(a.compliance_rate), delta=f"{a.on_time} of {a.due} due",
          delta_color="off", delta_arrow="off", help=f"Reports for {year} received by 30 April {year + 1}.")
c2.metric(f"Annual {year}: submitted", fmt.pct(a.submission_rate), delta=f"{a.late} late, {a.overdue} overdue",
          delta_color="off", delta_arrow="off")
c3.metric("Initial reports: on time", fmt.pct(i.compliance_rate), delta=f"{i.on_time} of {i.due} due",
          delta_color="off", delta_arrow="off", help="Initial reports are due 180 days after the Convention enters into force for a state.")
c4.metric("Reports overdue now", f"{v.summary.overdue_count()}",
          delta=f"{v.summary.overdue_count('initial')} initial, {v.summary.overdue_count('annual')} annual",
          delta_color="off", delta_arrow="off")

tab_annual, tab_initial, tab_overdue, tab_grid, tab_cohort = w.tabs(
    ["Annual reports by year", "Initial reports by year", "Overdue", "Repeat non-reporters", "By cohort"],
    key="reports_tab")

with tab_annual:
    if tab_annual.open and v.series.empty:
        w.empty(f"No report had fallen due by {fmt.day(run.as_of)}.")
    elif tab_annual.open:
        w.plot(figures.reporting_rates, v.series, "annual", run.as_of, name="annual-reporting-rates")
        w.plot(figures.reporting_mix, v.series, "annual", run.as_of, name="annual-reporting-mix")
        w.table(v.series, "reporting-by-year", column_config={
            "report_type": "Report", "year": st.column_config.NumberColumn("Year", format="%d"), **COUNTS})

with tab_initial:
    if tab_initial.open and v.series.empty:
        w.empty(f"No report had fallen due by {fmt.day(run.as_of)}.")
    elif tab_initial.open:
        w.plot(figures.reporting_rates, v.series, "initial", run.as_of, name="initial-reporting-rates")
        w.plot(figures.reporting_mix, v.series, "initial", run.as_of, name="initial-reporting-mix")

with tab_overdue:
    if tab_overdue.open:
        f1, f2, f3 = st.columns([2, 2, 1.2])
        chosen = f1.multiselect("Region", regions(run.data), key="od_regions", placeholder="All regions",
                                bind="query-params")
        types = f2.multiselect("Report", ["initial", "annual"], key="od_types", placeholder="Initial and annual",
                               format_func=str.capitalize, bind="query-params")
        shape = f3.segmented_control("Show", ["By State", "Each report"], default="By State", required=True,
                                     key="od_view", bind="query-params")
        ov = view("overdue", regions=tuple(chosen), types=tuple(types))
        od = ov.reports
        if od.empty:
            w.empty("No overdue report matches these filters." if (chosen or types) else
                    f"No report is overdue as at {fmt.day(run.as_of)}.")
        elif shape == "Each report":
            st.caption(f"{fmt.count(len(od), 'overdue report')}, most overdue first.")
            w.table(od, "overdue-reports",
                    columns=["state", "region", "report_type", "year", "due_date", "days_overdue"],
                    column_config={"state": "State", "region": "Region", "report_type": "Report",
                                   "year": st.column_config.NumberColumn("Year covered", format="%d"),
                                   "due_date": w.date_col("Due"), "days_overdue": w.int_col("Days overdue")})
        else:
            wg.overdue_by_state_table(ov.by_state)
            wg.letters_panel(ov.by_state)

with tab_grid:
    if tab_grid.open:
        wg.repeat_non_reporters(view("overdue"))
        if not v.grid.empty:
            with st.expander("Every State Party, every report (grid)"):
                c = fmt.colour_word
                st.caption("One row per State Party, one column per report (Initial, then each year covered). "
                           f"{c('on_time').capitalize()}: on time · {c('late')}: late · {c('overdue')}: overdue · "
                           f"{c('not_due')}: not yet due · white: not owed. Rows with several {c('overdue')} cells "
                           "are repeated misses.")
                w.plot(figures.status_grid, v.grid, run.as_of, name="report-status-grid")

with tab_cohort:
    if tab_cohort.open and v.cohorts.empty:
        w.empty(f"No annual report had fallen due by {fmt.day(run.as_of)}.")
    elif tab_cohort.open:
        w.plot(figures.cohort_compliance, v.cohorts, run.as_of, name="reporting-by-cohort")
        w.table(v.cohorts, "reporting-by-cohort", column_config={
            "cohort": st.column_config.NumberColumn("Entry into force", format="%d"), "states": w.int_col("States"),
            **COUNTS})
