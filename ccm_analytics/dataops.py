"""Data operations behind the Data page: check an upload, store it, roll back, restore the sample.

Checking never writes. Storing is done only for a check made against the store's current
version, so what the user previewed is exactly what gets stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from . import formatting as fmt
from .data import CcmData
from .errors import LoadError, Problem
from .i18n import _, ngettext
from .io import Source, read_inputs
from .io.load import LoadResult
from .provenance import SAMPLE_PATH
from .store import DatasetDiff, Store, Version, diff_data

TEMPLATES = SAMPLE_PATH.parent / "templates"


APPEND_KEY = ["date", "cost_line", "amount", "description"]


@dataclass(frozen=True)
class AppendReport:
    """What appending spend rows would do (DOMAIN §8).

    Attributes:
        added: Rows of the files added to the stored spend.
        duplicates: Rows of the files skipped because the store already holds a row with the same
            date, cost line, amount (to the cent) and description (blank equals blank).
    """

    added: int
    duplicates: pd.DataFrame

    def sentence(self) -> str:
        n = len(self.duplicates)
        added = ngettext("{n} spend row added to the stored spend", "{n} spend rows added to the stored spend",
                         self.added).format(n=fmt.number(self.added))
        skipped = (ngettext("{n} row skipped: already stored with the same date, cost line, amount and description",
                            "{n} rows skipped: already stored with the same date, cost line, amount and description",
                            n).format(n=fmt.number(n)) if n else _("no duplicate of a stored row"))
        # Translators: two clauses about one append of spend rows: what was added; what was skipped.
        return _("{added}; {skipped}.").format(added=added, skipped=skipped)


def append_spend(result: LoadResult, base: CcmData) -> tuple[LoadResult, AppendReport]:
    """Turn a checked load of spend rows into an append: the stored spend plus the new rows, exact
    duplicates of stored rows skipped and reported. Only ``spend`` can be appended.

    Raises:
        LoadError: The files hold another dataset than spend, or no spend.
    """
    other = sorted(n for n in result.frames if n != "spend")
    files = ", ".join(s.name for s in result.sources) or None
    if other or "spend" not in result.frames:
        if other and "spend" in result.frames:
            message = _("adding rows works for spend only, and these files also hold {datasets}. Load the other "
                        "datasets without 'add to the stored spend' (they replace what is stored).")
        elif other:
            message = _("adding rows works for spend only, and these files hold {datasets} but no spend. Load the "
                        "other datasets without 'add to the stored spend' (they replace what is stored).")
        else:
            message = _("adding rows works for spend only, and these files hold no dataset but no spend. Load the "
                        "other datasets without 'add to the stored spend' (they replace what is stored).")
        raise LoadError([Problem(message.format(datasets=", ".join(other)), file=files)], result.warnings)
    new = result.frames["spend"]
    old = base.spend

    def keyed(f: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"date": f["date"], "cost_line": f["cost_line"].astype("str"),
                             "amount": f["amount"].round(2), "description": f["description"].fillna("").astype("str")})

    stored = keyed(old).drop_duplicates()
    probe = keyed(new).reset_index().merge(stored, on=APPEND_KEY, how="left", indicator=True)
    dup = probe.loc[probe["_merge"] == "both", "index"].to_numpy()
    is_dup = new.index.isin(dup)
    combined = pd.concat([old, new[~is_dup]], ignore_index=True)
    frames = {"spend": combined}
    report = AppendReport(int((~is_dup).sum()), new[is_dup].reset_index(drop=True))
    warnings = list(result.warnings)
    if len(report.duplicates):
        warnings.append(Problem(ngettext("{n} spend row skipped: the store already holds the same date, cost line, "
                                         "amount and description.",
                                         "{n} spend rows skipped: the store already holds the same date, cost line, "
                                         "amount and description.", len(report.duplicates)).format(
                                             n=fmt.number(len(report.duplicates))),
                                file=files, severity="warning"))
    return LoadResult(frames, base.with_frames(frames), result.sources, warnings), report


@dataclass(frozen=True)
class UploadCheck:
    """The outcome of checking uploaded files against the store.

    Attributes:
        version: The store version the files were checked against.
        result: What would be stored (None when there are errors).
        errors, warnings: Every problem found, located.
        changes: Per carried dataset, rows added, removed and changed.
    """

    version: int
    result: LoadResult | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changes: list[DatasetDiff] = field(default_factory=list)
    appended: AppendReport | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.errors


def check_upload(store: Store, files: list[tuple[str, bytes]], today=None, append: bool = False) -> UploadCheck:
    """Validate uploaded files against the stored data and preview what would change
    (``append``: add the files' spend rows to the stored spend, see :func:`append_spend`)."""
    version, base = store.snapshot()
    report = None
    try:
        result = read_inputs([Source(name, data) for name, data in files], base, today=today)
        if append:
            result, report = append_spend(result, base)
    except LoadError as e:
        return UploadCheck(version, None, e.problems, e.warnings)
    changes = diff_data(base, result.data, datasets=list(result.frames))
    return UploadCheck(version, result, [], result.warnings, changes, report)


def store_upload(store: Store, check: UploadCheck, user: str) -> Version:
    """Store a checked upload as a new version (refused if the store moved on since the check)."""
    if not check.ok:
        raise LoadError(check.errors, check.warnings)
    return store.load(check.result, user=user, expected_version=check.version)


def restore_sample(store: Store, user: str) -> Version:
    """Load the bundled sample workbook as a new version."""
    version, base = store.snapshot()
    result = read_inputs([Source.from_path(SAMPLE_PATH)], base)
    return store.load(result, user=user, action="sample", note="bundled sample data", expected_version=version)


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table: file, sheet, cell, column, State, value, message."""
    cols = ["severity", "file", "sheet", "row", "cell", "column", "state", "value", "message"]
    table = pd.DataFrame([p.as_dict() for p in problems], columns=cols).astype({"row": "Int64"})
    text = [c for c in cols if c != "row"]
    table[text] = table[text].astype(object).where(table[text].notna(), "—")  # no blank "None" in the table
    return table


def changes_table(changes: list[DatasetDiff], row_counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame([{"dataset": d.dataset, "rows": row_counts.get(d.dataset, 0), "added": d.added,
                          "removed": d.removed, "changed": d.changed, "unchanged": d.unchanged} for d in changes])


def removal_notes(changes: list[DatasetDiff]) -> list[str]:
    """One sentence per dataset whose stored rows the upload would remove."""
    return [ngettext("Storing removes {n} {dataset} row that is not in your files (the whole {dataset} dataset is "
                     "replaced). Roll back afterwards if that was not intended.",
                     "Storing removes {n} {dataset} rows that are not in your files (the whole {dataset} dataset is "
                     "replaced). Roll back afterwards if that was not intended.", d.removed).format(
        n=fmt.number(d.removed), dataset=d.dataset) for d in changes if d.removed]


def datasets_table(store: Store) -> pd.DataFrame:
    """What the store holds: rows per dataset and the load each came from."""
    status = store.status()
    prov = store.provenance(status.version)
    rows = []
    for name, n in status.rows.items():
        v = prov.get(name)
        files = ", ".join(s["name"] for s in v.sources) if v else ""
        rows.append({"dataset": name, "rows": n, "version": v.version if v else None,
                     "loaded_at": v.created_at.replace(tzinfo=None) if v else None,
                     "by": v.user if v else "", "from": files or (v.note if v else "")})
    return pd.DataFrame(rows).astype({"version": "Int64"})


def history_table(store: Store) -> pd.DataFrame:
    """Every version, newest first, with files and fingerprints."""
    rows = []
    for v in store.history():
        rows.append({"version": v.version, "when": v.created_at.replace(tzinfo=None), "action": v.action,
                     "by": v.user, "files": ", ".join(f"{s['name']} (SHA-256 {s['sha256'][:12]}…)" for s in v.sources)
                     or v.note,
                     "rows": ", ".join(f"{k} {fmt.number(n)}" for k, n in v.rows.items()), "warnings": len(v.warnings)})
    return pd.DataFrame(rows, columns=["version", "when", "action", "by", "files", "rows", "warnings"])


def csv_templates_zip() -> bytes:
    """Every CSV template in one zip file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(TEMPLATES.glob("*.csv")):
            z.write(p, p.name)
    return buf.getvalue()


def followup_source(existing: pd.DataFrame, new: list[dict]) -> Source:
    """The follow-up log (stored rows plus new contacts) as a ``followups.csv`` in input form."""
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["state", "date", "channel", "by", "note", "promised_on"])

    def cell(v):
        if v is None or v is pd.NaT or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return pd.Timestamp(v).date().isoformat() if isinstance(v, pd.Timestamp) else str(v)

    for r in existing.itertuples(index=False):
        w.writerow([r.iso3, cell(r.date), r.channel, cell(r.by), cell(r.note), cell(r.promised_on)])
    for r in new:
        w.writerow([r["state"], cell(r["date"]), r["channel"], cell(r["by"]), cell(r["note"]), cell(r["promised_on"])])
    return Source("followups.csv", buf.getvalue().encode("utf-8"))


