"""CCM Analytics: the frame. Page config, the shared sidebar (the as-of day), navigation."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics.errors import CcmError
from ccm_analytics.ui import context, exports
from ccm_analytics.ui.printing import print_style

st.set_page_config(page_title="CCM Analytics", page_icon=":material/analytics:", layout="wide",
                   initial_sidebar_state="expanded")

PAGES = {
    "Overview": [st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True)],
    "Brief": [st.Page("pages/brief.py", title="One-page brief", icon=":material/print:", url_path="brief")],
    "Money": [
        st.Page("pages/budget.py", title="Budget and spend", icon=":material/payments:", url_path="budget"),
        st.Page("pages/meetings.py", title="Meetings and sponsorship", icon=":material/groups:", url_path="meetings"),
    ],
    "Obligations": [
        st.Page("pages/reports.py", title="Transparency reports", icon=":material/description:", url_path="reports"),
        st.Page("pages/deadlines.py", title="Deadlines", icon=":material/event:", url_path="deadlines"),
    ],
    "Reference": [
        st.Page("pages/universalization.py", title="Universalization", icon=":material/public:",
                url_path="universalization"),
        st.Page("pages/state.py", title="State profile", icon=":material/flag:", url_path="state"),
        st.Page("pages/workplan.py", title="Work plan", icon=":material/checklist:", url_path="workplan"),
    ],
    "Data": [st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data")],
}

page = st.navigation(PAGES)
print_style()

with st.sidebar:
    st.markdown("### CCM Analytics")
    st.caption("Convention on Cluster Munitions · Implementation Support Unit")
    as_of = st.date_input("Data as at", value=dt.date.today(), min_value=context.EARLIEST_DAY,
                          max_value=context.LATEST_DAY, key="as_of", bind="query-params", format="DD/MM/YYYY",
                          help="Every figure on every page is counted as of this day. It is kept in the page's "
                               "address (?as_of=YYYY-MM-DD), so a link reproduces the view.")
    try:
        run = context.begin_run(as_of)
    except CcmError as e:  # e.g. the store is busy or damaged: say so instead of a traceback
        st.error(fmt.md(str(e)), icon=":material/error:")
        st.stop()
    st.caption(f"Showing **{fmt.long_day(run.as_of)}** · data version {run.version}")
    if run.uses_sample and as_of != context.DEMO_DAY:
        def _demo():
            st.session_state["as_of"] = context.DEMO_DAY

        st.button("Sample data: view 5 Sep 2018 (8MSP)", on_click=_demo, icon=":material/history:",
                  help="The sample's spend and budgets cover 2016–2020.")
    if not run.data.is_empty:
        exports.workbook_button()

page.run()
