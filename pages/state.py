"""State profile: one state's dates, status, obligations, reports and contributions."""

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics.i18n import _, pgettext
from ccm_analytics.views import state_options
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui import working_groups as wg
from ccm_analytics.ui.cache import view

run = w.header(_("State profile"), _("Everything recorded about one state, as at the chosen day."))
options = state_options(run.data)
if options.empty:
    w.empty(_("No states are loaded."), _("Load a workbook with a States sheet on the Data page."))
    st.stop()

names = dict(zip(options["iso3"], options["state"]))
iso3 = w.state_picker(names)
if iso3 is None:
    w.empty(_("Choose a state above to see its profile."))
    st.stop()

p = view("state", iso3=iso3)
st.header(fmt.md(p.name))
status_line = (_("{status} (by accession)").format(status=fmt.label(p.status))
               if p.accession and p.status == "state_party" else fmt.label(p.status))
st.markdown(_("**{status}** as at {day}").format(status=status_line, day=fmt.day(run.as_of))
            + (f" · {fmt.md(p.region)}" if p.region else "") + f" · {p.iso3}")

# the names come from views; a translated name passes unchanged
w.metrics([w.Metric(_(what), fmt.day(when)) for what, when in p.dates.items()], key="state-dates")

st.subheader(_("Article 3 and 4 obligations"))
if p.deadlines.empty:
    w.empty(_("No Article 3 or 4 obligation is recorded for this state (only States Parties have them).")
            if p.status != "state_party" else _("No Article 3 or 4 obligation is recorded for this state."))
else:
    w.table(p.deadlines, f"deadlines-{p.iso3}", status_columns=("status",),
            columns=["article", "deadline", "extensions", "effective_deadline", "status", "days_remaining",
                     "completed_on"],
            column_config={"article": w.int_col(_("Article")), "deadline": w.date_col(_("Original deadline")),
                           "extensions": w.int_col(_("Extensions granted")),
                           "effective_deadline": w.date_col(_("Deadline in force")),
                           "status": _("Status"), "days_remaining": w.int_col(_("Days remaining")),
                           "completed_on": w.date_col(_("Counted as completed on"))})
if p.story is not None and not p.story.empty:
    st.markdown(_("**The record, as known on {day}** (each fact with its sources)").format(day=fmt.day(run.as_of)))
    lines, previous = [], None
    for r in p.story.itertuples():
        links = ", ".join(f"[{fmt.md(label)}]({url})" for label, url in r.sources)
        said = "" if not links else ("  \n  " + (_("Sources: as above") if r.sources == previous
                                                else _("Sources: {links}").format(links=links)))
        lines.append(_("- **{when}** · Art. {article} · {event}").format(when=fmt.md(r.when), article=r.article,
                                                                         event=fmt.md(r.event)) + said)
        previous = r.sources
    st.markdown("\n".join(lines))
    if p.record_notes:
        with st.expander(_("Notes from the record")):
            for article, note in sorted(p.record_notes.items()):
                st.markdown(_("**Article {article}.** {note}").format(article=article, note=fmt.md(note)))
if not p.extensions.empty:
    st.markdown("**" + _("Extensions granted") + "**")
    w.table(p.extensions, f"extensions-{p.iso3}",
            columns=["article", "requested_on", "granted_on", "new_deadline", "meeting", "notes"],
            column_config={"article": w.int_col(_("Article")), "requested_on": w.date_col(_("Requested")),
                           "granted_on": w.date_col(_("Granted")), "new_deadline": w.date_col(_("New deadline")),
                           "meeting": _("Decided at"), "notes": _("Notes")})

st.subheader(_("Transparency reports"))
if p.reports.empty:
    w.empty(_("This state owes no Article 7 report (it is not a State Party, or the Convention is not yet in force "
              "for it)."))
else:
    w.table(p.reports.assign(report_type=p.reports["report_type"].map(fmt.report_type)), f"reports-{p.iso3}",
            status_columns=("status",),
            columns=["report_type", "year", "due_date", "submitted_by_as_of", "status", "days_overdue"],
            column_config={"report_type": _("Report"),
                           "year": st.column_config.NumberColumn(_("Year covered"), format="%d"),
                           "due_date": w.date_col(pgettext("due date", "Due")), "submitted_by_as_of": w.date_col(_("Received")),
                           "status": _("Status"), "days_overdue": w.int_col(_("Days overdue"))})

st.subheader(_("Contributions to the ISU"))
if p.contributions.empty:
    w.empty(_("No contribution from this state is recorded."))
else:
    w.table(p.contributions, f"contributions-{p.iso3}", columns=["date", "amount", "year"],
            column_config={"date": w.date_col(_("Received")), "amount": w.chf_col(_("Amount")),
                           "year": st.column_config.NumberColumn(_("Budget year"), format="%d")})

wg.followups_section(p)
