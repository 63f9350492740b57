"""Write the corpus of bad inputs: one file per mistake a busy person makes with a spreadsheet.

Run from the repository root: ``.venv/bin/python tests/data/bad/make_bad_files.py``. It writes the
files next to itself and ``manifest.json``, which says for each file what loading it must do:
``ok`` (with facts to check) or ``error`` (with the sheet and cell the message must name).
Every case is loaded on top of the sample data (so states, budget lines etc. exist).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
D = dt.date
CASES: list[dict] = []


def case(file: str, mistake: str, expect: str, **kw) -> None:
    CASES.append({"file": file, "mistake": mistake, "expect": expect, **kw})


def xlsx(name: str, sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None,
         hidden: tuple[str, ...] = ()) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in sheets.items():
        ws = wb.create_sheet(sheet)
        for r in rows:
            ws.append(r)
        for rng in (merged or {}).get(sheet, []):
            ws.merge_cells(rng)
        if sheet in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    (HERE / name).write_bytes(buf.getvalue())
    return buf.getvalue()


def text(name: str, content: str, encoding: str = "utf-8") -> None:
    (HERE / name).parent.mkdir(parents=True, exist_ok=True)
    (HERE / name).write_bytes(content.encode(encoding))


def patch_zip(name: str, data: bytes, part: str, old: bytes, new: bytes) -> None:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                assert old in body, (part, old)
                body = body.replace(old, new, 1)
            dst.writestr(info, body)
    (HERE / name).write_bytes(out.getvalue())


SPEND_HEAD = ["date", "cost_line", "amount", "description"]
REPORT_HEAD = ["state", "report_type", "year", "submitted_on"]


def build() -> None:
    # -- layout mistakes ---------------------------------------------------------------------
    xlsx("title_rows.xlsx", {"Spend": [["ISU expenditure 2018"], ["Prepared by the ISU"], [], SPEND_HEAD,
                                       [D(2018, 1, 31), "Salaries", 26000, "January"],
                                       [D(2018, 2, 28), "Salaries", 26000, "February"]]})
    case("title_rows.xlsx", "two title rows and a blank row above the header", "ok", rows={"spend": 2})

    xlsx("merged_title_and_header.xlsx",
         {"Contributions": [["Contributions received", None, None, None], ["Date", "Donor", "Amount", "Year"],
                            [D(2018, 2, 1), "Norway", 90000, 2018], [D(2018, 3, 5), "Ireland", 20000, 2018]]},
         merged={"Contributions": ["A1:D1"]})
    case("merged_title_and_header.xlsx", "a title merged across the columns above the header", "ok",
         rows={"contributions": 2})

    xlsx("merged_state_cells.xlsx", {"Reports": [REPORT_HEAD, ["Bulgaria", "annual", 2016, D(2017, 4, 20)],
                                                 [None, "annual", 2017, D(2018, 4, 25)]]},
         merged={"Reports": ["A2:A3"]})
    case("merged_state_cells.xlsx", "one state name merged over two rows", "ok", rows={"reports": 2},
         values={"reports.iso3": ["BGR", "BGR"]})

    xlsx("totals_row.xlsx", {"Budget": [["year", "cost_line", "amount"], [2018, "Travel", 37000],
                                        [2018, "Salaries", 345054], ["Total", None, 382054]]})
    case("totals_row.xlsx", "a totals row under the data", "error", sheet="Budget", row=4, words="totals row")

    xlsx("blank_rows_between.xlsx", {"Spend": [SPEND_HEAD, [D(2018, 3, 1), "Travel", 1200, "Mission"], [], [],
                                               [D(2018, 3, 9), "Travel", 800, "Mission"]]})
    case("blank_rows_between.xlsx", "blank rows between data rows", "ok", rows={"spend": 2})

    xlsx("header_on_row_12.xlsx", {"Spend": [[f"note {i}"] for i in range(11)] + [SPEND_HEAD,
                                                                                  [D(2018, 1, 5), "Travel", 1, ""]]})
    case("header_on_row_12.xlsx", "the header below row 10, under a long block of notes", "error", sheet="Spend",
         words="first 10 rows")

    xlsx("column_pasted_twice.xlsx", {"Spend": [["date", "cost_line", "amount", "amount"],
                                                [D(2018, 1, 5), "Travel", 100, 100]]})
    case("column_pasted_twice.xlsx", "the amount column pasted twice", "error", sheet="Spend", cell="D1",
         words="twice")

    xlsx("missing_column.xlsx", {"Reports": [["state", "report_type", "year"], ["Bulgaria", "annual", 2017]]})
    case("missing_column.xlsx", "the submitted_on column left out", "error", sheet="Reports", words="submitted_on")

    xlsx("hidden_sheet.xlsx", {"Notes": [["see the other sheet"]],
                               "Contributions": [["date", "donor", "amount"], [D(2019, 2, 1), "Norway", 90000]]},
         hidden=("Contributions",))
    case("hidden_sheet.xlsx", "the data sheet hidden in Excel", "ok", rows={"contributions": 1}, warning="hidden")

    xlsx("wrong_sheet_name.xlsx", {"Expenditure 2018": [SPEND_HEAD, [D(2018, 1, 5), "Travel", 1, ""]]})
    case("wrong_sheet_name.xlsx", "the sheet named 'Expenditure 2018' instead of Spend", "error",
         words="no dataset found")

    # -- cell mistakes ----------------------------------------------------------------------------
    xlsx("note_in_date_cell.xlsx", {"Reports": [REPORT_HEAD, ["Bulgaria", "annual", 2017, D(2018, 4, 27)],
                                                ["Albania", "annual", 2017, "sent by email, ask Anna"]]})
    case("note_in_date_cell.xlsx", "a note typed into a date cell", "error", sheet="Reports", cell="D3",
         words="not a date")

    xlsx("numbers_as_text.xlsx", {"Spend": [SPEND_HEAD, [D(2018, 2, 1), "Travel", "1,250.50", "Mission"],
                                            [D(2018, 2, 2), "Travel", "300", "Taxi"]]})
    case("numbers_as_text.xlsx", "amounts stored as text with thousands separators", "ok",
         values={"spend.amount": [1250.5, 300.0]})

    xlsx("trailing_spaces_in_states.xlsx", {"Reports": [REPORT_HEAD, ["Bulgaria ", "annual", 2017, D(2018, 4, 27)],
                                                        ["  albania", "annual", 2017, D(2018, 4, 2)]]})
    case("trailing_spaces_in_states.xlsx", "state names with stray spaces and lower case", "ok",
         values={"reports.iso3": ["BGR", "ALB"]})

    xlsx("curly_apostrophe.xlsx", {"Reports": [REPORT_HEAD, ["Côte d’Ivoire", "initial", None, D(2013, 2, 1)],
                                               ["Lao PDR", "annual", 2017, D(2018, 4, 30)]]})
    case("curly_apostrophe.xlsx", "Côte d’Ivoire with a curly apostrophe, and Lao PDR", "ok",
         values={"reports.iso3": ["CIV", "LAO"]})

    xlsx("unknown_state.xlsx", {"Reports": [REPORT_HEAD, ["Narnia", "annual", 2017, D(2018, 4, 27)]]})
    case("unknown_state.xlsx", "a state that does not exist", "error", sheet="Reports", cell="A2",
         words="not a state name")

    xlsx("typo_in_state.xlsx", {"Reports": [REPORT_HEAD, ["Swizerland", "annual", 2017, D(2018, 4, 27)]]})
    case("typo_in_state.xlsx", "a misspelt state name", "error", sheet="Reports", cell="A2", words="Switzerland")

    xlsx("date_before_2008.xlsx", {"Spend": [SPEND_HEAD, [D(2007, 3, 1), "Travel", 100, "Mission"]]})
    case("date_before_2008.xlsx", "a date typed with the wrong year, before the Convention", "error", sheet="Spend",
         cell="A2", words="before 2008")

    xlsx("future_submission.xlsx", {"Reports": [REPORT_HEAD, ["Bulgaria", "annual", 2017, D(2031, 4, 27)]]})
    case("future_submission.xlsx", "a submission dated in the future", "ok", warning="future")

    xlsx("annual_without_year.xlsx", {"Reports": [REPORT_HEAD, ["Bulgaria", "annual", None, D(2018, 4, 27)]]})
    case("annual_without_year.xlsx", "an annual report without the year it covers", "error", sheet="Reports",
         cell="C2", words="year it covers")

    xlsx("report_type_typo.xlsx", {"Reports": [REPORT_HEAD, ["Bulgaria", "anual", 2017, D(2018, 4, 27)]]})
    case("report_type_typo.xlsx", "'anual' for annual", "error", sheet="Reports", cell="B2", words="initial or annual")

    xlsx("article_5.xlsx", {"Obligations": [["state", "article"], ["Bulgaria", 5]]})
    case("article_5.xlsx", "article 5 instead of 3 or 4", "error", sheet="Obligations", cell="B2", words="3")

    xlsx("budget_line_twice.xlsx", {"Budget": [["year", "cost_line", "amount"], [2018, "Travel", 37000],
                                               [2018, "travel ", 5000]]})
    case("budget_line_twice.xlsx", "one budget line typed twice for the same year", "error", sheet="Budget",
         cell="B3", words="budgeted twice")

    xlsx("budget_line_two_ways.xlsx", {"Budget": [["year", "cost_line", "amount"], [2019, "Travel", 38000],
                                                  [2019, "Salaries", 352000], [2020, "travel ", 39000],
                                                  [2020, "Salaries", 359000]],
                                       "Spend": [SPEND_HEAD, [D(2020, 2, 3), "TRAVEL", 800, "Mission"]]})
    case("budget_line_two_ways.xlsx", "a budget line spelt two ways in different years", "ok",
         values={"spend.cost_line": ["Travel"]}, warning="treated as the same line")

    xlsx("negative_budget.xlsx", {"Budget": [["year", "cost_line", "amount"], [2019, "Travel", -38000]]})
    case("negative_budget.xlsx", "a budget amount entered as negative", "error", sheet="Budget", cell="C2",
         words="negative")

    xlsx("spend_on_unknown_line.xlsx", {"Spend": [SPEND_HEAD, [D(2018, 5, 2), "Travels", 900, "Mission"]]})
    case("spend_on_unknown_line.xlsx", "spend booked on a line the budget does not have", "error", sheet="Spend",
         cell="B2", words="Did you mean 'Travel'")

    xlsx("spend_year_without_budget.xlsx", {"Spend": [SPEND_HEAD, [D(2023, 5, 2), "Travel", 900, "Mission"]]})
    case("spend_year_without_budget.xlsx", "spend in a year with no budget loaded", "error", sheet="Spend",
         cell="B2", words="no budget for 2023")

    xlsx("number_in_date_cell.xlsx", {"Spend": [SPEND_HEAD, [43101, "Travel", 900, "Mission"]]})
    case("number_in_date_cell.xlsx", "a date cell formatted as a number (43101)", "error", sheet="Spend", cell="A2",
         words="format the cell as a date")

    xlsx("duplicate_state.xlsx", {"States": [["state", "signature_date", "ratification_date"],
                                             ["Bulgaria", D(2008, 12, 3), D(2011, 4, 6)],
                                             ["Bulgaria", D(2008, 12, 3), D(2011, 4, 6)]]})
    case("duplicate_state.xlsx", "a state listed twice", "error", sheet="States", row=3, words="listed twice")

    xlsx("ratified_before_signing.xlsx", {"States": [["state", "signature_date", "ratification_date"],
                                                     ["Bulgaria", D(2011, 4, 6), D(2008, 12, 3)]]})
    case("ratified_before_signing.xlsx", "signature and ratification dates swapped", "error", sheet="States",
         cell="C2", words="before signature")

    xlsx("html_and_markdown_in_cells.xlsx",
         {"Workplan": [["activity", "title", "status"], ["1.1.1", "<script>alert('x')</script>", "**done**"],
                       ["1.1.2", "[click](javascript:alert(1)) $x$", "<b>ongoing</b>"]]})
    case("html_and_markdown_in_cells.xlsx", "HTML and Markdown typed into cells", "ok",
         values={"workplan.title": ["<script>alert('x')</script>", "[click](javascript:alert(1)) $x$"]})

    data = xlsx("formulas.xlsx", {"Spend": [SPEND_HEAD, [D(2018, 6, 1), "Travel", 100, "two trips"]]})
    patch_zip("formulas.xlsx", data, "xl/worksheets/sheet1.xml", b'<c r="C2" t="n"><v>100</v>',
              b'<c r="C2" t="n"><f>50*2</f><v>100</v>')
    case("formulas.xlsx", "an amount computed by a formula", "ok", values={"spend.amount": [100.0]},
         warning="formula")

    # -- file mistakes ----------------------------------------------------------------------------
    text("ambiguous_date/spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,100\n03/04/2018,Salaries,5\n")
    case("ambiguous_date/spend.csv", "a day/month date that could be read both ways", "error", cell="A3",
         words="ambiguous")

    text("semicolons/reports.csv", "state;report_type;year;submitted_on\nBulgaria;annual;2017;2018-04-27\n")
    case("semicolons/reports.csv", "a CSV saved with semicolons (a European Excel)", "ok", rows={"reports": 1},
         warning="semicolons")

    text("windows_1252/meetings.csv", "meeting,start_date,location\nUniversalization workshop,2018-03-20,Lom\xe9\n",
         encoding="cp1252")
    case("windows_1252/meetings.csv", "a CSV in Windows-1252, not UTF-8", "ok",
         values={"meetings.location": ["Lom\xe9"]}, warning="Windows-1252")

    text("utf16_tabs/contributions.csv", "date\tdonor\tamount\n2018-03-01\tNorway\t90000\n", encoding="utf-16")
    case("utf16_tabs/contributions.csv", "Excel's 'Unicode text': UTF-16 with tabs", "ok", rows={"contributions": 1})

    text("partial_states/states.csv", "state,signature_date,ratification_date\nBulgaria,2008-12-03,2011-04-06\n"
         "Albania,2008-12-03,2009-06-16\n")
    case("partial_states/states.csv", "a partial states list that would orphan the reports already stored", "error",
         words="already stored name")

    xlsx("budget_without_stored_lines.xlsx", {"Budget": [["year", "cost_line", "amount"], [2018, "Travel", 37000]]})
    case("budget_without_stored_lines.xlsx", "a budget that drops lines the stored spend is booked on", "error",
         sheet="Budget", words="spend already stored")

    text("unclosed_quote/spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,\"100\n")
    case("unclosed_quote/spend.csv", "a quote that is never closed", "error", words="malformed")

    text("empty_file/budget.csv", "")
    case("empty_file/budget.csv", "an empty file", "error", words="no dataset found")

    text("excel_serial/spend.csv", "date,cost_line,amount\n43101,Travel,100\n")
    case("excel_serial/spend.csv", "an Excel date serial number in a CSV", "error", cell="A2",
         words="serial number")

    # -- dates outside Excel's range, and years no calendar has (DOMAIN §9) ---------------------
    for name, number, what in [("date_serial_year_10000.xlsx", 2958466, "an Excel date serial of year 10000"),
                               ("date_serial_negative.xlsx", -5, "a negative number formatted as a date")]:
        data = xlsx(name, {"Spend": [SPEND_HEAD, [D(2018, 1, 31), "Travel", 100, "Mission"]]})
        patch_zip(name, data, "xl/worksheets/sheet1.xml", b"<v>43131</v>", f"<v>{number}</v>".encode())
        case(name, what + " in a date cell", "error", sheet="Spend", cell="A2",
             words="is not a date Excel can hold", value="10000-01-01" if number > 0 else "1899-12-26")

    text("date_year_zero/spend.csv", "date,cost_line,amount\n0000-01-01,Travel,100\n")
    case("date_year_zero/spend.csv", "a written date of year 0", "error", cell="A2", words="years run from 1 to 9999",
         value="0000-01-01")

    (HERE / "old_excel.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    case("old_excel.xlsx", "an Excel 97-2003 file (or a password-protected one) named .xlsx", "error",
         words="password-protected")

    (HERE / "report.pdf.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    case("report.pdf.xlsx", "a PDF renamed to .xlsx", "error", words="not an Excel workbook")

    (HERE / "budget.ods").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    case("budget.ods", "an OpenDocument spreadsheet", "error", words="Supported")

    data = xlsx("entities.xlsx", {"Budget": [["year", "cost_line", "amount"], [2019, "Travel", 1]]})
    patch_zip("entities.xlsx", data, "xl/worksheets/sheet1.xml", b"<worksheet",
              b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet')
    case("entities.xlsx", "XML entity declarations (billion laughs)", "error", words="DOCTYPE")

    write_zip_bomb(HERE / "zip_bomb.xlsx")
    case("zip_bomb.xlsx", "a 2 GB sheet packed into a few MB", "error", words="would unpack to")

    # -- attacks (issue 9): every one refused within bounded memory and time, or loaded and exported cleanly --
    attacks()

    text("oversized/spend.csv", "date,cost_line,amount\n" + "2018-01-31,Salaries,1\n" * 2000)
    case("oversized/spend.csv", "a file over the size limit (limit lowered to 0.02 MB here)", "error",
         words="files over", env={"CCM_MAX_FILE_MB": "0.02"})

    (HERE / "manifest.json").write_text(json.dumps(CASES, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(CASES)} cases written to {HERE}")


def attacks() -> None:
    """Hostile files: each is refused (exit 2, store unchanged, memory bounded) or loads with a warning
    and exports cleanly. tests/test_limits.py runs the refused ones in a subprocess with a memory cap."""
    raw_workbook("lying_zip_directory.xlsx", spaces(1024 ** 3), declared_size=4096)
    case("lying_zip_directory.xlsx", "a 1 MB workbook whose zip directory says its sheet is 4 KB; it unpacks to 1 GB",
         "error", words="unpacks to more than", attack=True)

    raw_workbook("two_far_corners.xlsx", [SPEND_XML_HEAD, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])
    case("two_far_corners.xlsx", "a 5 KB sheet with cells at A1 and XFD1048576 (a reader would set aside 17 billion "
         "cells)", "error", words="16,384 columns", attack=True)

    raw_workbook("tall_sparse_sheet.xlsx", [SPEND_XML_HEAD, b'<row r="1000000"><c r="Z1000000"><v>1</v></c></row>'])
    case("tall_sparse_sheet.xlsx", "one cell at Z1000000 under the header (26 million cells set aside)", "error",
         words="would set aside", attack=True)

    raw_workbook("cells_without_references.xlsx",
                 [SPEND_XML_HEAD, b"<row>" + b"<c><v>1</v></c>" * 20000 + b"</row>"])
    case("cells_without_references.xlsx", "20,000 cells in one row written without references (placed one after "
         "another)", "error", words="at most 256 are read", attack=True)

    raw_workbook("prefixed_far_cell.xlsx", [SPEND_XML_HEAD, b'<x:row r="2"><x:c r="XFD2"><x:v>1</x:v></x:c></x:row>'])
    case("prefixed_far_cell.xlsx", "a far cell written with a namespace prefix and other quotes", "error",
         words="16,384 columns", attack=True)

    raw_workbook("unusual_compression.xlsx", [SPEND_XML_HEAD], compression=zipfile.ZIP_BZIP2)
    case("unusual_compression.xlsx", "parts compressed with bzip2, which Excel never uses", "error",
         words="compressed in a way", attack=True)

    text("wide_header/spend.csv", ",".join(f"c{i}" for i in range(200_000)) + "\n2018-01-31,Travel,1\n")
    case("wide_header/spend.csv", "a CSV whose header has 200,000 columns (1.5 MB)", "error",
         words="at most 256 columns", attack=True)

    data = xlsx("entity_after_4kb.xlsx", {"Budget": [["year", "cost_line", "amount"], [2019, "Travel", 1]]})
    patch_zip("entity_after_4kb.xlsx", data, "xl/workbook.xml", b"<workbook",
              b"<!--" + b" padding " * 600 + b'--><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><workbook')
    case("entity_after_4kb.xlsx", "an entity declaration after the first 4 KB of workbook.xml", "error",
         words="DOCTYPE", attack=True)

    text("nul_after_4kb/budget.csv", "year,cost_line,amount\n" + "2019,Travel,1\n" * 400 + "2019,Tra\x00vel,1\n")
    case("nul_after_4kb/budget.csv", "a NUL byte after the first 4 KB of a CSV file", "error",
         words="NUL character on line 402", attack=True)

    text("control_characters/contributions.csv",
         "date,donor,amount,year\n2018-02-01,Nor\x07way\x1b[31m,90000,2018\n2018-03-05,Ireland,20000,2018\n")
    case("control_characters/contributions.csv", "BEL and an ANSI escape (ESC [31m) in a donor's name", "ok",
         rows={"contributions": 2}, values={"contributions.donor": ["Norway[31m", "Ireland"]},
         warning="control character", export=True)

    data = xlsx("control_characters.xlsx", {"Contributions": [["date", "donor", "amount", "year"],
                                                               [D(2018, 2, 1), "NorXway", 90000, 2018]]})
    patch_zip("control_characters.xlsx", data, "xl/worksheets/sheet1.xml", b"NorXway", b"Nor\x1b]0;owned\x07way")
    case("control_characters.xlsx", "a terminal title escape (ESC ] 0; ... BEL) inside a workbook cell", "ok",
         rows={"contributions": 1}, values={"contributions.donor": ["Nor]0;ownedway"]},
         warning="control character", export=True)

    xlsx("=1+2+SUM(1).xlsx", {"Contributions": [["date", "donor", "amount", "year"],
                                                [D(2018, 2, 1), "@SUM(1)+Norway", 90000, 2018]]})
    case("=1+2+SUM(1).xlsx", "a file named like a formula, with a formula-like donor", "ok",
         rows={"contributions": 1}, values={"contributions.donor": ["@SUM(1)+Norway"]}, export=True)

    xlsx("huge_amount.xlsx", {"Budget": [["year", "cost_line", "amount", "currency"], [2019, "Travel", 1e308, "CHF"]]})
    case("huge_amount.xlsx", "an amount of 1e308 (its sum would be infinite)", "error", sheet="Budget", cell="C2",
         words="10^12", attack=True)

    text("huge_amount/contributions.csv", "date,donor,amount,year\n2018-02-01,Norway,1e308,2018\n")
    case("huge_amount/contributions.csv", "an amount of 1e308 written as text in a CSV", "error", cell="C2",
         words="10^12", attack=True)


SPEND_XML_HEAD = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c><c r="B1" t="inlineStr"><is><t>cost_line'
                  b'</t></is></c><c r="C1" t="inlineStr"><is><t>amount</t></is></c></row>')


def raw_workbook(name: str | Path, sheet_rows, sheet: str = "Spend", declared_size: int | None = None,
                 compression: int = zipfile.ZIP_DEFLATED) -> None:
    """A minimal workbook whose one sheet's rows are the given XML chunks, written straight into the zip
    (no spreadsheet library), so any size or odd form can be made. ``declared_size`` makes the zip
    directory lie about the sheet's unpacked size."""
    path = name if isinstance(name, Path) else HERE / name
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", compression) as z:
        for part, body in parts.items():
            z.writestr(part, body)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}" '
                    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'.encode())
            for chunk in sheet_rows:
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    if declared_size is not None:
        _lie_about_size(path, "xl/worksheets/sheet1.xml", declared_size)


