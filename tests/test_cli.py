"""The command line: exit status 0/2, messages on stderr, never a traceback."""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLES, ROOT, run_cli


run = run_cli


@pytest.mark.parametrize("command", ["metrics", "load", "status", "history", "diff", "rollback", "init", "serve"])
def test_every_command_has_help(command):
    p = run(command, "--help")
    assert p.returncode == 0 and "usage:" in p.stdout


def test_load_status_diff_history_rollback_round_trip(tmp_path):
    db = tmp_path / "s.duckdb"
    p = run("load", EXAMPLES / "input", db=db)
    assert p.returncode == 0, p.stderr
    assert "Stored as version 1" in p.stdout and "received twice" in p.stderr
    assert "spend" in run("status", db=db).stdout
    p = run("load", EXAMPLES / "tiny.xlsx", db=db)
    assert "version 2" in p.stdout
    assert "No differences" in run("diff", db=db).stdout
    assert "v2" in run("history", db=db).stdout
    p = run("rollback", db=db)
    assert p.returncode == 0 and "version 3" in p.stdout


def test_a_broken_file_exits_2_lists_every_problem_and_stores_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    assert run("load", EXAMPLES / "input", db=db).returncode == 0
    bad = tmp_path / "reports.csv"
    bad.write_text("state,report_type,year,submitted_on\nBulgaria,annual,2017,03/04/2018\nNarnia,initial,,2012-01-01\n")
    p = run("load", bad, db=db)
    assert p.returncode == 2
    assert "reports.csv, cell D2 (submitted_on, Bulgaria)" in p.stderr and "reports.csv, cell A3 (state)" in p.stderr
    assert "Nothing was changed" in p.stderr
    assert "Version: 1" in run("status", db=db).stdout


@pytest.mark.parametrize("args, words", [
    (["metrics", "--data", "nowhere/"], "no such file"),
    (["metrics", "--data", EXAMPLES / "input", "--as-of", "5 Sept"], "not a date"),
    (["metrics", "--data", EXAMPLES / "input", "--report-year", "17"], "not a year"),
    (["rollback"], "nothing to roll back"),
    (["diff"], "no changes"),
    (["frobnicate"], "invalid choice"),
])
def test_user_mistakes_exit_2_with_a_plain_message(tmp_path, args, words):
    p = run(*args, db=tmp_path / "s.duckdb")
    assert p.returncode == 2
    assert words.lower() in p.stderr.lower()


def test_metrics_reads_files_without_a_store(tmp_path):
    p = run("metrics", "--data", EXAMPLES / "tiny.xlsx", "--as-of", "2020-01-15", "--budget-year", "2018",
            db=tmp_path / "never-created.duckdb")
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert out["budget"]["year"] == 2018 and out["budget"]["elapsed_fraction"] == 1.0
    assert not (tmp_path / "never-created.duckdb").exists()


def test_init_loads_the_sample_once(tmp_path):
    db = tmp_path / "s.duckdb"
    p = run("init", db=db)
    assert p.returncode == 0 and "sample" in p.stdout
    assert "nothing to do" in run("init", db=db).stdout


def test_an_ansi_escape_in_a_path_is_shown_escaped_never_sent_to_the_terminal(tmp_path):
    # ESC [2J would clear the screen; the CLI must print it as the six characters \u001b.
    p = run("load", tmp_path / "missing\x1b[2J.csv", db=tmp_path / "s.duckdb")
    assert p.returncode == 2
    assert "\x1b" not in p.stderr and "missing\\u001b[2J.csv" in p.stderr


def test_control_characters_in_a_cell_are_removed_with_a_warning_naming_the_cell(tmp_path):
    # Corpus file: donor "Nor<BEL>way<ESC>[31m" in cell B2; stored as "Norway[31m", the warning quotes it escaped.
    p = run("load", ROOT / "tests" / "data" / "bad" / "control_characters" / "contributions.csv",
            db=tmp_path / "s.duckdb")
    assert p.returncode == 0, p.stderr
    assert "\x1b" not in p.stderr + p.stdout and "\x07" not in p.stderr
    assert "cell B2" in p.stderr and "control characters" in p.stderr


def test_json_never_holds_infinity_or_nan():
    from ccm_analytics.textsafe import json_safe

    out = json.dumps(json_safe({"a": float("inf"), "b": [float("nan"), 1.5], "c": "x"}), allow_nan=False)
    assert json.loads(out) == {"a": None, "b": [None, 1.5], "c": "x"}
