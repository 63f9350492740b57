"""Data operations behind the Data page: check an upload, store it, roll back, restore the sample.

Checking never writes. Storing is done only for a check made against the store's current
version, so what the user previewed is exactly what gets stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
import csv

import pandas as pd

from . import countries
from . import formatting as fmt
from . import paths
from .data import SAMPLE_COLUMN, CcmData
from .errors import LoadError, NothingToRollBack, Problem, UsageError
from .i18n import _, ngettext
from .reading import Source, read_inputs
from .reading.load import LoadResult
from .store import DatasetDiff, Store, Version, diff_data
from .analysis.followups import CHANNELS
from .reading.validate import _or_list

# The sample workbook and the blank templates (the Data page offers them for download).
SAMPLE_PATH = paths.SAMPLE_WORKBOOK
TEMPLATES = paths.TEMPLATES


APPEND_KEY = ["date", "cost_line", "amount", "description"]


@dataclass(frozen=True)
class AppendReport:
    """What appending spend rows would do (DOMAIN §8). Rows are compared as a multiset: each stored
    row matches one identical row of the files, so three identical rows in the files against two
    stored add one.

    Attributes:
        added: Rows of the files added to the stored spend.
        duplicates: Rows of the files skipped because each matches its own stored row with the same
            date, cost line, amount (to the cent) and description (blank equals blank); with
            ``in_files`` and ``stored``, how many identical rows the files and the store hold.
        extra: Rows added although identical rows are stored: the files hold more of them than the store.
    """

    added: int
    duplicates: pd.DataFrame
    extra: int = 0

    def sentence(self) -> str:
        n = len(self.duplicates)
        added = ngettext("{n} spend row added to the stored spend", "{n} spend rows added to the stored spend",
                         self.added).format(n=fmt.number(self.added))
        skipped = (ngettext("{n} row skipped: already stored with the same date, cost line, amount and description",
                            "{n} rows skipped: already stored with the same date, cost line, amount and description",
                            n).format(n=fmt.number(n)) if n else _("no duplicate of a stored row"))
        # Translators: two clauses about one append of spend rows: what was added; what was skipped.
        text = _("{added}; {skipped}.").format(added=added, skipped=skipped)
        if self.extra:
            text += " " + ngettext(
                "{n} of the rows added is identical to stored rows: the files hold that row more times than the "
                "store, and each stored row stands for one row of the files only.",
                "{n} of the rows added are identical to stored rows: the files hold those rows more times than the "
                "store, and each stored row stands for one row of the files only.", self.extra).format(
                n=fmt.number(self.extra))
        return text


def append_spend(result: LoadResult, base: CcmData) -> tuple[LoadResult, AppendReport]:
    """Turn a checked load of spend rows into an append: the stored spend plus the new rows, rows
    that match a stored row skipped and reported. Only ``spend`` can be appended.

    Rows are counted, not compared as a set: a row that the store holds ``s`` times and the files
    ``k`` times is skipped ``min(s, k)`` times (its first copies in the files) and added ``k - s``
    times when ``k > s``.

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
    new = result.frames["spend"].reset_index(drop=True)
    old = base.spend

    def keyed(f: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"date": f["date"], "cost_line": f["cost_line"].astype("str"),
                             "amount": f["amount"].round(2), "description": f["description"].fillna("").astype("str")})

    stored = keyed(old).groupby(APPEND_KEY, dropna=False).size().rename("stored").reset_index()
    probe = keyed(new)
    probe["copy"] = probe.groupby(APPEND_KEY, dropna=False).cumcount()  # 0 for a row's first copy in the files
    probe["in_files"] = probe.groupby(APPEND_KEY, dropna=False)["copy"].transform("size")
    probe = probe.merge(stored, on=APPEND_KEY, how="left").fillna({"stored": 0})
    is_dup = (probe["copy"] < probe["stored"]).to_numpy()
    extra = int(((probe["stored"] > 0) & ~is_dup).sum())
    combined = pd.concat([old, new[~is_dup]], ignore_index=True)
    frames = {"spend": combined}
    duplicates = new[is_dup].assign(in_files=probe.loc[is_dup, "in_files"].astype(int).to_numpy(),
                                    stored=probe.loc[is_dup, "stored"].astype(int).to_numpy())
    report = AppendReport(int((~is_dup).sum()), duplicates.reset_index(drop=True), extra)
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
    result = read_inputs([Source.from_path(paths.sample_workbook())], base)
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


