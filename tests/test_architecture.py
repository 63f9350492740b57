"""The core never imports Streamlit: only ccm_analytics/ui/ may. Imports sit at the top of a module, or say why not."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "ccm_analytics"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_does_not_import_streamlit():
    offenders = [str(p.relative_to(CORE)) for p in CORE.rglob("*.py")
                 if "ui" not in p.relative_to(CORE).parts and "streamlit" in imported_modules(p)]
    assert offenders == []


def test_nothing_reads_the_shared_folder_at_run_time():
    offenders = [str(p) for p in CORE.rglob("*.py") if "../shared" in p.read_text() or "/shared/" in p.read_text()]
    assert offenders == []


def test_the_import_contract_holds():
    """The layers of .importlinter (edges, words, facts, store, reading, data, cut) and the forbidden imports
    (analysis without words; Streamlit only in the UI), as `lint-imports` checks them in `make lint`."""
    root = CORE.parent
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          "lint_imports_command()"], cwd=root, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_a_broken_layer_is_caught(tmp_path):
    """The contract can fail: a copy of the configuration that puts analysis above the views is broken."""
    root = CORE.parent
    text = (root / ".importlinter").read_text()
    broken = text.replace("    ccm_analytics.views\n", "    ccm_analytics.analysis\n    ccm_analytics.views\n", 1) \
        .replace("    ccm_analytics.metrics\n    ccm_analytics.analysis\n", "    ccm_analytics.metrics\n", 1)
    config = tmp_path / "broken.ini"
    config.write_text(broken)
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          f"lint_imports_command(['--config', {str(config)!r}])"],
                         cwd=root, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "BROKEN" in run.stdout


def unexplained_local_imports(source: str) -> list[int]:
    """The lines of imports inside a function that carry no reason: a comment on the import's line or on the
    line above. A run of imports one after the other shares the comment above its first one."""
    lines = source.splitlines()
    local = sorted({n.lineno: n for f in ast.walk(ast.parse(source)) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                    for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))}.values(), key=lambda n: n.lineno)
    first_of_run = {}
    for n in local:
        before = first_of_run.get(n.lineno - 1)  # keyed by the end line of the import just above
        first_of_run[n.end_lineno] = before if before is not None else n.lineno
    bad = []
    for n in local:
        head = first_of_run[n.end_lineno]
        explained = any("#" in lines[i - 1] for i in range(n.lineno, n.end_lineno + 1)) \
            or (head > 1 and lines[head - 2].strip().startswith("#"))
        if not explained:
            bad.append(n.lineno)
    return bad


def test_every_function_local_import_says_why():
    """Imports go at the top of a module; one kept in a function (a heavy library, a cycle, the CLI's fast
    start) says why on its line or the line above (issue 23)."""
    root = CORE.parent
    files = [p for p in [*CORE.rglob("*.py"), *(root / "pages").glob("*.py")] if "locale" not in p.parts]
    offenders = [f"{p.relative_to(root)}:{line}" for p in files for line in unexplained_local_imports(p.read_text())]
    assert offenders == []


def test_an_unexplained_local_import_is_caught():
    source = textwrap.dedent("""\
        import os


        def explained():
            # heavy (python-docx): only when a letter is written
            from docx import Document
            from docx.shared import Pt

            return Document, Pt


        def on_its_line():
            import json  # lazy: the CLI starts fast

            return json


        def unexplained():
            x = 1
            import csv

            return csv, x


        def after_a_commented_one():
            import re  # lazy: whatever
            return re


        def a_second_run():
            # lazy: the first run
            import string

            import base64
            return string, base64
        """)
    assert unexplained_local_imports(source) == [20, 34]