def add_followup(store: Store, state, on, channel: str, note: str = "", promised_on=None, by: str = "",
                 user: str = "") -> Version:
    """Record a contact with one State (or the same contact with several) in the follow-up log,
    as one new version of the store.

    The log is stored like every dataset: this is a load of ``followups`` (the stored rows
    plus the new ones), validated by the same rules, kept in the history and undone by a
    rollback. The other datasets are untouched.

    Args:
        state: A State's ISO3 code or name, or a list of them.

    Raises:
        UsageError: An unknown State or channel, or a promise dated before the contact.
        LoadError: A new row breaks another rule of the loader.
    """
    from . import countries
    from .analysis.followups import CHANNELS
    from .errors import UsageError

    version, base = store.snapshot()
    known = set(base.states["iso3"])
    codes = []
    for name in [state] if isinstance(state, str) else list(state):
        iso3 = countries.to_iso3(name)
        if iso3 is None or iso3 not in known:
            close = countries.suggest(name)
            if close:
                from .io.validate import _or_list

                raise UsageError(_("'{name}' is not a State in the stored states list. Did you mean {suggestions}?")
                                 .format(name=name, suggestions=_or_list(list(close))))
            raise UsageError(_("'{name}' is not a State in the stored states list.").format(name=name))
        codes.append(iso3)
    if not codes:
        raise UsageError(_("Choose at least one State."))
    channel = str(channel).strip().casefold()
    if channel not in CHANNELS:
        raise UsageError(_("'{value}' is not a channel: use one of {channels}.").format(
            value=channel, channels=", ".join(CHANNELS)))
    on = pd.Timestamp(on)
    if promised_on is not None and pd.Timestamp(promised_on) < on:
        raise UsageError(_("The promised date {promised} is before the contact on {day}.").format(
            promised=pd.Timestamp(promised_on).date(), day=on.date()))
    src = followup_source(base.followups, [{"state": c, "date": on, "channel": channel, "by": by, "note": note,
                                            "promised_on": promised_on} for c in codes])
    result = read_inputs([src], base)
    names = dict(zip(base.states["iso3"], base.states["state"]))
    who = names.get(codes[0], codes[0]) if len(codes) == 1 else f"{len(codes)} States"
    return store.load(result, user=user or by, note=f"follow-up with {who} on {on.date().isoformat()} ({channel})",
                      expected_version=version)
