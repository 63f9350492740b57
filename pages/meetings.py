"""Meetings and sponsorship: meetings over time, sponsored delegates, cost per delegate."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.i18n import _
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header(_("Meetings and sponsorship"), _("Formal and informal meetings, and the sponsorship programme that "
                                                "brings delegates to them."))
v = view("meetings")
if v.meetings.empty:
    w.empty(_("No meeting had started by {day}.").format(day=fmt.day(run.as_of)),
            _("Meetings are listed in the Meetings sheet."))
    st.stop()

t = v.totals
w.metrics([w.Metric(_("Meetings"), str(t["meetings"])), w.Metric(_("Sponsored delegates"), fmt.number(t["delegates"])),
           w.Metric(_("Sponsorship cost"), fmt.chf(t["cost"])),
           w.Metric(_("Cost per sponsored delegate"), fmt.chf(t["cost_per_delegate"]))], key="meetings")

tab_sponsor, tab_time, tab_all = w.tabs({"sponsorship": _("Sponsorship per meeting"), "time": _("Over time"),
                                         "all": _("All meetings")}, key="meetings_tab")
with tab_sponsor:
    if tab_sponsor.open and not t["delegates"]:
        w.empty(_("No sponsored delegates are recorded for these meetings."))
    elif tab_sponsor.open:
        w.plot(figures.sponsorship, v.meetings, run.as_of, name="sponsorship-per-meeting")
with tab_time:
    if tab_time.open:
        col1, col2 = st.columns(2)
        with col1:
            w.plot(figures.meetings_per_year, v.meetings, run.as_of, name="meetings-per-year")
        with col2:
            if t["delegates"]:
                w.plot(figures.cost_per_delegate, v.meetings, run.as_of, name="cost-per-delegate")
with tab_all:
    if tab_all.open:
        w.table(v.meetings.assign(kind=v.meetings["kind"].map(fmt.meeting_word),
                                  location=v.meetings["location"].map(fmt.meeting_word)), "meetings",
                columns=["meeting", "kind", "start_date", "end_date", "location", "sponsored_delegates",
                         "sponsored_states", "sponsorship_cost", "cost_per_delegate"],
                column_config={"meeting": _("Meeting"), "kind": _("Kind"), "start_date": w.date_col(_("Start")),
                               "end_date": w.date_col(_("End")), "location": _("Location"),
                               "sponsored_delegates": w.int_col(_("Sponsored delegates")),
                               "sponsored_states": w.int_col(_("States sponsored")),
                               "sponsorship_cost": w.chf_col(_("Sponsorship cost")),
                               "cost_per_delegate": w.chf_col(_("Cost per delegate"))})
