"""What falls due in the next months after D ("Coming up"), and the same as an iCalendar file.

On D the list holds, for the window from D to D + the horizon (3 months = 91 days,
12 months = 365 days, 24 months = 730 days; the same 365/730 days as the Deadlines page):

- each State Party's initial report whose due date is in the window and not received by D;
- each annual report due date (30 April) in the window, with how many States Parties on D
  owe that report and had not submitted it by D;
- each outstanding Article 3/4 obligation whose effective deadline on D is in the window,
  with any extension request pending on D (requested on or before D, not granted by D);
- each meeting that has not ended by D and starts in the window.

Only what was knowable on D is used: States that joined after D, extensions granted after D
and reports received after D do not count. The .ics file has one all-day event per row with
a UID that depends on what the event is (not on its date), so that importing a later export
updates the events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import pandas as pd

from ..analysis import deadlines as dl
from ..analysis import reporting as rp
from ..analysis.states import is_party, state_table
from ..data import CcmData, SAMPLE_COLUMN
from .. import formatting as fmt
from ..i18n import N_, _, ngettext
from .words import state_name

UID_DOMAIN = "ccm-analytics.isu"
KIND_LABELS = {"initial_report": N_("Initial report"), "annual_report": N_("Annual reports"),
               "article_3": N_("Article 3 deadline"), "article_4": N_("Article 4 deadline"), "meeting": N_("Meeting")}
COLUMNS = ["date", "end_date", "kind", "state", "iso3", "title", "detail", "uid", "illustrative"]


def _sample_flags(frame: pd.DataFrame) -> pd.Series:
    """Whether each row is the bundled sample's (the stored ``_sample`` column; False when absent)."""

    if SAMPLE_COLUMN not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[SAMPLE_COLUMN].fillna(False).astype(bool)



def horizon_days(months: int) -> int:
    """The window's length in days: 3 -> 91, 12 -> 365, 24 -> 730 (months x 365 / 12, rounded)."""
    return round(months * 365 / 12)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-")


def row_uid(kind: str, dataset: str, *key) -> str:
    """A UID from a row's identity: the dataset and the row's key fields exactly as stored, hashed
    (SHA-256, first 16 hex digits), after a readable prefix (``meeting-cc-1-3f2a...``). Two rows with
    different keys get different UIDs however alike they read ("CC #1" and "CC 1", names in any script);
    the same row gets the same UID in every export."""
    identity = "\x1f".join([dataset, *(str(k) for k in key)])
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
    readable = _slug(key[0])[:40].strip("-") if key else ""
    return f"{kind}-{readable + '-' if readable else ''}{digest}@{UID_DOMAIN}"


