"""One session's burst of reruns, and the export at the latest day, as an attacker would send them.

A rerun burst: one websocket client speaking Streamlit's own protocol (``BackMsg`` protobufs on
``/_stcore/stream``, as the browser does) sends ``BURST`` rerun requests at once; a second client,
an ordinary visitor, then asks for one run. What is measured is how long that visitor waits for its
page (its run's ``script_finished``) from the moment the burst was sent, against the same wait with
no burst. The app is measured against Streamlit's one-chart app (``benchmarks/floor_app.py``) in
the same run, and the figure reported is the ratio of the two freezes.

Every message is built from Streamlit's own protobuf classes (``streamlit.proto``); the client is
the ``websockets`` package Streamlit itself requires.
"""

from __future__ import annotations

import asyncio
import statistics
import time

BURST = 300
ATTACK_QUERY = "as_of=2099-12-31"  # the latest day the app allows: the most figures to compute


def _rerun(query: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = ""
    return msg.SerializeToString()


def _clear_cache() -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.clear_cache = True
    return msg.SerializeToString()


class Client:
    """One browser session over the websocket: sends BackMsgs, counts the runs that finish."""

    def __init__(self, url: str):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.finished: list[tuple[float, int]] = []  # (when, ScriptFinishedStatus)
        self.changed = asyncio.Event()

    async def __aenter__(self):
        import websockets

        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, max_queue=None,
                                          open_timeout=600)  # during a freeze, the handshake waits too
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc):
        self.reader.cancel()
        await self.ws.close()

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async for data in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.WhichOneof("type") == "script_finished":
                self.finished.append((time.perf_counter(), msg.script_finished))
                self.changed.set()

    async def send(self, data: bytes) -> None:
        await self.ws.send(data)

    async def run(self, query: str = "", timeout: float = 300) -> float:
        """Ask for one run; the seconds until it finished successfully."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        start, seen = time.perf_counter(), len(self.finished)
        await self.send(_rerun(query))
        while True:
            self.changed.clear()
            if any(s == ForwardMsg.FINISHED_SUCCESSFULLY for _t, s in self.finished[seen:]):
                return time.perf_counter() - start
            await asyncio.wait_for(self.changed.wait(), timeout)

    async def settle(self, quiet: float = 1.0, timeout: float = 600) -> float:
        """Wait until no run has finished for ``quiet`` seconds; return when the last one finished."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), quiet)
            except TimeoutError:
                break
        return self.finished[-1][0] if self.finished else time.perf_counter()


async def _visit(url: str, query: str) -> float:
    """A new visitor: connect and ask for the page; the seconds until its run finished."""
    start = time.perf_counter()
    async with Client(url) as visitor:
        await visitor.run(query)
    return time.perf_counter() - start


async def _burst(url: str, query: str, burst: int) -> dict:
    """A new visitor's wait for its page: alone, then right after one other session sent ``burst`` reruns.

    The visitor is a new session (a new browser tab): with Streamlit's default ``runner.fastReruns``, a
    session open during the burst may never see its run finish (its runs are stopped and its messages
    dropped), which would measure nothing."""
    await _visit(url, query)  # warm: the first run computes what later ones reuse
    alone = statistics.median([await _visit(url, query) for _ in range(3)])
    async with Client(url) as attacker:
        await attacker.run(query)
        start = time.perf_counter()
        for _ in range(burst):
            await attacker.send(_rerun(query))
        waited = await _visit(url, query)
        last = await attacker.settle()
        return {"alone_seconds": alone, "during_burst_seconds": waited, "freeze_seconds": waited - alone,
                "attacker_busy_seconds": last - start, "attacker_runs_finished": len(attacker.finished)}


def burst(url: str, query: str = ATTACK_QUERY, n: int = BURST) -> dict:
    return asyncio.run(_burst(url, query, n))


async def _clear_storm(url: str, query: str, seconds: float, every: float) -> dict:
    """A visitor's runs while another session sends ``clear_cache`` every ``every`` seconds."""
    async with Client(url) as visitor, Client(url) as attacker:
        await visitor.run(query)
        alone = statistics.median([await visitor.run(query) for _ in range(3)])

        async def storm():
            while True:
                await attacker.send(_clear_cache())
                await asyncio.sleep(every)

        task = asyncio.create_task(storm())
        try:
            waits, end = [], time.perf_counter() + seconds
            while time.perf_counter() < end:
                waits.append(await visitor.run(query))
        finally:
            task.cancel()
        during = statistics.median(waits)
        return {"alone_seconds": alone, "during_storm_seconds": during, "slowdown": during / alone}


def clear_storm(url: str, query: str = "", seconds: float = 10, every: float = 0.05) -> dict:
    return asyncio.run(_clear_storm(url, query, seconds, every))


def run(db: str) -> dict:
    """The rerun burst against the app and against Streamlit's one-chart app, side by side: the one-chart
    app with Streamlit's defaults (as a clean clone of any Streamlit app runs) and with the app's own
    configuration (like with like); the clear_cache storm; the export at the latest day (CPU seconds)."""
    from tests.browser_support import running_app

    with running_app(db=db) as url:
        app = burst(url)
        storm = clear_storm(url, query="as_of=2018-09-05")
    with running_app(app="benchmarks/floor_app.py", env={"STREAMLIT_RUNNER_FAST_RERUNS": "true"}) as floor_url:
        floor = burst(floor_url, query="")
    with running_app(app="benchmarks/floor_app.py") as floor_url:
        floor_same = burst(floor_url, query="")
    return {"burst": BURST, "app": app, "floor_streamlit_defaults": floor, "floor_same_config": floor_same,
            "ratio_to_floor": app["freeze_seconds"] / max(floor["freeze_seconds"], 0.05),
            "ratio_to_floor_same_config": app["freeze_seconds"] / max(floor_same["freeze_seconds"], 0.05),
            "clear_cache_storm": storm, "export_latest_day": export_latest_day(db)}


def export_latest_day(db: str) -> dict:
    """CPU seconds of the "All tables (.xlsx)" workbook as at 31 Dec 2099, the latest day allowed."""
    import pandas as pd

    from ccm_analytics.export import export_workbook
    from ccm_analytics.store import Store

    s = Store(db)
    data = s.snapshot(s.version(), ledger="daily")[1]
    start = time.process_time()
    size = len(export_workbook(data, pd.Timestamp("2099-12-31"), "sample data"))
    return {"cpu_seconds": time.process_time() - start, "bytes": size}


if __name__ == "__main__":  # python -m benchmarks.bench_burst STORE [URL]: quick figures
    import json
    import sys

    if len(sys.argv) > 2:
        print(json.dumps({"burst": burst(sys.argv[2])}, indent=1))
    else:
        print(json.dumps(run(sys.argv[1]), indent=1))
