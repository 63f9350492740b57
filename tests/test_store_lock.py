"""The store's readers-writer lock (filelock): readers share, a writer waits for them and then holds
the store alone, a queued writer stops new readers, and whoever waits past the deadline is told the
store is busy (StoreBusyError) instead of waiting for ever. The deadline is made short here."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from filelock import FileLock, Timeout

from ccm_analytics import store as store_module
from ccm_analytics.errors import StoreBusyError
from ccm_analytics.store import Store

from .conftest import ROOT

SHORT = 0.2  # seconds: the deadline of the one who must give up
SAFETY = 30.0  # seconds: a bound on waits that must succeed (never reached when the lock works)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    assert s.version() == 0  # the file and its schema exist before the test holds anything
    return s


@contextmanager
def held_in_a_thread(store: Store, write: bool):
    """Another thread holding the store's lock (read or write) until the block ends."""
    holding, done = threading.Event(), threading.Event()

    def hold():
        with store._locked(write):
            holding.set()
            done.wait(SAFETY)

    t = threading.Thread(target=hold)
    t.start()
    assert holding.wait(SAFETY)
    try:
        yield
    finally:
        done.set()
        t.join(SAFETY)


def attempt(store: Store, write: bool) -> None:
    with store._locked(write):
        pass


def test_a_writer_holding_the_store_makes_readers_and_writers_busy_after_the_deadline(store, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", SHORT)
    with held_in_a_thread(store, write=True):
        for write in (False, True):
            with pytest.raises(StoreBusyError, match="is busy") as e:
                attempt(store, write)
            assert str(store.path) in str(e.value)
    attempt(store, True)  # released: it is free at once
    assert store.version() == 0


def test_readers_share_the_store_but_keep_a_writer_out(store, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", SHORT)
    with held_in_a_thread(store, write=False):
        attempt(store, False)  # a second reader goes in
        assert store.version() == 0
        with pytest.raises(StoreBusyError):
            attempt(store, True)


def turnstile_taken(store: Store) -> bool:
    turnstile = FileLock(store.path.with_name(store.path.name + ".turnstile"), is_singleton=False)
    try:
        turnstile.acquire(timeout=0)
    except Timeout:
        return True
    turnstile.release()
    return False


def test_a_queued_writer_stops_new_readers(store, monkeypatch):
    got_it = threading.Event()

    def writer():
        with store._locked(True):  # waits for the reader below, with the full deadline
            got_it.set()

    with held_in_a_thread(store, write=False):
        w = threading.Thread(target=writer)
        w.start()
        deadline = time.monotonic() + SAFETY
        while not turnstile_taken(store):  # until the writer holds the turnstile, waiting for the reader
            assert time.monotonic() < deadline
            time.sleep(0.005)
        monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", SHORT)
        with pytest.raises(StoreBusyError):
            attempt(store, False)  # a new reader queues behind the writer
        assert not got_it.is_set()
    w.join(SAFETY)
    assert got_it.is_set()  # the reader gone, the writer had its turn


HOLDER = """
import sys
from ccm_analytics.store import Store
with Store(sys.argv[1])._locked(True):
    print("holding", flush=True)
    sys.stdin.read()
"""


def test_a_writer_in_another_process_makes_this_one_busy_until_it_ends(store, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_WAIT_SECONDS", SHORT)
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(store.path)], cwd=ROOT, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline() == "holding\n"
        with pytest.raises(StoreBusyError):
            attempt(store, False)
    finally:
        p.stdin.close()
        p.wait(SAFETY)
    attempt(store, True)
