"""The Working Groups' tools on the pages: overdue by State, letters, the follow-up log, what falls due.

Each function draws one section and is called by a page in one line, so the pages stay thin.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import formatting as fmt
from .. import i18n
from ..i18n import N_, _, ngettext, pgettext
from ..countries import picker_label
from . import actions, frame
from . import widgets as w
from .cache import view
from .context import ctx, current_user, may
from ..errors import CcmError
from ..outputs import letters
from ..outputs.ical import KIND_LABELS, horizon_days, to_ics
from .actions import letter_settings

CHANNEL_LABELS = {"letter": N_("Letter"), "email": N_("Email"), "meeting": N_("Meeting"), "call": N_("Call")}


def channel_label(channel) -> str | None:
    """A contact's channel in the run's language (None for a channel not known)."""
    return _(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else None


def _illustrative(run) -> str:
    """A note when the follow-up log shown is the sample's (invented) one."""
    if "followups" not in run.sample_datasets:
        return ""
    share = run.sample_share("followups")
    if share:  # real contacts joined the sample's
        return " " + _("*Follow-up log: {share}, not real contacts.*").format(share=share)
    return " " + _("*The follow-up log is the sample's: illustrative, not real contacts.*")


def overdue_by_state_table(by_state: pd.DataFrame) -> None:
    """One row per State with anything overdue, oldest due first, with its last contact."""
    run = ctx()
    missed = int(by_state["promise_missed"].sum())
    said = ngettext("{n} State with reports overdue as at {day}, the longest overdue first. Last contact and "
                    "promises come from the follow-up log (contacts dated after the as-of day are not shown).",
                    "{n} States with reports overdue as at {day}, the longest overdue first. Last contact and "
                    "promises come from the follow-up log (contacts dated after the as-of day are not shown).",
                    len(by_state)).format(n=fmt.number(len(by_state)), day=fmt.day(run.as_of))
    if missed:
        said += " " + ngettext("**{n} promise missed.**", "**{n} promises missed.**", missed).format(
            n=fmt.number(missed))
    st.caption(said + _illustrative(run))
    w.table(by_state.drop(columns=["outstanding"]), "overdue-by-state",
            columns=["state", "region", "outstanding_label", "oldest_due_date", "days_overdue", "missed_last_5",
                     "contact", "promise"],
            column_config={"state": _("State"), "region": _("Region"),
                           "outstanding_label": st.column_config.TextColumn(_("Outstanding reports"), width="large"),
                           "oldest_due_date": w.date_col(_("Oldest due")), "days_overdue": w.int_col(_("Days overdue")),
                           "missed_last_5": st.column_config.NumberColumn(
                               _("Missed of last 5"), format="%d",
                               help=_("Annual reports late or overdue among the last five due (years not owed "
                                      "do not count).")),
                           "contact": _("Last contact"), "promise": st.column_config.TextColumn(
                               _("Promised by"), help=_("The date of the latest promise to report; 'Missed' when it "
                                                        "passed with reports still overdue."))})


