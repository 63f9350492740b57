"""The "state of play" paragraph and the key messages: the headline numbers of a day, in sentences.

Used by the Overview page, the meeting deck (key-messages slide, speaker notes) and the one-page
brief, so all three say the same (DOMAIN.md section 11).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from . import formatting as fmt
from .analysis import deadlines as dl
from .analysis import treaty
from .analysis.projection import MIN_CASES, Range, total_outlook
from .i18n import N_, _, ngettext, pgettext

if TYPE_CHECKING:  # the views hand their results to these words; they import this module
    from .views import Overview


def clauses(*parts: str) -> str:
    """Clauses of one sentence joined by semicolons as the language writes them ("a; b", French "a ; b")."""
    text = parts[0]
    for part in parts[1:]:
        text = _("{clause}; {next}").format(clause=text, next=part)
    return text


def parties_words(n: int) -> str:
    """``130 States Parties``, ``1 State Party`` in the language."""
    return ngettext("{n} State Party", "{n} States Parties", n).format(n=fmt.number(n))


# The action plans' names (``analysis.plans``; translated where shown).
PLAN_NAMES = {"vientiane": N_("Vientiane Action Plan"), "dubrovnik": N_("Dubrovnik Action Plan"),
              "lausanne": N_("Lausanne Action Plan")}


def plan_name(plan) -> str:
    """'Dubrovnik Action Plan (2015–2020)' in the language."""
    return _("{plan} ({start}–{end})").format(plan=_(PLAN_NAMES[plan.code]), start=plan.period_start,
                                             end=plan.period_end)


def target_phrase(u) -> str:
    """Where the count of States Parties stands against the action plan in force on D, in words fit for
    D: against its target when it sets one, else the States that became party since its adoption; ""
    before the first plan (DOMAIN.md §3)."""
    if u.plan is None:
        return ""
    if u.target is None:
        return ngettext("{n} State became party since the {plan} was adopted on {day}",
                        "{n} States became parties since the {plan} was adopted on {day}", u.joined_since_plan).format(
            n=fmt.number(u.joined_since_plan), plan=_(PLAN_NAMES[u.plan.code]), day=fmt.long_day(u.plan.adopted_on))
    values = dict(n=fmt.number(u.to_target), target=fmt.number(u.target), year=u.target_year)
    if not u.to_target:
        return _("the target of {target} States Parties is reached").format(**values)
    if u.target_passed:
        return ngettext("{n} short of the target of {target} set for {year}",
                        "{n} short of the target of {target} set for {year}", u.to_target).format(**values)
    return ngettext("{n} to go to the target of {target} by {year}",
                    "{n} to go to the target of {target} by {year}", u.to_target).format(**values)


def plan_line(u) -> str:
    """One sentence on the action plan in force and where the count stands ("" before the first plan)."""
    if u.plan is None:
        return ""
    if u.target is not None:
        return _("{plan} target: {target} by {year}; {phrase}.").format(
            plan=_(PLAN_NAMES[u.plan.code]), target=fmt.number(u.target), year=u.target_year, phrase=target_phrase(u))
    return _("{plan} in force, with no count of States Parties to reach: {phrase}.").format(
        plan=plan_name(u.plan), phrase=target_phrase(u))


def universalization_sentence(ov: Overview) -> str:
    u = ov.snap.universalization
    signatories = ngettext("{n} signatory", "{n} signatories", u.signatories).format(n=fmt.number(u.signatories))
    gap = target_phrase(u)
    if not gap:
        return _("The Convention has {parties} and {signatories} still to ratify.").format(
            parties=parties_words(u.states_parties), signatories=signatories)
    return _("The Convention has {parties} ({gap}) and {signatories} still to ratify.").format(
        parties=parties_words(u.states_parties), gap=gap, signatories=signatories)


def _overdue_tail(ov: Overview) -> str:
    n = ov.reports_overdue
    if not n:
        return _("No report is overdue.")
    return ngettext("{n} report is overdue in all ({initial} initial, {annual} annual).",
                    "{n} reports are overdue in all ({initial} initial, {annual} annual).", n).format(
        n=fmt.number(n), initial=fmt.number(ov.reports_overdue_initial), annual=fmt.number(ov.reports_overdue_annual))


def reporting_sentence(ov: Overview) -> str:
    a = ov.snap.reporting.annual
    if not a.due:
        head = _("No annual report has fallen due yet.")
    else:
        head = _("Of the {due} annual reports for {year} (due {due_day}), {submitted} have been submitted and "
                 "{on_time} were on time.").format(
            due=fmt.number(a.due), year=a.year, due_day=fmt.long_day(treaty.annual_report_due(int(a.year))),
            submitted=fmt.pct(a.submission_rate), on_time=fmt.pct(a.compliance_rate))
    return head + " " + _overdue_tail(ov)


def budget_sentence(ov: Overview) -> str:
    st = ov.snap.budget
    t = st.total
    if not ov.has_budget:
        return _("No budget is loaded for {year}.").format(year=st.year)
    values = dict(spent=fmt.chf(t.spent, st.currency), year=st.year, budget=fmt.chf(t.budget, st.currency),
                  rate=fmt.pct(t.burn_rate), elapsed=fmt.pct(st.elapsed_fraction))
    year_end = year_end_words(ov)
    if year_end:
        text = _("The ISU has spent {spent} of its {year} budget of {budget} ({rate}) with {elapsed} of the year "
                 "elapsed; {year_end}.").format(year_end=year_end, **values)
    else:
        text = _("The ISU has spent {spent} of its {year} budget of {budget} ({rate}) with {elapsed} of the year "
                 "elapsed.").format(**values)
    return text + " " + _("Contributions received for {year}: {received} ({share} of the budget).").format(
        year=st.year, received=fmt.chf(st.received, st.currency), share=fmt.pct(st.received_share))


def as_at_lead(day, sentence: str) -> str:
    """"As at 5 September 2018: the Convention has ...": the day, a colon, and the sentence after it in lower
    case (as English, French and Spanish write a sentence after a colon; it begins with "the Convention")."""
    return _("As at {day}:").format(day=fmt.long_day(day)) + " " + sentence[:1].lower() + sentence[1:]


def state_of_play(ov: Overview) -> str:
    """The paragraph: "As at 5 September 2018: the Convention has ..."."""
    return " ".join([as_at_lead(ov.snap.as_of, universalization_sentence(ov)), reporting_sentence(ov),
                     deadlines_message(ov), budget_sentence(ov)])


def _method_words(method: str) -> str:
    return _("seasonal projection") if method == "seasonal" else _("straight line")


def range_words(rng: Range, currency: str) -> str:
    """The 80% range in words (DOMAIN §8), from the facts the analysis returns: "in 4 of 4 past years, the
    year ended within 9.4% of its projection on the same day: here, CHF 415,734 to CHF 502,390"; or why there
    is none: "no range yet: fewer than two past years"."""
    if rng.known:
        return ngettext("in {inside} of {n} past year, the year ended within {spread} of its projection on the "
                        "same day: here, {low} to {high}",
                        "in {inside} of {n} past years, the year ended within {spread} of its projection on the "
                        "same day: here, {low} to {high}", rng.cases).format(
            inside=fmt.number(rng.inside), n=fmt.number(rng.cases), spread=fmt.pct(rng.spread),
            low=fmt.chf(rng.low, currency), high=fmt.chf(rng.high, currency))
    if rng.reason == "few_cases":
        return ngettext("no range yet: only {n} past year, at least {min} are needed",
                        "no range yet: only {n} past years, at least {min} are needed", rng.cases).format(
            n=fmt.number(rng.cases), min=fmt.number(MIN_CASES))
    return {"few_years": _("no range yet: fewer than two past years"),
            "no_spend": _("no range yet: nothing spent this year"),
            "no_past_spend": _("no range yet: no past spend on this line"),
            "too_wide": _("no range: in past years a projection of nothing was followed by spending")}.get(
        rng.reason, _("no range"))


def side_words(status: str, variance: float, currency: str) -> str:
    """Where the year-end falls against the budget, by the verdict of ``projection.outlook`` (DOMAIN §8):
    "CHF 1,610 over budget" only when the whole range is over it; "it may end over budget (CHF 1,610 over as
    projected)" when the range holds the budget."""
    amount = fmt.chf(abs(variance), currency)
    return {"over_budget": _("{amount} over budget"), "under_budget": _("{amount} under budget"),
            "may_end_over": _("it may end over budget ({amount} over as projected)"),
            "may_end_under": _("it may end under budget ({amount} under as projected)"),
            "on_budget": _("on budget")}[status].format(amount=amount)


