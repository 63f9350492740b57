"""Universalization: States Parties over time against the target, joins, signatories, map."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics import narrative
from ccm_analytics.i18n import _
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header(_("Universalization"), _("How many states have become parties, against the action plan in force "
                                        "on the day, and which signatories have yet to ratify."))
if run.data.states.empty:
    w.empty(_("No states are loaded."), _("Load a workbook with a States sheet on the Data page."))
    st.stop()

v = view("universalization")
u = v.counts
w.metrics([
    w.Metric(_("States Parties"), str(u.states_parties), help=_("Counted from the day the instrument was deposited.")),
    w.Metric(_("Convention in force for"), str(u.in_force), help=_("States Parties whose entry into force has passed.")),
    w.Metric(_("Signatories"), str(u.signatories), help=_("Signed, not yet ratified."))]
    # The action plan in force on D (DOMAIN.md §3): its target, or who became party since its adoption.
    + ([w.Metric((_("Short of the target of {target} ({year})") if u.target_passed else
                  _("To the target of {target} ({year})")).format(target=u.target, year=u.target_year),
                 str(u.to_target), help=narrative.plan_line(u))] if u.target is not None else
       [w.Metric(_("Became parties since the {plan} ({day})").format(
                     plan=narrative.plan_name(u.plan), day=fmt.day(u.plan.adopted_on)),
                 str(u.joined_since_plan), help=narrative.plan_line(u))] if u.plan is not None else []),
    key="universalization")

tab_time, tab_map, tab_sign = w.tabs({"time": _("Over time"), "map": _("World map"),
                                      "signatories": _("Signatories to ratify ({n})").format(n=len(v.signatories))},
                                     key="universalization_tab")
with tab_time:
    if tab_time.open:
        col1, col2 = st.columns([3, 2])
        with col1:
            w.plot(figures.parties_over_time, v.series, u.target, u.target_year, run.as_of,
                   narrative.plan_name(u.plan) if u.plan is not None else "",
                   name="states-parties-over-time")
        with col2:
            w.plot(figures.joins_by_year, v.joins, run.as_of, name="joins-by-year")
with tab_map:
    if tab_map.open:
        w.plot(figures.status_map, v.status, run.as_of, name="status-map")
        st.caption(_("Small states are shown as dots. Base map: Natural Earth (public domain), served by this app."))
with tab_sign:
    if tab_sign.open and v.signatories.empty:
        w.empty(_("Every signatory had ratified by {day}.").format(day=fmt.day(run.as_of)))
    elif tab_sign.open:
        w.table(v.signatories, "signatories", columns=["state", "region", "signature_date", "years_since_signature"],
                column_config={"state": _("State"), "region": _("Region"), "signature_date": w.date_col(_("Signed")),
                               "years_since_signature": st.column_config.NumberColumn(_("Years since signature"),
                                                                                      format="%.1f")})
