"""Raw reading: a workbook's sheets or a CSV file as columns of cell text.

Nothing here knows the datasets' meaning. A :class:`RawTable` holds one sheet's used range
as text columns (Excel dates as ``2018-04-30 00:00:00``, numbers as written by Excel), with
the Excel row number of its first row and the Excel column index of its first column, so
every cell can be named as the user sees it (``C7``).

Workbooks are read with fastexcel (Rust calamine into Arrow, one pass per sheet): cached
values only, never formulas. Before that, the zip directory and XML heads are checked (see
``guard``), which also yields merged ranges, formula counts and where the data starts.
"""

from __future__ import annotations

import csv
import io
import queue
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
import fastexcel
import pyarrow as pa
from python_calamine import CalamineWorkbook

from .. import formatting as fmt
from ..errors import LoadError, Problem
from ..i18n import _, ngettext
from ..schema import DATASETS, DOCUMENTATION_SHEETS, dataset_for_name, header_key, header_lookup
from . import guard
from .sources import Source, unsupported_format
from .textops import filled as _filled

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected .xlsx


@dataclass
class RawTable:
    """The used range of one sheet or CSV file, as text columns.

    Attributes:
        file: The file's name. sheet: The sheet's name, or None for a CSV file.
        columns: One text Series per column (missing for empty cells), all of equal length.
        first_row: Excel row number of element 0 of every column.
        first_col: 0-based Excel column index of ``columns[0]``.
        merged: Merged ranges as ((first_row, first_col), (last_row, last_col)), 0-based, absolute.
        hidden: Whether the sheet is hidden in Excel.
    """

    file: str
    sheet: str | None
    columns: list[pd.Series] = field(repr=False)
    first_row: int = 1
    first_col: int = 0
    merged: list = field(default_factory=list, repr=False)
    hidden: bool = False
    error_cells: dict = field(default_factory=dict, repr=False)  # (row, col) 0-based absolute -> "#REF!"
    is_csv: bool = False
    header: list[str] | None = None  # when set: the header row (at first_row); columns hold typed data below it

    @property
    def height(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def data_first_row(self) -> int:
        """Excel row of ``columns[*][0]``."""
        return self.first_row + (1 if self.header is not None else 0)

    @property
    def is_blank(self) -> bool:
        """True when no cell holds anything but spaces."""
        return not any(filled(c).any() for c in self.columns)


def filled(column: pd.Series):
    """True where a text cell holds something other than spaces."""

    return _filled(column)


def stream_source(source: Source, idle=None) -> tuple[list[Problem], Iterator[tuple[int, RawTable]]]:
    """Read every sheet of a workbook, or the one table of a CSV file, as a stream: the warnings (e.g. how
    a CSV file was decoded, formulas found), then (position in the workbook, table) pairs as each sheet
    is read. A workbook's sheets are read on a worker thread, the largest last, so
    the caller can work on the small ones while the large one is read (the reader releases the
    GIL); ``idle(sheets)``, if given, is called when the stream has to wait, with the sheets still to
    come. The stream raises ``LoadError`` if a sheet cannot be read; the caller must then drop
    what it took from the same file.

    Raises:
        LoadError: The file is not a readable workbook or CSV file (before the stream starts).
    """
    bad = unsupported_format(source.name) or guard.size_problem(source.name, source.size)
    if bad:
        raise LoadError([bad])
    try:
        if source.suffix == ".csv":
            tables, warnings = read_csv(source)
            return warnings, iter(enumerate(tables))
        warnings, tables = read_xlsx(source, idle)
        return warnings, _located(source, tables)
    except LoadError:
        raise
    except Exception as e:  # any parser failure is the file's, and is said so, located
        raise LoadError([_failed(source, e)]) from e


def _located(source: Source, tables: Iterator[tuple[int, RawTable]]) -> Iterator[tuple[int, RawTable]]:
    """The stream, with any failure of the reader turned into a located ``LoadError``."""
    try:
        yield from tables
    except LoadError:
        raise
    except Exception as e:
        raise LoadError([_failed(source, e)]) from e


def _failed(source: Source, e: Exception) -> Problem:
    detail = " ".join(str(e).split())[:200]
    return Problem(
        _("this file could not be read ({error}: {detail}). Open it in Excel and save it again as an Excel "
          "Workbook (.xlsx) or CSV UTF-8.").format(error=type(e).__name__, detail=detail), file=source.name)


def _wanted(sheet: str) -> bool:
    """Whether a sheet holds a dataset (only those are scanned in full)."""
    return dataset_for_name(sheet) is not None and header_key(sheet) not in DOCUMENTATION_SHEETS


def read_xlsx(source: Source, idle=None) -> tuple[list[Problem], Iterator[tuple[int, RawTable]]]:
    """Read all sheets of an .xlsx workbook (cached values, never formulas).

    The zip directory is checked first (nothing is inflated before). Then every part is inflated
    in a stream with hard caps and scanned (entities, cells, merges, formulas, first rows);
    only a workbook within every limit is handed to fastexcel, which allocates whole sheets.

    Returns:
        The warnings, and a stream of (position in the workbook, table), read on a worker
        thread in order of size (see :func:`stream_source`).
    """

    _check_xlsx_container(source)
    refused = guard.inspect_zip(source.name, source.data)
    if refused:
        raise LoadError(refused)
    parts = guard.workbook_parts(source.data)
    full = {part for name, (part, _) in parts.items() if _wanted(name)}
    # Everything is inflated and counted before the reader sees it (it would allocate first).
    scans = guard.scan_workbook(source.name, source.data, {part: name for name, (part, _) in parts.items()},
                                full_scan=full)
    try:
        reader = fastexcel.read_excel(source.data)
        names = list(reader.sheet_names)
    except Exception as e:  # fastexcel/calamine raise several kinds for damaged files
        raise LoadError([_unreadable(source, e)]) from e
    sizes = guard.part_sizes(source.data)
    wanted = [i for i, name in enumerate(names) if _wanted(name)]
    order = sorted(wanted, key=lambda i: sizes.get(parts.get(names[i], ("", False))[0], 0))
    return _formula_warning(source, scans, full), _sheets(source, reader, names, order, parts, scans, idle)


def _formula_warning(source: Source, scans: dict, full: set[str]) -> list[Problem]:
    n_formulas = sum(scans[p].formulas for p in full if p in scans)
    if not n_formulas:
        return []
    return [Problem(
        ngettext("{n} cell holds a formula: the values Excel last calculated and saved were used (formulas are "
                 "never run here). Recalculate and save in Excel if in doubt.",
                 "{n} cells hold formulas: the values Excel last calculated and saved were used (formulas are "
                 "never run here). Recalculate and save in Excel if in doubt.", n_formulas).format(
            n=fmt.number(n_formulas)), file=source.name, severity="warning")]


def _sheets(source: Source, reader, names: list[str], order: list[int], parts: dict, scans: dict, idle=None):
    """(position, table) for every sheet: the sheets that hold no dataset at once, the others as the
    worker thread reads them (smallest first); ``idle`` is called whenever none is ready."""
    for i, name in enumerate(names):
        if i not in order:
            yield i, RawTable(source.name, name, [], hidden=parts.get(name, (None, False))[1])
    done: queue.Queue = queue.Queue()

    def read_all() -> None:
        for i in order:
            try:
                done.put((i, _load(reader, names[i]), None))
            except BaseException as e:  # handed to the caller's thread, which raises it located
                done.put((i, None, e))
                return

    if order:
        threading.Thread(target=read_all, name=f"read {source.name}", daemon=True).start()
    for k in range(len(order)):
        if idle is not None and done.empty():
            idle([names[i] for i in order[k:]])
        i, loaded, error = done.get()
        if error is not None:
            raise LoadError([_unreadable(source, error)]) from error
        part, hidden = parts.get(names[i], (None, False))
        yield i, _sheet_table(source, names[i], *loaded, scans.get(part), hidden)


_GENERATED = re.compile(r"__UNNAMED__\d+|.+_\d+")


def _load(reader, name: str):
    """One sheet as Arrow: typed columns under a first-row header when that header is complete
    and plain (the fast path), else every cell as text with the header still to be found."""

    dataset = DATASETS[dataset_for_name(name)]
    sheet = reader.load_sheet(name, header_row=0, schema_sample_rows=None)
    names = [c.name for c in sheet.available_columns()]
    lookup = header_lookup(dataset)
    keys = [header_key(n) for n in names]
    plain = (names and not any(_GENERATED.fullmatch(n) and header_key(n) not in lookup for n in names)
             and len(set(keys)) == len(keys) and {c.name for c in dataset.required} <= {lookup.get(k) for k in keys})
    if plain:
        return sheet.to_arrow(), sheet.available_columns(), names
    sheet = reader.load_sheet(name, header_row=None, dtypes="string")
    return sheet.to_arrow(), sheet.available_columns(), None


def _column(array) -> pd.Series:
    """An Arrow column as pandas: text as ``str``, all-empty columns as empty text."""

    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type) or pa.types.is_null(array.type):
        return pd.Series(array.cast(pa.large_string()), dtype="str")
    return pd.Series(array)