def year_end_words(ov: Overview) -> str | None:
    """The projected year-end of D's budget year with its verdict, method and range (DOMAIN §8), or None.

    "the projected year-end is CHF 467,050 (seasonal projection): it may end over budget (CHF 1,610 over as
    projected); no range yet: only 2 past years, at least 4 are needed". None without a budget, before the year
    starts and once it is over (then the year-end is the actual spend).
    """
    p, st = ov.snap.projection, ov.snap.budget
    if not ov.has_budget or p is None or p.method not in ("seasonal", "linear"):
        return None
    cur = st.currency
    status, _flag = total_outlook(st, p)
    return _("the projected year-end is {year_end} ({method}): {side}; {range}").format(
        year_end=fmt.chf(p.year_end, cur), method=_method_words(p.method),
        side=side_words(status, p.year_end - st.total.budget, cur), range=range_words(p.range, cur))


def pace_words(pace: float | None, short: bool = False) -> str:
    """The pace in words: 0.92 -> "spending 8.0% slower than the calendar" (DOMAIN §8); ``short``:
    "8.0% slower"."""
    if pace is None or pd.isna(pace):
        return _("no spend yet") if short else _("no pace yet")
    gap = pace - 1.0
    if fmt.pct(abs(gap)) == fmt.pct(0.0):
        return _("in step") if short else _("spending in step with the calendar")
    share = fmt.pct(abs(gap))
    if short:
        return (_("{share} faster") if gap > 0 else _("{share} slower")).format(share=share)
    return (_("spending {share} faster than the calendar") if gap > 0 else
            _("spending {share} slower than the calendar")).format(share=share)


