"""Article 3 (stockpile destruction) and Article 4 (clearance): the record, deadlines and extensions."""

import streamlit as st

from ccm_analytics import figures, narrative
from ccm_analytics import formatting as fmt
from ccm_analytics.i18n import _, ngettext, pgettext
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui import working_groups as wg
from ccm_analytics.ui.cache import view

run = w.header(_("Deadlines"), _("Article 3 (destroy stockpiles within 8 years) and Article 4 (clear contaminated "
                                 "areas within 10 years): who has done it, who has not, and the extensions requested "
                                 "and granted."))
include_completed = st.toggle(_("Show completed obligations on the timeline"), value=False, key="dl_completed")
v = view("deadlines", include_completed=include_completed)
if v.counts.total == 0:
    w.empty(_("No Article 3 or 4 obligation of a State Party is recorded as at {day}.").format(day=fmt.day(run.as_of)),
            _("Obligations are listed in the Obligations sheet; extensions in the Extensions sheet."))
    st.stop()

s3, s4 = v.summary[3], v.summary[4]
st.header(_("Article 3: stockpiles"))
w.metrics([
    w.Metric(_("Stockpiled"), str(s3.held), help=_("States Parties recorded as having held cluster munitions at any time.")),
    w.Metric(_("Destroyed"), str(s3.completed), help=_("Destruction complete on or before the as-of day, including "
                                                       "destruction before the Convention bound the State.")),
    w.Metric(_("Still to destroy"), str(s3.outstanding),
             help=_("An Article 3 obligation not completed on the as-of day.")),
    w.Metric(_("Destruction overdue"), str(s3.overdue), help=_("Still to destroy and past the deadline in force.")),
    w.Metric(_("Extension requests pending"), str(s3.pending_extensions),
             help=_("Requested, not yet decided: a pending request does not move the deadline.")),
    w.Metric(_("Submunitions destroyed"), ngettext("{n} million", "{n} million", fmt.plural_n(round(s3.quantity_completed / 1e6, 1))).format(
        n=fmt.number(s3.quantity_completed / 1e6, 1)),
             help=_("Sum over the States whose destruction is complete and whose quantity is recorded."))],
    key="article-3", columns=3)
st.header(_("Article 4: clearance"))
w.metrics([
    w.Metric(_("Contaminated"), str(s4.held),
             help=_("States Parties recorded as contaminated by cluster munition remnants.")),
    w.Metric(_("Completed clearance"), str(s4.completed)),
    w.Metric(_("Still to clear"), str(s4.outstanding)),
    w.Metric(_("Clearance overdue"), str(s4.overdue), help=_("Still to clear and past the deadline in force.")),
    w.Metric(_("Extension requests pending"), str(s4.pending_extensions),
             help=_("Requested, not yet decided: a pending request does not move the deadline."))],
    key="article-4", columns=3)

def _who(frame) -> str:
    if frame.empty:
        return _("none")
    return "; ".join(_("{state} (Art. {article}, {day})").format(state=r.state, article=int(r.article),
                                                                 day=fmt.day(r.effective_deadline))
                     for r in frame.itertuples())


COMING_UP = _("Coming up")
lines = [_("**Due within 12 months** ({n}): {who}").format(n=len(v.due_12), who=_who(v.due_12)),
         _("**Due within 24 months** ({n}): {who}").format(n=len(v.due_24), who=_who(v.due_24))]
if s3.overdue + s4.overdue:
    lines.append(_("**Overdue**: {who}").format(who="; ".join(
        _("{state} (Art. {article})").format(state=n, article=a)
        for a, names in ((3, s3.states_overdue), (4, s4.states_overdue)) for n in names)))
if len(v.pending):  # the one list of requests pending on D (the deck and the brief say the same)
    lines.append("**" + _("Extension requests pending") + "**: " + narrative.pending_requests_sentence(v.pending))
w.paragraph(lines, link=(_("Everything that falls due, with a calendar file: the {tab} tab").format(tab=COMING_UP),
                         "pages/deadlines.py", {"dl_tab": "coming"}))

timeline, progress, table, coming = w.tabs({"timeline": _("Timeline"), "progress": _("Progress"), "table": _("Table"),
                                           "coming": COMING_UP}, key="dl_tab")
if timeline.open:
    with timeline:
        if v.segments.empty:
            w.empty(_("Every obligation is completed on this day."), _("Switch on 'Show completed obligations' above."))
        else:
            w.plot(figures.deadline_timeline, v.segments, run.as_of, name="deadline-timeline")
            swatch = {"bar": "display:inline-block;width:14px;height:10px;background:{c}",
                      "hatched": "display:inline-block;width:14px;height:10px;border:2px solid {c};"
                                 "background:repeating-linear-gradient(45deg,{c} 0 2px,#fff 2px 5px)",
                      "diamond": "display:inline-block;width:9px;height:9px;background:{c};transform:rotate(45deg)",
                      "dashed line": "display:inline-block;width:14px;height:0;border-top:2px dashed {c}"}
            parts = [f'<span style="{swatch[kind].format(c=colour)}"></span> {label}'
                     for label, colour, kind in figures.timeline_key(v.segments)]
            # Markdown, not a caption: a caption fades its colours, and the key must match the chart's.
            st.markdown('<span style="font-size:0.875rem">' + _(
                "Each bar runs from entry into force to the deadline in force. Key: {key}. Extensions are drawn in "
                "the order they were granted; a request not yet decided does not move the deadline.").format(
                key=" &nbsp; ".join(parts)) + "</span>", unsafe_allow_html=True)
if progress.open:
    with progress:
        w.plot(figures.record_progress, v.progress, run.as_of, name="stockpiles-destroyed")
        w.plot(figures.submunitions_progress, v.progress, run.as_of, name="submunitions-destroyed")
        w.plot(figures.clearance_progress, v.progress, run.as_of, name="clearance-completed")
        st.caption(_("Counted on each day from the record: a completion known only to the month or year counts from "
                     "the month's or year's last day. Submunitions only where the record gives a quantity."))
if table.open:
    with table:
        t = v.table.assign(profile="state?state=" + v.table["iso3"] + f"&as_of={run.as_of.date().isoformat()}",
                           quantity_text=["" if q != q or q is None else f"{fmt.number(q)} {u if isinstance(u, str) else ''}".strip()
                                          for q, u in zip(v.table["quantity"], v.table["quantity_unit"])])
        w.table(t, "deadlines", status_columns=("status",),
                columns=["state", "article", "deadline", "extensions", "effective_deadline", "pending_text", "status",
                         "days_remaining", "completed_text", "quantity_text", "profile"],
                column_config={"state": _("State"), "article": w.int_col(_("Article")),
                               "deadline": w.date_col(_("Original deadline")),
                               "extensions": w.int_col(_("Extensions granted")),
                               "effective_deadline": w.date_col(_("Deadline in force")),
                               "pending_text": _("Extension request pending"), "status": _("Status"),
                               "days_remaining": w.int_col(_("Days remaining")),
                               "completed_text": pgettext("completion day", "Completed"),
                               "quantity_text": _("Quantity"),
                               "profile": st.column_config.LinkColumn(_("Sources"), display_text=_("State profile"))})
        st.caption(_("Where each date comes from: the State profile lists every fact with its sources."))
if coming.open:
    with coming:
        wg.coming_up_section()