def _sheet_table(source: Source, name: str, batch, info, header, scan, hidden: bool) -> RawTable:
    if batch.num_columns == 0 or (batch.num_rows == 0 and header is None):
        return RawTable(source.name, name, [], hidden=hidden)
    first_col = int(info[0].absolute_index) if info else 0
    columns = [_column(batch.column(i)) for i in range(batch.num_columns)]
    first_row = scan.first_value_row if scan else None
    if first_row is None or (header is None and not any(pd.notna(c.iloc[0]) for c in columns)):
        first_row = _exact_first_row(source, name)
    merged = [_range(ref) for ref in (scan.merges if scan else [])]
    errors = {cell: text for ref, text in (scan.errors if scan else {}).items() if (cell := _cell(ref))}
    return RawTable(source.name, name, columns, first_row, first_col, [m for m in merged if m], hidden, errors,
                    header=header)


def _exact_first_row(source: Source, name: str) -> int:
    """Where calamine's used range starts, when the XML head did not say (slow: parses the sheet)."""

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(source.data)).get_sheet_by_name(name)
    except Exception as e:  # calamine raises several kinds (XmlError, CalamineError...) for damaged sheets
        raise LoadError([_unreadable(source, e, name)]) from e
    return int(sheet.start[0]) + 1 if sheet.start else 1


