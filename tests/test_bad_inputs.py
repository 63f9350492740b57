"""The corpus of bad inputs (tests/data/bad/): each loads correctly or fails naming the cell,
and on failure the store is unchanged. Plus a fuzz test of random cell values."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ccm_analytics.errors import LoadError
from ccm_analytics.reading import Source, read_inputs
from ccm_analytics.store import Store

from .conftest import copy_store, examples, ROOT, spread

BAD = ROOT / "tests" / "data" / "bad"
CASES = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))
TODAY = pd.Timestamp("2026-11-28")


def test_the_corpus_has_at_least_30_different_mistakes():
    assert len(CASES) >= 30
    assert len({c["mistake"] for c in CASES}) == len(CASES)


def matches(problem, case) -> bool:
    return ((case.get("sheet") is None or problem.sheet == case["sheet"])
            and (case.get("cell") is None or problem.cell == case["cell"])
            and (case.get("row") is None or problem.row == case["row"])
            and (case.get("value") is None or problem.value == case["value"])
            and case.get("words", "") in problem.message)


@pytest.mark.parametrize("case", spread(CASES), ids=lambda c: c["file"])  # all in make test; a spread in make check
def test_each_bad_file_loads_correctly_or_fails_naming_the_place(case, sample_store, tmp_path, monkeypatch):
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)
    path = tmp_path / "store.duckdb"
    copy_store(sample_store, path)
    store = Store(path)
    version, before = store.snapshot()
    source = Source((BAD / case["file"]).name, (BAD / case["file"]).read_bytes())
    if case["expect"] == "error":
        with pytest.raises(LoadError) as e:
            store.load(read_inputs([source], before, today=TODAY), expected_version=version)
        problems = e.value.problems
        assert any(matches(p, case) for p in problems), [str(p) for p in problems]
        assert all(p.file for p in problems), "every problem names its file"
        if case.get("cell"):
            assert all(p.cell or p.row or p.sheet for p in problems if p.severity == "error")
        after_version, after = store.snapshot()
        assert after_version == version
        assert all(before.frame(n).equals(after.frame(n)) for n in before.row_counts())
        return
    result = read_inputs([source], before, today=TODAY)
    store.load(result, expected_version=version)
    stored = store.data()
    for name, n in case.get("rows", {}).items():
        assert len(stored.frame(name)) == n
    for key, expected in case.get("values", {}).items():
        name, col = key.split(".")
        assert list(stored.frame(name)[col]) == expected
    if case.get("warning"):
        assert any(case["warning"] in w.message for w in result.warnings), [str(w) for w in result.warnings]
    if case.get("export"):
        assert_exports_cleanly(stored, source.name)


def assert_exports_cleanly(data, source_name: str) -> None:
    """The export of what was loaded opens in a spreadsheet with no formula and no control character,
    and names the source file as text."""
    from openpyxl import load_workbook

    from ccm_analytics.export import export_workbook

    wb = load_workbook(io.BytesIO(export_workbook(data, TODAY, source_name, budget_year=2018)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    assert not [c.value for c in cells if isinstance(c.value, str) and ILLEGAL_CHARACTERS_RE.search(c.value)]
    assert wb["About"]["B3"].value == source_name and wb["About"]["B3"].data_type == "s"


# -- fuzzing: random cell values in otherwise valid sheets ---------------------------------------------

cells = st.one_of(
    st.none(), st.booleans(), st.integers(-10 ** 12, 10 ** 12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2080, 1, 1)),
    st.sampled_from(["2018-04-30", "30 April 2018", "03/04/2018", "10,000", "=1+2", "Bulgaria", "annual", "initial",
                     "Travel", "N/A", "#REF!", "  ", "3", "4", "2017", "-350", "Côte d’Ivoire"]),
)
SHEETS = {
    "Reports": (["state", "report_type", "year", "submitted_on"], ["Bulgaria", "annual", 2017, dt.date(2018, 4, 27)]),
    "Spend": (["date", "cost_line", "amount", "description"], [dt.date(2018, 3, 1), "Travel", 100.0, "x"]),
    "Budget": (["year", "cost_line", "amount", "currency"], [2018, "Travel", 37000.0, "CHF"]),
    "States": (["state", "signature_date", "ratification_date", "entry_into_force"],
               ["Bulgaria", dt.date(2008, 12, 3), dt.date(2011, 4, 6), None]),
    "Extensions": (["state", "article", "granted_on", "new_deadline"], ["Bulgaria", 3, dt.date(2019, 9, 4),
                                                                        dt.date(2021, 4, 1)]),
    "Meetings": (["meeting", "start_date", "end_date", "sponsored_delegates", "sponsorship_cost"],
                 ["9MSP", dt.date(2019, 9, 2), dt.date(2019, 9, 4), 30, 90000.0]),
}


@st.composite
def fuzzed_workbook(draw):
    name = draw(st.sampled_from(sorted(SHEETS)))
    header, good = SHEETS[name]
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = list(good)
        for i in draw(st.sets(st.integers(0, len(row) - 1), max_size=len(row))):
            row[i] = draw(cells)
        rows.append(row)
    wb = Workbook()
    ws = wb.active
    ws.title = name
    ws.append(header)
    for r in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(fuzzed_workbook())
def test_random_cell_values_never_crash_the_loader(sample_data, workbook):
    try:
        result = read_inputs([Source("fuzz.xlsx", workbook)], sample_data, today=TODAY)
    except LoadError as e:
        assert e.problems
        for p in e.problems:
            assert p.file == "fuzz.xlsx" and p.message
            assert p.sheet or "no dataset" in p.message or "workbook" in p.message
    else:
        assert result.frames  # a valid load carries its dataset