def coming_up(data: CcmData, as_of, months: int = 24) -> pd.DataFrame:
    """Everything falling due from D to D + :func:`horizon_days` (inclusive), by date.

    Returns:
        Columns ``date``, ``end_date`` (meetings), ``kind`` (initial_report, annual_report,
        article_3, article_4, meeting), ``state``, ``iso3`` (empty for annual reports and
        meetings), ``title``, ``detail`` and ``uid``.
    """
    as_of = pd.Timestamp(as_of)
    end = as_of + pd.Timedelta(days=horizon_days(months))
    rows: list[dict] = []
    # An event rests on illustrative data when a row it is worked out from is the sample's (per row,
    # DOMAIN §3b): report dates (whether a report was received) for reports; the meeting's own row.
    reports_illustrative = bool(_sample_flags(data.reports).any())

    parties = state_table(data.states)
    parties = parties[is_party(parties, as_of)]
    obligations = rp.report_status(rp.report_obligations(parties, data.reports, end.year), as_of)
    open_ = obligations[(obligations["due_date"] >= as_of) & (obligations["due_date"] <= end)
                        & obligations["submitted_by_as_of"].isna()]
    for r in open_[open_["report_type"] == "initial"].itertuples():
        rows.append({"date": r.due_date, "kind": "initial_report", "state": r.state, "iso3": r.iso3,
                     "title": _("Initial report due: {state}").format(state=state_name(r.state, r.iso3)),
                     "detail": _("Article 7 initial report (entry into force + 180 days)"),
                     "uid": f"initial-report-{r.iso3}@{UID_DOMAIN}", "illustrative": reports_illustrative})
    annual = open_[open_["report_type"] == "annual"]
    for year, g in annual.groupby("year"):
        n = g["iso3"].nunique()
        rows.append({"date": g["due_date"].iloc[0], "kind": "annual_report", "state": "", "iso3": "",
                     "title": ngettext("Annual reports for {year} due ({n} State Party)",
                                       "Annual reports for {year} due ({n} States Parties)", n).format(year=int(year), n=n),
                     "detail": ngettext("Article 7 annual report covering {year}: {n} State Party owes it",
                                        "Article 7 annual report covering {year}: {n} States Parties owe it",
                                        n).format(year=int(year), n=n),
                     "uid": f"annual-report-{int(year)}@{UID_DOMAIN}", "illustrative": reports_illustrative})

    table = dl.deadline_table(data.states, data.obligations, data.extensions, as_of, data.meetings)
    due = table[(table["status"] != "completed") & (table["effective_deadline"] >= as_of)
                & (table["effective_deadline"] <= end)]
    for r in due.itertuples():
        # the request pending on D, from the deadlines table (one rule: deadlines.open_requests)
        requested = r.pending_requested_on if pd.notna(r.pending_requested_on) else None
        detail = (_("Article 3 (stockpile destruction) effective deadline") if r.article == 3 else
                  _("Article 4 (clearance) effective deadline"))
        if requested is not None:
            detail = (_("{deadline}; extension request pending (requested {day})").format(
                          deadline=detail, day=fmt.day(requested)) if pd.notna(requested) else
                      _("{deadline}; extension request pending").format(deadline=detail))
        rows.append({"date": r.effective_deadline, "kind": f"article_{r.article}", "state": r.state, "iso3": r.iso3,
                     "title": _("Article {article} deadline: {state}").format(article=r.article,
                                                                           state=state_name(r.state, r.iso3)),
                     "detail": detail,
                     "uid": f"article-{r.article}-{r.iso3}@{UID_DOMAIN}", "illustrative": False})

    m = data.meetings
    m = m[(m["start_date"] <= end) & (m["end_date"].fillna(m["start_date"]) >= as_of)]
    # a meeting is its name, exactly (the dataset's key); a name used by several meetings (one each year)
    # is told apart by the start day
    repeated = set(data.meetings.loc[data.meetings["meeting"].duplicated(keep=False), "meeting"])
    m = m.assign(illustrative=_sample_flags(m) & (m["kind"] != "Meeting of States Parties"))  # MSP dates are public
    for r in m.itertuples():
        detail = ", ".join(fmt.meeting_word(x) for x in (r.kind, r.location) if isinstance(x, str) and x)
        key = (r.meeting, r.start_date.date().isoformat()) if r.meeting in repeated else (r.meeting,)
        rows.append({"date": r.start_date, "end_date": r.end_date, "kind": "meeting", "state": "", "iso3": "",
                     "title": r.meeting, "detail": detail, "uid": row_uid("meeting", "meetings", *key),
                     "illustrative": bool(r.illustrative)})

    out = pd.DataFrame(rows, columns=COLUMNS)
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[us]")
    out["end_date"] = pd.to_datetime(out["end_date"]).astype("datetime64[us]")
    out["illustrative"] = out["illustrative"].fillna(False).astype(bool)
    return out.sort_values(["date", "kind", "state"], kind="stable", key=fmt.sort_key).reset_index(drop=True)


def to_ics(events: pd.DataFrame, as_of, months: int) -> bytes:
    """The coming-up list as an iCalendar file: all-day events with stable UIDs.

    The one writer of the .ics: the Deadlines page's download and the subscribed feed
    (``/calendar/deadlines-en.ics``, :func:`ccm_analytics.ui.feed`) give the same bytes for the same day
    and data (the stamp is the as-of day at 00:00 UTC, not the moment of writing). An event that rests on
    illustrative sample rows says so in its title and description.
    """

    # heavy (icalendar): only when a calendar file is written
    from icalendar import Calendar, Event

    as_of = pd.Timestamp(as_of)
    cal = Calendar()
    cal.add("prodid", "-//CCM Analytics//Coming up//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", fmt.typography(ngettext("CCM: coming up in {months} month after {day}",
                                                    "CCM: coming up in {months} months after {day}", months).format(
        months=months, day=fmt.day(as_of))))
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc)
    for r in events.itertuples():
        e = Event()
        start = pd.Timestamp(r.date).date()
        last = pd.Timestamp(r.end_date).date() if pd.notna(r.end_date) else start
        e.add("uid", r.uid)
        e.add("dtstamp", stamp)
        illustrative = bool(getattr(r, "illustrative", False))
        title = _("{title} (illustrative)").format(title=r.title) if illustrative else r.title
        e.add("summary", fmt.typography(title))
        e.add("dtstart", start)
        e.add("dtend", last + timedelta(days=1))  # all-day: the end is exclusive
        description = _("{detail}. As at {day}, from CCM Analytics.").format(detail=r.detail, day=fmt.long_day(as_of))
        if illustrative:
            description += " " + _("Illustrative: this rests on the bundled sample data, not on real records.")
        e.add("description", fmt.typography(description))
        e.add("categories", [_(KIND_LABELS[r.kind])])
        e.add("transp", "TRANSPARENT")
        cal.add_component(e)
    return cal.to_ical()


def deadlines_ics(data: CcmData, as_of, months: int = 24) -> bytes:
    """Everything coming up in ``months`` after D as an .ics (data as knowable on D, in the run's language)."""
    return to_ics(coming_up(data, as_of, months), as_of, months)
