"""Adding spend rows to the stored spend (``load --append``, the Data page's option): DOMAIN §8."""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics import dataops
from ccm_analytics.errors import LoadError
from ccm_analytics.reading import read_inputs, read_paths

from .conftest import EXAMPLES, csv_source
from .test_cli import run

STORED_SPEND_ROWS = len(pd.read_csv(EXAMPLES / "input" / "spend.csv"))  # the worked example's ledger

# One row identical to a stored one (31 Jan salaries), one with the same date and line but another amount
# (a second payment, not a duplicate) and one new month.
MORE = ("date,cost_line,amount,description\n"
        "2018-01-31,Salaries,28754.50,January salaries\n"
        "2018-01-31,Salaries,100.00,January salaries\n"
        "2018-10-31,Salaries,28754.50,October salaries\n")


def test_appending_adds_new_rows_and_skips_exact_duplicates_of_stored_rows():
    base = read_paths([EXAMPLES / "input"]).data
    result = read_inputs([csv_source("spend.csv", MORE)], base, today=pd.Timestamp("2026-01-01"))
    appended, report = dataops.append_spend(result, base)
    assert report.added == 2 and len(report.duplicates) == 1
    assert report.duplicates.loc[0, "amount"] == 28754.50
    assert len(appended.data.spend) == len(base.spend) + 2
    assert len(appended.data.budget) == len(base.budget)  # everything else kept
    assert report.sentence() == ("2 spend rows added to the stored spend; 1 row skipped: already stored with the "
                                 "same date, cost line, amount and description.")


def test_only_spend_can_be_appended():
    base = read_paths([EXAMPLES / "input"]).data
    budget = "year,cost_line,amount\n2018,Salaries,1000\n"
    result = read_inputs([csv_source("spend.csv", MORE), csv_source("budget.csv", budget)], base,
                         today=pd.Timestamp("2026-01-01"))
    with pytest.raises(LoadError, match="spend only, and these files also hold budget"):
        dataops.append_spend(result, base)


def test_load_append_on_the_command_line_reports_the_skipped_rows(tmp_path):
    db = tmp_path / "s.duckdb"
    assert run("load", EXAMPLES / "input", db=db).returncode == 0
    more = tmp_path / "spend.csv"
    more.write_text(MORE)
    p = run("load", "--append", "--check", more, db=db)
    assert p.returncode == 0 and "1 row skipped" in p.stdout and "skipped: 2018-01-31  Salaries  28,754.50" in p.stdout
    assert "+2 added" in p.stdout and "-0 removed" in p.stdout and "nothing was stored" in p.stdout
    p = run("load", "--append", more, db=db)
    assert p.returncode == 0 and "Stored as version 2" in p.stdout
    status = {line.split()[0]: line.split()[1] for line in run("status", db=db).stdout.splitlines()
              if line.startswith("  ")}
    assert status["spend"] == f"{STORED_SPEND_ROWS + 2:,}"
    p = run("load", "--append", more, db=db)  # again: now all three are stored, nothing is added
    assert "0 spend rows added" in p.stdout and "3 rows skipped" in p.stdout


# Three identical payments of CHF 1,000 (DOMAIN §8's worked example): the store holds two of them.
PAYMENT = "2018-03-15,Salaries,1000.00,Consultant fee\n"
HEADER = "date,cost_line,amount,description\n"


def test_rows_are_counted_two_stored_and_three_in_the_file_add_one():
    base = read_paths([EXAMPLES / "input"]).data
    today = pd.Timestamp("2026-01-01")
    two = read_inputs([csv_source("spend.csv", HEADER + PAYMENT * 2)], base, today=today)
    stored, report = dataops.append_spend(two, base)  # none stored yet: both are added (two real payments)
    assert report.added == 2 and len(report.duplicates) == 0 and report.extra == 0
    base = stored.data
    three = read_inputs([csv_source("spend.csv", HEADER + PAYMENT * 3)], base, today=today)
    appended, report = dataops.append_spend(three, base)
    assert report.added == 1 and len(report.duplicates) == 2 and report.extra == 1
    assert list(report.duplicates["in_files"]) == [3, 3] and list(report.duplicates["stored"]) == [2, 2]
    fees = appended.data.spend[appended.data.spend["description"] == "Consultant fee"]
    assert len(fees) == 3 and fees["amount"].sum() == 3000.0  # nothing lost: CHF 3,000 in all
    assert len(appended.data.spend) == STORED_SPEND_ROWS + 3
    assert report.sentence() == (
        "1 spend row added to the stored spend; 2 rows skipped: already stored with the same date, cost line, "
        "amount and description. 1 of the rows added is identical to stored rows: the files hold that row more "
        "times than the store, and each stored row stands for one row of the files only.")
    # four stored, three in the file: all three skipped, none added
    four = appended.data.with_frames({"spend": pd.concat([appended.data.spend, fees.head(1)], ignore_index=True)})
    _again, report = dataops.append_spend(read_inputs([csv_source("spend.csv", HEADER + PAYMENT * 3)], four,
                                                      today=today), four)
    assert report.added == 0 and len(report.duplicates) == 3 and report.extra == 0


def test_load_append_on_the_command_line_states_the_counts_of_identical_rows(tmp_path):
    db = tmp_path / "s.duckdb"
    assert run("load", EXAMPLES / "input", db=db).returncode == 0
    (tmp_path / "two").mkdir()
    (tmp_path / "three").mkdir()
    two, three = tmp_path / "two" / "spend.csv", tmp_path / "three" / "spend.csv"
    two.write_text(HEADER + PAYMENT * 2)
    three.write_text(HEADER + PAYMENT * 3)
    assert "2 spend rows added" in run("load", "--append", two, db=db).stdout
    p = run("load", "--append", three, db=db)
    assert p.returncode == 0 and "1 spend row added" in p.stdout and "2 rows skipped" in p.stdout
    assert p.stdout.count("skipped: 2018-03-15  Salaries  1,000.00  Consultant fee  "
                          "(3 identical in the files, 2 stored)") == 2
    status = {line.split()[0]: line.split()[1] for line in run("status", db=db).stdout.splitlines()
              if line.startswith("  ")}
    assert status["spend"] == f"{STORED_SPEND_ROWS + 3:,}"
