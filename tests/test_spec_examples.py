"""The worked examples of DOMAIN.md: CSV and workbook forms give the expected JSON.

Compared as the examples' README says: by iso3, lists as sets plus the order the spec
requires, amounts to 0.01, rates to 1e-6, only keys present in the expected files.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.metrics import compute_metrics

from .conftest import EXAMPLES, ROOT

DAYS = ["2018-09-05", "2020-01-15", "2025-06-01"]
FORMS = {"csv": EXAMPLES / "input", "xlsx": EXAMPLES / "tiny.xlsx"}


def close(got, expected, key=""):
    if expected is None:
        return got is None
    if isinstance(expected, float) or isinstance(got, float):
        tol = 0.01 if not key.endswith(("rate", "pace", "fraction")) else 1e-6
        return got is not None and abs(got - expected) <= tol
    return got == expected


def assert_matches(got: dict, expected: dict, path=""):
    for key, exp in expected.items():
        assert key in got, f"{path}{key} missing"
        g = got[key]
        if isinstance(exp, dict):
            assert_matches(g, exp, f"{path}{key}.")
        elif isinstance(exp, list):
            continue  # lists are compared by the tests below
        else:
            assert close(g, exp, key), f"{path}{key}: got {g!r}, expected {exp!r}"


def project(rows, keys):
    return [tuple(r[k] for k in keys) for r in rows]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("day", DAYS)
def test_metrics_match_the_worked_example(form, day):
    expected = json.loads((EXAMPLES / f"expected_{day}.json").read_text())
    got = compute_metrics(read_paths([FORMS[form]]).data, day)

    assert_matches(got, expected)

    keys = ["iso3", "report_type", "year", "due_date", "days_overdue"]
    assert sorted(project(got["reporting"]["overdue"], keys), key=str) == \
        sorted(project(expected["reporting"]["overdue"], keys), key=str)
    days = [r["days_overdue"] for r in got["reporting"]["overdue"]]
    assert days == sorted(days, reverse=True), "overdue reports must be most overdue first"

    dkeys = ["iso3", "article", "deadline", "effective_deadline", "status", "days_remaining"]
    assert sorted(project(got["deadlines"], dkeys), key=str) == sorted(project(expected["deadlines"], dkeys), key=str)
    eff = [r["effective_deadline"] for r in got["deadlines"]]
    assert eff == sorted(eff), "deadlines must be sorted by effective deadline"

    lkeys = ["cost_line", "budget", "spent", "burn_rate", "pace", "projected_year_end", "projected_variance"]
    got_lines = {r["cost_line"]: r for r in got["budget"]["lines"]}
    assert set(got_lines) == {r["cost_line"] for r in expected["budget"]["lines"]}
    for exp in expected["budget"]["lines"]:
        for k in lkeys:
            assert close(got_lines[exp["cost_line"]][k], exp[k], k), (exp["cost_line"], k)


def test_metrics_command_prints_the_spec_json_and_exits_zero():
    run = subprocess.run([sys.executable, "-m", "ccm_analytics", "metrics", "--data", str(EXAMPLES / "input"),
                          "--as-of", "2018-09-05"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["as_of"] == "2018-09-05"
    assert out["budget"]["spent"] == pytest.approx(284929.0, abs=0.01)
    assert out["reporting"]["annual"]["year"] == 2017


def test_csv_and_workbook_forms_hold_the_same_data():
    a = read_paths([FORMS["csv"]]).data
    b = read_paths([FORMS["xlsx"]]).data
    for name in a.row_counts():
        left = a.frame(name).sort_values(list(a.frame(name).columns)).reset_index(drop=True)
        right = b.frame(name).sort_values(list(b.frame(name).columns)).reset_index(drop=True)
        assert left.equals(right), name
