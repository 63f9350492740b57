"""Work plan: the activities by outcome and output, with their status."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.i18n import _
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view


run = w.header(_("Work plan"), _("The ISU's work-plan activities by outcome and output, and how far each has got."))
v = view("workplan")
if v.activities.empty:
    w.empty(_("No work plan is loaded."), _("Load a workbook with a Workplan sheet on the Data page."))
    st.stop()

w.metrics([w.Metric(fmt.workplan_status(status), str(n)) for status, n in v.status_counts.items()], key="workplan")
w.plot(figures.workplan_progress, v.by_outcome, run.as_of, name="workplan-progress")
w.table(v.activities.assign(status=v.activities["status"].map(fmt.workplan_status)), "workplan",
        columns=["activity", "outcome", "output", "title", "status", "notes"],
        column_config={"activity": _("Activity"), "outcome": _("Outcome"), "output": _("Output"),
                       "title": st.column_config.TextColumn(_("Activity title"), width="large"), "status": _("Status"),
                       "notes": _("Notes")})
