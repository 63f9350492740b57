"""How a load is read: sheets parsed and checked while the largest is still being read, the guard's
array count of Excel's own cells and its marks for formulas, merges and error cells. The answers
must be exactly those of reading one sheet after the other with the searches."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from ccm_analytics.data import CcmData
from ccm_analytics.errors import LoadError
from ccm_analytics.reading import Source, guard, read_inputs
from ccm_analytics.reading.load import Validation, parse_sources
from ccm_analytics.reading.read import stream_source

from .conftest import csv_source, xlsx_bytes

TODAY = pd.Timestamp("2026-01-01")


# -- the guard's count of Excel's own cells ---------------------------------------------------------

def test_excel_cells_are_counted_with_rows_of_six_digits_read_exactly():
    piece = (b'<cols><col min="1" max="3" width="9"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             b'<c r="B1"/><c r="C1"><v>2</v></c></row><row r="123456"><c r="C123456"><v>1</v></c></row>')
    # 4 cells (<cols> and <col> are not cells); one row of six digits: 123456; no formula, merge or "#"
    assert guard._excel_cells(piece) == (4, 123456, 0, False, False)
    assert guard._excel_cells(b'<row r="7"><c r="A7"><v>1</v></c><c r="Z99999"><v>1</v></c></row>')[:2] == (2, 0)


def test_formulas_merges_and_values_starting_with_a_hash_are_marked():
    piece = (b'<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f>'
             b'<v>4</v></c><c r="C2" t="e"><v>#REF!</v></c><c r="D2"><v>7</v></c></row>')
    assert guard._excel_cells(piece) == (4, 0, 2, False, True)  # <f> and <f ...>: 2 formulas; <v># in C2
    assert guard._excel_cells(b'<mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells>') == (0, 0, 0, True,
                                                                                                      False)


@pytest.mark.parametrize("cell", [
    b'<c r="AA1"><v>1</v></c>',        # two letters: the searches read the column
    b'<c t="n" r="A1"><v>1</v></c>',   # r not first
    b"<c r='A1'><v>1</v></c>",         # other quotes
    b'<c><v>1</v></c>',                # no reference
    b'<c r="A00000001"><v>1</v></c>',  # leading zeros: eight digits
    b'<c r="1"><v>1</v></c>',          # no column letter
], ids=["two-letters", "r-not-first", "quotes", "no-reference", "leading-zeros", "no-letter"])
def test_any_other_way_of_writing_a_cell_is_left_to_the_exact_path(cell):
    assert guard._excel_cells(b'<row r="1"><c r="A1"><v>1</v></c>' + cell + b"</row>") is None


def test_a_cell_at_the_very_end_of_a_piece_is_counted():
    assert guard._excel_cells(b'<row r="1"><c r="A1"/><c r="B1"/>')[:2] == (2, 0)


# -- formulas, merges and error cells: found the same way by the marks or the searches -------------

def _book_with_formula_merge_and_error() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Contributions"
    ws.append(["Contributions received"])
    ws.append(["date", "donor", "amount", "year"])
    ws.append([dt.date(2018, 10, 15), "Germany", 50000, 2018])
    ws.append([dt.date(2018, 11, 2), "Germany", "=1+1", 2018])  # a formula, no value saved
    ws.append([dt.date(2018, 12, 1), "Norway", 10, "#REF!"])
    ws["D5"].data_type = "e"
    ws.merge_cells("A1:D1")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("marks", [True, False], ids=["array-marks", "searches"])
def test_formulas_merges_and_error_cells_are_found_whether_marked_or_searched(marks, monkeypatch):
    if not marks:  # as for a sheet written another way than Excel's
        monkeypatch.setattr(guard, "_excel_cells", lambda piece: None)
    with pytest.raises(LoadError) as e:
        read_inputs([Source("c.xlsx", _book_with_formula_merge_and_error())], today=TODAY)
    errors = [p for p in e.value.problems if p.severity == "error"]
    assert [(p.cell, p.value) for p in errors if "Excel error" in p.message] == [("D5", "#REF!")]
    assert any("1 cell holds a formula" in w.message for w in e.value.warnings)
    # the title merged over A1:D1 is above the header, on row 2: the rows keep their Excel numbers
    assert all(p.row in (4, 5) for p in errors), [str(p) for p in errors]


def test_sheets_come_back_in_the_workbooks_order_though_the_largest_is_read_last():
    spend = [["date", "cost_line", "amount"]] + [[dt.date(2018, 1, 1), "Travel", i] for i in range(2000)]
    data = xlsx_bytes({"Spend": spend, "Notes": [["anything"]], "Budget": [["year", "cost_line", "amount"],
                                                                          [2018, "Travel", 5]]})
    _warnings, stream = stream_source(Source("b.xlsx", data))
    pairs = list(stream)
    assert pairs[-1][1].sheet == "Spend"  # the largest sheet is read last
    tables = dict(pairs)  # each carries its place in the workbook
    assert [tables[i].sheet for i in range(3)] == ["Spend", "Notes", "Budget"]
    assert [tables[i].height for i in range(3)] == [2000, 0, 1]  # Notes holds no dataset: not read; typed under a header


def test_an_unreadable_sheet_drops_the_whole_file_not_part_of_it(monkeypatch):
    from ccm_analytics.reading import read as read_mod

    calls = []

    def failing(reader, name):
        calls.append(name)
        if name == "Spend":
            raise ValueError("damaged sheet")
        return original(reader, name)

    original = read_mod._load
    monkeypatch.setattr(read_mod, "_load", failing)
    data = xlsx_bytes({"Budget": [["year", "cost_line", "amount"], [2018, "Travel", 5]],
                       "Spend": [["date", "cost_line", "amount"], [dt.date(2018, 1, 1), "Travel", 1]]})
    tables, problems, _infos = parse_sources([Source("b.xlsx", data)])
    assert tables == {}  # Budget was read and parsed, but the file as a whole is not loaded
    assert len(problems) == 1 and "could not be read" in problems[0].message and "damaged sheet" in problems[0].message


# -- checks run as soon as what they read is parsed ---------------------------------------------------

def test_a_rule_waits_until_every_dataset_it_reads_is_parsed():
    tables, problems, _ = parse_sources([
        csv_source("spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,100\n2018-02-28,Travle,5\n"),
        csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,1000\n2018,Travel,50\n")])
    assert not problems
    validation = Validation(CcmData.empty(), TODAY)
    validation.run({"spend": tables["spend"]}, pending=frozenset({"budget"}))
    assert not tables["spend"].problems  # the spend is checked against the budget: not yet
    validation.run(tables)
    assert [(p.row, p.column) for p in tables["spend"].problems] == [(3, "cost_line")]
    assert "Did you mean 'Travel'?" in tables["spend"].problems[0].message
    validation.run(tables)  # a rule runs once
    assert len(tables["spend"].problems) == 1


def test_a_load_gives_the_same_answer_as_checking_after_everything_is_read():
    spend = [["date", "cost_line", "amount"]] + [[dt.date(2018, 1, d), "Travle" if d == 3 else "Travel", d]
                                                 for d in range(1, 29)]
    data = xlsx_bytes({"Spend": spend, "Budget": [["year", "cost_line", "amount"], [2018, "Travel", 5]]})
    with pytest.raises(LoadError) as e:
        read_inputs([Source("b.xlsx", data)], today=TODAY)
    assert [(p.sheet, p.cell) for p in e.value.problems] == [("Spend", "B4")]  # 3 January, on row 4


def test_inflating_ahead_on_a_thread_gives_the_same_bytes_and_stops_with_the_reader():
    import zipfile

    data = xlsx_bytes({"Spend": [["date", "cost_line", "amount"]] + [[dt.date(2018, 1, 1), f"Line {i}", i]
                                                                     for i in range(3000)]})
    info = next(i for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if i.filename.startswith("xl/worksheets/"))
    assert info.compress_size > 4096  # so that blocks of 1 KB go through the worker thread
    assert b"".join(guard.inflate_ahead(data, info, chunk=1024)) == b"".join(guard.inflate(data, info, chunk=1024))
    blocks = guard.inflate_ahead(data, info, chunk=1024)
    first = next(blocks)
    blocks.close()  # the reader stops (a limit was passed): the worker is stopped and joined
    assert len(first) <= 1024


def _slow_spend_sheet(monkeypatch, seconds: float = 0.5) -> list:
    """The reader takes its time over the Spend sheet (as over a large one); the list returned gets
    an item once the Spend sheet has been read."""
    import time

    from ccm_analytics.reading import read as read_mod

    original, done = read_mod._load, []

    def slow(reader, name):
        if name == "Spend":
            time.sleep(seconds)
            done.append(name)
        return original(reader, name)

    monkeypatch.setattr(read_mod, "_load", slow)
    return done


def test_checks_that_do_not_read_the_spend_run_while_the_spend_is_read(monkeypatch):
    from ccm_analytics.reading import validate

    spend_read = _slow_spend_sheet(monkeypatch)
    when = {}
    for name in ("check_budget", "check_spend"):
        original = getattr(validate, name)
        monkeypatch.setattr(validate, name, lambda *a, name=name, original=original: (
            when.setdefault(name, bool(spend_read)), original(*a)))
    spend = [["date", "cost_line", "amount"], [dt.date(2018, 1, 1), "Travel", 1]]
    data = xlsx_bytes({"Spend": spend, "Budget": [["year", "cost_line", "amount"], [2018, "Travel", 5]]})
    read_inputs([Source("b.xlsx", data)], today=TODAY)
    assert when == {"check_budget": False, "check_spend": True}  # the budget while the spend was being read


def test_a_check_that_fails_while_the_file_is_read_is_not_reported_as_an_unreadable_file(monkeypatch):
    from ccm_analytics.reading import validate

    def broken(t):
        raise RuntimeError("a bug in a check")

    monkeypatch.setattr(validate, "check_budget", broken)
    _slow_spend_sheet(monkeypatch)  # so that the budget is checked while the spend is read
    spend = [["date", "cost_line", "amount"]] + [[dt.date(2018, 1, d), "Travel", d] for d in range(1, 29)]
    data = xlsx_bytes({"Spend": spend, "Budget": [["year", "cost_line", "amount"], [2018, "Travel", 5]]})
    with pytest.raises(RuntimeError, match="a bug in a check"):  # raised as itself, after the read
        read_inputs([Source("b.xlsx", data)], today=TODAY)