def outlook_words(status: str, variance, share, flag, flag_note: bool = True) -> str:
    """A line's verdict (``projection.outlook``) in words: "over budget by 12.0% (flagged)", "may end over budget
    (projected 3.0% over)", "not budgeted", "on budget", "no projection"; ``flag_note=False`` leaves out
    "(flagged)" (where the flag is shown otherwise, as on a slide)."""
    if variance is None or pd.isna(variance):
        return _("no projection")
    if pd.isna(share):
        return _("not budgeted") if variance > 0 else _("on budget")
    if status == "on_budget":
        return _("on budget")
    share = fmt.pct(abs(share))
    if status == "may_end_over":
        return _("may end over budget (projected {share} over)").format(share=share)
    if status == "may_end_under":
        return _("may end under budget (projected {share} under)").format(share=share)
    flag = flag and flag_note
    if status == "over_budget":
        text = _("over budget by {share} (flagged)") if flag else _("over budget by {share}")
    else:
        text = _("under budget by {share} (flagged)") if flag else _("under budget by {share}")
    return text.format(share=share)


def with_outlook_words(lines: pd.DataFrame) -> pd.DataFrame:
    """``projection.line_outlook`` with its words: ``pace_words`` ("8.0% slower") and ``outlook``."""
    return lines.assign(
        pace_words=[pace_words(p, short=True) for p in lines["pace"]],
        outlook=[outlook_words(st, v, sh, f) for st, v, sh, f in
                 zip(lines["status"], lines["variance"], lines["variance_share"], lines["flag"])])


# The basis of a year-end in the treasurer's sheet (``treasurer.budget_table``'s ``basis`` codes).
BASIS_WORDS = {"not_started": N_("Not started"), "seasonal": N_("Projected (seasonal)"),
               "linear": N_("Projected (linear)")}


def basis_words(code: str) -> str:
    """"Actual", "Projected (seasonal)", "Projected (linear)" or "Not started" in the language."""
    return pgettext("year-end", "Actual") if code == "actual" else _(BASIS_WORDS[code]) if code in BASIS_WORDS \
        else code


