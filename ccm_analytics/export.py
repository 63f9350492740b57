"""Exports: an Excel workbook of the current analysis, and safe CSV for single tables.

Dates are real dates and numbers real numbers, with formats, column widths and frozen
header rows. Every text an export writes (cells, the About sheet's file names, sheet titles)
goes through ``cellsafe`` (the one cell writer: :func:`~ccm_analytics.cellsafe.put_row`, CSV:
:func:`~ccm_analytics.cellsafe.csv_safe`): control characters removed, and text that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) stored
as text (CSV: behind an apostrophe).
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import pandas as pd

from . import formatting as fmt
from . import i18n
from .analysis import budget as b
from .analysis import treasurer
from .analysis import reporting as rp
from .cellsafe import FORMULA_START, csv_safe, is_risky, put_row  # noqa: F401 (the one cell writer)
from .data import CcmData
from .i18n import N_, _
from .metrics import snapshot
from .narrative import basis_words, with_outstanding_labels
from .outputs.doclang import tag_xlsx
from .textsafe import strip_controls
from .analysis.followups import known_followups, with_last_contact

DATE_FMT = "d mmm yyyy"
AMOUNT_FMT = "#,##0.00"
RATE_FMT = fmt.PCT_EXCEL
INT_FMT = "#,##0"
YEAR_FMT = "0"  # years and IDs: never 2,018





def sheet_title(text: str) -> str:
    """A worksheet title: no control characters or characters Excel forbids, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\']", " ", strip_controls(str(text)))[:31].strip() or "Sheet"


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV (with BOM, so Excel reads accents), formula-safe."""
    return csv_safe(frame).to_csv(index=False).encode("utf-8-sig")


def readable_csv(frame: pd.DataFrame, headers: dict[str, str] | None = None, rates: tuple[str, ...] = ()) -> bytes:
    """A table as a CSV a treasurer can read (DOMAIN §8): headers in words (``headers``: column ->
    header; other columns keep their name), amounts and other decimals rounded to the cent, ``rates``
    (fractions) written as percentages with the one precision and "(%)" in their header."""
    headers = headers or {}
    out = frame.copy()
    names = {}
    for c in out.columns:
        name = headers.get(c, c)
        if c in rates:
            out[c] = (pd.to_numeric(out[c], errors="coerce") * 100).round(fmt.PCT_DECIMALS)
            name = f"{name} (%)"
        elif pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(2)
        names[c] = name
    return to_csv_bytes(out.rename(columns=names))


# column -> (header, kind) for each sheet; kinds: text, date, amount, rate, int, year (no separator)
# (the sheet names and headers are English msgids, translated when the workbook is written)
SHEETS: dict[str, dict[str, tuple[str, str]]] = {
    "Overdue reports": {"state": (N_("State"), "text"), "iso3": (N_("ISO3"), "text"), "region": (N_("Region"), "text"),
                        "report_type": (N_("Report"), "text"), "year": (N_("Year covered"), "year"),
                        "due_date": (N_("Due"), "date"), "days_overdue": (N_("Days overdue"), "int")},
    "Overdue by State": {"state": (N_("State"), "text"), "iso3": (N_("ISO3"), "text"), "region": (N_("Region"), "text"),
                         "outstanding_label": (N_("Reports outstanding"), "text"), "count": (N_("Outstanding"), "int"),
                         "oldest_due_date": (N_("Oldest due"), "date"), "days_overdue": (N_("Days overdue"), "int"),
                         "missed_last_5": (N_("Missed of the last 5 annual"), "int"),
                         "last_contact": (N_("Last contact"), "date"), "last_channel": (N_("Contact by"), "text")},
    "Deadlines": {"state": (N_("State"), "text"), "iso3": (N_("ISO3"), "text"), "article": (N_("Article"), "int"),
                  "deadline": (N_("Original deadline"), "date"), "extensions": (N_("Extensions"), "int"),
                  "effective_deadline": (N_("Effective deadline"), "date"), "status": (N_("Status"), "text"),
                  "days_remaining": (N_("Days remaining"), "int"), "completed_on": (N_("Completed"), "date"),
                  "notes": (N_("Source notes"), "text")},
    "Reporting by year": {"report_type": (N_("Report"), "text"), "year": (N_("Year"), "year"), "due": (N_("Due"), "int"),
                          "on_time": (N_("On time"), "int"), "late": (N_("Late"), "int"), "overdue": (N_("Overdue"), "int"),
                          "compliance_rate": (N_("Compliance rate"), "rate"),
                          "submission_rate": (N_("Submission rate"), "rate")},
    "Contributions": {"date": (N_("Received"), "date"), "donor": (N_("Donor"), "text"), "amount": (N_("Amount"), "amount"),
                      "funds_year": (N_("Budget year"), "year")},
    "Follow-ups": {"date": (N_("Contact on"), "date"), "state": (N_("State"), "text"), "iso3": (N_("ISO3"), "text"),
                   "channel": (N_("Channel"), "text"), "by": (N_("By"), "text"), "note": (N_("Note"), "text"),
                   "promised_on": (N_("Promised by"), "date")},
}


def budget_sheet(currencies) -> dict[str, tuple[str, str]]:
    """The Budget sheet's columns, with the currency in every amount's header (DOMAIN §8)."""
    found = sorted({c for c in currencies if isinstance(c, str)})
    unit = found[0] if len(found) == 1 else _("in the row's currency")
    a = lambda label: (_("{column} ({unit})").format(column=_(label), unit=unit), "amount")  # noqa: E731
    return {"year": (N_("Year"), "year"), "currency": (N_("Currency"), "text"), "cost_line": (N_("Cost line"), "text"),
            "budget": a(N_("Budget")), "spent": a(N_("Spent to date")), "burn_rate": (N_("Spent / budget"), "rate"),
            "year_end": a(N_("Year-end")), "basis": (N_("Year-end is"), "text"), "low": a(N_("Year-end, low")),
            "high": a(N_("Year-end, high")), "variance_share": (N_("Year-end vs budget"), "rate"), "flag": (N_("Flag"), "text"),
            "received": a(N_("Funding received")), "funding_gap": a(N_("Funding gap")),
            "outstanding_pledges": a(N_("Pledged, not yet received")), "gap_after_pledges": a(N_("Gap after pledges"))}


def analysis_tables(data: CcmData, as_of, budget_year: int | None = None) -> dict[str, pd.DataFrame]:
    """The tables of the current analysis, as the sheets of the export."""
    snap = snapshot(data, as_of, budget_year=budget_year)
    deadlines = snap.deadlines.assign(status=snap.deadlines["status"].map(fmt.label))
    # the keys are the sheet names in English (msgids: N_), translated when written
    named = {"report_type": fmt.report_type, "channel": fmt.channel, "last_channel": fmt.channel}

    def words(frame: pd.DataFrame) -> pd.DataFrame:  # codes as the language names them ("Initial", "lettre")
        return frame.assign(**{c: frame[c].map(f) for c, f in named.items() if c in frame.columns})

    return {
        N_("Overdue reports"): words(snap.reporting.overdue),
        N_("Overdue by State"): words(_overdue_by_state(data, snap)),
        N_("Deadlines"): deadlines,
        N_("Reporting by year"): words(rp.reporting_series(snap.statuses)),
        N_("Budget"): _budget_in_words(treasurer.budget_table(data.budget, data.spend, data.contributions, data.pledges,
                                                     snap.as_of)),
        N_("Contributions"): b.received_to_date(data.contributions, snap.budget.year, snap.as_of).sort_values("date"),
        N_("Follow-ups"): words(_followups(data, snap.as_of)),
    }


def _budget_in_words(table: pd.DataFrame) -> pd.DataFrame:
    """The treasurer's sheet with its codes in words: the year-end's basis and the flag's verdict."""
    return table.assign(basis=table["basis"].map(basis_words),
                        flag=table["flag"].map(lambda c: fmt.label(c) if c else ""))


