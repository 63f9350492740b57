"""The follow-up log: contacts with States about their overdue reports, as known on D.

A *follow-up* is one contact (letter, email, meeting or call) with a State, on a day, by
someone, with a note and optionally the day the State *promised* to submit its missing
reports by. On D only contacts dated on or before D are known. A State's *promise is
missed* on D when the latest promise it made (in a contact dated on or before D) is dated
before D and the State still has a report overdue on D.
"""

from __future__ import annotations

import pandas as pd

CHANNELS = ("letter", "email", "meeting", "call")
LAST_CONTACT_COLUMNS = ["last_contact", "last_channel", "last_by", "last_note", "promised_on", "promise_missed"]


def known_followups(followups: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Contacts dated on or before D, newest first (later ones are not shown in a view as at D)."""
    f = followups[followups["date"] <= pd.Timestamp(as_of)]
    return f.sort_values(["date", "iso3"], ascending=[False, True], kind="stable").reset_index(drop=True)


def last_contacts(followups: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per State: its latest contact on or before D and its latest promise made by D.

    Returns:
        Indexed by ``iso3``: ``last_contact`` (date), ``last_channel``, ``last_by``,
        ``last_note``, ``promised_on`` (the promise of the latest contact that made one; NaT if
        none), ``promise_missed`` (promised_on is before D).
    """
    as_of = pd.Timestamp(as_of)
    f = known_followups(followups, as_of)
    if f.empty:
        return pd.DataFrame(columns=LAST_CONTACT_COLUMNS, index=pd.Index([], name="iso3"))
    last = f.drop_duplicates("iso3").set_index("iso3")  # newest first, so the first per State is its latest
    out = pd.DataFrame({"last_contact": last["date"], "last_channel": last["channel"],
                        "last_by": last["by"], "last_note": last["note"]})
    promises = f[f["promised_on"].notna()].drop_duplicates("iso3").set_index("iso3")["promised_on"]
    out["promised_on"] = promises.reindex(out.index)
    out["promise_missed"] = (out["promised_on"] < as_of).fillna(False).astype(bool)
    return out


def with_last_contact(by_state: pd.DataFrame, followups: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The overdue-by-State table with each State's last contact and "promise missed" flag.

    Every State in ``by_state`` has a report overdue on D, so a promise dated before D that
    it made is a promise missed.
    """
    contacts = last_contacts(followups, as_of)
    out = by_state.join(contacts, on="iso3")
    out["promise_missed"] = out["promise_missed"].fillna(False).astype(bool)
    out["last_contact"] = pd.to_datetime(out["last_contact"]).astype("datetime64[us]")
    out["promised_on"] = pd.to_datetime(out["promised_on"]).astype("datetime64[us]")
    return out
