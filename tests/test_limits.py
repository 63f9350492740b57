"""Input limits (DOMAIN.md section 9): every hostile file is refused by the command line with exit 2,
the store unchanged, in bounded memory and time; measured in a subprocess with a memory cap.

Each load runs as ``python -m ccm_analytics load FILE`` in a child process whose address space is
capped with RLIMIT_AS (a hard backstop: a runaway allocation fails instead of taking the machine
down). Its peak resident memory comes from ``os.wait4`` and must stay under 700 MB; the command's
own time (from after the interpreter has started and imported it) under 10 s. The figures are printed and written to
tests/artifacts/limits.json.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys

import pytest

from ccm_analytics.reading import guard
from ccm_analytics.store import Store

from .conftest import copy_store, ROOT

BAD = ROOT / "tests" / "data" / "bad"
CASES = [c for c in json.loads((BAD / "manifest.json").read_text(encoding="utf-8")) if c.get("attack")]
PEAK_LIMIT_MB = 700
TIME_LIMIT_S = 10.0
ADDRESS_SPACE_CAP = 3 * 1024 ** 3  # virtual memory: the interpreter with pyarrow, duckdb and threads maps ~1.6 GB
RESULTS: dict[str, dict] = {}


def _make_bad_files():
    spec = importlib.util.spec_from_file_location("make_bad_files", BAD / "make_bad_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_capped(args: list[str], db) -> tuple[int, str, float, float]:
    """Run the CLI in a child capped at ADDRESS_SPACE_CAP; (exit code, stderr, peak RSS in MB, seconds)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", TIMED_CLI, "--db", str(db), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap)
    stderr = proc.stderr.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = float(stderr.rsplit("ELAPSED ", 1)[1]) if "ELAPSED " in stderr else float("inf")
    return proc.returncode, stderr, usage.ru_maxrss / 1024, elapsed


# The command line, timed from after the interpreter has started and imported it (a start takes 1-3 s
# on a busy 2-core machine and is not part of the refusal).
TIMED_CLI = ("import sys, time; from ccm_analytics import cli; t = time.perf_counter(); rc = cli.main(sys.argv[1:]); "
             "sys.stderr.write(f'\\nELAPSED {time.perf_counter() - t:.3f}\\n'); sys.exit(rc)")


def check_refused(path, words: str, sample_store, tmp_path, label: str) -> None:
    db = tmp_path / "store.duckdb"
    copy_store(sample_store, db)
    before = Store(db).version()
    code, stderr, peak, seconds = run_capped(["load", str(path)], db)
    RESULTS[label] = {"size_mb": round(path.stat().st_size / 2 ** 20, 2), "peak_mb": round(peak),
                      "seconds": round(seconds, 2), "exit": code}
    print(f"\n{label}: {RESULTS[label]}")
    assert code == 2, stderr
    assert words in stderr and "Traceback" not in stderr and "Internal error" not in stderr, stderr
    assert Store(db).version() == before
    assert peak < PEAK_LIMIT_MB and seconds < TIME_LIMIT_S


@pytest.mark.slow  # measured in a process of its own, with a memory cap
@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_attack_in_the_corpus_is_refused_in_bounded_memory_and_time(case, sample_store, tmp_path):
    check_refused(BAD / case["file"], case["words"], sample_store, tmp_path, case["file"])


@pytest.mark.slow  # measured in a process of its own, with a memory cap
def test_a_45_mb_csv_of_200000_column_rows_is_refused_in_bounded_memory(sample_store, tmp_path):
    # The issue measured 12.9 GB for this one. 45 MB is under the 50 MB upload limit.
    path = tmp_path / "spend.csv"
    row = ",".join("x" for _ in range(200_000)) + "\n"
    with path.open("w") as f:
        while f.tell() < 45 * 2 ** 20:
            f.write(row)
    check_refused(path, f"at most {guard.MAX_COLUMNS} columns", sample_store, tmp_path, "45 MB wide CSV")


