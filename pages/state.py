"""State profile: one state's dates, status, obligations, reports and contributions."""

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics.views import state_options
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui import working_groups as wg
from ccm_analytics.ui.cache import view

run = w.header("State profile", "Everything recorded about one state, as at the chosen day.")
options = state_options(run.data)
if options.empty:
    w.empty("No states are loaded.", "Load a workbook with a States sheet on the Data page.")
    st.stop()

names = dict(zip(options["iso3"], options["state"]))
iso3 = w.state_picker(names)
if iso3 is None:
    w.empty("Choose a state above to see its profile.")
    st.stop()

p = view("state", iso3=iso3)
st.header(fmt.md(p.name))
status_line = fmt.label(p.status) + (" (by accession)" if p.accession and p.status == "state_party" else "")
st.markdown(f"**{status_line}** as at {fmt.day(run.as_of)}" + (f" · {fmt.md(p.region)}" if p.region else "") + f" · {p.iso3}")

cols = st.columns(len(p.dates))
for col, (what, when) in zip(cols, p.dates.items()):
    col.metric(what, fmt.day(when))

st.subheader("Article 3 and 4 obligations")
if p.deadlines.empty:
    w.empty("No Article 3 or 4 obligation is recorded for this state" +
            (" (only States Parties have them)." if p.status != "state_party" else "."))
else:
    w.table(p.deadlines, f"deadlines-{p.iso3}", status_columns=("status",),
            columns=["article", "deadline", "extensions", "effective_deadline", "status", "days_remaining",
                     "completed_on"],
            column_config={"article": w.int_col("Article"), "deadline": w.date_col("Original deadline"),
                           "extensions": w.int_col("Extensions granted"),
                           "effective_deadline": w.date_col("Deadline in force"),
                           "status": "Status", "days_remaining": w.int_col("Days remaining"),
                           "completed_on": w.date_col("Counted as completed on")})
if p.story is not None and not p.story.empty:
    st.markdown(f"**The record, as known on {fmt.day(run.as_of)}** (each fact with its sources)")
    lines, previous = [], None
    for r in p.story.itertuples():
        links = ", ".join(f"[{fmt.md(label)}]({url})" for label, url in r.sources)
        said = "" if not links else ("  \n  Sources: as above" if r.sources == previous else f"  \n  Sources: {links}")
        lines.append(f"- **{fmt.md(r.when)}** · Art. {r.article} · {fmt.md(r.event)}{said}")
        previous = r.sources
    st.markdown("\n".join(lines))
    if p.record_notes:
        with st.expander("Notes from the record"):
            for article, note in sorted(p.record_notes.items()):
                st.markdown(f"**Article {article}.** {fmt.md(note)}")
if not p.extensions.empty:
    st.markdown("**Extensions granted**")
    w.table(p.extensions, f"extensions-{p.iso3}",
            columns=["article", "requested_on", "granted_on", "new_deadline", "meeting", "notes"],
            column_config={"article": w.int_col("Article"), "requested_on": w.date_col("Requested"),
                           "granted_on": w.date_col("Granted"), "new_deadline": w.date_col("New deadline"),
                           "meeting": "Decided at", "notes": "Notes"})

st.subheader("Transparency reports")
if p.reports.empty:
    w.empty("This state owes no Article 7 report (it is not a State Party, or the Convention is not yet in force "
            "for it).")
else:
    w.table(p.reports, f"reports-{p.iso3}", status_columns=("status",),
            columns=["report_type", "year", "due_date", "submitted_by_as_of", "status", "days_overdue"],
            column_config={"report_type": "Report", "year": st.column_config.NumberColumn("Year covered", format="%d"),
                           "due_date": w.date_col("Due"), "submitted_by_as_of": w.date_col("Received"), "status": "Status",
                           "days_overdue": w.int_col("Days overdue")})

st.subheader("Contributions to the ISU")
if p.contributions.empty:
    w.empty("No contribution from this state is recorded.")
else:
    w.table(p.contributions, f"contributions-{p.iso3}", columns=["date", "amount", "year"],
            column_config={"date": w.date_col("Received"), "amount": w.chf_col("Amount"),
                           "year": st.column_config.NumberColumn("Budget year", format="%d")})

wg.followups_section(p)