def pace_phrase(ov: Overview) -> str | None:
    """D's budget pace in words (``budget.pace_words``, DOMAIN §8) while the year runs; None without a
    budget, a pace, or from 31 December on."""
    st = ov.snap.budget
    if not ov.has_budget or st.total.pace is None or pd.isna(st.total.pace) or st.elapsed_fraction >= 1:
        return None
    return pace_words(st.total.pace)


def first_upper(text: str) -> str:
    """The text with its first letter capitalised and the rest untouched (unlike ``str.capitalize``)."""
    return text[:1].upper() + text[1:]


# What ``none_or`` writes for a count of 0, per phrase (the counts themselves: ``_count_phrase``).
NONE_PHRASES: dict[str, str] = {
    "still to destroy": N_("no State still to destroy"),
    "still to clear": N_("no State still to clear"),
    "overdue": N_("no State overdue"),
    "due within 12 months": N_("no State due within 12 months"),
    "due within 24 months": N_("no State due within 24 months"),
    "within 24 months": N_("no State within 24 months"),
}


def _count_phrase(key: str, n: int) -> str:
    """``3 overdue`` for one of the phrases of :data:`NONE_PHRASES`, in the language (with its plural forms)."""
    if key == "still to destroy":
        return ngettext("{n} still to destroy", "{n} still to destroy", n).format(n=fmt.number(n))
    if key == "still to clear":
        return ngettext("{n} still to clear", "{n} still to clear", n).format(n=fmt.number(n))
    if key == "overdue":
        return ngettext("{n} overdue", "{n} overdue", n).format(n=fmt.number(n))
    if key == "due within 12 months":
        return ngettext("{n} due within 12 months", "{n} due within 12 months", n).format(n=fmt.number(n))
    if key == "due within 24 months":
        return ngettext("{n} due within 24 months", "{n} due within 24 months", n).format(n=fmt.number(n))
    return ngettext("{n} within 24 months", "{n} within 24 months", n).format(n=fmt.number(n))


def none_or(n: int, text: str) -> str:
    """``no State overdue`` for 0, else ``3 overdue`` (never the bare word a table would show for a blank).

    ``text`` is one of the English phrases of :data:`NONE_PHRASES` ("overdue", "still to destroy",
    "still to clear", "due within 12 months", "due within 24 months", "within 24 months"), written in
    the run's language; any other text is written as given (English).
    """
    if text in NONE_PHRASES:
        return _(NONE_PHRASES[text]) if n == 0 else _count_phrase(text, n)
    return f"no State {text}" if n == 0 else f"{n} {text}"


def reporting_message(ov: Overview, by_state: pd.DataFrame) -> str:
    """Annual reports on time and submitted, then who owes reports and since when."""
    a = ov.snap.reporting.annual
    rates = dict(on_time=fmt.pct(a.compliance_rate), year=a.year, submitted=fmt.pct(a.submission_rate))
    if by_state.empty:
        if not a.due:
            return _("No annual report has fallen due yet; no report is overdue.")
        return _("{on_time} of the {year} annual reports came on time and {submitted} have been submitted; "
                 "no report is overdue.").format(**rates)
    owed, n = int(by_state["count"].sum()), len(by_state)
    values = dict(states=fmt.number(n), day=fmt.long_day(by_state["oldest_due_date"].min()),
                  reports=ngettext("{n} report", "{n} reports", owed).format(n=fmt.number(owed)))
    if not a.due:
        return ngettext("No annual report has fallen due yet; {states} State Party owes {reports}, the oldest due "
                        "on {day}.",
                        "No annual report has fallen due yet; {states} States Parties owe {reports}, the oldest due "
                        "on {day}.", n).format(**values)
    return ngettext("{on_time} of the {year} annual reports came on time and {submitted} have been submitted; "
                    "{states} State Party owes {reports}, the oldest due on {day}.",
                    "{on_time} of the {year} annual reports came on time and {submitted} have been submitted; "
                    "{states} States Parties owe {reports}, the oldest due on {day}.", n).format(**values, **rates)


def next_deadline(table: pd.DataFrame) -> pd.Series | None:
    """The outstanding obligation whose effective deadline is the next on or after D (None if none is)."""
    ahead = dl.due_within(table, 10 ** 6)
    return None if ahead.empty else ahead.iloc[0]


