"""Loading spreadsheets: what is accepted, and what each refusal names."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ccm_analytics.errors import LoadError
from ccm_analytics.reading import Source, read_inputs

from .conftest import csv_source, xlsx_bytes

TODAY = pd.Timestamp("2026-01-01")
STATES_ROWS = [
    ["state", "signature_date", "ratification_date"],
    ["Bulgaria", dt.date(2008, 12, 3), dt.date(2011, 4, 6)],
    ["Albania", dt.date(2008, 12, 3), dt.date(2009, 6, 16)],
]


def load(*sources):
    return read_inputs(list(sources), today=TODAY)


def errors_of(*sources) -> list:
    with pytest.raises(LoadError) as e:
        load(*sources)
    return e.value.problems


def book(name="book.xlsx", **sheets):
    return Source(name, xlsx_bytes(sheets))


def one_error(*sources):
    problems = errors_of(*sources)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# -- headers --------------------------------------------------------------------------------------

def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_excel_numbers():
    rows = [["CCM reports 2018"], [], ["State", "Report Type", "Year", "Submitted On"],
            ["Bulgaria", "annual", 2017, "2018-04-30"], [], ["Albania", "annual", 2017, "03/04/2018"]]
    p = one_error(book(States=STATES_ROWS, Reports=rows))
    assert (p.file, p.sheet, p.row, p.cell, p.column) == ("book.xlsx", "Reports", 6, "D6", "Submitted On")
    assert p.value == "03/04/2018"
    assert "ambiguous" in p.message and "3 April" in p.message and "4 March" in p.message


def test_a_header_below_row_10_is_not_found_and_the_message_lists_the_required_columns():
    rows = [[f"note {i}"] for i in range(10)] + [["state", "report_type", "submitted_on"]]
    p = one_error(book(States=STATES_ROWS, Reports=rows))
    assert p.sheet == "Reports"
    assert "first 10 rows" in p.message and "report_type" in p.message


def test_a_header_missing_a_required_column_names_it():
    p = one_error(book(States=STATES_ROWS, Reports=[["state", "year", "submitted_on"], ["Bulgaria", 2017, "2018-04-30"]]))
    assert "report_type" in p.message and "row 1" in p.message


@pytest.mark.parametrize("headers", [
    ["State", "Report Type", "Year", "Submitted On"],
    ["STATE", "report-type", "year", "Submitted_On"],
    [" state ", "Report  type", "Year", "submitted-on"],
    ["Country", "Type", "Reporting year", "Date received"],
])
def test_header_spelling_variants_are_accepted(headers):
    rows = [headers, ["Bulgaria", "annual", 2017, dt.date(2018, 4, 30)]]
    data = load(book(States=STATES_ROWS, Reports=rows)).data
    assert data.reports.iloc[0]["submitted_on"] == pd.Timestamp("2018-04-30")


@pytest.mark.parametrize("column", ["ratification_or_accession_date", "accession_date", "Ratification date"])
def test_ratification_date_aliases(column):
    data = load(book(States=[["state", column], ["Andorra", dt.date(2013, 4, 9)]])).data
    assert data.states.iloc[0]["ratification_date"] == pd.Timestamp("2013-04-09")


def test_an_unknown_column_is_ignored_with_a_warning_that_suggests_the_right_name():
    result = load(book(States=[["state", "ratificaton_date", "comment"], ["Andorra", dt.date(2013, 4, 9), "x"]]))
    messages = [str(w) for w in result.warnings]
    assert any("'ratificaton_date'" in m and "ratification_date" in m and "cell B1" in m for m in messages)
    assert any("'comment'" in m for m in messages)


def test_a_column_pasted_twice_is_an_error_naming_both_columns():
    rows = [["state", "signature_date", "state"], ["Bulgaria", dt.date(2008, 12, 3), "Bulgaria"]]
    p = one_error(book(States=rows))
    assert "twice" in p.message and "columns A and C" in p.message and p.cell == "C1"


def test_merged_cells_take_the_value_of_their_top_left_cell():
    rows = [["Reports received"], ["state", "report_type", "year", "submitted_on"],
            ["Bulgaria", "annual", 2016, dt.date(2017, 4, 28)], [None, "annual", 2017, dt.date(2018, 4, 27)]]
    src = Source("m.xlsx", xlsx_bytes({"States": STATES_ROWS, "Reports": rows},
                                      merged={"Reports": ["A1:D1", "A3:A4"]}))
    data = load(src).data
    assert list(data.reports["iso3"]) == ["BGR", "BGR"]


def test_a_totals_row_is_an_error_not_an_amount():
    rows = [["date", "cost_line", "amount"], [dt.date(2018, 1, 31), "Salaries", 100], ["Total", None, 100]]
    budget = [["year", "cost_line", "amount"], [2018, "Salaries", 1000]]
    p = one_error(book(Budget=budget, Spend=rows))
    assert (p.sheet, p.row) == ("Spend", 3) and "totals row" in p.message


def test_blank_rows_are_skipped():
    rows = [["year", "cost_line", "amount"], [2018, "Salaries", 1000], [None, None, None], ["", " ", None],
            [2018, "Travel", 500]]
    assert len(load(book(Budget=rows)).data.budget) == 2


# -- cells ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2018-04-30", "2018-04-30"),
    ("30 April 2018", "2018-04-30"),
    ("30-Apr-2018", "2018-04-30"),
    ("April 30, 2018", "2018-04-30"),
    ("30/04/2018", "2018-04-30"),
    ("04/30/2018", "2018-04-30"),
    ("5/5/2018", "2018-05-05"),
    ("2018-04-30 00:00:00", "2018-04-30"),
    ("Monday 30 April 2018", "2018-04-30"),
])
def test_written_dates_that_are_unambiguous_are_read(text, expected):
    data = load(csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,1\n"),
                csv_source("spend.csv", f"date,cost_line,amount\n\"{text}\",Salaries,1\n")).data
    assert data.spend.iloc[0]["date"] == pd.Timestamp(expected)


@pytest.mark.parametrize("text, words", [
    ("03/04/2018", "ambiguous"),
    ("2023-06", "only a month"),
    ("June 2023", "only a month"),
    ("2020", "only a year"),
    ("31 April 2018", "not a real date"),
    ("soon", "not a date"),
    ("43101", "serial number"),
])
def test_bad_dates_are_errors_naming_the_cell(text, words):
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,1\n"),
                  csv_source("spend.csv", f"date,cost_line,amount\n{text},Salaries,1\n"))
    assert (p.file, p.row, p.cell, p.column, p.value) == ("spend.csv", 2, "A2", "date", text)
    assert words in p.message


def test_a_number_in_a_date_cell_of_a_workbook_is_refused_with_advice():
    rows = [["date", "cost_line", "amount"], [43101, "Salaries", 1]]
    p = one_error(book(Budget=[["year", "cost_line", "amount"], [2018, "Salaries", 5]], Spend=rows))
    assert p.cell == "A2" and "format the cell as a date" in p.message and p.value == "43101"


@pytest.mark.parametrize("text, amount", [("10,000", 10000.0), ("10'000.50", 10000.5), ("-350", -350.0),
                                          ("-1,350.25", -1350.25), ("1 234 567", 1234567.0), ("12.5", 12.5)])
def test_amounts_with_thousands_separators_are_read(text, amount):
    data = load(csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,1\n"),
                csv_source("spend.csv", f"date,cost_line,amount\n2018-01-05,Salaries,\"{text}\"\n")).data
    assert data.spend.iloc[0]["amount"] == amount


@pytest.mark.parametrize("text, words", [("10.000,50", "dot to group"), ("(350)", "minus sign"),
                                         ("CHF 100", "not an amount"), ("1,00,000", "not an amount")])
def test_other_amounts_are_errors(text, words):
    p = one_error(csv_source("spend.csv", f"date,cost_line,amount\n2018-01-05,Salaries,\"{text}\"\n"),
                  csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,1\n"))
    assert (p.cell, p.column) == ("C2", "amount") and words in p.message


def test_every_problem_of_a_file_is_reported_at_once():
    text = ("state,report_type,year,submitted_on\nBulgaria,annual,2017,03/04/2018\nNarnia,initial,,2012-01-01\n"
            "Albania,yearly,2017,2018-04-01\nAlbania,annual,,2018-04-02\n")
    problems = errors_of(csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\nAlbania,2009-06-16\n"),
                         csv_source("reports.csv", text))
    assert sorted(p.cell for p in problems) == ["A3", "B4", "C5", "D2"]


# -- state names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, iso3", [
    ("Côte d’Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Ivory Coast", "CIV"), ("Cape Verde", "CPV"),
    ("Cabo Verde", "CPV"), ("Lao PDR", "LAO"), ("Lao People’s Democratic Republic", "LAO"), ("Laos", "LAO"),
    ("Holy See", "VAT"), ("State of Palestine", "PSE"), ("Türkiye", "TUR"), ("Czechia", "CZE"),
    ("Eswatini", "SWZ"), ("North Macedonia", "MKD"), ("Bolivia (Plurinational State of)", "BOL"),
    ("Cook Islands", "COK"), ("Niue", "NIU"), ("  bulgaria ", "BGR"), ("BGR", "BGR"),
    ("St. Kitts and Nevis", "KNA"), ("Republic of Korea", "KOR"),
])
def test_state_names_in_real_use_are_normalised(name, iso3):
    data = load(csv_source("states.csv", f"state\n\"{name}\"\n")).data
    assert data.states.iloc[0]["iso3"] == iso3


def test_an_unknown_state_is_an_error_with_suggestions():
    p = one_error(csv_source("states.csv", "state\nBulgaria\nSwitzerlnd\n"))
    assert (p.cell, p.value) == ("A3", "Switzerlnd")
    assert "Switzerland" in p.message


def test_a_report_for_a_state_missing_from_states_names_the_cell():
    p = one_error(csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\n"),
                  csv_source("reports.csv", "state,report_type,submitted_on\nAlbania,initial,2011-01-20\n"))
    assert (p.file, p.cell) == ("reports.csv", "A2") and "not in the states list" in p.message


def test_a_state_listed_twice_is_an_error_naming_the_first_row():
    p = one_error(csv_source("states.csv", "state\nBulgaria\nAlbania\nbulgaria\n"))
    assert p.row == 4 and "row 2" in p.message


# -- dataset rules ------------------------------------------------------------------------------------

def test_ratification_before_signature_is_an_error():
    p = one_error(csv_source("states.csv", "state,signature_date,ratification_date\nBulgaria,2009-01-01,2008-12-31\n"))
    assert p.column == "ratification_date" and "before signature" in p.message


def test_an_entry_into_force_that_disagrees_with_article_17_is_a_warning_and_is_used():
    result = load(csv_source("states.csv", "state,ratification_date,entry_into_force\nBulgaria,2011-04-06,2011-11-01\n"))
    assert any("2011-10-01" in str(w) or "1 Oct 2011" in str(w) for w in result.warnings)
    from ccm_analytics.analysis.states import state_table
    assert state_table(result.data.states).iloc[0]["eif"] == pd.Timestamp("2011-11-01")


def test_an_annual_report_without_a_year_is_an_error():
    p = one_error(csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\n"),
                  csv_source("reports.csv", "state,report_type,year,submitted_on\nBulgaria,annual,,2013-04-30\n"))
    assert p.cell == "C2" and "year it covers" in p.message


def test_a_duplicate_report_is_a_warning_and_the_load_goes_on():
    result = load(csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\n"),
                  csv_source("reports.csv", "state,report_type,year,submitted_on\nBulgaria,annual,2017,2018-07-09\n"
                                            "Bulgaria,annual,2017,2018-04-30\n"))
    assert [w.row for w in result.warnings] == [2]  # the later submission, wherever it is
    assert len(result.data.reports) == 2


def test_spend_on_a_line_missing_from_the_budget_suggests_the_closest_line():
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,100\n2018,Salaries,100\n"),
                  csv_source("spend.csv", "date,cost_line,amount\n2018-03-01,Travels,10\n"))
    assert p.cell == "B2" and "Did you mean 'Travel'" in p.message


def test_spend_in_a_year_without_a_budget_says_so():
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,100\n"),
                  csv_source("spend.csv", "date,cost_line,amount\n2019-03-01,Travel,10\n"))
    assert "no budget for 2019" in p.message


def test_a_budget_line_typed_two_ways_is_one_line_with_a_warning():
    result = load(csv_source("budget.csv", "year,cost_line,amount\n2018,Social charges,100\n2019,social  Charges,100\n"),
                  csv_source("spend.csv", "date,cost_line,amount\n2019-03-01,SOCIAL CHARGES,10\n"))
    assert set(result.data.budget["cost_line"]) == {"Social charges"}
    assert set(result.data.spend["cost_line"]) == {"Social charges"}
    assert any(w.cell == "B3" for w in result.warnings)


def test_a_negative_budget_is_an_error():
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,-100\n"))
    assert p.cell == "C2" and "negative" in p.message


def test_article_must_be_3_or_4():
    p = one_error(csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\n"),
                  csv_source("obligations.csv", "state,article\nBulgaria,5\n"))
    assert p.cell == "B2" and "3" in p.message and "4" in p.message


# -- files ------------------------------------------------------------------------------------------------

def test_the_same_dataset_twice_in_one_load_is_an_error():
    problems = errors_of(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1\n"),
                         book("b.xlsx", Budget=[["year", "cost_line", "amount"], [2018, "Travel", 2]]))
    assert any("given twice" in p.message for p in problems)


def test_unknown_sheets_are_ignored_with_a_warning_but_readme_quietly():
    result = load(book(README=[["about"]], Notes2=[["x"]], Budget=[["year", "cost_line", "amount"], [2018, "T", 1]]))
    assert [w.sheet for w in result.warnings] == ["Notes2"]


@pytest.mark.parametrize("name, data, words", [
    ("data.xlsx", b"state,year\nBulgaria,2018\n", "not an Excel workbook"),
    ("data.xlsx", b"", "not an Excel workbook"),
    ("data.xlsx", bytes(range(256)) * 8, "not an Excel workbook"),
    ("data.xlsx", b"PK\x03\x04" + b"\x00" * 100, "could not be read"),
    ("data.xlsx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "password-protected"),
    ("data.xls", b"\xd0\xcf\x11\xe0", "Supported"),
    ("data.ods", b"PK\x03\x04", "Supported"),
    ("spend.csv", b"\x00\x01\x02binary", "binary"),
])
def test_unreadable_files_are_refused_with_advice(name, data, words):
    p = one_error(Source(name, data))
    assert p.file == name and words in p.message


def test_a_semicolon_csv_in_windows_1252_is_read_with_warnings():
    text = "state;ratification_date\nC\xf4te d'Ivoire;2012-03-12\n".encode("cp1252")
    result = load(Source("states.csv", text))
    assert result.data.states.iloc[0]["iso3"] == "CIV"
    assert len(result.warnings) == 2


def test_nothing_recognisable_is_an_error():
    p = one_error(Source("misc.csv", b"a,b\n1,2\n"))
    assert "no dataset found" in p.message


def test_template_sheets_left_empty_are_skipped_not_emptied():
    from ccm_analytics.templates import blank_workbook_bytes
    from openpyxl import load_workbook
    import io
    wb = load_workbook(io.BytesIO(blank_workbook_bytes()))
    wb["Budget"].append([2018, "Travel", 37000, "CHF"])
    buf = io.BytesIO()
    wb.save(buf)
    result = load(Source("filled_template.xlsx", buf.getvalue()))
    assert list(result.frames) == ["budget"]
    assert len(result.warnings) == 1 and "Spend" in result.warnings[0].message


def test_an_entirely_empty_dataset_sheet_is_skipped():
    result = load(book(Budget=[["year", "cost_line", "amount"], [2018, "Travel", 1]], Spend=[]))
    assert list(result.frames) == ["budget"] and "Spend" in result.warnings[0].message


# -- found in review -----------------------------------------------------------------------------------

def test_an_empty_budget_line_and_a_misspelt_spend_line_are_both_reported():
    problems = errors_of(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,10\n2018,,5\n"),
                         csv_source("spend.csv", "date,cost_line,amount\n2018-01-01,Travle,1\n"))
    assert {(p.file, p.cell) for p in problems} == {("budget.csv", "B3"), ("spend.csv", "B2")}


def test_placeholder_dates_far_in_the_future_are_errors():
    problems = errors_of(csv_source("states.csv",
                                    "state,ratification_date,entry_into_force\nBulgaria,9999-12-31,2011-10-01\n"))
    assert any(p.cell == "B2" and "after 2100" in p.message for p in problems)


def test_an_unquoted_thousands_separator_in_a_csv_is_caught():
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,345,054\n"))
    assert p.row == 2 and "more values than the header" in p.message and p.value == "054"


def test_values_under_a_blank_header_in_a_workbook_are_ignored_with_a_warning():
    result = load(book(Budget=[["year", "cost_line", "amount", None], [2018, "Travel", 1, "stray"]]))
    assert any("column D" in w.message and "no header" in w.message for w in result.warnings)


def test_excel_error_cells_are_named():
    from openpyxl import Workbook
    import io
    wb = Workbook()
    ws = wb.active
    ws.title = "Contributions"
    ws.append(["date", "donor", "amount", "year"])
    ws.append([dt.date(2018, 10, 15), "Germany", 50000, "#REF!"])
    ws["D2"].data_type = "e"
    buf = io.BytesIO()
    wb.save(buf)
    p = one_error(Source("c.xlsx", buf.getvalue()))
    assert (p.cell, p.value) == ("D2", "#REF!") and "Excel error" in p.message


def test_a_description_starting_with_total_is_not_a_totals_row():
    data = load(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1\n"),
                csv_source("spend.csv", "date,cost_line,amount,description\n2018-03-01,Travel,5,Total cost of catering\n")).data
    assert list(data.spend["description"]) == ["Total cost of catering"]


def test_huge_amounts_are_refused_not_stored_as_infinity():
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1" + "0" * 400 + "\n"))
    assert p.cell == "C2" and "larger than any amount" in p.message


def test_amounts_up_to_ten_to_the_twelve_load_and_one_more_is_refused():
    # The limit is 10^12 = 1,000,000,000,000 inclusive (DOMAIN.md section 9).
    data = load(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1000000000000\n")).data
    assert list(data.budget["amount"]) == [1e12]
    p = one_error(csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1000000000001\n"))
    assert p.cell == "C2" and "10^12" in p.message


def test_a_typed_excel_number_of_1e308_is_refused_quoting_it():
    p = one_error(book("b.xlsx", Budget=[["year", "cost_line", "amount"], [2018, "Travel", 1e308]]))
    assert p.cell == "C2" and p.message.startswith("1e+308 is larger than any amount")


def test_file_order_does_not_matter_for_an_empty_template_sheet():
    template = book("template.xlsx", States=[["state"], ["Bulgaria"]], Reports=[["state", "report_type", "submitted_on"]])
    reports = csv_source("reports.csv", "state,report_type,submitted_on\nBulgaria,initial,2012-03-01\n")
    assert len(load(template, reports).data.reports) == 1
    assert len(load(reports, template).data.reports) == 1


@pytest.mark.parametrize("name, iso3", [("Netherlands (Kingdom of the)", "NLD"), ("Democratic Republic of Congo", "COD")])
def test_more_names_in_un_usage(name, iso3):
    assert load(csv_source("states.csv", f"state\n\"{name}\"\n")).data.states.iloc[0]["iso3"] == iso3


# -- messages quote the value and name the State (issue 9) --------------------------------------------

def test_a_negative_budget_amount_is_quoted_with_separators():
    # Header on row 1, so the fourth data line is Excel row 5; the amount column is C.
    text = "year,cost_line,amount\n2018,Travel,1\n2018,Staff,2\n2018,Other,3\n2018,Printing,-5000\n"
    p = one_error(csv_source("budget.csv", text))
    assert str(p) == "budget.csv, cell C5 (amount): -5,000 - a budget amount cannot be negative."


def test_a_state_listed_twice_names_the_state_and_both_rows():
    # Albania on rows 2 and 8 (header on row 1, six states in between).
    names = ["Albania", "Austria", "Belgium", "Bulgaria", "Chile", "France", "Albania"]
    p = one_error(csv_source("states.csv", "state\n" + "\n".join(names) + "\n"))
    assert str(p) == "states.csv, row 8 (Albania): listed twice, also on row 2; keep one row per state."


def test_a_date_rule_names_the_state_and_quotes_the_date():
    p = one_error(csv_source("states.csv", "state,signature_date,ratification_date\nBulgaria,2009-01-01,2008-12-31\n"))
    assert str(p).startswith("states.csv, cell C2 (ratification_date, Bulgaria): 2008-12-31 - ratification")


def test_a_cell_that_cannot_be_read_names_the_state_of_its_row():
    states = csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\n")
    p = one_error(states, csv_source("reports.csv", "state,report_type,submitted_on\nBulgaria,initial,soon\n"))
    assert p.state == "Bulgaria" and str(p).startswith("reports.csv, cell C2 (submitted_on, Bulgaria): 'soon'")