_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _cell(ref: str) -> tuple[int, int] | None:
    m = _REF.fullmatch(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _range(ref: str):
    a, _, b = ref.partition(":")
    start, end = _cell(a), _cell(b or a)
    return (start, end) if start and end else None


def _check_xlsx_container(source: Source) -> None:
    head = source.data[:8]
    if head.startswith(OLE_MAGIC):
        raise LoadError([Problem(
            _("this file is password-protected or is an old Excel 97-2003 (.xls) file saved with an "
              ".xlsx name. Remove the password (File > Info > Protect Workbook) or save it again as "
              "an Excel Workbook (.xlsx)."),
            file=source.name,
        )])
    if not head.startswith(XLSX_MAGIC):
        raise LoadError([Problem(
            _("this is not an Excel workbook (an .xlsx file is a zip archive; this one is not). "
              "Open it in Excel and save it as an Excel Workbook (.xlsx), or as CSV UTF-8."),
            file=source.name,
        )])
    try:
        names = set(zipfile.ZipFile(io.BytesIO(source.data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise LoadError([_unreadable(source, e)]) from e
    if "xl/workbook.xml" not in names:
        raise LoadError([Problem(
            _("this zip file is not an Excel workbook (it has no xl/workbook.xml). Open it in Excel and save it "
              "as an Excel Workbook (.xlsx)."), file=source.name)])


def _unreadable(source: Source, error: Exception, sheet: str | None = None) -> Problem:
    detail = " ".join(str(error).split())[:200]
    return Problem(
        _("this workbook could not be read; it may be damaged or not really an .xlsx file "
          "({error}: {detail}). Open it in Excel and save it again as an Excel Workbook (.xlsx).").format(
            error=type(error).__name__, detail=detail),
        file=source.name, sheet=sheet,
    )


# -- CSV ------------------------------------------------------------------------------

def decode_text(source: Source) -> tuple[str, list[Problem]]:
    """Decode a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    A NUL character anywhere (after decoding) means binary data, not text: refused.
    """
    data = source.data
    text, warnings = None, []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if text is None:
        try:
            text = data.decode("utf-8-sig") if b"\x00" not in data else None
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            warnings.append(Problem(
                _("the file is not UTF-8; it was read as Windows-1252 (Western European). Check accented "
                  "names; to be sure, save it as 'CSV UTF-8' in Excel."),
                file=source.name, severity="warning",
            ))
    if text is None or "\x00" in text:
        if text is None:
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        else:
            line = text.count("\n", 0, text.index("\x00")) + 1
        raise LoadError([Problem(
            _("this does not look like a text (CSV) file: it holds binary data (a NUL character on line {line}). "
              "Save the sheet as CSV UTF-8, or load the .xlsx workbook itself.").format(line=fmt.number(line)),
            file=source.name,
        )])
    return text, warnings


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: ``,`` unless ``;`` or tab clearly separate the header."""
    end = text.find("\n", 0, 1 << 20)
    first = next((line for line in text[:end if end >= 0 else 1 << 20].splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _lines(text: str):
    """The text's lines with their endings, one at a time (no copy of the whole text)."""
    pos, n = 0, len(text)
    while pos < n:
        end = text.find("\n", pos)
        end = n if end < 0 else end + 1
        yield text[pos:end]
        pos = end


def read_csv(source: Source) -> tuple[list[RawTable], list[Problem]]:
    """Read a CSV file into one table named after the file's stem.

    Reading stops, and the file is refused, as soon as a row has more than ``MAX_COLUMNS``
    values or the file more than ``MAX_CELLS`` cells (DOMAIN.md section 9).
    """
    text, warnings = decode_text(source)
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        warnings.append(Problem(
            _("the values are separated by semicolons, not commas; read that way.") if delimiter == ";" else
            _("the values are separated by tabs, not commas; read that way."),
            file=source.name, severity="warning",
        ))
    rows: list[list[str]] = []
    cells = width = 0
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if len(row) > guard.MAX_COLUMNS:
                raise LoadError([guard.limit_problem(source.name, None, _(
                    "row {row} has {values} values; at most {limit} columns are read.").format(
                        row=fmt.number(reader.line_num), values=fmt.number(len(row)),
                        limit=fmt.number(guard.MAX_COLUMNS)))])
            cells += len(row)
            if cells > guard.MAX_CELLS:
                raise LoadError([guard.limit_problem(source.name, None, _(
                    "the file has more than {limit} cells (the limit), passed on line {line}.").format(
                        limit=fmt.number(guard.MAX_CELLS), line=fmt.number(reader.line_num)))])
            width = max(width, len(row))
            rows.append(row)
    except csv.Error as e:
        raise LoadError([Problem(
            _("this CSV file is malformed ({error}, near line {line}); a quote is probably not closed. "
              "Save it again from Excel as CSV UTF-8.").format(error=e, line=fmt.number(reader.line_num)),
            file=source.name,
        )]) from e
    del text
    rows = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]  # ragged rows: pad
    grid = pd.DataFrame(rows, columns=range(width), dtype="str") if rows and width else pd.DataFrame()
    del rows
    columns = [grid[c].replace("", None).astype("str") for c in grid.columns]
    return [RawTable(source.name, None, columns, is_csv=True)], warnings