def _overdue_by_state(data: CcmData, snap) -> pd.DataFrame:
    """One row per State with a report overdue on D, longest delay first (``reporting.overdue_by_state``, the
    list the deck's overdue slides show), with its last contact known on D (DOMAIN §7)."""

    return with_outstanding_labels(with_last_contact(rp.overdue_by_state(snap.statuses, snap.as_of), data.followups,
                                                     snap.as_of))


def _followups(data: CcmData, as_of) -> pd.DataFrame:
    """The follow-up log as known on D (contacts dated on or before D), newest first, with State names."""

    f = known_followups(data.followups, as_of)
    return f.assign(state=f["iso3"].map(dict(zip(data.states["iso3"], data.states["state"]))))


def export_workbook(data: CcmData, as_of, source: str, budget_year: int | None = None) -> bytes:
    """The analysis as an .xlsx workbook (About sheet first)."""
    # heavy (openpyxl): only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    as_of = pd.Timestamp(as_of)
    tables = analysis_tables(data, as_of, budget_year)
    wb = Workbook()
    about = wb.active
    about.title = sheet_title(_("About"))
    budget_y = budget_year or as_of.year
    for row in [(_("CCM Analytics: analysis export"), ""), (_("Data as at"), as_of.date()), (_("Source"), source),
                (_("Budget year"), budget_y),
                (_("Exported (UTC)"), datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0))]:
        put_row(about, row)
    about["A1"].font = Font(bold=True, size=14)
    about["B2"].number_format = DATE_FMT
    about["B5"].number_format = "d mmm yyyy hh:mm"
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 70
    fill = PatternFill("solid", fgColor="DCE6F1")
    for name, frame in tables.items():
        spec = budget_sheet(frame["currency"]) if name == "Budget" else SHEETS[name]
        ws = wb.create_sheet(sheet_title(_(name)))
        cols = [c for c in spec if c in frame.columns]
        headers = {c: _(spec[c][0]) for c in cols}
        put_row(ws, [headers[c] for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        ws.freeze_panes = "A2"
        for values in frame[cols].itertuples(index=False):
            put_row(ws, values)
        for i, c in enumerate(cols, start=1):
            kind = spec[c][1]
            letter = get_column_letter(i)
            number_format = {"date": DATE_FMT, "amount": AMOUNT_FMT, "rate": RATE_FMT, "int": INT_FMT,
                             "ratio": "0.00", "year": YEAR_FMT}.get(kind)
            if number_format:
                for cell in ws[letter][1:]:
                    cell.number_format = number_format
            sample = [len(str(v)) for v in frame[c].head(300) if v is not None and not pd.isna(v)]
            width = {"date": 12, "amount": 14, "rate": 12, "int": 10, "ratio": 8, "year": 8}.get(kind, max(sample + [8]) + 2)
            ws.column_dimensions[letter].width = min(max(width, len(headers[c]) + 2), 60)
        if name == "Budget":  # each year's total row in bold
            for row, line in enumerate(frame["cost_line"], start=2):
                if line == "Total":
                    for cell in ws[row]:
                        cell.font = Font(bold=True)
        ws.auto_filter.ref = ws.dimensions
    tag_xlsx(wb, i18n.current())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

