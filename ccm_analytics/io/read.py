"""Raw reading: a workbook's sheets or a CSV file as grids of cell values.

Nothing here knows the datasets' meaning. A :class:`RawTable` is the cells of one sheet
from A1 on, with merged ranges filled from their top-left cell, so that row ``i`` of the
grid is Excel row ``i + 1``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from ..errors import LoadError, Problem
from . import guard
from .sources import Source, unsupported_format

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected .xlsx


@dataclass
class RawTable:
    """The cells of one sheet or CSV file.

    Attributes:
        file: The file's name.
        sheet: The sheet's name, or None for a CSV file.
        rows: Cell values from row 1 on; row ``i`` is Excel row ``i + 1``. Empty cells
            are ``""`` or None.
        merged: Merged ranges as ((first_row, first_col), (last_row, last_col)), 0-based.
    """

    file: str
    sheet: str | None
    rows: list[list] = field(repr=False)
    merged: list = field(default_factory=list, repr=False)
    hidden: bool = False


def read_source(source: Source) -> tuple[list[RawTable], list[Problem]]:
    """Read every sheet of a workbook, or the one table of a CSV file.

    Returns:
        The tables and any warnings (e.g. how a CSV file was decoded).

    Raises:
        LoadError: The file is not a readable workbook or CSV file.
    """
    bad = unsupported_format(source.name) or guard.size_problem(source.name, source.size)
    if bad:
        raise LoadError([bad])
    if source.suffix == ".csv":
        return read_csv(source)
    return read_xlsx(source)


def read_xlsx(source: Source) -> tuple[list[RawTable], list[Problem]]:
    """Read all sheets of an .xlsx workbook with calamine (cached values, never formulas)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    _check_xlsx_container(source)
    refused = guard.inspect_zip(source.name, source.data)
    entity_errors, formulas = guard.scan_xml_parts(source.name, source.data)
    if refused or entity_errors:
        raise LoadError(refused + entity_errors)
    warnings = []
    n_formulas = sum(formulas.values())
    if n_formulas:
        warnings.append(Problem(
            f"{n_formulas:,} cell{'s hold formulas' if n_formulas > 1 else ' holds a formula'}: the values Excel last "
            "calculated and saved were used (formulas are never run here). Recalculate and save in Excel if in "
            "doubt.", file=source.name, severity="warning"))
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(source.data))
        hidden = {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
        tables = []
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            tables.append(RawTable(source.name, name, rows, list(sheet.merged_cell_ranges or []), name in hidden))
    except (CalamineError, ValueError, KeyError, IndexError, zipfile.BadZipFile, OSError, RuntimeError) as e:
        raise LoadError([_unreadable(source, e)]) from e
    return tables, warnings


def _check_xlsx_container(source: Source) -> None:
    head = source.data[:8]
    if head.startswith(OLE_MAGIC):
        raise LoadError([Problem(
            "this file is password-protected or is an old Excel 97-2003 (.xls) file saved with an "
            ".xlsx name. Remove the password (File > Info > Protect Workbook) or save it again as "
            "an Excel Workbook (.xlsx).",
            file=source.name,
        )])
    if not head.startswith(XLSX_MAGIC):
        raise LoadError([Problem(
            "this is not an Excel workbook (an .xlsx file is a zip archive; this one is not). "
            "Open it in Excel and save it as an Excel Workbook (.xlsx), or as CSV UTF-8.",
            file=source.name,
        )])


def _unreadable(source: Source, error: Exception) -> Problem:
    return Problem(
        "this workbook could not be read; it may be damaged or not really an .xlsx file "
        f"({type(error).__name__}: {error}). Open it in Excel and save it again as an Excel Workbook (.xlsx).",
        file=source.name,
    )


# -- CSV ------------------------------------------------------------------------------

_ENCODINGS = ("utf-8-sig", "cp1252")


def decode_text(source: Source) -> tuple[str, list[Problem]]:
    """Decode a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    data = source.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise LoadError([Problem(
            "this does not look like a text (CSV) file: it holds binary data. "
            "Save the sheet as CSV UTF-8, or load the .xlsx workbook itself.",
            file=source.name,
        )])
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, [Problem(
            "the file is not UTF-8; it was read as Windows-1252 (Western European). Check accented "
            "names; to be sure, save it as 'CSV UTF-8' in Excel.",
            file=source.name, severity="warning",
        )]


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: ``,`` unless ``;`` or tab clearly separate the header."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_csv(source: Source) -> tuple[list[RawTable], list[Problem]]:
    """Read a CSV file into one table named after the file's stem."""
    text, warnings = decode_text(source)
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        shown = "semicolons" if delimiter == ";" else "tabs"
        warnings.append(Problem(
            f"the values are separated by {shown}, not commas; read that way.",
            file=source.name, severity="warning",
        ))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as e:
        raise LoadError([Problem(
            f"this CSV file is malformed ({e}); a quote is probably not closed. "
            "Save it again from Excel as CSV UTF-8.",
            file=source.name,
        )]) from e
    return [RawTable(source.name, None, rows)], warnings
