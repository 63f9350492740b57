"""Run the app in a subprocess and drive it with Playwright and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import random
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
    """A free loopback port. ``make test`` runs two pytest workers at once: each takes only ports
    of its own remainder (by the number of workers), so that two apps never race for one port
    (the loser's health check could otherwise be answered by the winner's app)."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    while True:  # (the kernel gives bind(0) ports of one parity only, so a port is drawn here)
        port = random.randrange(20_000, 60_000) // workers * workers + worker
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


@contextlib.contextmanager
def running_app(db: str | None = None, env: dict | None = None, app: str = "app.py", port: int | None = None,
                with_process: bool = False, args: tuple[str, ...] = ()):
    """Start ``streamlit run app.py`` on a free loopback port; yield its URL (and the process); stop it.
    ``args``: more of Streamlit's options (``--secrets.files=...``)."""
    port = port or free_port()
    full_env = {**os.environ, **(env or {})}
    if db:
        full_env["CCM_DB"] = str(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.headless=true", "--server.address=127.0.0.1",
         f"--server.port={port}", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false", *args],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/_stcore/health", proc, "the app")
        yield (url, proc) if with_process else url
    finally:
        stop(proc)


def wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 60) -> None:
    """Wait until ``url`` answers 200; RuntimeError with the process's output if it ends or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout and proc.poll() is not None else ""
            raise RuntimeError(f"{what} did not start:\n{out[-3000:]}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    """Stop a process the tests started: politely, then for good after 10 s."""
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


# Counts the app's runs that finish from now on (window.__ccmRuns), from Streamlit's own record of its
# script state on the app's root: `[data-testid=stApp][data-test-script-state]` goes "running" (or
# "rerunRequested") then "notRunning", as Streamlit's own end-to-end tests wait for. Every change of the
# attribute is read (a record's oldValue is the value before it), so a run too short to be seen between
# two callbacks still counts.
WATCH_RUNS_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__ccmRunsObserver) window.__ccmRunsObserver.disconnect();
  window.__ccmRuns = 0;
  let running = false;
  const see = state => {
    if (state === 'running' || state === 'rerunRequested') running = true;
    else if (state === 'notRunning' && running) { running = false; window.__ccmRuns += 1; }
  };
  window.__ccmRunsObserver = new MutationObserver(records => {
    records.forEach((r, i) => { if (i) see(r.oldValue); });
    see(app.getAttribute('data-test-script-state'));
  });
  window.__ccmRunsObserver.observe(app, {attributes: true, attributeOldValue: true,
                                         attributeFilter: ['data-test-script-state']});
}"""


@contextlib.contextmanager
def rerun(page, timeout: float = 60.0):
    """Around an action that makes the app run again (a click on a tab, a widget): after the block, wait
    until that run has finished and the page has drawn, instead of sleeping while it starts."""
    page.evaluate(WATCH_RUNS_JS)
    yield
    page.wait_for_function("() => window.__ccmRuns > 0", timeout=timeout * 1000)
    wait_drawn(page, timeout=timeout)


def visit(page, url: str, path: str, as_of: str | None = None, query: str = "", timeout: float = 60.0) -> float:
    """Open a page and wait until every chart has drawn; return the seconds it took."""
    params = "&".join(p for p in ((f"as_of={as_of}" if as_of else ""), query) if p)
    start = time.perf_counter()
    page.goto(f"{url}/{path}" + (f"?{params}" if params else ""))
    return wait_drawn(page, start, timeout) - start


class Lag:
    """How late a :func:`forwarder` hands the server's answers to the browser (seconds)."""

    seconds: float = 0.0


@contextlib.contextmanager
def forwarder(target_port: int):
    """A loopback TCP forwarder to ``target_port`` (every visitor then looks local, as behind a
    reverse proxy) that can hold the server's bytes back by ``Lag.seconds`` (a slow server, or a
    slow network, on demand); yield (URL, the Lag)."""
    import queue
    import threading

    lag = Lag()
    server = socket.socket()
    server.bind(("127.0.0.1", free_port()))
    server.listen(64)
    stop = threading.Event()

    def close(*socks):
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            close(src, dst)

    def lagging_pipe(src, dst):
        due: queue.Queue = queue.Queue()

        def send():
            try:
                while (item := due.get()) is not None:
                    wait = item[0] - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                    dst.sendall(item[1])
            except OSError:
                pass
            finally:
                close(src, dst)

        threading.Thread(target=send, daemon=True).start()
        try:
            while data := src.recv(65536):
                due.put((time.monotonic() + lag.seconds, data))
        except OSError:
            pass
        finally:
            due.put(None)

    def accept():
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", target_port))
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=lagging_pipe, args=(upstream, client), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", lag
    finally:
        stop.set()
        server.close()