def letters_panel(by_state: pd.DataFrame) -> None:
    """Reminder letters (.docx; several as .zip) for the States in the current list."""

    run = ctx()
    names = dict(zip(by_state["iso3"], by_state["state"]))
    with st.container(border=True):
        st.markdown(_("**Reminder letters** to the Permanent Missions: each outstanding report with its due date, "
                      "the Article 7 obligation and the ISU contact."))
        c1, c2 = st.columns([1, 3])
        languages = list(letters.LANGUAGES)
        page_language = i18n.current()  # the letters' language starts as the page's
        lang = c1.radio(_("Language"), languages, format_func=letters.LANGUAGES.get, key="letter_lang",
                        index=languages.index(page_language) if page_language in languages else 0,
                        horizontal=False, bind="query-params")
        chosen = c2.multiselect(_("States"), list(names), default=list(names), key="letter_states",
                                format_func=lambda c: picker_label(c, names.get(c, c)),
                                help=_("Every State of the list above is chosen; remove those not to write to."))
        contact = c2.text_input(_("ISU contact named in the letters"), key="letter_contact",
                                placeholder=_("e.g. Jane Doe, Implementation Officer"))
        first = c1.number_input(_("First reference number"), min_value=1, value=1, step=1, key="letter_first",
                                help=_("The letters are numbered in the order of the list, from this number."))

        settings = letter_settings()
        illustrative = "reports" in run.sample_datasets
        if not settings.has_contact:
            c2.caption(_("No e-mail, telephone or address is set for the ISU: the letters only name the ISU in "
                         "Geneva. Set them on the Data page."))
        if illustrative:
            c2.caption(_("*The report submission dates are the sample's: each letter says it is an example, not to "
                         "be sent.*"))
        allowed, why = may("letterhead")  # a template is code-like: editors and admins only
        upload = None
        with st.expander(_("Use your own letterhead (.docx template)")):
            # Translators: the {{ ... }} and {%tr ... %} are the template's placeholders: keep them as they are.
            st.caption(_("A Word file with placeholders, filled for each State: {{ state }}, {{ date }}, "
                         "{{ contact }}, {{ reports_text }}, or a table row {%tr for r in reports %}{{ r.label }} "
                         "{{ r.due_date }}{%tr endfor %}, and the letter's sentences {{ text.opening }}... "
                         "(see the README)."))
            if allowed:
                upload = st.file_uploader(_("Letterhead template"), type=["docx"], key="letter_template")
            else:
                st.caption(_("Only an editor or an admin can set a letterhead; until then the letters use the "
                             "default layout. {why}").format(why=why))
        template = upload.getvalue() if upload is not None else None
        template_name = upload.name if upload is not None else letters.DEFAULT_TEMPLATE_NAME
        if template is not None:
            try:
                letters.check_template(template, template_name)
            except CcmError as e:
                st.error(fmt.md(str(e)), icon=":material/error:")
                template = None
        if not chosen:
            st.caption(_("Choose at least one State."))
            return
        table = by_state[by_state["iso3"].isin(chosen)]
        one = len(table) == 1
        if template is not None:  # fill the longest letter now, so that a limit is said here, not at download
            try:
                longest = table.iloc[[int(table["outstanding"].map(len).to_numpy().argmax())]]
                letters.build_letters(longest, run.as_of, lang, template, contact, template_name, settings=settings,
                                      illustrative=illustrative)
            except CcmError as e:
                st.error(fmt.md(str(e)), icon=":material/error:")
                template = None

        def build() -> bytes:  # may run outside the page run: in the letters' language explicitly
            with i18n.language(lang):
                made = letters.build_letters(table, run.as_of, lang, template, contact, template_name,
                                             settings=settings, first_number=int(first), illustrative=illustrative)
                return made[0].data if one else letters.letters_zip(made)

        day = run.as_of.date().isoformat()
        label = (_("Download the letter in {language} (.docx)") if one else
                 ngettext("Download {n} letter in {language} (.zip)", "Download {n} letters in {language} (.zip)",
                          len(table)))
        st.download_button(
            label.format(n=fmt.number(len(table)), language=letters.LANGUAGES[lang]), data=build, type="primary",
            icon=":material/mail:",
            file_name=(f"{table['iso3'].iloc[0]}-article7-reminder-{day}-{lang}.docx" if one
                       else f"ccm-article7-reminders-{day}-{lang}.zip"),
            mime=("application/vnd.openxmlformats-officedocument.wordprocessingml.document" if one
                  else "application/zip"), key="letters_download", on_click="ignore")
    log_contact_form(names, default=chosen, key="od", channel="letter",
                     note=_("Reminder letter on the overdue Article 7 reports."))


