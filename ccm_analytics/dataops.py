"""Data operations behind the Data page: check an upload, store it, roll back, restore the sample.

Checking never writes. Storing is done only for a check made against the store's current
version, so what the user previewed is exactly what gets stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from .errors import LoadError, Problem
from .io import Source, read_inputs
from .io.load import LoadResult
from .provenance import SAMPLE_PATH
from .store import DatasetDiff, Store, Version, diff_data

TEMPLATES = SAMPLE_PATH.parent / "templates"


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

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.errors


def check_upload(store: Store, files: list[tuple[str, bytes]], today=None) -> UploadCheck:
    """Validate uploaded files against the stored data and preview what would change."""
    version, base = store.snapshot()
    try:
        result = read_inputs([Source(name, data) for name, data in files], base, today=today)
    except LoadError as e:
        return UploadCheck(version, None, e.problems, e.warnings)
    changes = diff_data(base, result.data, datasets=list(result.frames))
    return UploadCheck(version, result, [], result.warnings, changes)


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
    return [f"Storing removes {d.removed:,} {d.dataset} row{'s' if d.removed != 1 else ''} that are not in your "
            f"files (the whole {d.dataset} dataset is replaced). Roll back afterwards if that was not intended."
            for d in changes if d.removed]


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
                     "rows": ", ".join(f"{k} {n:,}" for k, n in v.rows.items()), "warnings": len(v.warnings)})
    return pd.DataFrame(rows, columns=["version", "when", "action", "by", "files", "rows", "warnings"])


def csv_templates_zip() -> bytes:
    """Every CSV template in one zip file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(TEMPLATES.glob("*.csv")):
            z.write(p, p.name)
    return buf.getvalue()
