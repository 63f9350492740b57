"""The core never imports Streamlit: only ccm_analytics/ui/ may."""

from __future__ import annotations

import ast
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
