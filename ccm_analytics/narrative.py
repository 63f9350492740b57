"""The "state of play" paragraph and the key messages: the headline numbers of a day, in sentences.

Used by the Overview page, the meeting deck (key-messages slide, speaker notes) and the one-page
brief, so all three say the same (DOMAIN.md section 11).
"""

from __future__ import annotations

import pandas as pd

from . import formatting as fmt
from .views import Overview


def universalization_sentence(ov: Overview) -> str:
    u = ov.snap.universalization
    gap = u.target_phrase()
    return (f"The Convention has {fmt.count(u.states_parties, 'State Party', 'States Parties')} ({gap}) "
            f"and {fmt.count(u.signatories, 'signatory', 'signatories')} still to ratify.")


def reporting_sentence(ov: Overview) -> str:
    a = ov.snap.reporting.annual
    if not a.due:
        head = "No annual report has fallen due yet."
    else:
        head = (f"Of the {a.due} annual reports for {a.year} (due 30 April {a.year + 1}), "
                f"{fmt.pct(a.submission_rate)} have been submitted and {fmt.pct(a.compliance_rate)} were on time.")
    n = ov.reports_overdue
    tail = (f" {fmt.count(n, 'report is', 'reports are')} overdue in all "
            f"({ov.reports_overdue_initial} initial, {ov.reports_overdue_annual} annual).") if n else \
        " No report is overdue."
    return head + tail


def deadlines_sentence(ov: Overview) -> str:
    c = ov.deadline_counts
    if not c.total:
        return "No Article 3 or 4 obligation is recorded."
    def n(k: int, one: str, many: str) -> str:
        return f"none {one}" if k == 0 else f"{k} {one if k == 1 else many}"

    return (f"Of {fmt.count(c.total, 'Article 3/4 obligation')} of States Parties, "
            f"{n(c.completed, 'is', 'are')} completed; {n(c.overdue, 'is', 'are')} overdue and "
            f"{n(c.due_within_12_months, 'falls', 'fall')} due within 12 months.")


def budget_sentence(ov: Overview) -> str:
    st = ov.snap.budget
    t = st.total
    if not ov.has_budget:
        return f"No budget is loaded for {st.year}."
    text = (f"The ISU has spent {fmt.chf(t.spent, st.currency)} of its {st.year} budget of "
            f"{fmt.chf(t.budget, st.currency)} ({fmt.pct(t.burn_rate)}) with {fmt.pct(st.elapsed_fraction)} of the "
            "year elapsed")
    if t.projected_variance is not None and st.elapsed_fraction < 1:
        side = "over" if t.projected_variance > 0 else "under"
        text += f"; at this pace it would end the year {fmt.chf(abs(t.projected_variance), st.currency)} {side} budget"
    return (text + f". Contributions received for {st.year}: {fmt.chf(st.received, st.currency)} "
            f"({fmt.pct(st.received_share)} of the budget).")


def state_of_play(ov: Overview) -> str:
    """The paragraph: "As at 5 September 2018, the Convention has ..."."""
    return " ".join([f"As at {fmt.long_day(ov.snap.as_of)}:", universalization_sentence(ov), reporting_sentence(ov),
                     deadlines_sentence(ov), budget_sentence(ov)])


def pace_words(pace: float | None) -> str | None:
    """Budget pace in plain words: 0.92 -> "spending 8% slower than the calendar", 1.06 -> "6% faster".

    ``pace`` is burn rate / share of the year elapsed (DOMAIN.md section 3); it is written as the
    percentage by which spending runs ahead of or behind an even spread over the year. Within half
    a percent of 1 it is "in line with the calendar". None when there is no pace.
    """
    if pace is None or pd.isna(pace):
        return None
    diff = round((pace - 1) * 100)
    if diff == 0:
        return "spending in line with the calendar"
    return f"spending {abs(diff)}% {'faster' if diff > 0 else 'slower'} than the calendar"


def first_upper(text: str) -> str:
    """The text with its first letter capitalised and the rest untouched (unlike ``str.capitalize``)."""
    return text[:1].upper() + text[1:]


def none_or(n: int, text: str) -> str:
    """``none overdue`` for 0, else ``3 overdue``."""
    return f"none {text}" if n == 0 else f"{n} {text}"


def reporting_message(ov: Overview, by_state: pd.DataFrame) -> str:
    """Annual reports on time and submitted, then who owes reports and since when."""
    a = ov.snap.reporting.annual
    head = (f"{fmt.pct(a.compliance_rate)} of the {a.year} annual reports came on time and "
            f"{fmt.pct(a.submission_rate)} have been submitted" if a.due else "No annual report has fallen due yet")
    if by_state.empty:
        return head + "; no report is overdue."
    owed = int(by_state["count"].sum())
    return (f"{head}; {fmt.count(len(by_state), 'State Party owes', 'States Parties owe')} "
            f"{fmt.count(owed, 'report')}, the oldest due on {fmt.long_day(by_state['oldest_due_date'].min())}.")


def deadlines_message(ov: Overview) -> str:
    """Article 3/4 obligations completed, overdue, due within 12 months, and the next deadline."""
    c, t = ov.deadline_counts, ov.snap.deadlines
    if not c.total:
        return "No Article 3 or 4 obligation of a State Party is recorded."
    text = (f"Articles 3 and 4: {c.completed} of {fmt.count(c.total, 'obligation')} completed, "
            f"{none_or(c.overdue, 'overdue')} and {none_or(c.due_within_12_months, 'due within 12 months')}")
    ahead = t[(t["status"] != "completed") & (t["days_remaining"] >= 0)]
    if not ahead.empty:
        r = ahead.iloc[0]
        text += f"; the next deadline is {r['state']}'s (Article {int(r['article'])}) on {fmt.long_day(r['effective_deadline'])}"
    return text + "."


def budget_message(ov: Overview) -> str | None:
    """Share of the budget spent against the share of the year gone, in words, and the year-end."""
    st = ov.snap.budget
    t = st.total
    if not ov.has_budget:
        return None
    text = (f"The ISU has spent {fmt.pct(t.burn_rate)} of its {st.year} budget with "
            f"{fmt.pct(st.elapsed_fraction)} of the year gone")
    words = pace_words(t.pace)
    if words and st.elapsed_fraction < 1:
        text += f", {words}"
    if t.projected_variance is not None and st.elapsed_fraction < 1:
        side = "over" if t.projected_variance > 0 else "under"
        text += f"; at this pace it ends the year {fmt.chf(abs(t.projected_variance), st.currency)} {side} budget"
    return text + "."


def contributions_message(ov: Overview) -> str | None:
    """Contributions received for the year against the budget, and the funding gap."""
    st = ov.snap.budget
    if not ov.has_budget:
        return None
    gap = (f"the funding gap is {fmt.chf(st.funding_gap, st.currency)}" if st.funding_gap > 0 else
           "the budget is fully funded")
    return (f"Contributions for {st.year}: {fmt.chf(st.received, st.currency)} received, "
            f"{fmt.pct(st.received_share)} of the budget; {gap}.")


def key_messages(ov: Overview, by_state: pd.DataFrame) -> list[str]:
    """Three to five sentences for the Director: universalization, reporting, Articles 3/4, budget, funding.

    Args:
        ov: The Overview for D.
        by_state: ``reporting.overdue_by_state`` for D.

    The budget and contributions sentences appear only when a budget is loaded for D's year.
    """
    messages = [universalization_sentence(ov), reporting_message(ov, by_state), deadlines_message(ov),
                budget_message(ov), contributions_message(ov)]
    return [m for m in messages if m]
