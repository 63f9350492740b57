"""The paths the package reads outside itself: one module (ccm_analytics/paths.py), a clear refusal
when the checkout is not there (a copy installed with ``pip install .`` instead of ``-e .``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ccm_analytics import cli, paths
from ccm_analytics.errors import UsageError

from .conftest import ROOT

CORE = ROOT / "ccm_analytics"


def test_the_checkout_is_the_folder_holding_app_py_pages_and_the_sample():
    assert paths.checkout() == ROOT
    assert paths.serve_script() == ROOT / "serve.py"
    assert paths.sample_workbook() == ROOT / "data" / "ccm_sample.xlsx"
    assert (paths.templates() / "ccm_template.xlsx").is_file()


def _climbs_out_of_the_package(path: Path) -> bool:
    """True when the module climbs more folders (``.parent.parent...``) than it is deep in the package."""
    depth = len(path.relative_to(CORE).parts)  # cli.py: 1 (one .parent is the package); analysis/plans.py: 2

    def chain(node) -> int:
        return 1 + chain(node.value) if isinstance(node, ast.Attribute) and node.attr == "parent" else 0

    return any(chain(n) > depth for n in ast.walk(ast.parse(path.read_text())))


def test_only_paths_py_reaches_outside_the_package():
    # i18n/catalogs.py extracts messages from app.py and pages/: a developer's tool, run in the checkout.
    allowed = {"paths.py", "i18n/catalogs.py"}
    offenders = [str(p.relative_to(CORE)) for p in CORE.rglob("*.py")
                 if str(p.relative_to(CORE)) not in allowed and _climbs_out_of_the_package(p)]
    assert offenders == []


@pytest.fixture
def no_checkout(tmp_path, monkeypatch):
    """The package as installed without its checkout: app.py, serve.py and data/ are not there."""
    elsewhere = tmp_path / "site-packages"
    monkeypatch.setattr(paths, "CHECKOUT", elsewhere)
    monkeypatch.setattr(paths, "APP_SCRIPT", elsewhere / "app.py")
    monkeypatch.setattr(paths, "SERVE_SCRIPT", elsewhere / "serve.py")
    monkeypatch.setattr(paths, "SAMPLE_WORKBOOK", elsewhere / "data" / "ccm_sample.xlsx")
    monkeypatch.setattr(paths, "TEMPLATES", elsewhere / "data" / "templates")
    return elsewhere


@pytest.mark.parametrize("ask", [paths.checkout, paths.serve_script, paths.sample_workbook, paths.templates])
def test_without_a_checkout_each_path_is_refused_with_how_to_install(no_checkout, ask):
    with pytest.raises(UsageError, match=r"runs? from a checkout .*pip install -e \."):
        ask()


def test_init_and_serve_without_a_checkout_exit_2_naming_the_missing_file(no_checkout, tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    assert cli.main(["--db", str(store), "init"]) == 2
    err = capsys.readouterr().err
    assert "ccm_sample.xlsx was not found" in err and "pip install -e ." in err and "Traceback" not in err
    assert not store.exists()  # nothing stored
    assert cli.main(["serve"]) == 2
    out, err = capsys.readouterr()
    assert "serve.py was not found" not in err  # app.py is asked for first: the dashboard needs both
    assert "app.py was not found" in err and out == ""
