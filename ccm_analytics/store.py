"""The DuckDB store: every version of the loaded data, a load history, diff and rollback.

Layout (one file, default ``var/ccm.duckdb``, or the path in ``CCM_DB``):

- one table per dataset, each row tagged with ``_rev``, the dataset revision it belongs to;
- ``versions``: one row per change (load, rollback, sample restore) with its time, user
  label, source files (name, SHA-256), rows per dataset and warnings;
- ``version_datasets``: which revision of each dataset a version holds.

A load writes new revisions of the datasets it carries and points the new version at the
old revisions of the others, all in one transaction: a reader sees the old version or the
new one, never a mix. Nothing is deleted, so every earlier version can be restored.
Connections are opened per operation and closed. Reads use read-only connections under a
shared lock, so readers (threads or processes: the dashboard, CLI commands) never wait for each
other; a change takes the file alone only while it writes (two lock files next to the store,
``.lock`` and ``.turnstile``, see :meth:`Store._locked`).
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Iterator

import duckdb
import pandas as pd
from filelock import FileLock, ReadWriteLock, Timeout

from .data import SAMPLE_COLUMN, STORED, CcmData, conform
from .errors import NothingToRollBack, StoreBusyError, StoreError
from .i18n import _
from .reading.load import LoadResult
from .schema import DATASET_NAMES, DATASETS

DEFAULT_PATH = Path("var") / "ccm.duckdb"
SCHEMA_VERSION = "6"  # 2: spend_daily, the ledger summed per day and cost line; 3: Art. 3/4 record columns; 4: followups,
# pledges; 5: label columns in French and Spanish (cost_line_fr, meeting_es, title_fr...); 6: _sample, each row's
# provenance (the bundled sample or the user's own)
LOCK_WAIT_SECONDS = 10.0
SQL_TYPES = {"str": "VARCHAR", "datetime64[us]": "DATE", "float64": "DOUBLE", "Int64": "BIGINT",
             "boolean": "BOOLEAN"}


def default_path() -> Path:
    """The store's file: ``$CCM_DB`` when set, else ``var/ccm.duckdb``."""
    return Path(os.environ.get("CCM_DB") or DEFAULT_PATH)


def _remaining(deadline: float) -> float:
    """Seconds left before ``deadline`` (a ``time.monotonic()`` value); 0: one try without waiting."""
    return max(deadline - time.monotonic(), 0.0)


def _q(identifier: str) -> str:
    """Quote an identifier that comes from code constants (never from user input)."""
    assert identifier in STORED or identifier in _ALL_COLUMNS or identifier.startswith("_"), identifier
    return '"' + identifier.replace('"', '""') + '"'


_ALL_COLUMNS = {c for cols in STORED.values() for c in cols}
_CURRENT_FILES: set[tuple[str, int]] = set()  # store files seen at SCHEMA_VERSION: (path, inode)
_CHECKPOINTS: list[threading.Thread] = []  # checkpoints running after a load (see Store.load)


def settle(timeout: float | None = None) -> None:
    """Wait until every checkpoint started after a load has finished (tests and benchmarks call
    it before touching the files; a program's exit waits for them anyway)."""
    while _CHECKPOINTS:
        _CHECKPOINTS[0].join(timeout)
        if _CHECKPOINTS and _CHECKPOINTS[0].is_alive():
            return
        _CHECKPOINTS.pop(0)


# -- the process's DuckDB engine --------------------------------------------------------------------
# A new DuckDB database instance costs about 25 ms (it builds its catalogue of functions), which every
# connection paid when each opened the file with ``duckdb.connect(path)``. The process keeps one in-memory
# instance instead, and a connection is a cursor of it with the store's file attached (``ATTACH``: about
# 1.5 ms; ``make bench``). A file is attached once per process: threads that read it at the same time share
# the attachment, and the last to close detaches it, which releases DuckDB's own lock on the file, as
# closing a connection did. The lock files (``Store._locked``) still order readers and writers, between
# threads and processes alike: a writer attaches the file only when no other thread reads it.

