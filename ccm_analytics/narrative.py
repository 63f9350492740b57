"""The "state of play" paragraph: the headline numbers of a day, in sentences.

Used by the Overview page and the meeting deck's speaker notes, so both say the same.
"""

from __future__ import annotations

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
