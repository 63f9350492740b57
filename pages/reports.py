"""Transparency reports (Article 7): compliance by year, who is overdue, repeated misses."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.analysis.treaty import default_report_year
from ccm_analytics.i18n import N_, _, ngettext, pgettext
from ccm_analytics.views import regions
from ccm_analytics.data import REGION_NAMES
from ccm_analytics.ui import frame
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui import working_groups as wg
from ccm_analytics.ui.cache import view

run = w.header(_("Transparency reports"), _("Initial and annual Article 7 reports: who reported on time, who is "
                                            "late, who is overdue."))
if run.data.states.empty:
    w.empty(_("No states are loaded."), _("Load a workbook with a States sheet on the Data page."))
    st.stop()

COUNTS = {"due": w.int_col(pgettext("reports due", "Due")), "on_time": w.int_col(_("On time")),
          "late": w.int_col(_("Late")), "overdue": w.int_col(_("Overdue")),
          "compliance_rate": w.pct_col(_("Compliance rate")), "submission_rate": w.pct_col(_("Submission rate"))}
REPORT_TYPES = fmt.REPORT_TYPES
report_type_word = fmt.report_type


SHAPES = {"By State": N_("By State"), "Each report": N_("Each report")}
base = view("reports")
latest = default_report_year(run.as_of)
years = sorted(set(base.years) | {latest}, reverse=True)
year = st.selectbox(_("Annual reporting year"), years, index=years.index(latest), key="report_year",
                    help=_("The calendar year an annual report covers; it is due on 30 April of the next year."))
v = view("reports", report_year=year) if year != latest else base
i, a = v.summary.initial, v.summary.annual

w.metrics([
    w.Metric(_("Annual {year}: on time").format(year=year), fmt.pct(a.compliance_rate),
             delta=_("{on_time} of {due} due").format(on_time=a.on_time, due=a.due), delta_color="off",
             delta_arrow=False,
             help=_("Reports for {year} received by 30 April {next_year}.").format(year=year, next_year=year + 1)),
    w.Metric(_("Annual {year}: submitted").format(year=year), fmt.pct(a.submission_rate),
             delta=_("{late} late, {overdue} overdue").format(late=a.late, overdue=a.overdue), delta_color="off",
             delta_arrow=False),
    w.Metric(_("Initial reports: on time"), fmt.pct(i.compliance_rate),
             delta=_("{on_time} of {due} due").format(on_time=i.on_time, due=i.due), delta_color="off",
             delta_arrow=False,
             help=_("Initial reports are due 180 days after the Convention enters into force for a state.")),
    w.Metric(_("Reports overdue now"), f"{v.summary.overdue_count()}",
             delta=_("{initial} initial, {annual} annual").format(initial=v.summary.overdue_count("initial"),
                                                                 annual=v.summary.overdue_count("annual")),
             delta_color="off", delta_arrow=False)], key="reports")

tab_annual, tab_initial, tab_overdue, tab_grid, tab_cohort = w.tabs(
    {"annual": _("Annual reports by year"), "initial": _("Initial reports by year"), "overdue": _("Overdue"),
     "repeat": _("Repeat non-reporters"), "cohort": _("By cohort")}, key="reports_tab")

with tab_annual:
    if tab_annual.open and v.series.empty:
        w.empty(_("No report had fallen due by {day}.").format(day=fmt.day(run.as_of)))
    elif tab_annual.open:
        w.plot(figures.reporting_rates, v.series, "annual", run.as_of, name="annual-reporting-rates")
        w.plot(figures.reporting_mix, v.series, "annual", run.as_of, name="annual-reporting-mix")
        w.table(v.series.assign(report_type=v.series["report_type"].map(report_type_word)), "reporting-by-year",
                column_config={
            "report_type": _("Report"), "year": st.column_config.NumberColumn(_("Year"), format="%d"), **COUNTS})

with tab_initial:
    if tab_initial.open and v.series.empty:
        w.empty(_("No report had fallen due by {day}.").format(day=fmt.day(run.as_of)))
    elif tab_initial.open:
        w.plot(figures.reporting_rates, v.series, "initial", run.as_of, name="initial-reporting-rates")
        w.plot(figures.reporting_mix, v.series, "initial", run.as_of, name="initial-reporting-mix")

with tab_overdue:
    if tab_overdue.open:
        f1, f2, f3 = st.columns([2, 2, 1.2])
        # The address keeps these choices by their words: the language links rewrite them (ui/frame.py).
        frame.labelled("od_regions", REGION_NAMES, lambda r: _(REGION_NAMES[r]))
        frame.labelled("od_types", ["initial", "annual"], lambda t: _(REPORT_TYPES.get(t, t)))
        frame.labelled("od_view", ["By State", "Each report"], lambda k: _(SHAPES.get(k, k)))
        chosen = f1.multiselect(_("Region"), regions(run.data), key="od_regions", placeholder=_("All regions"),
                                bind="query-params")
        types = f2.multiselect(_("Report"), ["initial", "annual"], key="od_types", placeholder=_("Initial and annual"),
                               format_func=lambda t: _(REPORT_TYPES.get(t, t)), bind="query-params")
        shape = f3.segmented_control(_("Show"), ["By State", "Each report"], default="By State", required=True,
                                     format_func=lambda k: _(SHAPES.get(k, k)), key="od_view", bind="query-params")
        ov = view("overdue", regions=tuple(chosen), types=tuple(types))
        od = ov.reports
        if od.empty:
            w.empty(_("No overdue report matches these filters.") if (chosen or types) else
                    _("No report is overdue as at {day}.").format(day=fmt.day(run.as_of)))
        elif shape == "Each report":
            st.caption(ngettext("{n} overdue report, most overdue first.", "{n} overdue reports, most overdue first.",
                                len(od)).format(n=fmt.number(len(od))))
            w.table(od.assign(report_type=od["report_type"].map(report_type_word)), "overdue-reports",
                    columns=["state", "region", "report_type", "year", "due_date", "days_overdue"],
                    column_config={"state": _("State"), "region": _("Region"), "report_type": _("Report"),
                                   "year": st.column_config.NumberColumn(_("Year covered"), format="%d"),
                                   "due_date": w.date_col(pgettext("due date", "Due")),
                                   "days_overdue": w.int_col(_("Days overdue"))})
        else:
            wg.overdue_by_state_table(ov.by_state)
            wg.letters_panel(ov.by_state)

with tab_grid:
    if tab_grid.open:
        wg.repeat_non_reporters(view("overdue"))
        if not v.grid.empty:
            with st.expander(_("Every State Party, every report (grid)")):
                c = fmt.colour_word
                st.caption(_("One row per State Party, one column per report (Initial, then each year covered). "
                             "{on_time}: on time · {late}: late · {overdue}: overdue · {not_due}: not yet due · "
                             "white: not owed. Rows with several {overdue} cells are repeated misses.").format(
                    on_time=c("on_time").capitalize(), late=c("late"), overdue=c("overdue"), not_due=c("not_due")))
                w.plot(figures.status_grid, v.grid, run.as_of, name="report-status-grid")

with tab_cohort:
    if tab_cohort.open and v.cohorts.empty:
        w.empty(_("No annual report had fallen due by {day}.").format(day=fmt.day(run.as_of)))
    elif tab_cohort.open:
        w.plot(figures.cohort_compliance, v.cohorts, run.as_of, name="reporting-by-cohort")
        w.table(v.cohorts, "reporting-by-cohort", column_config={
            "cohort": st.column_config.NumberColumn(_("Entry into force"), format="%d"), "states": w.int_col(_("States")),
            **COUNTS})
