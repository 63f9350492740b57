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
    assert wb.sheetnames == ["About", "Overdue reports", "Overdue by State", "Deadlines", "Reporting by year", "Budget",
                             "Contributions", "Follow-ups"]
    m = compute_metrics(sample_data, DAY)
    od = wb["Overdue reports"]
    assert [c.value for c in od[1]] == ["State", "ISO3", "Region", "Report", "Year covered", "Due", "Days overdue"]
    assert od.freeze_panes == "A2"
    first = m["reporting"]["overdue"][0]
    assert od["F2"].is_date and od["F2"].value.date() == dt.date.fromisoformat(first["due_date"])
    assert od["G2"].value == first["days_overdue"] and od["G2"].number_format == "#,##0"
    assert od.max_row - 1 == len(m["reporting"]["overdue"])
    assert wb["About"]["B2"].value.date() == dt.date(2018, 9, 5)
    assert od.column_dimensions["A"].width >= 10


def test_the_overdue_by_state_sheet_lists_each_state_once_longest_waited_first(tiny_data, sample_data):
    # The tiny example on 5 Sep 2018 (DOMAIN §11's worked example): Albania owes annual 2012-2015 (4), Bulgaria
    # annual 2012-2017 (6), Lithuania and the United Kingdom annual 2012-2016 (5 each), all oldest due
    # 30 Apr 2013 (2013-04-30 -> 2018-09-05 = 1,954 days); State of Palestine 3, oldest 28 Dec 2015 (982 days);
    # Madagascar its initial report, due 30 Apr 2018 (128 days). Ties by name. No contact is logged.
    ws = book(tiny_data)["Overdue by State"]
    assert [c.value for c in ws[1]] == ["State", "ISO3", "Region", "Reports outstanding", "Outstanding", "Oldest due",
                                        "Days overdue", "Missed of the last 5 annual", "Last contact", "Contact by"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [(r[0], r[4], r[6]) for r in rows] == [
        ("Albania", 4, 1954), ("Bulgaria", 6, 1954), ("Lithuania", 5, 1954), ("United Kingdom", 5, 1954),
        ("State of Palestine", 3, 982), ("Madagascar", 1, 128)]
    assert rows[0][3] == "Annual 2012, 2013, 2014, 2015" and rows[-1][3] == "Initial"
    assert ws["F2"].is_date and ws["F2"].value.date() == dt.date(2013, 4, 30)
    assert all(r[8] is None for r in rows)
    # the sample: one row per State of the per-report list, which the deck's "and N more" points to
    sample = book(sample_data)["Overdue by State"]
    m = compute_metrics(sample_data, DAY)
    assert sample.max_row - 1 == len({r["iso3"] for r in m["reporting"]["overdue"]})


def test_the_budget_sheet_holds_every_year_with_currency_flags_projection_and_gap(sample_data):
    ws = book(sample_data)["Budget"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    # amounts carry their currency in the header; rates and years do not
    for h in ("Budget (CHF)", "Spent to date (CHF)", "Year-end (CHF)", "Year-end, low (CHF)", "Year-end, high (CHF)",
              "Funding received (CHF)", "Funding gap (CHF)", "Gap after pledges (CHF)"):
        assert h in col
    assert "Flag" in col and "Year-end is" in col
    rows = list(ws.iter_rows(min_row=2))
    years = [r[col["Year"]] for r in rows]
    # years are whole numbers shown without a thousands separator (2018, never 2,018)
    assert all(isinstance(c.value, int) and c.number_format == "0" for c in years)
    assert sorted({c.value for c in years}) == sorted(int(y) for y in sample_data.budget["year"].unique())
    total = {r[col["Year"]].value: r for r in rows if r[col["Cost line"]].value == "Total"}
    m = compute_metrics(sample_data, DAY)["budget"]
    t18 = total[2018]
    assert isinstance(t18[col["Budget (CHF)"]].value, (int, float)) and t18[col["Budget (CHF)"]].number_format == "#,##0.00"
    assert t18[col["Budget (CHF)"]].value == pytest.approx(m["budget"])
    assert t18[col["Year-end (CHF)"]].value == pytest.approx(m["projection"]["year_end"])
    assert (t18[col["Year-end, low (CHF)"]].value, t18[col["Year-end, high (CHF)"]].value) == pytest.approx(
        (m["projection"]["low"], m["projection"]["high"]))
    assert t18[col["Year-end is"]].value == f"Projected ({m['projection']['method']})"
    assert t18[col["Funding gap (CHF)"]].value == pytest.approx(m["funding_gap"])
    assert t18[col["Gap after pledges (CHF)"]].value == pytest.approx(m["pledges"]["gap_after_pledges"])
    assert total[2017][col["Year-end is"]].value == "Actual" and total[2020][col["Year-end is"]].value == "Not started"
    flagged = {r[col["Cost line"]].value for r in rows if r[col["Year"]].value == 2018 and r[col["Flag"]].value}
    assert flagged == set(m["projection"]["flagged_lines"])
    assert t18[col["Spent / budget"]].number_format == "0.0%"


def test_years_in_every_sheet_are_shown_without_separators(sample_data):
    wb = book(sample_data)
    for sheet, header in (("Overdue reports", "Year covered"), ("Reporting by year", "Year"),
                          ("Contributions", "Budget year")):
        ws = wb[sheet]
        i = [c.value for c in ws[1]].index(header)
        cells = [r[i] for r in ws.iter_rows(min_row=2) if r[i].value is not None]
        assert cells and all(c.number_format == "0" for c in cells), sheet


def test_csv_downloads_have_readable_headers_cents_and_percentages():
    from ccm_analytics.export import readable_csv

    frame = pd.DataFrame({"cost_line": ["Travel"], "spent": [35664.126], "burn_rate": [0.96389], "year": [2018]})
    text = readable_csv(frame, {"cost_line": "Cost line", "spent": "Spent (CHF)", "burn_rate": "Spent / budget"},
                        rates=("burn_rate",)).decode("utf-8-sig")
    # 35,664.126 -> 35664.13 (the cent); 0.96389 -> 96.4 (%), one decimal; the year as written
    assert text.splitlines() == ["Cost line,Spent (CHF),Spent / budget (%),year", "Travel,35664.13,96.4,2018"]


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