def _lie_about_size(path: Path, member: str, size: int) -> None:
    """Overwrite a member's unpacked size in its local header and in the central directory."""
    import struct

    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + n] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def spaces(total: int):
    """A one-cell sheet whose text is ``total`` spaces (deflate packs it about 1,000 to 1)."""
    yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
    block = b" " * (16 * 1024 * 1024)
    for _ in range(total // len(block)):
        yield block
    yield b"</t></is></c></row>"


def spend_rows(n: int):
    """A valid spend sheet of ``n`` rows (Travel, 2018), as row XML in blocks."""
    yield SPEND_XML_HEAD
    block = []
    for i in range(2, n + 2):
        block.append(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>2018-03-{1 + i % 28:02d}</t></is></c>'
                     f'<c r="B{i}" t="inlineStr"><is><t>Travel</t></is></c><c r="C{i}"><v>{i % 97}.5</v></c></row>')
        if len(block) == 10_000:
            yield "".join(block).encode()
            block = []
    yield "".join(block).encode()


def write_zip_bomb(path: Path, size: int = 2 * 1024 ** 3) -> None:
    """A workbook whose one sheet is 2 GB of spaces: deflate packs it about 1,000 to 1."""
    wb = Workbook()
    wb.active.title = "Spend"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            block = b" " * (16 * 1024 * 1024)
            for _ in range(size // len(block)):
                f.write(block)
            f.write(b"</t></is></c></row></sheetData></worksheet>")


if __name__ == "__main__":
    build()