@dataclass
class _Attached:
    alias: str  # the attached database's name: "store_<n>", made here (never from user input)
    read_only: bool
    users: int = 0


_ENGINE_LOCK = threading.Lock()  # guards the engine, _ATTACHED and _CURSORS
_ENGINE: dict = {"pid": None, "con": None}
_ATTACHED: dict[str, _Attached] = {}  # real path of a store file -> its attachment
_CURSORS: dict[int, str] = {}  # id of an open connection (cursor) -> the real path it reads
_ALIASES = itertools.count(1)


def _engine() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB instance (a new one in a forked child). Called under ``_ENGINE_LOCK``."""
    if _ENGINE["pid"] != os.getpid():
        _ENGINE.update(pid=os.getpid(), con=duckdb.connect(":memory:"))
        _ATTACHED.clear()
        _CURSORS.clear()
    return _ENGINE["con"]


def scratch() -> duckdb.DuckDBPyConnection:
    """A connection of the process's engine with no store attached, for work on frames (``diff_data``)."""
    with _ENGINE_LOCK:
        return _engine().cursor()


def _attach(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the file at ``path``, attached if no thread has it attached."""
    key = os.path.realpath(path)
    with _ENGINE_LOCK:
        engine = _engine()
        held = _ATTACHED.get(key)
        if held is None:
            alias = f"store_{next(_ALIASES)}"
            engine.execute(f"ATTACH ? AS {alias}" + (" (READ_ONLY)" if read_only else ""), [key])
            held = _ATTACHED[key] = _Attached(alias, read_only)
        elif held.read_only != read_only:  # the lock files make this impossible: a writer has the file alone
            raise StoreError(f"internal: {key} is attached {'read-only' if held.read_only else 'for writing'} "
                             "by another thread of this process while it was asked otherwise")
        try:
            con = engine.cursor()
            con.execute(f"USE {held.alias}")
        except BaseException:
            if held.users == 0:
                del _ATTACHED[key]
                engine.execute(f"DETACH {held.alias}")
            raise
        held.users += 1
        _CURSORS[id(con)] = key
        return con


def _detach(con: duckdb.DuckDBPyConnection, checkpoint: bool) -> None:
    """Close a connection of :func:`_attach`; detach its file when it was the last one reading it."""
    with _ENGINE_LOCK:
        key = _CURSORS.pop(id(con), None)
        con.close()
        held = _ATTACHED.get(key) if key is not None else None
        if held is None:
            return
        held.users -= 1
        if held.users > 0:
            return
        del _ATTACHED[key]
        engine = _engine()
        if not checkpoint and not held.read_only:  # an instance-wide setting, set and reset under the lock
            engine.execute("PRAGMA disable_checkpoint_on_shutdown")
        try:
            engine.execute(f"DETACH {held.alias}")
        finally:
            if not checkpoint and not held.read_only:
                engine.execute("PRAGMA enable_checkpoint_on_shutdown")


@dataclass(frozen=True)
class Version:
    """One entry of the load history.

    Attributes:
        version: Its number (1, 2, ...; 0 is the empty store).
        created_at: When (UTC). action: ``load``, ``rollback`` or ``sample``.
        user: Who, as they labelled themselves. note: Free text (e.g. what was restored).
        sources: Input files as dicts (name, sha256, size, datasets).
        rows: Rows per dataset carried by this change.
        warnings: Warnings reported when loading.
        content_of: The version whose data this one holds (itself, or the one restored).
    """

    version: int
    created_at: datetime
    action: str
    user: str
    note: str
    sources: list[dict]
    rows: dict[str, int]
    warnings: list[str]
    content_of: int


@dataclass(frozen=True)
class DatasetDiff:
    """How one dataset differs between two versions.

    Attributes:
        added / removed: Rows only in the new / old version (no row with the same key on the other side).
        changed: Rows whose key exists in both but whose values differ.
        unchanged: Rows identical in both.
        examples: A few added, removed and changed rows, for a preview.
    """

    dataset: str
    added: int
    removed: int
    changed: int
    unchanged: int
    examples: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class StoreStatus:
    """What the store holds now."""

    path: Path
    version: int
    rows: dict[str, int]
    last: Version | None


class Store:
    """A DuckDB file holding every version of the data.

    Args:
        path: The database file (default: :func:`default_path`). Created on first use.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()

    # -- connections --------------------------------------------------------------------------

    @contextmanager
    def connect(self, write: bool = False, checkpoint: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """An explicit connection with the schema in place; closed afterwards.

        Readers share the file (read-only connections under a shared lock): a reader never waits
        for another reader. A writer (``write=True``) takes the file alone, only while it writes,
        and new readers queue behind a waiting writer so that it is never starved (see
        :meth:`_locked`). A writer's close folds the write-ahead log into the file (a checkpoint)
        unless ``checkpoint=False``: what was committed is safe in the log either way.
        """
        if not write and not self._schema_current():
            with self.connect(write=True):
                pass  # create or upgrade the schema first (a short write)
        with self._locked(write):
            con = self._open(read_only=not write)
            try:
                if write:
                    self._ensure_schema(con)
                yield con
            finally:
                self._close(con, checkpoint=checkpoint)

    def _checkpoint_soon(self) -> None:
        """Fold the write-ahead log into the file on another thread, after the caller has its answer.

        Until then a reader reads the log as well (a read-only connection replays it); if this
        fails, the log stays and the next writer's close folds it in.
        """
        def run() -> None:
            try:
                with self._locked(True):
                    con = self._open()
                    try:
                        con.execute("CHECKPOINT")
                    finally:
                        self._close(con)
            except Exception:  # noqa: BLE001 - nothing is lost: the log stays, and is folded in later
                pass

        thread = threading.Thread(target=run, name=f"checkpoint {self.path.name}")
        _CHECKPOINTS.append(thread)
        thread.start()

    def _schema_current(self) -> bool:
        """Whether the file exists with this schema version (a read-only connection can use it).
        Remembered per file (its inode) once seen, so a read costs one connection."""
        try:
            key = (str(self.path.resolve()), self.path.stat().st_ino)
        except OSError:
            return False
        if key in _CURRENT_FILES:
            return True
        with self._locked(False):
            con = self._open(read_only=True)
            try:
                found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
                if found and found[0][0] == SCHEMA_VERSION:
                    _CURRENT_FILES.add(key)
                    return True
                return False
            except duckdb.CatalogException:
                return False
            finally:
                self._close(con)

    @contextmanager
    def _locked(self, write: bool):
        """Readers-writer lock between threads and processes, on two files next to the store.

        ``<store>.lock`` (a SQLite file, :class:`filelock.ReadWriteLock`): readers hold it shared, a
        writer exclusive. ``<store>.turnstile`` (:class:`filelock.FileLock`): a writer holds it from
        the moment it asks, and a reader passes through it (takes and releases it at once) before
        taking ``.lock``, so a queued writer stops new readers. Both are the operating system's locks
        (Linux, macOS, Windows): a process that dies releases what it held. Whoever cannot have both
        within :data:`LOCK_WAIT_SECONDS` gets :class:`StoreBusyError`.
        """

        self.path.parent.mkdir(parents=True, exist_ok=True)
        wait = LOCK_WAIT_SECONDS
        deadline = time.monotonic() + wait
        # New instances each time (not filelock's per-path singletons): threads of one process must wait
        # for each other as processes do.
        turnstile = FileLock(self.path.with_name(self.path.name + ".turnstile"), is_singleton=False,
                             poll_interval=0.01)
        lock = ReadWriteLock(self.path.with_name(self.path.name + ".lock"), is_singleton=False)
        try:
            try:
                turnstile.acquire(timeout=_remaining(deadline))
                if not write:
                    turnstile.release()
                (lock.acquire_write if write else lock.acquire_read)(timeout=_remaining(deadline))
            except Timeout:
                raise StoreBusyError(
                    _("The data store {path} is busy: a load has been writing for more than {seconds} seconds. "
                      "Wait for it to finish, and try again.").format(
                        path=self.path, seconds=f"{wait:.0f}")) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            if turnstile.is_locked:
                turnstile.release()
            lock.close()

    def _open(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection to the store's file: a cursor of the process's DuckDB engine with the file attached
        (:func:`_attach`). Closed with :meth:`_close`, never ``close()`` alone."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return _attach(self.path, read_only)
            except duckdb.IOException as e:  # a program that does not take the lock files (an older version)
                text = str(e)
                if "lock" in text.lower() and time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                if "lock" in text.lower():
                    raise StoreBusyError(
                        _("The data store {path} is in use by another program (a running dashboard or another "
                          "command). Wait for it to finish, or stop it, and try again.").format(path=self.path)) from e
                raise StoreError(
                    _("The data store {path} could not be opened ({error}). If it is damaged, move it aside: a new, "
                      "empty store is created on the next load.").format(path=self.path, error=text)) from e
            except duckdb.Error as e:
                raise StoreError(
                    _("The data store {path} could not be opened ({error}). If it is not a CCM Analytics store, set "
                      "CCM_DB to another path.").format(path=self.path, error=e)) from e

    @staticmethod
    def _close(con: duckdb.DuckDBPyConnection, checkpoint: bool = True) -> None:
        """Close a connection of :meth:`_open`; the file is detached when no other thread of this process reads it.
        ``checkpoint=False``: a writer's detach leaves the write-ahead log for a later checkpoint."""
        _detach(con, checkpoint)

    def _ensure_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create the tables of a new store; add columns a newer version of the app needs."""
        try:  # the usual case, one cheap query: the store is already at this schema version
            found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            if found and found[0][0] == SCHEMA_VERSION:
                return
        except duckdb.CatalogException:
            pass
        existing = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "AND table_schema = 'main'").fetchall()}
        con.begin()  # one transaction: one write to disk instead of one per statement
        try:
            self._create_tables(con, existing)
            con.commit()
        except BaseException:
            con.rollback()
            raise

    @staticmethod
    def _create_tables(con, existing: set[str]) -> None:
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(
            "CREATE TABLE IF NOT EXISTS versions (version INTEGER PRIMARY KEY, created_at TIMESTAMP, "
            "action VARCHAR, user_label VARCHAR, note VARCHAR, sources VARCHAR, row_counts VARCHAR, "
            "warnings VARCHAR, content_of INTEGER)")
        con.execute("CREATE TABLE IF NOT EXISTS version_datasets (version INTEGER, dataset VARCHAR, rev INTEGER, "
                    "PRIMARY KEY (version, dataset))")
        con.execute("CREATE TABLE IF NOT EXISTS assets (name VARCHAR PRIMARY KEY, data BLOB, file_name VARCHAR, "
                    "uploaded_at TIMESTAMP, user_label VARCHAR)")
        for name, cols in STORED.items():
            defs = ", ".join(f"{_q(c)} {SQL_TYPES[t]}" for c, t in cols.items())
            con.execute(f"CREATE TABLE IF NOT EXISTS {_q(name)} (_rev INTEGER, {defs})")
            if name in existing:  # a store made by an older version: add what is missing
                for c, t in cols.items():
                    con.execute(f"ALTER TABLE {_q(name)} ADD COLUMN IF NOT EXISTS {_q(c)} {SQL_TYPES[t]}")
        con.execute('CREATE TABLE IF NOT EXISTS spend_daily (_rev INTEGER, "date" DATE, "cost_line" VARCHAR, '
                    '"amount" DOUBLE, "_sample" BOOLEAN)')
        con.execute('ALTER TABLE spend_daily ADD COLUMN IF NOT EXISTS "_sample" BOOLEAN')
        if "spend_daily" not in existing and "spend" in existing:  # older store: sum what it holds
            con.execute('INSERT INTO spend_daily SELECT _rev, "date", "cost_line", sum("amount"), NULL FROM spend '
                        'GROUP BY _rev, "date", "cost_line"')
        if existing:
            Store._mark_sample_rows(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    @staticmethod
    def _mark_sample_rows(con) -> None:
        """A store made before rows knew their provenance (before schema 6): a row is the sample's when the load that
        first wrote its revision was the bundled sample's (as :func:`ccm_analytics.provenance.is_sample` says)."""
        # cycle: provenance -> store (Version)
        from .provenance import is_sample_source

        sample_versions = [r[0] for r in con.execute("SELECT version, action, sources FROM versions").fetchall()
                           if r[1] == "sample" or any(is_sample_source(x.get("name", ""), x.get("sha256"))
                                                      for x in json.loads(r[2] or "[]"))]
        written = con.execute("SELECT dataset, rev, min(version) FROM version_datasets WHERE rev > 0 "
                              "GROUP BY dataset, rev").fetchall()
        for dataset, rev, first in written:
            if dataset not in STORED:
                continue
            flag = first in sample_versions
            con.execute(f"UPDATE {_q(dataset)} SET {_q(SAMPLE_COLUMN)} = ? WHERE _rev = ? AND {_q(SAMPLE_COLUMN)} IS NULL",
                        [flag, rev])
            if dataset == "spend":
                con.execute('UPDATE spend_daily SET "_sample" = ? WHERE _rev = ? AND "_sample" IS NULL', [flag, rev])

    # -- reading ------------------------------------------------------------------------------

    def version(self) -> int:
        """The current version number (0 when nothing was ever loaded)."""
        with self.connect() as con:
            return self._current(con)

    @staticmethod
    def _current(con) -> int:
        return int(con.execute("SELECT coalesce(max(version), 0) FROM versions").fetchall()[0][0])

    @staticmethod
    def _revs(con, version: int) -> dict[str, int]:
        rows = con.execute("SELECT dataset, rev FROM version_datasets WHERE version = ?", [version]).fetchall()
        revs = {name: 0 for name in DATASET_NAMES}
        revs.update({d: r for d, r in rows if d in revs})
        return revs

    @staticmethod
    def _read_dataset(con, name: str, rev: int) -> pd.DataFrame:
        cols = ", ".join(_q(c) for c in STORED[name])
        frame = con.execute(f"SELECT {cols} FROM {_q(name)} WHERE _rev = ? ORDER BY rowid", [rev]).df()
        return conform(name, frame)

    def snapshot(self, version: int | None = None, ledger: str = "rows") -> tuple[int, CcmData]:
        """The data of one version (default: the current one), read in one transaction.

        Args:
            version: Which version (default: the current one).
            ledger: ``rows`` reads every spend row as stored; ``daily`` sums the spend per day
                and cost line in DuckDB (descriptions dropped), which is all the analysis needs and
                keeps a ledger of a million rows down to a few thousand.
        """
        with self.connect() as con:
            con.begin()
            try:
                current = self._current(con)
                v = current if version is None else version
                if not 0 <= v <= current:
                    raise StoreError(_("There is no version {version}; versions run from 0 to {current}.").format(
                        version=v, current=current))
                revs = self._revs(con, v)
                frames = {name: self._read_dataset(con, name, rev) for name, rev in revs.items() if name != "spend"}
                frames["spend"] = (self._read_daily_spend(con, revs["spend"]) if ledger == "daily"
                                   else self._read_dataset(con, "spend", revs["spend"]))
                data = CcmData(**frames)
            finally:
                con.rollback()
        return v, data

    @staticmethod
    def _read_daily_spend(con, rev: int) -> pd.DataFrame:
        frame = con.execute('SELECT "date", "cost_line", "amount", NULL AS "description", "_sample" FROM spend_daily '
                            'WHERE _rev = ? ORDER BY "date", "cost_line", "_sample"', [rev]).df()
        return conform("spend", frame)

    def data(self) -> CcmData:
        return self.snapshot()[1]

    def history(self) -> list[Version]:
        """Every version, newest first."""
        with self.connect() as con:
            rows = con.execute("SELECT version, created_at, action, user_label, note, sources, row_counts, "
                               "warnings, content_of FROM versions ORDER BY version DESC").fetchall()
        return [Version(r[0], r[1].replace(tzinfo=timezone.utc), r[2], r[3] or "", r[4] or "", json.loads(r[5]),
                        json.loads(r[6]), json.loads(r[7]), r[8]) for r in rows]

    def fingerprint(self) -> tuple:
        """A cheap signature of the store's files: changes whenever something is written."""
        out = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def provenance(self, version: int | None = None) -> dict[str, Version | None]:
        """For each dataset, the version (load) that wrote the data it holds now (None if empty)."""
        with self.connect() as con:
            v = self._current(con) if version is None else version
            revs = self._revs(con, v)
            rows = con.execute(
                "SELECT dataset, min(version) FROM version_datasets WHERE rev > 0 AND version <= ? "
                "AND (dataset, rev) IN (SELECT dataset, rev FROM version_datasets WHERE version = ?) GROUP BY dataset",
                [v, v]).fetchall()
        by_version = {h.version: h for h in self.history()}
        out: dict[str, Version | None] = {name: None for name in revs}
        for dataset, first in rows:
            out[dataset] = by_version.get(first)
        return out

    def status(self) -> StoreStatus:
        """Current version, rows per dataset and the last change."""
        with self.connect() as con:
            con.begin()
            v = self._current(con)
            revs = self._revs(con, v)
            rows = {name: int(con.execute(f"SELECT count(*) FROM {_q(name)} WHERE _rev = ?", [rev]).fetchall()[0][0])
                    for name, rev in revs.items()}
            con.rollback()
        history = self.history()
        return StoreStatus(self.path, v, rows, history[0] if history else None)

    # -- writing ------------------------------------------------------------------------------

    def load(self, result: LoadResult, user: str = "", action: str = "load", note: str = "",
             expected_version: int | None = None) -> Version:
        """Store a validated load as a new version, in one transaction.

        Args:
            result: What :func:`ccm_analytics.reading.read_inputs` returned.
            user: Who is loading (a label, recorded in the history).
            action: ``load`` or ``sample``.
            note: Free text for the history.
            expected_version: When given, the store must still be at this version (the one
                the load was checked against), else nothing is written.

        Raises:
            StoreError: The store changed since the load was checked, or could not be written.
        """
        with self.connect(write=True, checkpoint=False) as con:  # the checkpoint runs after, off the request
            con.begin()
            try:
                current = self._current(con)
                if expected_version is not None and current != expected_version:
                    raise StoreError(_("The data changed while this load was being checked (someone else loaded "
                                       "data). Check the files again, then load."))
                revs = self._revs(con, current)
                next_revs = self._next_revs(con, list(result.frames))
                sample = _sample_datasets(result, action)
                for name, frame in result.frames.items():
                    if name in sample:  # the bundled sample's rows say so (DOMAIN §3b)
                        frame = frame.assign(**{SAMPLE_COLUMN: True})
                    revs[name] = self._write_dataset(con, name, frame, next_revs[name])
                new = self._add_version(con, current + 1, revs, action, user, note,
                                        [s.as_dict() for s in result.sources], result.row_counts,
                                        [str(w) for w in result.warnings], None)
                con.commit()
            except duckdb.Error as e:
                con.rollback()
                raise StoreError(_("The data could not be stored ({error}); nothing was changed.").format(error=e)) from e
            except BaseException:
                con.rollback()
                raise
        self._checkpoint_soon()
        return new

    @staticmethod
    def _next_revs(con, names: list[str]) -> dict[str, int]:
        """The next revision number of each dataset, in one query."""
        if not names:
            return {}
        sql = " UNION ALL ".join(f"SELECT ?, coalesce(max(_rev), 0) + 1 FROM {_q(n)}" for n in names)
        return {n: int(r) for n, r in con.execute(sql, names).fetchall()}

    def _write_dataset(self, con, name: str, frame: pd.DataFrame, rev: int) -> int:
        cols = list(STORED[name])
        incoming = conform(name, frame)  # cheap when it is already in stored form
        con.register("_incoming", incoming)
        try:
            col_sql = ", ".join(_q(c) for c in cols)
            con.execute(f"INSERT INTO {_q(name)} (_rev, {col_sql}) SELECT ?, {col_sql} FROM _incoming", [rev])
            if name == "spend":  # the analysis reads the ledger summed per day and cost line
                con.execute('INSERT INTO spend_daily SELECT ?, "date", "cost_line", sum("amount"), "_sample" '
                            'FROM _incoming GROUP BY "date", "cost_line", "_sample"', [rev])
        finally:
            con.unregister("_incoming")
        return rev

    def _add_version(self, con, version: int, revs: dict[str, int], action: str, user: str, note: str,
                     sources: list, rows: dict, warnings: list, content_of: int | None) -> Version:
        created = datetime.now(timezone.utc).replace(tzinfo=None)
        content = version if content_of is None else content_of
        con.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [version, created, action, user, note, json.dumps(sources), json.dumps(rows),
                     json.dumps(warnings), content])
        con.executemany("INSERT INTO version_datasets VALUES (?, ?, ?)",
                        [[version, name, rev] for name, rev in revs.items()])
        return Version(version, created.replace(tzinfo=timezone.utc), action, user, note, sources, rows,
                       warnings, content)

    # -- assets (e.g. the slide template) ------------------------------------------------------

    def set_asset(self, name: str, data: bytes, file_name: str, user: str = "") -> None:
        """Keep a file the app uses (such as the PowerPoint template), replacing any earlier one."""
        with self.connect(write=True) as con:
            con.execute("INSERT OR REPLACE INTO assets VALUES (?, ?, ?, ?, ?)",
                        [name, data, file_name, datetime.now(timezone.utc).replace(tzinfo=None), user])

    def asset(self, name: str) -> tuple[bytes, str] | None:
        """A kept file's bytes and original name, or None."""
        with self.connect() as con:
            rows = con.execute("SELECT data, file_name FROM assets WHERE name = ?", [name]).fetchall()
        return (bytes(rows[0][0]), rows[0][1]) if rows else None

    def delete_asset(self, name: str) -> None:
        with self.connect(write=True) as con:
            con.execute("DELETE FROM assets WHERE name = ?", [name])

    def rollback(self, to: int | None = None, user: str = "", expected_version: int | None = None) -> Version:
        """Restore an earlier version's data as a new version (history is kept).

        Args:
            to: The version to restore (default: the one before the current data's version,
                worked out in the same transaction, so a load made meanwhile is never undone).
            user: Who asked (recorded in the history).
            expected_version: When given, the store must still be at this version.
        """
        with self.connect(write=True) as con:
            con.begin()
            try:
                current = self._current(con)
                if expected_version is not None and current != expected_version:
                    raise StoreError(_("The data changed meanwhile (someone else loaded data); look again, then "
                                       "roll back."))
                target = self._rollback_target(con, current, to)
                revs = self._revs(con, target)
                content = 0 if target == 0 else con.execute(
                    "SELECT content_of FROM versions WHERE version = ?", [target]).fetchall()[0][0]
                note = f"restored version {target}" + (" (the empty store)" if target == 0 else "")
                new = self._add_version(con, current + 1, revs, "rollback", user, note, [], {}, [], content)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        return new

    def rollback_target(self, version: int, to: int | None = None) -> int:
        """The version a rollback made at ``version`` would restore (see :meth:`rollback`).

        Raises:
            NothingToRollBack: There is nothing earlier, or ``to`` is no earlier version.
        """
        with self.connect() as con:
            return self._rollback_target(con, version, to)

    @staticmethod
    def _rollback_target(con, current: int, to: int | None) -> int:
        if current == 0:
            raise NothingToRollBack(_("Nothing has been loaded yet, so there is nothing to roll back."))
        target = to
        if target is None:
            content = con.execute("SELECT content_of FROM versions WHERE version = ?", [current]).fetchall()[0][0]
            if content == 0:
                raise NothingToRollBack(_("The store is already back to its empty start; there is nothing "
                                          "earlier."))
            target = content - 1
        if not 0 <= target < current:
            raise NothingToRollBack(_("Cannot roll back to version {version}: choose one from 0 to {last}.")
                                    .format(version=target, last=current - 1))
        return target

    def diff(self, old: int | None = None, new: int | None = None) -> list[DatasetDiff]:
        """What changed between two versions (default: what the last change did)."""
        current = self.version()
        new = current if new is None else new
        old = new - 1 if old is None else old
        if new <= 0:
            raise NothingToRollBack(_("Nothing has been loaded yet, so there are no changes to show."))
        return diff_data(self.snapshot(old)[1], self.snapshot(new)[1])


def _sample_datasets(result: LoadResult, action: str) -> set[str]:
    """The datasets of a load that come from the bundled sample: all of them for the ``sample`` action, else
    those read from the sample workbook (by name or fingerprint). Other rows keep what they say: an append
    keeps the stored rows' provenance and adds the user's rows as their own."""
    # cycle: provenance -> store (Version)
    from .provenance import is_sample_source

    if action == "sample":
        return set(result.frames)
    return {d for s in result.sources if is_sample_source(s.name, s.sha256) for d in s.datasets} & set(result.frames)


def diff_data(old: CcmData, new: CcmData, datasets=None, examples: int = 5) -> list[DatasetDiff]:
    """Rows added, removed and changed per dataset between two bundles.

    A row is *changed* when a row with the same key (see ``schema.Dataset.key``) exists on
    both sides with other values; rows are otherwise compared as whole records (duplicates
    counted).
    """
    con = scratch()
    out = []
    try:
        for name in datasets or DATASET_NAMES:
            con.register("_old", old.frame(name))
            con.register("_new", new.frame(name))
            out.append(_diff_one(con, name, examples))
            con.unregister("_old")
            con.unregister("_new")
    finally:
        con.close()
    return out


def _diff_one(con, name: str, examples: int) -> DatasetDiff:
    cols = ", ".join(_q(c) for c in STORED[name])
    key = [c for c in DATASETS[name].key]
    on = " AND ".join(f"p.{_q(k)} IS NOT DISTINCT FROM m.{_q(k)}" for k in key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _plus AS SELECT {cols} FROM _new EXCEPT ALL SELECT {cols} FROM _old")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _minus AS SELECT {cols} FROM _old EXCEPT ALL SELECT {cols} FROM _new")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _plus_k AS SELECT p.*, EXISTS (SELECT 1 FROM _minus m WHERE {on}) AS _chg "
                "FROM _plus p")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _minus_k AS SELECT m.*, EXISTS (SELECT 1 FROM _plus p WHERE {on}) AS _chg "
                "FROM _minus m")
    added, changed = con.execute("SELECT count(*) FILTER (WHERE NOT _chg), count(*) FILTER (WHERE _chg) "
                                 "FROM _plus_k").fetchall()[0]
    removed = con.execute("SELECT count(*) FILTER (WHERE NOT _chg) FROM _minus_k").fetchall()[0][0]
    n_new = con.execute("SELECT count(*) FROM _new").fetchall()[0][0]
    ex = {
        "added": con.execute(f"SELECT {cols} FROM _plus_k WHERE NOT _chg LIMIT ?", [examples]).df(),
        "removed": con.execute(f"SELECT {cols} FROM _minus_k WHERE NOT _chg LIMIT ?", [examples]).df(),
        "changed": con.execute(f"SELECT {cols} FROM _plus_k WHERE _chg LIMIT ?", [examples]).df(),
    }
    return DatasetDiff(name, int(added), int(removed), int(changed), int(n_new - added - changed), ex)
