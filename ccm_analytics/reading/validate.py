"""The rules a load must enforce (DOMAIN.md section 1), each reported to the cell.

Rules run on :class:`ParsedTable` objects (typed frames that remember each record's Excel
row) and, for references between datasets, on what is already stored. Each rule appends
problems to its table; nothing here raises.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
from babel.lists import format_list

from .. import countries, i18n
from .. import formatting as fmt
from ..analysis import deadlines as dl
from ..analysis.budget import fold_line
from ..analysis import treaty
from ..i18n import _
from .parse import ParsedTable

EARLIEST_PLAUSIBLE = pd.Timestamp("2008-01-01")
LATEST_PLAUSIBLE = pd.Timestamp("2100-12-31")
# Columns recording something that already happened: a date after today is suspicious.
PAST_EVENT_COLUMNS = {
    "states": ("signature_date", "ratification_date"),
    "reports": ("submitted_on",),
    "obligations": ("completed_on",),
    "extensions": ("granted_on", "requested_on"),
    "spend": ("date",),
    "contributions": ("date",),
    "followups": ("date",),
}
# Dates that may lie before the Convention: stocks destroyed years before a State joined.
PRE_CONVENTION_ALLOWED = {"obligations": ("completed_on",)}


def _fmt(d) -> str:
    """A day as people read it in the run's language (``5 Sep 2018``, ``5 sept. 2018``)."""
    try:
        return fmt.day(pd.Timestamp(d))
    except (ValueError, NotImplementedError, OverflowError):
        return str(d)


def _or_list(items: list[str]) -> str:
    """``'A' or 'B'`` in the run's language (``'A' ou 'B'``, ``'A' o 'B'``)."""

    if i18n.current() == "en":
        return " or ".join(items)

    return format_list(items, style="or", locale=i18n.locale())


def _positions(mask) -> np.ndarray:
    return np.flatnonzero(np.asarray(pd.Series(mask).fillna(False), dtype=bool))


# -- state names ------------------------------------------------------------------------------

