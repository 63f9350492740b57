"""Shared fixtures: the worked examples, temporary stores, small workbooks built in tests."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

# Two Hypothesis profiles: "full" (the default, `make test` and CI) runs each property test's own number
# of examples; "fast" (`make check`, the tier run while working) a tenth of it. Chosen with pytest's
# `--hypothesis-profile`; a property test asks `examples(n)` for its count.
settings.register_profile("full", max_examples=100)
settings.register_profile("fast", max_examples=10)
settings.load_profile("full")


def examples(full: int) -> int:
    """The number of examples a property test runs: ``full`` in the full profile, scaled down in the fast one
    (at least 2)."""
    return max(2, full * settings.default.max_examples // 100)


def spread(cases: list) -> list:
    """The cases a parametrized test runs: all in the full profile; in the fast one, :func:`examples` of them,
    spread evenly from the first to the last."""
    n = examples(len(cases))
    if n >= len(cases):
        return list(cases)
    return [cases[round(i * (len(cases) - 1) / (n - 1))] for i in range(n)]

ROOT = Path(__file__).resolve().parent.parent
# The test suite opens the loopback door explicitly (README, "Who may change the data"): tests that
# change data through the app need no credential. tests/test_access.py removes it to test the door.
os.environ.setdefault("CCM_OPEN_LOCAL", "1")
EXAMPLES = ROOT / "tests" / "data" / "spec_examples" / "tiny"
SAMPLE = ROOT / "data" / "ccm_sample.xlsx"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty store in a temporary folder (also set as CCM_DB for the CLI)."""
    from ccm_analytics.store import Store

    path = tmp_path / "store.duckdb"
    monkeypatch.setenv("CCM_DB", str(path))
    return Store(path)


@pytest.fixture(scope="session")
def tiny_data():
    """The worked example's data, read from its CSV files."""
    from ccm_analytics.reading import read_paths

    return read_paths([EXAMPLES / "input"]).data


@pytest.fixture(scope="session")
def sample_data():
    """The bundled sample workbook, read."""
    from ccm_analytics.reading import read_paths

    return read_paths([SAMPLE]).data


def copy_store(source, target) -> None:
    """Copy a store: its file and write-ahead log, once the checkpoint that follows a load is done."""
    import shutil

    from ccm_analytics.store import settle

    settle()
    source, target = Path(source), Path(target)
    shutil.copy(source, target)
    wal, target_wal = source.with_name(source.name + ".wal"), target.with_name(target.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target_wal)
    else:
        target_wal.unlink(missing_ok=True)


