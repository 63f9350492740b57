"""Run the app in a subprocess and drive it with Playwright and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = {
    "overview": "", "brief": "brief", "budget": "budget", "meetings": "meetings", "reports": "reports", "deadlines": "deadlines",
    "universalization": "universalization", "state": "state", "workplan": "workplan", "data": "data",
}

# True once the app has finished running and every visible chart and table has drawn.
DRAWN_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]'))
    return false;
  if (main.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]')) return false;
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (!charts.every(c => c.querySelector('.main-svg'))) return false;
  const visible = el => el.offsetParent !== null;
  const frames = [...main.querySelectorAll('[data-testid="stDataFrame"]')].filter(visible);
  return frames.every(f => f.querySelector('canvas'));
}"""
STABLE_SECONDS = 0.6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(db: str | None = None, env: dict | None = None, app: str = "app.py", port: int | None = None,
                with_process: bool = False):
    """Start ``streamlit run app.py`` on a free loopback port; yield its URL (and the process); stop it."""
    port = port or free_port()
    full_env = {**os.environ, **(env or {})}
    if db:
        full_env["CCM_DB"] = str(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.headless=true", "--server.address=127.0.0.1",
         f"--server.port={port}", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"the app did not start:\n{out[-3000:]}")
            time.sleep(0.2)
        yield (url, proc) if with_process else url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def launch_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_drawn(page, start: float | None = None, timeout: float = 60.0) -> float:
    """Wait until the app has finished and every chart and table has drawn, and stays so.

    Returns the moment (``time.perf_counter()``) the final drawn state was first seen.
    Streamlit can pause between two runs, so the state must hold for STABLE_SECONDS.
    """
    start = start or time.perf_counter()
    since = None
    while True:
        now = time.perf_counter()
        if page.evaluate(DRAWN_JS):
            since = since or now
            if now - since >= STABLE_SECONDS:
                return since
        else:
            since = None
        if now - start > timeout:
            raise TimeoutError(f"the page did not finish drawing within {timeout:.0f} s")
        page.wait_for_timeout(50)


def visit(page, url: str, path: str, as_of: str | None = None, query: str = "", timeout: float = 60.0) -> float:
    """Open a page and wait until every chart has drawn; return the seconds it took."""
    params = "&".join(p for p in ((f"as_of={as_of}" if as_of else ""), query) if p)
    start = time.perf_counter()
    page.goto(f"{url}/{path}" + (f"?{params}" if params else ""))
    return wait_drawn(page, start, timeout) - start
