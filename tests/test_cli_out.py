"""Where the command line writes (``--out``) and the days it counts (``--as-of``): every bad place or day is
refused with a clear message and exit status 2, before any work, and the store is unchanged (DOMAIN §9, §10)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccm_analytics import outfiles
from ccm_analytics.cli import main
from ccm_analytics.errors import UsageError
from ccm_analytics.store import Store

from .conftest import EXAMPLES
from .test_cli import run

DAY = "2018-09-05"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s.duckdb"
    assert run("load", EXAMPLES / "input", db=path).returncode == 0
    return path


def state(db: Path):
    s = Store(db).status()
    return s.version, s.rows


def refused(db, *args) -> str:
    """Run a command on the store; assert exit 2, no traceback, the store unchanged; return stderr."""
    before = state(db)
    p = run(*args, "--as-of", DAY, db=db)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "This is a bug" not in p.stderr and "Internal error" not in p.stderr
    assert state(db) == before
    return p.stderr


def test_a_folder_where_a_file_is_needed_is_refused(db, tmp_path):
    (tmp_path / "deck.pptx").mkdir()
    err = refused(db, "deck", "--out", tmp_path / "deck.pptx")
    assert f"{tmp_path / 'deck.pptx'} is a folder; --out needs a file name" in err
    assert list((tmp_path / "deck.pptx").iterdir()) == []


def test_a_dangling_symlink_is_refused_and_nothing_is_created_where_it_points(db, tmp_path):
    link = tmp_path / "brief.html"
    link.symlink_to(tmp_path / "elsewhere" / "brief.html")
    err = refused(db, "brief", "--out", link)
    assert "is a symbolic link to" in err and "which does not exist" in err
    assert link.is_symlink() and not (tmp_path / "elsewhere").exists()


def test_a_symlink_to_a_file_is_refused_and_the_file_it_points_to_is_kept(db, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "out.xlsx").symlink_to(target)
    err = refused(db, "export", "--out", tmp_path / "out.xlsx")
    assert "is a symbolic link (to" in err and "must not be a link" in err
    assert target.read_text() == "keep me"


def test_a_path_under_a_file_is_refused(db, tmp_path):
    (tmp_path / "notes.txt").write_text("a file")
    err = refused(db, "calendar", "--out", tmp_path / "notes.txt" / "cal.ics")
    assert f"{tmp_path / 'notes.txt'} is a file, not a folder" in err
    err = refused(db, "letters", "--out", tmp_path / "notes.txt")
    assert "is a file; --out needs a folder" in err


def test_a_folder_this_user_may_not_write_in_is_refused_before_any_work(db, tmp_path, monkeypatch, capsys):
    # root may write anywhere, so the operating system's answer for this folder is made "no" here
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real(p, mode))
    called = []
    monkeypatch.setattr("ccm_analytics.cli._data_and_source", lambda args: called.append(1))
    before = state(db)
    assert main(["--db", str(db), "export", "--as-of", DAY, "--out", str(locked / "x.xlsx")]) == 2
    assert main(["--db", str(db), "letters", "--as-of", DAY, "--out", str(locked)]) == 2
    err = capsys.readouterr().err
    assert f"Cannot write {locked / 'x.xlsx'}: you may not write in the folder {locked}" in err
    assert f"Cannot write in {locked}: you may not write there" in err
    assert called == [] and state(db) == before


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc, where no one may create files")
def test_a_write_the_system_refuses_is_a_clear_message_and_nothing_is_written(db):
    err = refused(db, "deck", "--out", "/proc/ccm-deck.pptx")
    assert "Cannot write /proc/ccm-deck.pptx" in err and "Nothing was written" in err
    assert not Path("/proc/ccm-deck.pptx").exists()


def test_missing_parent_folders_are_made(db, tmp_path):
    p = run("export", "--as-of", DAY, "--out", tmp_path / "new" / "sub" / "tables.xlsx", db=db)
    assert p.returncode == 0 and (tmp_path / "new" / "sub" / "tables.xlsx").stat().st_size > 0
    # issue 25: 'letters --out letters/' on a fresh checkout
    p = run("letters", "--as-of", DAY, "--out", f"{tmp_path / 'letters'}/", db=db)
    assert p.returncode == 0, p.stderr
    # the worked example: six States have an Article 7 report overdue on 5 Sep 2018
    assert sorted(f.name[:3] for f in (tmp_path / "letters").iterdir()) == ["ALB", "BGR", "GBR", "LTU", "MDG", "PSE"]


def test_the_safe_writer_replaces_a_file_whole_and_keeps_it_when_the_write_fails(tmp_path, monkeypatch):
    out = tmp_path / "cal.ics"
    out.write_bytes(b"old")
    out.chmod(0o640)
    outfiles.write_file(out, b"new")
    assert out.read_bytes() == b"new" and out.stat().st_mode & 0o777 == 0o640
    assert [f.name for f in tmp_path.iterdir()] == ["cal.ics"]  # no temporary file left

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(UsageError, match="No space left on device"):
        outfiles.write_file(out, b"half")
    assert out.read_bytes() == b"new" and [f.name for f in tmp_path.iterdir()] == ["cal.ics"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2008-12-02", "2100-01-01"])
def test_an_as_of_day_outside_the_apps_range_is_refused_before_any_work(db, day):
    before = state(db)
    for command in (["metrics"], ["deck", "--out", "/nonexistent-folder-never-made/d.pptx"]):
        p = run(*command, "--as-of", day, db=db)
        assert p.returncode == 2
        assert (f"--as-of {day} is outside the days the analysis covers: choose a day from 2008-12-03 to "
                f"2099-12-31") in p.stderr
    assert state(db) == before


def test_the_first_day_the_app_offers_is_accepted(db):
    p = run("metrics", "--as-of", "2008-12-03", db=db)
    assert p.returncode == 0 and '"as_of": "2008-12-03"' in p.stdout


def test_the_app_and_the_command_line_share_one_range_of_days():
    from ccm_analytics.analysis import treaty
    from ccm_analytics.ui import context

    assert context.EARLIEST_DAY is treaty.EARLIEST_DAY and context.LATEST_DAY is treaty.LATEST_DAY
    assert (treaty.EARLIEST_DAY.isoformat(), treaty.LATEST_DAY.isoformat()) == ("2008-12-03", "2099-12-31")