def log_contact_form(names: dict[str, str], default: list[str], key: str, channel: str = "email",
                     note: str = "") -> None:
    """A form that records a contact with one or more States in the follow-up log."""
    run = ctx()
    allowed, why = may("log_contact")
    flash = st.session_state.pop("data_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    with st.form(f"followup-{key}", border=True):
        st.markdown(_("**Log a contact** in the follow-up log (a change of the data: it is kept in the history and "
                      "a rollback on the Data page undoes it)."))
        states = st.multiselect(_("States"), list(names), default=[c for c in default if c in names],
                                format_func=lambda c: picker_label(c, names.get(c, c)), key=f"fu_states_{key}")
        c1, c2, c3 = st.columns(3)
        on = c1.date_input(_("Contact on"), value=run.as_of.date(), format="DD/MM/YYYY", key=f"fu_on_{key}",
                           min_value=dt.date(2008, 1, 1))
        chan = c2.selectbox(_("Channel"), list(CHANNEL_LABELS), index=list(CHANNEL_LABELS).index(channel),
                            format_func=channel_label, key=f"fu_channel_{key}")
        promised = c3.date_input(_("Promised to report by (optional)"), value=None, format="DD/MM/YYYY",
                                 key=f"fu_promised_{key}", min_value=dt.date(2008, 1, 1))
        c4, c5 = st.columns([1, 2])
        by = c4.text_input(_("By"), value=current_user().name, key=f"fu_by_{key}", max_chars=80,
                           help=_("Who made the contact (you, unless you log someone else's); the history names "
                                  "you, the signed-in user."))
        text = c5.text_input(_("Note"), value=note, key=f"fu_note_{key}", max_chars=500)
        if not allowed:
            st.caption(why)
        if st.form_submit_button(_("Log the contact"), icon=":material/edit_note:", disabled=not allowed):
            actions.perform(lambda: actions.add_followup(states, on, chan, text, promised, by),
                            lambda v: _("Logged: {note} (version {version}).").format(note=v.note, version=v.version))


def repeat_non_reporters(ov) -> None:
    """Ranked States that missed two or more of the last five annual reports, with a year strip."""
    run = ctx()
    years = ov.years
    if ov.repeat.empty:
        w.empty(_("No State Party missed two or more of the annual reports for {first}–{last} as at {day}.").format(
            first=years[0], last=years[-1], day=fmt.day(run.as_of)))
        return
    st.caption(ngettext("{n} State Party missed (late or overdue) two or more of the last five annual reports due by "
                        "{day} ({first}–{last}), most missed first. The year columns are coloured like the grid below "
                        "(— : not owed that year).",
                        "{n} States Parties missed (late or overdue) two or more of the last five annual reports due "
                        "by {day} ({first}–{last}), most missed first. The year columns are coloured like the grid "
                        "below (— : not owed that year).", len(ov.repeat)).format(
        n=fmt.number(len(ov.repeat)), day=fmt.day(run.as_of), first=years[0], last=years[-1]))
    cols = [str(y) for y in years]
    shown = ov.repeat.rename(columns={y: str(y) for y in years})
    shown[cols] = shown[cols].fillna("—")
    w.table(shown, "repeat-non-reporters", status_columns=tuple(cols),
            columns=["state", "region", "missed", "overdue", "owed", *cols],
            column_config={"state": _("State"), "region": _("Region"),
                           "missed": w.int_col(pgettext("reports missed", "Missed")),
                           "overdue": st.column_config.NumberColumn(_("Still overdue"), format="%d"),
                           "owed": st.column_config.NumberColumn(_("Owed of 5"), format="%d"),
                           **{c: st.column_config.TextColumn(c, width="small") for c in cols}})


def followups_section(profile) -> None:
    """A State's contacts known on D, and a form to log another (State profile page)."""
    run = ctx()
    st.subheader(_("Follow-up log"))
    f = profile.followups
    if f is None or f.empty:
        w.empty(_("No contact with {state} is logged up to {day}.").format(state=profile.name,
                                                                          day=fmt.day(run.as_of)))
    else:
        st.caption(_("Contacts dated up to {day}, newest first.").format(day=fmt.day(run.as_of)) + _illustrative(run))
        shown = f.assign(channel=f["channel"].map(channel_label), by=f["by"].fillna("—"),
                         note=f["note"].fillna("—"),
                         promised=f["promised_on"].map(lambda d: fmt.day(d) if pd.notna(d) else "—"))
        w.table(shown, f"followups-{profile.iso3}", columns=["date", "channel", "by", "note", "promised"],
                column_config={"date": w.date_col(_("Contact on")), "channel": _("Channel"),
                               "by": _("By"),
                               "note": st.column_config.TextColumn(_("Note"), width="large"),
                               "promised": _("Promised by")})
    log_contact_form({profile.iso3: profile.name}, default=[profile.iso3], key=f"profile-{profile.iso3}")


def coming_up_section() -> None:
    """What falls due in the next 3, 12 or 24 months after D, with an .ics download (the Deadlines
    page's "Coming up" tab)."""

    run = ctx()
    c1, c2 = st.columns([1, 2])
    def month_words(m: int) -> str:
        return ngettext("{n} month", "{n} months", m).format(n=m)

    frame.labelled("coming_months", [3, 12, 24], month_words)  # the address keeps them by their words
    frame.labelled("coming_kinds", list(KIND_LABELS), lambda k: _(KIND_LABELS[k]))
    months = c1.segmented_control(_("In the next"), [3, 12, 24], default=24, required=True, key="coming_months",
                                  format_func=month_words, bind="query-params")
    # Pills, not a multi-select box: five choices fit, and they share the month control's component
    # (a select box loads its own, about 50 ms of the browser's time). None chosen means everything.
    kinds = c2.pills(pgettext("kind of date", "What"), list(KIND_LABELS), selection_mode="multi",
                     format_func=lambda k: _(KIND_LABELS[k]), key="coming_kinds", bind="query-params",
                     help=_("Choose none to see everything."))
    events = view("coming_up", months=months)
    if kinds:
        events = events[events["kind"].isin(kinds)]
    end = run.as_of + pd.Timedelta(days=horizon_days(months))
    if events.empty:
        w.empty(_("Nothing falls due from {start} to {end}.").format(start=fmt.day(run.as_of), end=fmt.day(end)))
        return
    said = ngettext("{n} date from {start} to {end}: initial reports, annual report dates (with how many States "
                    "Parties owe them), Article 3/4 effective deadlines (with pending extension requests) and "
                    "meetings, as known on the as-of day.",
                    "{n} dates from {start} to {end}: initial reports, annual report dates (with how many States "
                    "Parties owe them), Article 3/4 effective deadlines (with pending extension requests) and "
                    "meetings, as known on the as-of day.", len(events)).format(
        n=fmt.number(len(events)), start=fmt.day(run.as_of), end=fmt.day(end))
    if "meetings" in run.sample_datasets and (events["kind"] == "meeting").any():
        said += " " + _("*Meetings other than the Meetings of States Parties are the sample's: illustrative.*")
    st.caption(said)
    shown = events.assign(until=events["end_date"].map(lambda d: fmt.day(d) if pd.notna(d) else "—"))
    w.table(shown, f"coming-up-{months}-months", columns=["date", "until", "what", "title", "detail"],
            column_config={"date": w.date_col(_("Date")), "until": _("Until"), "what": pgettext("kind of date", "What"),
                           "title": st.column_config.TextColumn(_("Title"), width="large"),
                           "detail": st.column_config.TextColumn(_("Detail"), width="large")})
    lang = i18n.current()

    def ics() -> bytes:  # may run outside the page run: in the page's language explicitly
        with i18n.language(lang):
            return to_ics(events, run.as_of, months)

    st.download_button(_("Add to your calendar (.ics)"), data=ics,
                       file_name=f"ccm-coming-up-{run.as_of.date().isoformat()}-{months}m.ics", mime="text/calendar",
                       icon=":material/calendar_add_on:", key="coming_ics",
                       help=_("All-day events with stable identifiers: importing a later file updates the events "
                              "instead of duplicating them."))
