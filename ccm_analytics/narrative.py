"""The "state of play" paragraph and the key messages: the headline numbers of a day, in sentences.

Used by the Overview page, the meeting deck (key-messages slide, speaker notes) and the one-page
brief, so all three say the same (DOMAIN.md section 11).
"""

from __future__ import annotations

import pandas as pd

from . import formatting as fmt
from .analysis import deadlines as dl
from .analysis.budget import pace_words
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


def budget_sentence(ov: Overview) -> str:
    st = ov.snap.budget
    t = st.total
    if not ov.has_budget:
        return f"No budget is loaded for {st.year}."
    text = (f"The ISU has spent {fmt.chf(t.spent, st.currency)} of its {st.year} budget of "
            f"{fmt.chf(t.budget, st.currency)} ({fmt.pct(t.burn_rate)}) with {fmt.pct(st.elapsed_fraction)} of the "
            "year elapsed")
    year_end = year_end_words(ov)
    if year_end:
        text += f"; {year_end}"
    return (text + f". Contributions received for {st.year}: {fmt.chf(st.received, st.currency)} "
            f"({fmt.pct(st.received_share)} of the budget).")


def state_of_play(ov: Overview) -> str:
    """The paragraph: "As at 5 September 2018, the Convention has ..."."""
    return " ".join([f"As at {fmt.long_day(ov.snap.as_of)}:", universalization_sentence(ov), reporting_sentence(ov),
                     deadlines_message(ov), budget_sentence(ov)])


def year_end_words(ov: Overview) -> str | None:
    """The projected year-end of D's budget year with its range and method (DOMAIN §8), or None.

    "the projected year-end is CHF 467,050, usually within ± CHF 3,763 (seasonal projection), CHF 1,610 over
    budget"; without a backtest "... CHF 419,351 (straight line, no range yet), CHF 46,089 under budget". None
    without a budget, before the year starts and once it is over (then the year-end is the actual spend).
    """
    p, st = ov.snap.projection, ov.snap.budget
    if not ov.has_budget or p is None or p.method not in ("seasonal", "linear"):
        return None
    cur = st.currency
    variance = p.year_end - st.total.budget
    how = (f"usually within ± {fmt.chf(p.margin, cur)} ({'seasonal projection' if p.method == 'seasonal' else 'straight line'})"
           if p.margin is not None else
           f"({'seasonal projection' if p.method == 'seasonal' else 'straight line'}, no range yet)")
    side = f"{fmt.chf(abs(variance), cur)} {'over' if variance > 0 else 'under'} budget" if round(variance) else "on budget"
    return f"the projected year-end is {fmt.chf(p.year_end, cur)}{',' if p.margin is not None else ''} {how}, {side}"


def pace_phrase(ov: Overview) -> str | None:
    """D's budget pace in words (``budget.pace_words``, DOMAIN §8) while the year runs; None without a
    budget, a pace, or from 31 December on."""
    st = ov.snap.budget
    if not ov.has_budget or st.total.pace is None or pd.isna(st.total.pace) or st.elapsed_fraction >= 1:
        return None
    return pace_words(st.total.pace)


def submunitions_words(n: float) -> str:
    """A count of submunitions: 165,904,388 -> "165.9 million", 12,500 -> "12,500"."""
    return f"{n / 1e6:.1f} million" if n >= 1e6 else f"{n:,.0f}"


def first_upper(text: str) -> str:
    """The text with its first letter capitalised and the rest untouched (unlike ``str.capitalize``)."""
    return text[:1].upper() + text[1:]


def none_or(n: int, text: str) -> str:
    """``no State overdue`` for 0, else ``3 overdue`` (never the bare word a table would show for a blank)."""
    return f"no State {text}" if n == 0 else f"{n} {text}"


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
        return "No Article 3 or 4 obligation of a State Party is recorded."
    qty = f" ({submunitions_words(s3.quantity_completed)} submunitions)" if s3.quantity_completed > 0 else ""
    text = (f"Article 3: {s3.completed} of {fmt.count(s3.held, 'State Party', 'States Parties')} that stockpiled "
            f"cluster munitions {'has' if s3.completed == 1 else 'have'} destroyed them{qty}, "
            f"{none_or(s3.outstanding, 'still to destroy')}; Article 4: {s4.completed} of {s4.held} contaminated "
            f"{'has' if s4.completed == 1 else 'have'} completed clearance, {none_or(s4.outstanding, 'still to clear')}; "
            f"{none_or(s3.overdue + s4.overdue, 'overdue')} and {none_or(c.due_within_12_months, 'due within 12 months')}")
    nxt = next_deadline(ov.snap.deadlines)
    if nxt is not None:
        text += (f"; the next deadline is {nxt['state']}'s (Article {int(nxt['article'])}) on "
                 f"{fmt.long_day(nxt['effective_deadline'])}")
    return text + "."


def budget_message(ov: Overview) -> str | None:
    """Share of the budget spent against the share of the year gone, in words, and the year-end."""
    st = ov.snap.budget
    t = st.total
    if not ov.has_budget:
        return None
    text = (f"The ISU has spent {fmt.pct(t.burn_rate)} of its {st.year} budget with "
            f"{fmt.pct(st.elapsed_fraction)} of the year gone")
    words = pace_phrase(ov)
    if words:
        text += f", {words}"
    year_end = year_end_words(ov)
    if year_end:
        text += f"; {year_end}"
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