def xlsx_bytes(sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None) -> bytes:
    """A workbook built cell by cell: sheet name -> rows (lists of values)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_source(name: str, text: str):
    from ccm_analytics.reading import Source

    return Source(name, text.encode("utf-8"))


TINY_STATES_CSV = (EXAMPLES / "input" / "states.csv").read_text()


def d(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def load_csvs(today: str = "2026-01-01", **datasets: str):
    """Read CSV texts (dataset name -> text) through the real loader; return the data."""
    from ccm_analytics.reading import read_inputs

    sources = [csv_source(f"{name}.csv", text) for name, text in datasets.items()]
    return read_inputs(sources, today=pd.Timestamp(today)).data


def shown_tables(at) -> list[pd.DataFrame]:
    """Every table an AppTest run shows, as written on the page: the data grids' frames, and the small
    tables written as HTML (``tables.html_table``) as text frames whose columns are named as in the data
    (each header's ``data-col``)."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append({"columns": [], "rows": []})
            elif tag == "tr" and self.tables:
                self.tables[-1]["rows"].append([])
            elif tag in ("th", "td") and self.tables:
                a = dict(attrs)
                if a.get("scope") == "col":
                    self.tables[-1]["columns"].append(a.get("data-col", ""))
                    self.cell = None
                else:
                    self.cell = []

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

        def handle_endtag(self, tag):
            if tag in ("th", "td") and self.cell is not None:
                self.tables[-1]["rows"][-1].append("".join(self.cell))
                self.cell = None

    frames = []
    for node in at.main:  # every element, in page order
        if node.type == "arrow_data_frame":
            frames.append(node.value)
        elif node.type == "html" and "class='ccm-table'" in node.value:
            parser = Tables()
            parser.feed(node.value)
            frames += [pd.DataFrame([r for r in t["rows"] if r], columns=t["columns"]) for t in parser.tables]
    return frames


@dataclass(frozen=True)
class ShownMetric:
    """A headline number as the page writes it (``widgets.metrics``)."""

    label: str
    value: str
    delta: str = ""
    caption: str = ""
    help: str = ""


def shown_metrics(at) -> list[ShownMetric]:
    """Every headline number an AppTest run shows (``widgets.metrics``), in page order: label, value,
    comparison, caption(s) and help, as text."""
    from html.parser import HTMLParser

    fields = {"ccm-metric-label": "label", "ccm-metric-value": "value", "ccm-delta": "delta",
              "ccm-metric-caption": "caption", "ccm-tip": "help"}

    class Metrics(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.stack = [], []  # stack: the field each open element writes to (or None)

        def handle_starttag(self, tag, attrs):
            classes = (dict(attrs).get("class") or "").split()
            if tag == "div" and "ccm-metric" in classes:
                self.found.append({f: [] for f in fields.values()})
            field = next((fields[c] for c in classes if c in fields), None)
            if field and self.found and self.found[-1][field]:
                self.found[-1][field].append(" ")  # a second caption line
            inherited = self.stack[-1] if self.stack else None
            self.stack.append("skip" if tag == "button" else field or inherited)

        def handle_endtag(self, tag):
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            field = self.stack[-1] if self.stack else None
            if field and field != "skip" and self.found:
                self.found[-1][field].append(data)

    out = []
    for node in list(at.sidebar) + list(at.main):
        if node.type == "html" and "ccm-metrics" in node.value:
            parser = Metrics()
            parser.feed(node.value)
            for m in parser.found:
                text = {k: re.sub(r"[ \t\r\n]+", " ", "".join(v)).strip() for k, v in m.items()}  # keeps no-break spaces
                out.append(ShownMetric(text["label"], text["value"], text["delta"].lstrip("↑↓ "), text["caption"],
                                       text["help"]))
    return out


# -- AppTest: the app's own navigation, not Streamlit's pages/ folder ----------------------------------

@pytest.fixture
def navigation_not_folder(monkeypatch):
    """AppTest forgets, before every run, whether the app uses st.navigation and looks for a pages/
    folder next to app.py, which a real server does once (until app.py's st.navigation switches it
    off): keep it off, as on a running server. Streamlit keeps the flag on the class; monkeypatch
    puts the class attribute and ``__init__`` back as they were after the test.

    A module uses it with ``pytestmark = pytest.mark.usefixtures("navigation_not_folder")``."""
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def pytest_configure(config):
    """The test processes' garbage collector: what was imported is set aside (``gc.freeze``) and a
    collection waits for 50,000 new objects (700 by default). The tests build many small pandas frames;
    with the defaults a tenth of their time went to collections (measured: 60 s to 54 s on four files).
    Processes the tests start (memory measurements included) keep Python's defaults."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once():
    """AppTest scans every installed distribution's metadata for Streamlit components on every run (0.37 s
    of a 0.43 s page run, measured with cProfile); a server scans once at start. The packages installed
    do not change during a test session: the scan is made once per process, as on a server."""
    from streamlit.components.v2 import manifest_scanner

    original = manifest_scanner.scan_component_manifests
    manifests = original()
    manifest_scanner.scan_component_manifests = lambda *args, **kwargs: manifests if not (args or kwargs) \
        else original(*args, **kwargs)
    yield
    manifest_scanner.scan_component_manifests = original


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    """A store holding the bundled sample, loaded once per test process (copy it before changing it, or use
    ``read_only_store``)."""
    from ccm_analytics.reading import read_paths
    from ccm_analytics.store import Store

    path = tmp_path_factory.mktemp("sample") / "store.duckdb"
    Store(path).load(read_paths([SAMPLE]), user="sample", action="sample")
    return path


@pytest.fixture
def store_path(sample_store, tmp_path, monkeypatch):
    """A copy of the sample store for one test, set as CCM_DB: for a test that changes data."""
    path = tmp_path / "store.duckdb"
    copy_store(sample_store, path)
    monkeypatch.setenv("CCM_DB", str(path))
    return path


@pytest.fixture
def read_only_store(sample_store, monkeypatch):
    """The process's sample store itself, set as CCM_DB, for a test that only reads: the app's caches, keyed by
    the store and its version, then serve every such test of the process after the first, as on a server.
    A test that stores anything fails (the version and the history must be as they were)."""
    from ccm_analytics.store import Store

    monkeypatch.setenv("CCM_DB", str(sample_store))
    before = Store(sample_store).history()
    yield sample_store
    assert Store(sample_store).history() == before, "a test given the read-only store changed it: use store_path"


# -- the browser tests: the sample's app, Chromium, a tab --------------------------------------------

def browser_available() -> bool:
    """True when Debian's Chromium is there; skips without it, and fails under CI (which must have it)."""
    from .browser_support import CHROMIUM

    if Path(CHROMIUM).exists():
        return True
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (make browser).")
    pytest.skip("Chromium is not installed (make browser installs it).")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The app on the sample data, served for a module's tests: (its URL, its store)."""
    from ccm_analytics.reading import read_paths
    from ccm_analytics.store import Store

    from .browser_support import running_app

    browser_available()
    db = tmp_path_factory.mktemp("browser") / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    with running_app(db=db) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser(app_url):
    """Headless Chromium for a module's tests."""
    from .browser_support import launch_browser

    with launch_browser() as b:
        yield b


@pytest.fixture
def page(browser):
    """A tab, on a tall desktop screen."""
    p = browser.new_page(viewport={"width": 1440, "height": 2000})
    yield p
    p.close()


# -- tiers: every test_browser*.py module is marked `browser` (`make check` leaves them out) ----------

def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)