def deadlines_message(ov: Overview) -> str:
    """The Article 3/4 record (DOMAIN §6): stockpiles destroyed and still to destroy, clearance completed and
    still to clear, overdue, due within 12 months, and the next deadline."""
    c, r = ov.deadline_counts, ov.record
    s3, s4 = r[3], r[4]
    if not c.total:
        return _("No Article 3 or 4 obligation of a State Party is recorded.")
    qty = ""
    if s3.quantity_completed >= 1e6:
        millions = round(s3.quantity_completed / 1e6, 1)
        qty = " " + ngettext("({n} million submunitions)", "({n} million submunitions)",
                             fmt.plural_n(millions)).format(n=fmt.number(millions, 1))
    elif s3.quantity_completed > 0:
        qty = " " + ngettext("({n} submunition)", "({n} submunitions)",
                             int(s3.quantity_completed)).format(n=fmt.number(s3.quantity_completed))
    art3 = ngettext("Article 3: {completed} of {held} that stockpiled cluster munitions has destroyed them{qty}, "
                    "{still}",
                    "Article 3: {completed} of {held} that stockpiled cluster munitions have destroyed them{qty}, "
                    "{still}", s3.completed).format(
        completed=fmt.number(s3.completed), held=parties_words(s3.held), qty=qty,
        still=none_or(s3.outstanding, "still to destroy"))
    # Translators: a count of States Parties that have had areas contaminated by cluster munition remnants.
    contaminated = ngettext("{n} contaminated", "{n} contaminated", s4.held).format(n=fmt.number(s4.held))
    art4 = ngettext("Article 4: {completed} of {held} has completed clearance, {still}",
                    "Article 4: {completed} of {held} have completed clearance, {still}",
                    s4.completed).format(completed=fmt.number(s4.completed), held=contaminated,
                                         still=none_or(s4.outstanding, "still to clear"))
    counts = _("{overdue} and {due_soon}").format(overdue=none_or(s3.overdue + s4.overdue, "overdue"),
                                                  due_soon=none_or(c.due_within_12_months, "due within 12 months"))
    parts = [art3, art4, counts]
    nxt = next_deadline(ov.snap.deadlines)
    if nxt is not None:
        parts.append(_("the next deadline is {state}'s (Article {article}) on {day}").format(
            state=nxt["state"], article=int(nxt["article"]), day=fmt.long_day(nxt["effective_deadline"])))
    pending = pending_requests_sentence(ov.pending)
    return clauses(*parts) + "." + (" " + pending if pending else "")


def pending_requests_sentence(pending) -> str:
    """The extension requests pending on D in one sentence, by the meeting that decides them ("" when none):
    "Extension requests before the Ninth Meeting of States Parties (9MSP): Bulgaria (Article 3, to 1 April
    2021); Germany (Article 4, to 1 August 2025)." (``pending``: :func:`deadlines.pending_requests`)."""
    if pending is None or pending.empty:
        return ""
    groups = []
    for meeting, rows in pending.groupby(pending["meeting"].fillna(""), sort=False):
        items = [(_("{state} (Article {article}, to {day})") if pd.notna(r.new_deadline) else
                  _("{state} (Article {article})")).format(state=r.state, article=int(r.article),
                                                           day=fmt.long_day(r.new_deadline))
                 for r in rows.itertuples()]
        listed = "; ".join(items)
        groups.append(_("Extension requests before the {meeting}: {requests}").format(meeting=meeting, requests=listed)
                      if meeting else _("Extension requests pending: {requests}").format(requests=listed))
    return ". ".join(groups) + "."


def budget_message(ov: Overview) -> str | None:
    """Share of the budget spent against the share of the year gone, in words, and the year-end."""
    st = ov.snap.budget
    t = st.total
    if not ov.has_budget:  # said plainly, with the year the Budget page shows instead (DOMAIN §8)
        if ov.latest_budget_year is None:
            return None
        return _("No budget is loaded for {year}; the latest budget loaded is for {latest}.").format(
            year=st.year, latest=ov.latest_budget_year)
    values = dict(rate=fmt.pct(t.burn_rate), year=st.year, elapsed=fmt.pct(st.elapsed_fraction))
    words, year_end = pace_phrase(ov), year_end_words(ov)
    if words and year_end:
        return _("The ISU has spent {rate} of its {year} budget with {elapsed} of the year gone, {pace}; "
                 "{year_end}.").format(pace=words, year_end=year_end, **values)
    if words:
        return _("The ISU has spent {rate} of its {year} budget with {elapsed} of the year gone, {pace}.").format(
            pace=words, **values)
    if year_end:
        return _("The ISU has spent {rate} of its {year} budget with {elapsed} of the year gone; {year_end}.").format(
            year_end=year_end, **values)
    return _("The ISU has spent {rate} of its {year} budget with {elapsed} of the year gone.").format(**values)


