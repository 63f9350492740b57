"""The README is checked like code: its commands are ones the CLI accepts, the files, pages, make
targets and settings it names exist, and it stays a users' guide of about 250 lines (issue 27)."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from benchmarks.__main__ import BEGIN, END, RESULTS, results_table
from ccm_analytics.cli import build_parser

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATING = (ROOT / "docs" / "operating.md").read_text(encoding="utf-8")


def code_lines(text: str) -> list[str]:
    """The lines inside the fenced code blocks of a Markdown text."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line.strip())
    return lines


def ccm_commands(text: str) -> list[str]:
    """Every ``ccm ...`` command of the code blocks: the comment cut off, optional ``[...]`` parts removed."""
    commands = []
    for line in code_lines(text):
        if line.startswith("ccm "):
            line = re.sub(r"\s+#.*$", "", line)
            commands.append(re.sub(r"\s*\[[^\]]*\]", "", line))
    return commands


def test_the_readme_is_a_users_guide_of_about_250_lines_with_no_dated_diary():
    lines = README.splitlines()
    assert len(lines) <= 260
    assert not re.search(r"\b\d{1,2} (Nov|Dec)\w* 2026\b", README)  # the benchmark diary lives in docs/performance.md
    for heading in ("## Two commands", "### Without make (Windows PowerShell included)", "## Loading your own spreadsheets",
                    "## Who may change the data", "## English, français, español", "## Layout"):
        assert heading in lines


def test_the_readme_shows_commands_for_each_users_task():
    assert len(ccm_commands(README)) >= 20
    used = {shlex.split(c)[1] for c in ccm_commands(README)}
    assert {"letters", "followup", "calendar", "deck", "brief", "report", "export", "load", "rollback", "users"} <= used


@pytest.mark.parametrize("command", ccm_commands(README))
def test_every_ccm_command_in_the_readme_is_one_the_cli_accepts(command):
    parser = build_parser()
    try:
        parser.parse_args(shlex.split(command)[1:])
    except SystemExit as e:  # argparse refuses with exit status 2 and a usage line
        pytest.fail(f"the README's command is refused ({e.code}): {command}")


def test_every_make_target_the_readme_names_is_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    named = set(re.findall(r"`?make ([a-z]+)", README))
    assert named and named <= targets


# Files the operator writes (never committed: they hold secrets or users).
OPERATORS_FILES = ("secrets.toml", "users.json")
ROOTS = ("ccm_analytics/", "data/", "docs/", "scripts/", "tests/", "static/", "benchmarks/", "pages/", ".ci/")


def named_paths(text: str) -> set[str]:
    """The repository files a text names: relative Markdown links, and code spans that are paths under the
    repository's folders or files at its root."""
    links = {m for m in re.findall(r"\]\(([^)#\s]+)", text) if not m.startswith(("http", "mailto"))}
    spans = set()
    for span in re.findall(r"`([^`\s]+)`", text):
        span = span.rstrip(",.")
        if "<" in span or "*" in span or "{" in span or span.endswith(OPERATORS_FILES):
            continue
        if span.startswith(ROOTS) or re.fullmatch(r"[\w.-]+\.(py|md|toml|txt|cfg)", span):
            spans.add(span)
    return links | spans


def exists(path: str) -> bool:
    """A path from the repository's root, or a bare file name at the root or in a source folder (never .venv)."""
    if "/" in path:
        return (ROOT / path).exists()
    return (ROOT / path).exists() or any(any((ROOT / folder).rglob(path))
                                         for folder in ("ccm_analytics", "data", "docs", "scripts", "tests"))


def test_every_file_and_folder_the_readme_names_exists():
    missing = sorted(p for p in named_paths(README) if not exists(p))
    assert missing == []


def test_every_file_the_operators_guide_names_exists():
    missing = sorted(p for p in named_paths(OPERATING) if not exists(p.removeprefix("../"))
                     and not (ROOT / "docs" / p).exists())
    assert missing == []


def test_the_pages_the_readme_lists_are_the_apps_pages_in_its_order():
    app_titles = re.findall(r'\("pages/\w+\.py", N_\("([^"]+)"\)', (ROOT / "app.py").read_text())
    table = README[README.index("| Page | What it answers |"):]
    readme_titles = re.findall(r"^\| ([^|]+?) \|", table, flags=re.M)[1:]  # after the header (its rule has no spaces)
    readme_titles = readme_titles[:len(app_titles)]
    assert readme_titles == app_titles


def test_every_setting_the_guides_name_is_read_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "serve.py", *(ROOT / "ccm_analytics").rglob("*.py")])
    settings = set(re.findall(r"\bCCM_[A-Z_]+\b", README + OPERATING))
    assert settings and {s for s in settings if s not in code} == set()


def test_the_performance_table_is_the_one_make_bench_writes_from_its_results():
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    table = doc.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == results_table(json.loads(RESULTS.read_text()))
    assert "| deck: seconds (sample data) |" in table
