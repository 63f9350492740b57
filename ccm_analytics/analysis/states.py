"""States: entry into force, status on a day, and universalization over time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import N_, _
from . import treaty
from .plans import ActionPlan, plan_in_force

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
    from ..formatting import label

    return _(STATUS_LABELS[status]) if status == "not_yet" else label(status)


def state_table(states: pd.DataFrame) -> pd.DataFrame:
    """Each state with ``eif``: its given entry into force, else the Article 17 date.

    Args:
        states: The ``states`` dataset (stored form).

    Returns:
        A new frame with the dataset's columns plus ``eif_computed`` and ``eif``.
    """
    computed = treaty.entry_into_force(states["ratification_date"])
    eif = states["entry_into_force"].where(states["entry_into_force"].notna(), computed)
    return states.assign(eif_computed=computed, eif=eif.where(states["ratification_date"].notna()))


def is_party(states: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """A State Party on D: deposited on or before D and no withdrawal on or before D."""
    as_of = pd.Timestamp(as_of)
    return (states["ratification_date"] <= as_of) & ~(states["withdrawal_date"] <= as_of)


def status_on(states: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Each state's status on D: state_party, signatory, withdrawn or not_yet."""
    as_of = pd.Timestamp(as_of)
    party = is_party(states, as_of)
    withdrawn = states["withdrawal_date"] <= as_of
    signed = (states["signature_date"] <= as_of) & ~party & ~withdrawn
    status = np.select([party, withdrawn, signed], ["state_party", "withdrawn", "signatory"], "not_yet")
    return pd.Series(status, index=states.index, dtype="str")


@dataclass(frozen=True)
class Universalization:
    """How many states are bound on D, and the action plan in force on D (DOMAIN.md §3).

    Attributes:
        as_of: The day counted.
        states_parties: States Parties (counted from deposit).
        in_force: States Parties for which the Convention is in force.
        signatories: Signatories that are not (yet) States Parties.
        plan: The action plan in force on D (None before the first was adopted).
        joined_since_plan: States Parties on D whose instrument was deposited on or after the plan's
            adoption (0 without a plan).
    """

    as_of: pd.Timestamp
    states_parties: int
    in_force: int
    signatories: int
    plan: ActionPlan | None = None
    joined_since_plan: int = 0

    @property
    def target(self) -> int | None:
        """The count of States Parties the plan in force aims at (None when it sets none)."""
        return self.plan.target if self.plan is not None and self.plan.has_target else None

    @property
    def target_year(self) -> int | None:
        return self.plan.target_year if self.plan is not None and self.plan.has_target else None

    @property
    def to_target(self) -> int | None:
        """States Parties still needed to reach the target (0 when reached; None without a target)."""
        return None if self.target is None else max(self.target - self.states_parties, 0)

    @property
    def target_passed(self) -> bool:
        """Whether the target's year is over (the plan that set it may still be in force)."""
        return self.target_year is not None and self.as_of.year > self.target_year


def universalization(states: pd.DataFrame, as_of: pd.Timestamp) -> Universalization:
    """Counts of States Parties, in force and signatories on D."""
    t = state_table(states)
    status = status_on(t, as_of)
    party = status == "state_party"
    plan = plan_in_force(as_of)
    joined = int((party & (t["ratification_date"] >= plan.adopted_on)).sum()) if plan is not None else 0
    return Universalization(
        as_of=pd.Timestamp(as_of),
        states_parties=int(party.sum()),
        in_force=int((party & (t["eif"] <= pd.Timestamp(as_of))).sum()),
        signatories=int((status == "signatory").sum()),
        plan=plan,
        joined_since_plan=joined,
    )


def parties_over_time(states: pd.DataFrame, end: pd.Timestamp, start: pd.Timestamp | None = None) -> pd.DataFrame:
    """States Parties, in force and signatories on every day something changed.

    Args:
        states: The ``states`` dataset.
        end: Last day of the series (the as-of day).
        start: First day (default: the Convention's opening for signature).

    Returns:
        Columns ``date``, ``states_parties``, ``in_force``, ``signatories``, one row per
        day on which a count changed, plus ``start`` and ``end``; a step series.
    """
    t = state_table(states)
    start = pd.Timestamp(start) if start is not None else treaty.OPENED_FOR_SIGNATURE
    end = pd.Timestamp(end)
    events = pd.concat([t[c] for c in ("ratification_date", "eif", "signature_date", "withdrawal_date")])
    days = np.unique(np.concatenate([
        events[(events > start) & (events <= end)].dropna().to_numpy(dtype="datetime64[us]"),
        np.array([start, end], dtype="datetime64[us]"),
    ]))
    days = days[days <= np.datetime64(end, "us")]

    def on(col: str) -> np.ndarray:
        v = t[col].to_numpy(dtype="datetime64[us]")
        return (v[:, None] <= days[None, :]) & ~np.isnat(v)[:, None]

    withdrawn = on("withdrawal_date")
    party = on("ratification_date") & ~withdrawn
    return pd.DataFrame({
        "date": pd.to_datetime(days).astype("datetime64[us]"),
        "states_parties": party.sum(axis=0),
        "in_force": (party & on("eif")).sum(axis=0),
        "signatories": (on("signature_date") & ~party & ~withdrawn).sum(axis=0),
    })


def joins_by_year(states: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """New States Parties per calendar year up to D, split by ratification and accession.

    Returns:
        Columns ``year``, ``ratifications``, ``accessions``, ``joined``, ``states_parties``
        (at the end of the year, or on D for D's year).
    """
    as_of = pd.Timestamp(as_of)
    joined = states[states["ratification_date"] <= as_of]
    acc = joined["accession"].fillna(joined["signature_date"].isna()).astype(bool)
    years = joined["ratification_date"].dt.year
    first = treaty.OPENED_FOR_SIGNATURE.year
    index = pd.Index(range(first, as_of.year + 1), name="year")
    out = pd.DataFrame({
        "ratifications": years[~acc].value_counts().reindex(index, fill_value=0),
        "accessions": years[acc].value_counts().reindex(index, fill_value=0),
    })
    out["joined"] = out["ratifications"] + out["accessions"]
    ends = [min(pd.Timestamp(y, 12, 31), as_of) for y in index]
    out["states_parties"] = [int(is_party(states, d).sum()) for d in ends]
    return out.reset_index()


def signatories_to_ratify(states: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Signatories on D that have not deposited an instrument, longest-waiting first."""
    status = status_on(states, as_of)
    sig = states[status == "signatory"]
    out = sig[["state", "iso3", "region", "signature_date"]].copy()
    out["years_since_signature"] = ((pd.Timestamp(as_of) - out["signature_date"]).dt.days / 365.25).round(1)
    return out.sort_values(["signature_date", "state"]).reset_index(drop=True)


def status_table(states: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every state with its status on D (for the map and the state list)."""
    t = state_table(states)
    t = t.assign(status=status_on(t, as_of))
    t["status_label"] = t["status"].map(status_label)
    return t
