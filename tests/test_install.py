"""The installed package: its console script, and every file it reads declared as package data."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_ccm_command_is_the_cli_and_calls_itself_ccm(tmp_path):
    assert PYPROJECT["project"]["scripts"] == {"ccm": "ccm_analytics.cli:main"}
    script = tmp_path / "ccm"  # what pip writes for the console script, run by its name
    script.write_text("import sys\nfrom ccm_analytics.cli import main\nsys.exit(main())\n")
    p = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0 and p.stdout.startswith("usage: ccm [-h]")
    p = subprocess.run([sys.executable, "-m", "ccm_analytics", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.startswith("usage: python -m ccm_analytics [-h]")


def test_every_file_the_package_holds_besides_its_modules_is_declared_package_data():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["ccm_analytics"]
    package = ROOT / "ccm_analytics"
    files = [p.relative_to(package).as_posix() for p in package.rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert "reference/action_plans.csv" in files and "ui/assets/screen.css" in files
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []


def test_the_runtime_pins_are_read_from_requirements_txt():
    assert PYPROJECT["project"]["dynamic"] == ["dependencies"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines and all("==" in line and not line.startswith("-") for line in lines)  # pins setuptools can read
    assert "filelock==4.3.2" in lines
