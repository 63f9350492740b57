"""Article 3 (stockpile destruction) and Article 4 (clearance) deadlines and extensions."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui import working_groups as wg
from ccm_analytics.ui.cache import view

run = w.header("Deadlines", "Article 3 (stockpile destruction: 8 years) and Article 4 (clearance: 10 years) "
               "deadlines of States Parties, with the extensions granted.")
v = view("deadlines")
c = v.counts
if c.total == 0:
    w.empty(f"No Article 3 or 4 obligation of a State Party is recorded as at {fmt.day(run.as_of)}.",
            "Obligations are listed in the Obligations sheet; extensions in the Extensions sheet.")
    st.stop()

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Completed", c.completed, help="Declared completed on or before the as-of day.")
c2.metric("Outstanding", c.outstanding)
c3.metric("Overdue", c.overdue, help="Outstanding and past the effective deadline.")
c4.metric("Due within 12 months", c.due_within_12_months)
c5.metric("Due within 24 months", c.due_within_24_months)
c5.markdown("[See what falls due ↓](#coming-up)")

w.plot(figures.deadline_timeline, v.segments, run.as_of, name="deadline-timeline")
st.caption("Grey: the original period from entry into force to the deadline; orange and yellow: extensions "
           "granted by the as-of day; green diamond: completion; red line: the as-of day.")

w.table(v.table, "deadlines", status_columns=("status",),
        columns=["state", "article", "deadline", "extensions", "effective_deadline", "status", "days_remaining",
                 "completed_on", "notes"],
        column_config={"state": "State", "article": w.int_col("Article"), "deadline": w.date_col("Original deadline"),
                       "extensions": w.int_col("Extensions"), "effective_deadline": w.date_col("Effective deadline"),
                       "status": "Status", "days_remaining": w.int_col("Days remaining"),
                       "completed_on": w.date_col("Completed"), "notes": st.column_config.TextColumn("Source notes", width="large")})

wg.coming_up_section()