def contributions_message(ov: Overview) -> str | None:
    """Contributions received for the year against the budget, and the funding gap."""
    st = ov.snap.budget
    if not ov.has_budget:
        return None
    values = dict(year=st.year, received=fmt.chf(st.received, st.currency), share=fmt.pct(st.received_share))
    if st.funding_gap > 0:
        return _("Contributions for {year}: {received} received, {share} of the budget; the funding gap is "
                 "{gap}.").format(gap=fmt.chf(st.funding_gap, st.currency), **values)
    return _("Contributions for {year}: {received} received, {share} of the budget; the budget is fully "
             "funded.").format(**values)


def key_messages(ov: Overview, by_state: pd.DataFrame) -> list[str]:
    """Three to five sentences for the Director: universalization, reporting, Articles 3/4, budget, funding.

    Args:
        ov: The Overview for D.
        by_state: ``reporting.overdue_by_state`` for D.

    The budget and contributions sentences appear only when a budget is loaded for D's year; when none is, but
    an earlier year has one, a sentence says so and names that year.
    """
    messages = [universalization_sentence(ov), reporting_message(ov, by_state), deadlines_message(ov),
                budget_message(ov), contributions_message(ov)]
    return [m for m in messages if m]


# -- the Article 3 and 4 record as a story (the facts: ``deadlines.obligation_events``) -----------------

UNIT_WORDS = {"submunitions": N_("submunitions")}


def _completion_sentence(r) -> str:
    """The sentence of a completed destruction (Article 3) or clearance (Article 4) in the story."""
    amount = ""
    if r.quantity is not None and pd.notna(r.quantity):
        unit = _(UNIT_WORDS[r.unit]) if r.unit in UNIT_WORDS else r.unit
        amount = (_(": {quantity} {unit} destroyed") if r.article == 3 else _(": {quantity} {unit} cleared")).format(
            quantity=fmt.number(r.quantity), unit=unit)
    precision = r.precision if isinstance(r.precision, str) else None
    when = fmt.day_text(r.completed_on, precision)
    in_when = precision in ("month", "year")
    if r.article == 3:
        if r.before_eif:
            text = (_("Stockpile destruction completed in {when}, before the Convention bound it (no deadline ever "
                      "ran){amount}.") if in_when else
                    _("Stockpile destruction completed, before the Convention bound it (no deadline ever "
                      "ran){amount}."))
        else:
            text = _("Stockpile destruction completed in {when}{amount}.") if in_when else \
                _("Stockpile destruction completed{amount}.")
    elif r.before_eif:
        text = (_("Clearance completed in {when}, before the Convention bound it (no deadline ever ran){amount}.")
                if in_when else _("Clearance completed, before the Convention bound it (no deadline ever ran){amount}."))
    else:
        text = _("Clearance completed in {when}{amount}.") if in_when else _("Clearance completed{amount}.")
    return text.format(when=when, amount=amount)


def _event_sentence(r) -> str:
    day = fmt.day_text
    if r.event == "bound_already_done":
        return (_("The Convention binds it; its stocks were already destroyed, so no deadline runs (it would "
                  "have been {day}).") if r.article == 3 else
                _("The Convention binds it; the remnants were already cleared, so no deadline runs (it would "
                  "have been {day}).")).format(day=day(r.deadline))
    if r.event == "bound":
        return (_("The Convention binds it: it must destroy its stockpiled cluster munitions by {day}.")
                if r.article == 3 else
                _("The Convention binds it: it must clear cluster munition remnants by {day}.")).format(
            day=day(r.deadline))
    if r.event == "none_held":
        return (_("Declared that it holds no cluster munitions: no stockpile to destroy.") if r.article == 3
                else _("Declared that no area under its control is contaminated: nothing to clear."))
    if r.event == "completed":
        return _completion_sentence(r)
    if r.event == "requested":
        asked = pd.notna(r.new_deadline)
        if r.decision == "granted":
            return (_("Requested an extension to {day}.") if asked else _("Requested an extension.")).format(
                day=day(r.new_deadline))
        if r.decision == "not_recorded":
            return (_("Requested an extension to {day} (the decision is not recorded).") if asked else
                    _("Requested an extension (the decision is not recorded).")).format(day=day(r.new_deadline))
        return (_("Requested an extension to {day} (pending on this day: the deadline does not move until it is "
                  "granted).") if asked else
                _("Requested an extension (pending on this day: the deadline does not move until it is "
                  "granted).")).format(day=day(r.new_deadline))
    if isinstance(r.meeting, str) and r.meeting:
        return _("Extension granted at the {meeting}: new deadline {day}.").format(meeting=r.meeting,
                                                                                  day=day(r.new_deadline))
    return _("Extension granted: new deadline {day}.").format(day=day(r.new_deadline))


def source_labels(sources: list) -> list[tuple[str, str]]:
    """(label, url) pairs of a story's sources: the site and the year its address carries, or "undated"."""
    return [(label if re.search(r" (?:19|20)\d\d$", label) else _("{site} (undated)").format(site=label), url)
            for label, url in sources]


def obligation_story(events: pd.DataFrame) -> pd.DataFrame:
    """One State's record (``deadlines.obligation_events``) told in the run's language.

    Returns:
        Columns ``date``, ``when`` (the date as known: "June 2023", "2017" or "4 September 2019"),
        ``article``, ``event`` (the sentence) and ``sources`` (a list of (label, url)).
    """
    cols = ["date", "when", "article", "event", "sources"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    rows = [{"date": r.date, "when": fmt.day_text(r.date, r.precision if isinstance(r.precision, str) else None),
             "article": int(r.article), "event": _event_sentence(r), "sources": source_labels(r.sources)}
            for r in events.itertuples()]
    return pd.DataFrame(rows, columns=cols)


# -- reports outstanding ---------------------------------------------------------------------------------

def outstanding_label(items: list[tuple[str, int | None]]) -> str:
    """'Initial; Annual 2014, 2015, 2016' from (report_type, year) pairs in due order, in the run's language
    (French 'Initial ; annuels 2014, 2015, 2016')."""
    initial = any(t == "initial" for t, _ in items)
    years = ", ".join(str(int(y)) for t, y in items if t == "annual" and y is not None and not pd.isna(y))
    if initial and years:
        return pgettext("outstanding reports", "Initial; Annual {years}").format(years=years)
    if initial:
        return pgettext("outstanding reports", "Initial")
    return pgettext("outstanding reports", "Annual {years}").format(years=years) if years else ""


def with_outstanding_labels(by_state: pd.DataFrame) -> pd.DataFrame:
    """``reporting.overdue_by_state`` with ``outstanding_label`` ("Initial; Annual 2014, 2015") after
    ``outstanding``."""
    labels = [outstanding_label([(i["report_type"], i["year"]) for i in items]) for items in by_state["outstanding"]]
    out = by_state.copy()
    out.insert(list(out.columns).index("outstanding") + 1 if "outstanding" in out else len(out.columns),
               "outstanding_label", pd.Series(labels, index=out.index, dtype="object"))
    return out


# -- a State's status -----------------------------------------------------------------------------------

# A State's status on D in words (``status_table``'s ``status_label``; translated where shown). The first
# three are the status labels every view uses (``formatting.label``).
STATUS_LABELS = {
    "state_party": "State Party",
    "signatory": "Signatory",
    "withdrawn": "Withdrawn",
    "not_yet": N_("Not yet signed or joined"),
}


def status_label(status: str) -> str:
    """A State's status in the run's language ("Not yet signed or joined" for ``not_yet``, else the
    shared label of :func:`formatting.label`)."""
    return _(STATUS_LABELS[status]) if status == "not_yet" else fmt.label(status)