# -- under CI, a skipped test is a failure: whatever CI skips, it has not checked ----------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped under CI (CI is set), which must run every test: {reason}"


def run_cli(*args, db=None, check_traceback: bool = True, stdin: str = "", cwd=ROOT) -> subprocess.CompletedProcess:
    """``ccm ARGS`` run in this process, as a user runs it: no other ``CCM_*`` setting than the store
    (``db``, else a store that does not exist), ``cwd`` (the checkout) as the working folder, ``stdin`` as standard
    input. Its exit status and what it wrote, as :func:`subprocess.run` gives them: a process per command
    cost seconds of imports each (tests/test_spec_examples.py still runs ``python -m ccm_analytics`` as a
    program)."""
    from ccm_analytics.cli import main

    saved = {k: v for k, v in os.environ.items() if k.startswith("CCM_")}
    out, err = io.StringIO(), io.StringIO()
    try:
        for key in saved:
            del os.environ[key]
        os.environ["CCM_DB"] = str(db) if db else "/nonexistent/x.duckdb"
        with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                _stdin(stdin):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:  # argparse: --help (0) and refused arguments (2)
                code = e.code
    finally:
        os.environ.pop("CCM_DB", None)
        os.environ.update(saved)
    if check_traceback:
        assert "Traceback" not in out.getvalue() + err.getvalue()
    return subprocess.CompletedProcess(["ccm", *map(str, args)], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin(text: str):
    saved, sys.stdin = sys.stdin, io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved
