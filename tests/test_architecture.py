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


def test_the_import_contract_holds():
    """The layers of .importlinter (edges, words, facts, store, reading, data, cut) and the forbidden imports
    (analysis without words; Streamlit only in the UI), as `lint-imports` checks them in `make lint`."""
    import subprocess
    import sys

    root = CORE.parent
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          "lint_imports_command()"], cwd=root, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_a_broken_layer_is_caught(tmp_path):
    """The contract can fail: a copy of the configuration that puts analysis above the views is broken."""
    import subprocess
    import sys

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
