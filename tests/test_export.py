"""The Excel export: real dates and numbers, formats, frozen headers, and text that never runs."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ccm_analytics.data import CcmData
from ccm_analytics.export import export_workbook, to_csv_bytes
from ccm_analytics.metrics import compute_metrics

DAY = "2018-09-05"
EVIL = '=HYPERLINK("http://x","y")'


def book(data):
    return load_workbook(io.BytesIO(export_workbook(data, DAY, "test data")))


def test_sheets_hold_real_dates_and_numbers(sample_data):
    wb = book(sample_data)
    assert wb.sheetnames == ["About", "Overdue reports", "Deadlines", "Reporting by year", "Budget lines",
                             "Contributions", "Follow-ups"]
    m = compute_metrics(sample_data, DAY)
    od = wb["Overdue reports"]
    assert [c.value for c in od[1]] == ["State", "ISO3", "Region", "Report", "Year covered", "Due", "Days overdue"]
    assert od.freeze_panes == "A2"
    first = m["reporting"]["overdue"][0]
    assert od["F2"].is_date and od["F2"].value.date() == dt.date.fromisoformat(first["due_date"])
    assert od["G2"].value == first["days_overdue"] and od["G2"].number_format == "#,##0"
    assert od.max_row - 1 == len(m["reporting"]["overdue"])
    lines = wb["Budget lines"]
    spent = {r[0].value: r[2].value for r in lines.iter_rows(min_row=2)}
    assert spent == pytest.approx({line["cost_line"]: line["spent"] for line in m["budget"]["lines"]})
    assert lines["B2"].number_format == "#,##0.00" and lines["D2"].number_format == "0.0%"
    assert wb["About"]["B2"].value.date() == dt.date(2018, 9, 5)
    assert od.column_dimensions["A"].width >= 10


def evil_data():
    states = pd.DataFrame({"iso3": ["BGR"], "state": [EVIL], "ratification_date": [pd.Timestamp("2011-04-06")],
                           "signature_date": [pd.Timestamp("2008-12-03")]})
    contributions = pd.DataFrame({"date": [pd.Timestamp("2018-02-01")], "donor": ["@SUM(1+1)*cmd|' /C calc'!A0"],
                                  "amount": [1000.0], "year": [2018]})
    return CcmData.from_frames({"states": states, "contributions": contributions})


def test_a_malicious_state_name_is_stored_as_text():
    wb = book(evil_data())
    cell = wb["Overdue reports"]["A2"]
    assert cell.value == EVIL and cell.data_type == "s"
    donor = wb["Contributions"]["B2"]
    assert donor.value.startswith("@SUM") and donor.data_type == "s"


def test_csv_downloads_neutralise_formulas():
    frame = pd.DataFrame({"state": [EVIL, "-2+3", "Bulgaria"], "amount": [-350.0, 1.0, 2.0]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-2+3" in text and ",-350.0" in text and "\nBulgaria," in text