def _resolve_names(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO3 code per name (NA where unknown) and a message per unknown name."""
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    iso = np.array([countries.to_iso3(u) for u in uniques] + [None], dtype=object)
    msg = []
    for u, code in zip(uniques, iso):
        if code is not None:
            msg.append(None)
            continue
        close = countries.suggest(u)
        if close:
            msg.append(_("'{name}' is not a state name we know. Did you mean {suggestions}? Use the UN short name "
                         "(e.g. 'Lao People's Democratic Republic') or the ISO3 code.").format(
                name=u, suggestions=_or_list([repr(c) for c in close])))
        else:
            msg.append(_("'{name}' is not a state name we know. Use the UN short name (e.g. 'Lao People's "
                         "Democratic Republic') or the ISO3 code.").format(name=u))
    msg.append(None)
    idx = np.where(codes < 0, len(uniques), codes)
    return pd.Series(iso[idx], index=names.index, dtype="str"), pd.Series(np.array(msg, dtype=object)[idx], index=names.index)


def resolve_states_sheet(t: ParsedTable) -> None:
    """Give every row of ``states`` its ISO3 code; check duplicates and given codes."""
    f = t.frame
    iso, msg = _resolve_names(f["state"])
    given = f["iso3"].str.strip().str.upper()
    given_ok = given.isin(countries.known_codes())
    # An unknown name with a valid ISO3 code is accepted (with a warning).
    rescue = iso.isna() & given_ok
    if rescue.any():
        t.add(_positions(rescue), "state", _("this name is not one we know; the ISO3 code in the same row was used."),
              severity="warning", values=list(f.loc[rescue, "state"]))
    bad_name = iso.isna() & ~given_ok & f["state"].notna()
    if bad_name.any():
        t.add(_positions(bad_name), "state", list(msg[bad_name]), values=list(f.loc[bad_name, "state"]))
    bad_code = f["iso3"].notna() & ~given_ok
    if bad_code.any():
        t.add(_positions(bad_code), "iso3", _("not an ISO 3166-1 alpha-3 code (three capital letters, e.g. BGR)."),
              values=list(f.loc[bad_code, "iso3"]))
    clash = iso.notna() & given_ok & (iso != given)
    if clash.any():
        t.add(_positions(clash), "iso3", [_("the state name means {code} but this cell says {given}; correct one of "
                                            "them.").format(code=a, given=b)
                                          for a, b in zip(iso[clash], given[clash])], values=list(f.loc[clash, "iso3"]))
    f["iso3"] = iso.where(iso.notna(), given.where(given_ok))
    _duplicates(t, ["iso3"], _("listed twice, also on row {first}; keep one row per state."), column="state",
                whole_row=True)


def resolve_state_column(t: ParsedTable, known: set[str], states_where: str) -> None:
    """Give each row its ISO3 code; the state must be listed in ``states``."""
    f = t.frame
    iso, msg = _resolve_names(f["state"])
    unknown = iso.isna() & f["state"].notna()
    if unknown.any():
        t.add(_positions(unknown), "state", list(msg[unknown]), values=list(f.loc[unknown, "state"]))
    missing = iso.notna() & ~iso.isin(known)
    if missing.any():
        t.add(_positions(missing), "state",
              _("this state is not in the states list ({where}); add it there first.").format(where=states_where),
              values=list(f.loc[missing, "state"]))
    f["iso3"] = iso


def _duplicates(t: ParsedTable, keys: list[str], message: str, column: str, severity: str = "error",
                whole_row: bool = False) -> None:
    """Flag every row whose ``keys`` repeat an earlier row's (message may use {first}); ``whole_row``
    names the row (``row 8 (Albania)``) rather than one cell."""
    f = t.frame
    valid = f[keys].notna().all(axis=1)
    dup = f.duplicated(keys, keep="first") & valid
    if not dup.any():
        return
    first_row = f[valid].groupby(keys, dropna=False)["_row"].transform("min")
    pos = _positions(dup)
    t.add(pos, None if whole_row else column, [message.format(first=int(first_row.loc[f.index[p]])) for p in pos],
          severity=severity, values=list(f.iloc[pos][column]))


# -- per-dataset rules --------------------------------------------------------------------------

def check_states(t: ParsedTable) -> None:
    f = t.frame
    early = f["ratification_date"] < f["signature_date"]
    if early.any():
        t.add(_positions(early), "ratification_date",
              [_("ratification ({ratification}) is before signature ({signature}); check both dates.").format(
                  ratification=_fmt(r), signature=_fmt(s))
               for r, s in zip(f.loc[early, "ratification_date"], f.loc[early, "signature_date"])],
              values=list(f.loc[early, "ratification_date"].dt.date))
    for col in ("signature_date", "ratification_date"):
        before = f[col] < treaty.OPENED_FOR_SIGNATURE
        if before.any():
            t.add(_positions(before), col, _("is before the Convention opened for signature (3 Dec 2008); check the "
                                             "year."),
                  values=list(f.loc[before, col].dt.date))
    w = f["withdrawal_date"]
    orphan = w.notna() & (f["ratification_date"].isna() | (w < f["ratification_date"]))
    if orphan.any():
        t.add(_positions(orphan), "withdrawal_date",
              _("a withdrawal needs an earlier ratification or accession date in the same row."),
              values=list(w[orphan].dt.date))
    computed = treaty.entry_into_force(f["ratification_date"])
    given = f["entry_into_force"]
    mismatch = given.notna() & computed.notna() & (given != computed)
    if mismatch.any():
        t.add(_positions(mismatch), "entry_into_force",
              [_("Article 17 gives {computed} for this deposit date; the date given here ({given}) is used.").format(
                  computed=_fmt(c), given=_fmt(g))
               for g, c in zip(given[mismatch], computed[mismatch])],
              severity="warning", values=list(given[mismatch].dt.date))
    no_dep = given.notna() & f["ratification_date"].isna()
    if no_dep.any():
        t.add(_positions(no_dep), "entry_into_force",
              _("an entry-into-force date needs a ratification or accession date in the same row."),
              values=list(given[no_dep].dt.date))


def check_reports(t: ParsedTable, today: pd.Timestamp) -> None:
    f = t.frame
    annual = f["report_type"] == "annual"
    no_year = annual & f["year"].isna()
    if no_year.any():
        t.add(_positions(no_year), "year", _("an annual report needs the calendar year it covers (e.g. 2017)."))
    odd = annual & ((f["year"] < 2010) | (f["year"] > today.year))
    if odd.any():
        t.add(_positions(odd), "year", _("annual reports cover 2010 or later, up to this year; check the year."),
              values=list(f.loc[odd, "year"]))
    early = annual & (f["submitted_on"].dt.year <= f["year"])
    if early.any():
        t.add(_positions(early), "submitted_on",
              _("submitted before the year it covers had ended; check the year or the date."),
              severity="warning", values=list(f.loc[early, "submitted_on"].dt.date))
    initial_year = (f["report_type"] == "initial") & f["year"].notna()
    if initial_year.any():
        t.add(_positions(initial_year), "year", _("an initial report covers no year; this year is ignored."),
              severity="warning", values=list(f.loc[initial_year, "year"]))
    keyed = f.assign(year=f["year"].where(annual)).sort_values("submitted_on", kind="stable")
    later = keyed.duplicated(["iso3", "report_type", "year"], keep="first") & keyed["iso3"].notna()
    if later.any():
        pos = np.sort(f.index.get_indexer(keyed.index[later]))
        t.add(pos, "submitted_on", _("the same report was received twice; the earlier date counts."),
              severity="warning", values=list(f.iloc[pos]["submitted_on"].dt.date))


def check_obligations(t: ParsedTable, states: pd.DataFrame) -> None:
    _duplicates(t, ["iso3", "article"], _("this obligation is listed twice (also on row {first}); keep one row."),
                column="article")
    f = t.frame
    ratified = set(states.loc[states["ratification_date"].notna(), "iso3"])
    never = f["iso3"].notna() & ~f["iso3"].isin(ratified)
    never &= f["iso3"].isin(set(states["iso3"]))
    if never.any():
        t.add(_positions(never), "state", _("only States Parties have Article 3/4 obligations, and this state has "
                                            "no ratification or accession date in the states list."), values=list(f.loc[never, "state"]))
    _check_obligation_record(t)


def _check_obligation_record(t: ParsedTable) -> None:
    """Completion precision, outcome and quantity (DOMAIN.md section 6)."""
    f = t.frame
    precision = f["completed_precision"].str.strip().str.casefold()
    bad = precision.notna() & ~precision.isin(dl.PRECISIONS)
    if bad.any():
        t.add(_positions(bad), "completed_precision", _("write day, month or year (how precisely the completion "
                                                        "date is known)."), values=list(f.loc[bad, "completed_precision"]))
    f["completed_precision"] = precision.where(~bad)
    outcome = f["outcome"].str.strip().str.casefold()
    odd = outcome.notna() & ~outcome.isin(["completed", "none_held"])
    if odd.any():
        t.add(_positions(odd), "outcome", _("write completed, or none_held when the State declared it never held "
                                            "any (leave empty for completed)."), values=list(f.loc[odd, "outcome"]))
    f["outcome"] = outcome.where(~odd)
    undated = f["completed_on"].isna() & (precision.notna() | (outcome == "none_held"))
    if undated.any():
        t.add(_positions(undated), "completed_on", _("a completion precision or a none_held outcome needs the date "
                                                     "in completed_on (any day of the month or year for month or "
                                                     "year precision)."))
    neg = f["quantity"] < 0
    if neg.any():
        t.add(_positions(neg), "quantity", _("a quantity cannot be negative."), values=list(f.loc[neg, "quantity"]))


def check_extensions(t: ParsedTable, obligations: pd.DataFrame | None, states: pd.DataFrame) -> None:
    _duplicates(t, ["iso3", "article", "granted_on"],
                _("this extension is listed twice (also on row {first}); keep one row."), column="granted_on")
    f = t.frame
    # A pending request (requested_on, no granted_on) is keyed by its request date.
    pending = t.frame["granted_on"].isna()
    if pending.any():
        t.frame = f.assign(_pending_key=f["requested_on"].where(pending))
        _duplicates(t, ["iso3", "article", "_pending_key"], _("this pending request is listed twice (also on row "
                                                              "{first}); keep one row."), column="requested_on")
        t.frame = f
    neither = f["granted_on"].isna() & f["requested_on"].isna()
    if neither.any():
        t.add(_positions(neither), "granted_on", _("an extension needs the day it was granted, or, while the "
                                                   "request is pending, the day it was requested (requested_on)."))
    no_new = f["granted_on"].notna() & f["new_deadline"].isna()
    if no_new.any():
        t.add(_positions(no_new), "new_deadline", _("a granted extension needs its new deadline."),
              values=list(f.loc[no_new, "granted_on"].dt.date))
    backwards = f["new_deadline"] <= f["granted_on"]
    if backwards.any():
        t.add(_positions(backwards), "new_deadline", _("the new deadline is not after the day it was granted."),
              values=list(f.loc[backwards, "new_deadline"].dt.date))
    late_req = f["requested_on"] > f["granted_on"]
    if late_req.any():
        t.add(_positions(late_req), "requested_on", _("requested after it was granted; check the dates."),
              severity="warning", values=list(f.loc[late_req, "requested_on"].dt.date))
    if obligations is None:
        return
    have = obligations[["iso3", "article"]].drop_duplicates().assign(_has=True)
    m = f[["iso3", "article"]].merge(have, on=["iso3", "article"], how="left")["_has"].fillna(False).to_numpy(dtype=bool)
    orphan = ~m & f["iso3"].notna().to_numpy() & f["article"].notna().to_numpy()
    if orphan.any():
        t.add(np.flatnonzero(orphan), "article", _("there is no obligations row for this state and article, so this "
                                                   "extension has nothing to extend; add the obligation."), severity="warning",
              values=list(f.loc[orphan, "article"]))
    _check_extension_lengths(t, obligations, states)


def _check_extension_lengths(t: ParsedTable, obligations: pd.DataFrame, states: pd.DataFrame) -> None:
    """Warn when an extension is longer than the Convention allows (4 or 5 years)."""
    f = t.frame.reset_index(drop=True).assign(_pos=np.arange(len(t.frame)))
    base = dl.obligation_deadlines(states, obligations)[["iso3", "article", "deadline"]]
    e = f.dropna(subset=["iso3", "article", "granted_on", "new_deadline"]).merge(base, on=["iso3", "article"])
    e = e.sort_values(["iso3", "article", "granted_on"])
    prev = e.groupby(["iso3", "article"])["new_deadline"].shift(1)
    e["previous"] = prev.where(prev.notna(), e["deadline"])
    long_ = dl.extension_too_long(e["previous"], e["new_deadline"], e["article"]).fillna(False)
    if long_.any():
        bad = e[long_.to_numpy(dtype=bool)]
        t.add(bad["_pos"].to_numpy(), "new_deadline",
              [_("this extends the deadline from {day} by more than the {years} years Article {article} allows; check "
                 "the date.").format(day=_fmt(p), years=treaty.EXTENSION_YEARS[int(a)], article=int(a))
               for p, a in zip(bad["previous"], bad["article"])],
              severity="warning", values=list(bad["new_deadline"].dt.date))


def check_budget(t: ParsedTable) -> None:
    f = t.frame
    neg = f["amount"] < 0
    if neg.any():
        t.add(_positions(neg), "amount", _("a budget amount cannot be negative."), values=list(f.loc[neg, "amount"]))
    odd = (f["year"] < 2008) | (f["year"] > 2100)
    if odd.any():
        t.add(_positions(odd), "year", _("not a plausible budget year; check it."), values=list(f.loc[odd, "year"]))
    _unify_cost_lines(t)
    _duplicates(t, ["year", "cost_line"], _("this cost line is budgeted twice for the same year (also on row "
                                            "{first}); keep one row or add them up."), column="cost_line")
    f["currency"] = f["currency"].str.upper().fillna("CHF")
    mixed = f.groupby("year")["currency"].transform("nunique") > 1
    if mixed.any():
        t.add(_positions(mixed), "currency", _("the lines of one year use different currencies; convert them to one."),
              values=list(f.loc[mixed, "currency"]))


def line_key(s: pd.Series) -> pd.Series:
    """Cost lines folded for matching (case, spaces, ``_`` and ``-`` ignored), one call per distinct line."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    keys = np.array([fold_line(u) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[np.where(codes < 0, len(uniques), codes)], index=s.index, dtype="str")


def _unify_cost_lines(t: ParsedTable) -> None:
    """Lines written two ways ("Travel" / "travel ") become one, with a warning."""
    f = t.frame
    key = line_key(f["cost_line"])
    canonical = f.groupby(key)["cost_line"].transform("first")
    differs = f["cost_line"].notna() & (canonical != f["cost_line"])
    if differs.any():
        t.add(_positions(differs), "cost_line",
              [_("written differently elsewhere; treated as the same line '{line}'.").format(line=c)
               for c in canonical[differs]],
              severity="warning", values=list(f.loc[differs, "cost_line"]))
    f["cost_line"] = canonical


def check_spend(t: ParsedTable, budget: pd.DataFrame, budget_where: str) -> None:
    f = t.frame
    lines = budget.assign(_key=line_key(budget["cost_line"]))
    year = f["date"].dt.year.astype("Int64")
    probe = pd.DataFrame({"year": year, "_key": line_key(f["cost_line"])})
    found = probe.merge(lines[["year", "_key", "cost_line"]].drop_duplicates(["year", "_key"]),
                        on=["year", "_key"], how="left")["cost_line"]
    found.index = f.index
    bad = found.isna() & f["cost_line"].notna() & f["date"].notna()
    if bad.any():
        by_year = budget.dropna(subset=["cost_line"]).groupby("year")["cost_line"].apply(list).to_dict()
        messages = []
        for line, y in zip(f.loc[bad, "cost_line"], year[bad]):
            known = by_year.get(int(y), [])
            if not known:
                messages.append(_("there is no budget for {year} ({where}); load that year's budget or check the "
                                  "date.").format(year=y, where=budget_where))
                continue
            close = difflib.get_close_matches(line, known, n=1, cutoff=0.5)
            message = (_("'{line}' is not a budget line for {year}. Did you mean '{suggestion}'? Lines for {year}: "
                         "{lines}.") if close else
                       _("'{line}' is not a budget line for {year}. Lines for {year}: {lines}."))
            messages.append(message.format(line=line, year=y, suggestion=close[0] if close else "",
                                           lines=", ".join(sorted(known))))
        t.add(_positions(bad), "cost_line", messages, values=list(f.loc[bad, "cost_line"]))
    f["cost_line"] = found.where(found.notna(), f["cost_line"])


def check_contributions(t: ParsedTable) -> None:
    f = t.frame
    neg = f["amount"] < 0
    if neg.any():
        t.add(_positions(neg), "amount", _("a negative contribution (a refund?) lowers the amount received."),
              severity="warning", values=list(f.loc[neg, "amount"]))
    odd = (f["year"] < 2008) | (f["year"] > 2100)
    if odd.any():
        t.add(_positions(odd), "year", _("not a plausible budget year; check it."), values=list(f.loc[odd, "year"]))


def check_pledges(t: ParsedTable) -> None:
    f = t.frame
    neg = f["amount"] < 0
    if neg.any():
        t.add(_positions(neg), "amount", _("a pledge cannot be negative; record a withdrawn pledge by removing its "
                                           "row."),
              values=list(f.loc[neg, "amount"]))
    odd = (f["year"] < 2008) | (f["year"] > 2100)
    if odd.any():
        t.add(_positions(odd), "year", _("not a plausible budget year; check it."), values=list(f.loc[odd, "year"]))


def check_meetings(t: ParsedTable) -> None:
    _duplicates(t, ["meeting"], _("this meeting is listed twice (also on row {first}); keep one row."),
                column="meeting")
    f = t.frame
    back = f["end_date"] < f["start_date"]
    if back.any():
        t.add(_positions(back), "end_date", _("the meeting ends before it starts."), values=list(f.loc[back, "end_date"].dt.date))
    for col in ("sponsored_delegates", "sponsored_states", "sponsorship_cost"):
        neg = f[col] < 0
        if neg.any():
            t.add(_positions(neg), col, _("cannot be negative."), values=list(f.loc[neg, col]))
    more = f["sponsored_states"] > f["sponsored_delegates"]
    if more.any():
        t.add(_positions(more), "sponsored_states", _("more sponsored states than sponsored delegates; check both."),
              severity="warning", values=list(f.loc[more, "sponsored_states"]))


def check_workplan(t: ParsedTable) -> None:
    _duplicates(t, ["activity"], _("this activity number is used twice (also on row {first})."), column="activity")


FOLLOWUP_CHANNELS = ("letter", "email", "meeting", "call")


def check_followups(t: ParsedTable) -> None:
    """The channel is one of letter, email, meeting, call (any case); a promise is not dated before the contact."""
    f = t.frame
    channel = f["channel"].str.strip().str.casefold().replace({"e-mail": "email", "phone": "call",
                                                               "phone call": "call"})
    bad = channel.notna() & ~channel.isin(FOLLOWUP_CHANNELS)
    if bad.any():
        t.add(_positions(bad), "channel", [_("'{value}' is not a channel: use one of {channels}.").format(
                                               value=v, channels=", ".join(FOLLOWUP_CHANNELS))
                                           for v in f.loc[bad, "channel"]], values=list(f.loc[bad, "channel"]))
    f["channel"] = channel
    early = f["promised_on"] < f["date"]
    if early.any():
        t.add(_positions(early), "promised_on", _("the promised date is before the contact itself; check both dates."),
              values=list(f.loc[early, "promised_on"].dt.date))


def check_dates(t: ParsedTable, today: pd.Timestamp) -> None:
    """Dates before 2008 are errors; past events dated after today are warnings."""
    f = t.frame
    for col in t.dataset.column_names:
        if t.dataset.column(col).kind != "date":
            continue
        old = f[col] < EARLIEST_PLAUSIBLE
        if col in PRE_CONVENTION_ALLOWED.get(t.dataset.name, ()):
            old = f[col] < pd.Timestamp("1950-01-01")
        if old.any():
            t.add(_positions(old), col, _("is before 2008, before the Convention existed; check the year."),
                  values=list(f.loc[old, col].dt.date))
        far = f[col] > LATEST_PLAUSIBLE
        if far.any():
            t.add(_positions(far), col, _("is after 2100, which cannot be right here; check the year (a placeholder "
                                          "such as 9999-12-31 is not a date: leave the cell empty instead)."), values=list(f.loc[far, col].dt.date))
            f.loc[far, col] = pd.NaT  # so later rules do not compute with it
        if col in PAST_EVENT_COLUMNS.get(t.dataset.name, ()):
            future = f[col] > today
            if future.any():
                t.add(_positions(future), col, _("is in the future; check the date."), severity="warning",
                      values=list(f.loc[future, col].dt.date))

