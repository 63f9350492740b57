"""Workbooks in the template format: blank templates and filled workbooks.

The template's columns come from ``schema.DATASETS``; a sheet per dataset, with a bold,
frozen header row, real Excel dates and numbers, and a README sheet; every cell through
``cellsafe.put_row`` (text stored as text, never a formula).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .cellsafe import put_row
from .i18n import _
from .schema import DATASETS

DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"


def template_readme() -> list[tuple[str, str]]:
    """README rows describing every dataset and column of the template."""
    rows = [(_("CCM Analytics data template"), ""),
            ("", _("One sheet per dataset; keep the sheet names. Required columns are marked *. "
                   "Dates as real Excel dates or 2018-04-30; amounts as numbers. Rows above the header "
                   "(titles) are allowed within the first 10 rows.")),
            ("", "")]
    for ds in DATASETS.values():
        rows.append((ds.name, _("One row is {meaning}.").format(meaning=ds.row_meaning)))
        for c in ds.columns:
            label = c.name + (" *" if c.required else "")
            rows.append((f"  {label}", c.help or c.kind))
        rows.append(("", ""))
    return rows


def write_workbook(target, frames: dict[str, pd.DataFrame], readme: list[tuple[str, str]] | None = None) -> None:
    """Write datasets (input form: template columns) as one .xlsx workbook.

    Args:
        target: A path or a binary file object.
        frames: Dataset name -> frame with the template's columns (missing ones left blank).
        readme: Rows (two cells each) for a first sheet named README.
    """
    # heavy (openpyxl): only when a template is written
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    if readme is not None:
        ws = wb.create_sheet("README")
        for a, b in readme:
            put_row(ws, [a, b])
        ws.column_dimensions["A"].width = 32
        ws.column_dimensions["B"].width = 110
        for cell in ws["B"]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws["A1"].font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for name, frame in frames.items():
        ds = DATASETS[name]
        ws = wb.create_sheet(name.capitalize())
        cols = ds.column_names
        put_row(ws, cols)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
        ws.freeze_panes = "A2"
        f = frame.reindex(columns=cols)
        for values in f.itertuples(index=False):
            put_row(ws, values)
        for i, col in enumerate(cols, start=1):
            kind = ds.column(col).kind
            letter = get_column_letter(i)
            width = max([len(col)] + [len(str(v)) for v in f[col].head(200) if v is not None and not pd.isna(v)])
            ws.column_dimensions[letter].width = min(max(width + 2, 12), 60)
            fmt = DATE_FORMAT if kind == "date" else AMOUNT_FORMAT if kind == "amount" else None
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
    wb.save(target)



def blank_workbook_bytes() -> bytes:
    """The blank template workbook (README plus one empty sheet per dataset)."""
    buf = io.BytesIO()
    write_workbook(buf, {name: pd.DataFrame() for name in DATASETS}, template_readme())
    return buf.getvalue()


def blank_csv_text(name: str) -> str:
    """A CSV template for one dataset: just the header row."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(DATASETS[name].column_names)
    return buf.getvalue()


def write_templates(folder: Path) -> list[Path]:
    """Write the blank workbook and one CSV per dataset into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "ccm_template.xlsx"]
    paths[0].write_bytes(blank_workbook_bytes())
    for name in DATASETS:
        p = folder / f"{name}.csv"
        p.write_text(blank_csv_text(name), encoding="utf-8")
        paths.append(p)
    return paths
