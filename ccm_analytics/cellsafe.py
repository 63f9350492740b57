"""The one way text reaches a spreadsheet cell (DOMAIN.md section 9).

Every cell the product writes goes through this module: the Excel export and the data
templates (:func:`put_row`, openpyxl), the CSV downloads (:func:`csv_safe`), and the chart
workbooks embedded in the deck (:func:`chart_data`, python-pptx writes them with xlsxwriter).

The rules, the same everywhere:

- Text loses its control characters (:func:`cell_text`), which a spreadsheet refuses.
- Text is stored as text, never as a formula, even when it starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return (:func:`is_risky`): openpyxl cells get the data type ``s``;
  xlsxwriter cells are written with ``write_string`` in a workbook whose ``strings_to_formulas``,
  ``strings_to_urls`` and ``strings_to_numbers`` are off. A CSV has no types, so there risky
  text is written behind an apostrophe, as OWASP advises (``'=HYPERLINK(...)``).
- On a slide (a chart's category labels and series names) the text reads as written.
"""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager

import pandas as pd

from .textsafe import strip_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return isinstance(text, str) and text.startswith(FORMULA_START)


def cell_text(text: str) -> str:
    """Text as a cell holds it: without control characters (tab and newline kept)."""
    return strip_controls(text)


def cell_value(v):
    """A value for a cell: text cleaned (:func:`cell_text`), dates as dates, numpy scalars as Python
    values, missing and non-finite numbers as an empty cell (None)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().date()
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, str):
        return cell_text(v)
    return v


def put_row(ws, values) -> None:
    """The one way a row reaches an openpyxl worksheet: values through :func:`cell_value`, and
    text always stored as text, never as a formula."""
    # heavy (openpyxl): only when a workbook row is written
    from openpyxl.cell.cell import Cell

    cells = [Cell(ws, value=cell_value(v)) for v in values]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, even when it starts with '=': never a formula
    # The cells are made here and appended as they are: reading the appended row back (``ws[ws.max_row]``)
    # scans every cell of the sheet, which made a workbook of n rows cost n² (8,362 overdue reports
    # as at 31 Dec 2099: 23 s instead of 1).
    ws.append(cells)


def csv_text(v):
    """A value for a CSV cell: text cleaned, and risky text behind an apostrophe."""
    if not isinstance(v, str):
        return v
    v = cell_text(v)
    return "'" + v if is_risky(v) else v


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and headers) went through :func:`csv_text`."""
    out = frame.copy()
    out.columns = [csv_text(c) for c in out.columns]
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_text)
    return out


# the embedded workbooks of the deck's charts ------------------------------------------------------

_XLSXWRITER_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                       "strings_to_numbers": False}


def chart_data(**kwargs):
    """A python-pptx ``CategoryChartData`` whose embedded workbook stores text as text: category
    labels and series names cleaned by :func:`cell_text` and written with ``write_string`` (a cost
    line ``=HYPERLINK(...)`` is a label, never a live formula behind "Edit data")."""
    return _safe_chart_data_class()(**kwargs)


@functools.cache
def _safe_chart_data_class():
    # heavy (python-pptx, XlsxWriter): only when a deck has a chart
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    def put(worksheet, row, col, value, num_format=None):
        if isinstance(value, str):
            worksheet.write_string(row, col, cell_text(value), num_format)
        elif value is None:
            worksheet.write_blank(row, col, None, num_format)
        else:
            worksheet.write(row, col, value, num_format)

    class SafeWorkbookWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):
            workbook = Workbook(xlsx_file, _XLSXWRITER_OPTIONS)
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

        def _write_cat_column(self, worksheet, col, level, num_format):
            worksheet.set_column(col, col, 10)
            for off, name in level:
                put(worksheet, off + 1, col, name, num_format)

        def _write_series(self, workbook, worksheet):
            col_offset = self._chart_data.categories.depth
            for idx, series in enumerate(self._chart_data):
                num_format = workbook.add_format({"num_format": series.number_format})
                col = idx + col_offset
                put(worksheet, 0, col, series.name)
                for row, value in enumerate(series.values, start=1):
                    put(worksheet, row, col, value, num_format)

    class SafeCategoryChartData(CategoryChartData):
        """Chart data whose categories and series names are cleaned text (see :func:`chart_data`)."""

        @property
        def _workbook_writer(self):
            return SafeWorkbookWriter(self)

        def add_series(self, name, values=(), number_format=None):
            return super().add_series(cell_text(name) if isinstance(name, str) else name, values, number_format)

        @CategoryChartData.categories.setter
        def categories(self, category_labels):
            labels = [cell_text(c) if isinstance(c, str) else c for c in category_labels]
            CategoryChartData.categories.fset(self, labels)

    return SafeCategoryChartData