@pytest.mark.slow  # measured in a process of its own, with a memory cap
def test_a_49_mb_csv_of_short_rows_is_refused_at_the_cell_limit(sample_store, tmp_path):
    path = tmp_path / "spend.csv"
    line = "2018-03-01,Travel,123.50,a description of some length\n"
    path.write_text("date,cost_line,amount,description\n" + line * (49 * 2 ** 20 // len(line)))
    check_refused(path, f"more than {guard.MAX_CELLS:,} cells", sample_store, tmp_path, "49 MB long CSV")


@pytest.mark.slow  # measured in a process of its own, with a memory cap
def test_a_2_mb_workbook_whose_directory_lies_is_refused_in_bounded_memory(sample_store, tmp_path):
    # The issue: 2.18 GB of server memory for this one. It really unpacks to 2 GB (just under zip64).
    path = tmp_path / "spend.xlsx"
    bad = _make_bad_files()
    bad.raw_workbook(path, bad.spaces(2_000_000_000), declared_size=4096)
    check_refused(path, "unpacks to more than", sample_store, tmp_path, "2 MB workbook, lying directory")


@pytest.mark.slow  # measured in a process of its own, with a memory cap
def test_the_largest_workbook_within_the_limits_is_checked_in_bounded_memory(sample_store, tmp_path):
    # 600,000 rows x 3 columns = 1,800,000 cells: under MAX_CELLS (2,000,000), so it is read in full.
    path = tmp_path / "spend.xlsx"
    bad = _make_bad_files()
    bad.raw_workbook(path, bad.spend_rows(600_000))
    db = tmp_path / "store.duckdb"
    copy_store(sample_store, db)
    code, stderr, peak, seconds = run_capped(["load", "--check", str(path)], db)
    RESULTS["largest accepted workbook (600,000 rows)"] = {"size_mb": round(path.stat().st_size / 2 ** 20, 2),
                                                            "peak_mb": round(peak), "seconds": round(seconds, 2),
                                                            "exit": code}
    print(f"\nlargest accepted: {RESULTS['largest accepted workbook (600,000 rows)']}")
    assert code == 0, stderr
    assert peak < PEAK_LIMIT_MB


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if RESULTS:
        out = ROOT / "tests" / "artifacts"
        out.mkdir(parents=True, exist_ok=True)
        (out / "limits.json").write_text(json.dumps(RESULTS, indent=1) + "\n")


HEAD = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c><c r="B1" t="inlineStr"><is><t>cost_line</t>'
        b'</is></c><c r="C1" t="inlineStr"><is><t>amount</t></is></c></row>')


@pytest.mark.parametrize("row, words", [
    (b"<row r='2'><c r='XFD2'><v>1</v></c></row>", "16,384 columns"),                 # other quotes
    (b'<row r="2"><c r = "XFD2"><v>1</v></c></row>', "16,384 columns"),               # spaces around =
    (b'<row r="2"><c t="n" r="XFD2"><v>1</v></c></row>', "16,384 columns"),           # r not first
    (b'<row r="2"><c r="xfd2"><v>1</v></c></row>', "16,384 columns"),                 # lower case
    (b'<row r="2"><c r="A99999999999"><v>1</v></c></row>', "would set aside"),        # a row past 2^32
    (b'<row r="2"><c r="A2"><v>1</v></c><c r="Z1048576"><v>1</v></c></row>', "would set aside"),  # cell below its row
    (b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>", "at most 256 are read"),       # 300 cells placed in a row
], ids=["quotes", "spaces", "order", "lower", "long-row", "cell-below-row", "no-references"])
def test_every_way_of_writing_a_far_cell_is_counted(row, words, tmp_path):
    # Each sheet is a few hundred bytes; each names a cell that would make the reader set aside far more
    # than MAX_AREA cells, or more than MAX_COLUMNS columns (worked out in the ids above).
    from ccm_analytics.errors import LoadError
    from ccm_analytics.reading import Source, read_inputs

    path = tmp_path / "spend.xlsx"
    _make_bad_files().raw_workbook(path, [HEAD, row])
    with pytest.raises(LoadError) as e:
        read_inputs([Source(path.name, path.read_bytes())])
    assert any(words in p.message for p in e.value.problems), [str(p) for p in e.value.problems]


def test_a_sheet_just_inside_the_area_limit_is_read():
    # Header on row 1 and one cell at C1666666: 1,666,666 rows x 3 columns = 4,999,998 <= 5,000,000.
    scan = guard.PartScan()
    scan.feed(HEAD + b'<row r="1666666"><c r="C1666666"><v>1</v></c></row>', full=False)
    assert scan.extent == (1_666_666, 26) and scan.needs_exact  # the fast bound (columns up to Z) is too loose
    exact = guard.PartScan(exact=True)
    exact.feed(HEAD + b'<row r="1666666"><c r="C1666666"><v>1</v></c></row>', full=False)
    assert exact.extent == (1_666_666, 3) and not guard._cells_limits("x", None, exact)


@pytest.mark.parametrize("name", ["two_far_corners.xlsx", "lying_zip_directory.xlsx", "control_characters.xlsx"])
def test_the_data_page_shows_an_attack_as_a_message_never_an_exception(name, sample_store, tmp_path,
                                                                           monkeypatch, navigation_not_folder):
    from .test_app import app, upload

    db = tmp_path / "store.duckdb"
    copy_store(sample_store, db)
    monkeypatch.setenv("CCM_DB", str(db))
    at = app()
    at.switch_page("pages/data.py").run()
    at = upload(at, name, (BAD / name).read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert not at.exception, [e.value for e in at.exception]
    if name == "control_characters.xlsx":  # loads, with the warning naming the cell
        assert any(b.label == "Store this data" for b in at.button)
    else:
        assert any("Not loaded" in e.value for e in at.error)
    assert Store(db).version() == 1