FOLLOWUP_KEY = ["iso3", "date", "channel", "by", "note", "promised_on"]


def _rows_not_in(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The rows of ``a`` that ``b`` does not hold, counted one for one (a multiset difference)."""

    def keyed(f: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({c: [("" if v is None or v is pd.NaT or v != v else str(v)) for v in f[c]] for c in key},
                            columns=key, dtype=object)

    ka, kb = keyed(a), keyed(b)
    if ka.empty:
        return a.iloc[0:0]
    ka["_copy"] = ka.groupby(key, dropna=False).cumcount()
    counts = kb.groupby(key, dropna=False).size().rename("_held").reset_index()
    probe = ka.merge(counts, on=key, how="left").fillna({"_held": 0})
    return a.reset_index(drop=True)[(probe["_copy"] >= probe["_held"]).to_numpy()]


def _followup_words(r, names: dict) -> dict:
    by = r.by if isinstance(r.by, str) and r.by else _("no one named")
    return {"state": names.get(r.iso3, r.iso3), "iso3": r.iso3, "day": fmt.day(r.date), "channel": r.channel,
            "by": by}


def rollback_notes(before: CcmData, after: CcmData) -> list[str]:
    """What a rollback changes, in words: each follow-up (logged contact) it removes or brings back, by
    State, day, channel and who made it; for every other dataset, its rows added, removed and changed."""
    names = dict(zip(before.states["iso3"], before.states["state"])) | dict(zip(after.states["iso3"],
                                                                              after.states["state"]))
    lines = []
    for r in _rows_not_in(before.followups, after.followups, FOLLOWUP_KEY).sort_values(["date", "iso3"]).itertuples():
        lines.append(_("Removes the follow-up with {state} ({iso3}) on {day}: {channel}, by {by}.").format(
            **_followup_words(r, names)))
    for r in _rows_not_in(after.followups, before.followups, FOLLOWUP_KEY).sort_values(["date", "iso3"]).itertuples():
        lines.append(_("Brings back the follow-up with {state} ({iso3}) on {day}: {channel}, by {by}.").format(
            **_followup_words(r, names)))
    for d in diff_data(before, after):
        if d.dataset != "followups" and d.has_changes:
            lines.append(_("{dataset}: rows added {added}, removed {removed}, changed {changed}.").format(
                dataset=d.dataset, added=fmt.number(d.added), removed=fmt.number(d.removed),
                changed=fmt.number(d.changed)))
    return lines


def rollback_preview(store: Store) -> list[str]:
    """What rolling back the last change would change (:func:`rollback_notes`), before doing it;
    empty when there is nothing to roll back."""

    version, now = store.snapshot()
    try:
        target = store.rollback_target(version)
    except NothingToRollBack:
        return []
    return rollback_notes(now, store.snapshot(target)[1])


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
        for p in sorted(paths.templates().glob("*.csv")):
            z.write(p, p.name)
    return buf.getvalue()


def followup_source(existing: pd.DataFrame, new: list[dict]) -> Source:
    """The follow-up log (stored rows plus new contacts) as a ``followups.csv`` in input form."""

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

    version, base = store.snapshot()
    known = set(base.states["iso3"])
    codes = []
    for name in [state] if isinstance(state, str) else list(state):
        iso3 = countries.to_iso3(name)
        if iso3 is None or iso3 not in known:
            close = countries.suggest(name)
            if close:
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
    log = result.frames.get("followups")
    if log is not None and len(log) == len(base.followups) + len(codes):  # the stored rows keep their provenance
        flags = list(base.followups[SAMPLE_COLUMN].fillna(False).astype(bool)) + [False] * len(codes)
        log = log.assign(**{SAMPLE_COLUMN: flags})
        result = replace(result, frames={**result.frames, "followups": log},
                         data=result.data.with_frames({"followups": log}))
    names = dict(zip(base.states["iso3"], base.states["state"]))
    who = names.get(codes[0], codes[0]) if len(codes) == 1 else f"{len(codes)} States"
    result = replace(result, sources=[])  # typed in, not handed in: the history says what it is (the note), not a file
    return store.load(result, user=user or by, note=f"follow-up with {who} on {on.date().isoformat()} ({channel})",
                      expected_version=version)
