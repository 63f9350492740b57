"""The store: loads are all-or-nothing, versions are kept, diff and rollback are exact."""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics.errors import LoadError, NothingToRollBack, StoreError
from ccm_analytics.reading import read_inputs

from .conftest import EXAMPLES, csv_source

TODAY = pd.Timestamp("2026-01-01")


def sources_from_folder():
    from ccm_analytics.reading import collect_sources
    return collect_sources([EXAMPLES / "input"])


def store_load(store, *sources, user="test"):
    version, base = store.snapshot()
    result = read_inputs(list(sources), base, today=TODAY)
    return store.load(result, user=user, expected_version=version)


def frames_equal(a, b):
    return all(a.frame(n).equals(b.frame(n)) for n in a.row_counts())


def test_a_new_store_is_empty_at_version_zero(store):
    assert store.version() == 0
    assert store.data().is_empty
    assert store.history() == []


def test_a_load_stores_every_dataset_it_carries_with_its_history(store):
    v = store_load(store, *sources_from_folder())
    assert (v.version, v.action, v.user) == (1, "load", "test")
    assert store.status().rows["spend"] == 17
    entry = store.history()[0]
    assert {s["name"] for s in entry.sources} >= {"spend.csv", "states.csv"}
    assert all(len(s["sha256"]) == 64 for s in entry.sources)
    assert entry.rows["reports"] == 14
    assert any("received twice" in w for w in entry.warnings)


def test_what_is_stored_reads_back_identical(store):
    result = read_inputs(sources_from_folder(), today=TODAY)
    store.load(result)
    assert frames_equal(store.data(), result.data)


def test_a_failed_load_leaves_the_stored_data_untouched(store):
    store_load(store, *sources_from_folder())
    before = store.data()
    bad = csv_source("spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,100\n2018-02-30,Salaries,5\n")
    with pytest.raises(LoadError):
        store_load(store, bad)
    assert store.version() == 1
    assert frames_equal(store.data(), before)


def test_a_load_replaces_only_the_datasets_it_carries(store):
    store_load(store, *sources_from_folder())
    store_load(store, csv_source("spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,100\n"))
    data = store.data()
    assert len(data.spend) == 1
    assert len(data.reports) == 14 and len(data.budget) == 5


def test_references_are_checked_against_what_is_stored(store):
    store_load(store, *sources_from_folder())
    with pytest.raises(LoadError) as e:
        store_load(store, csv_source("spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,1\n2018-02-01,Rent,5\n"))
    assert e.value.problems[0].cell == "B3"
    with pytest.raises(LoadError) as e:  # a new states list that drops a state the stored reports name
        store_load(store, csv_source("states.csv", "state,ratification_date\nAlbania,2009-06-16\n"))
    assert "reports already stored" in e.value.problems[0].message


def test_diff_counts_added_removed_and_changed_rows(store):
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,100\n2018,Salaries,200\n"
                                               "2018,Other,5\n"))
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,150\n2018,Salaries,200\n"
                                               "2018,Communication,10\n2018,Rent,1\n"))
    budget = {d.dataset: d for d in store.diff()}["budget"]
    assert (budget.added, budget.removed, budget.changed, budget.unchanged) == (2, 1, 1, 1)
    assert list(budget.examples["changed"]["amount"]) == [150.0]
    assert not {d.dataset: d for d in store.diff()}["states"].has_changes


def test_rollback_restores_the_previous_version_exactly_and_keeps_history(store):
    store_load(store, *sources_from_folder())
    first = store.data()
    store_load(store, csv_source("spend.csv", "date,cost_line,amount\n2018-01-31,Salaries,100\n"))
    v = store.rollback(user="ops")
    assert (v.version, v.action, v.content_of, v.user) == (3, "rollback", 1, "ops")
    assert frames_equal(store.data(), first)
    assert [h.version for h in store.history()] == [3, 2, 1]
    store.rollback()  # and once more: back to the empty store
    assert store.data().is_empty
    with pytest.raises(NothingToRollBack):
        store.rollback()


def test_rollback_to_a_chosen_version(store):
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1\n"))
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,2\n"))
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,3\n"))
    store.rollback(to=1)
    assert list(store.data().budget["amount"]) == [1.0]
    with pytest.raises(NothingToRollBack):
        store.rollback(to=9)


def test_a_load_checked_against_an_older_version_is_refused(store):
    version, base = store.snapshot()
    result = read_inputs([csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1\n")], base, today=TODAY)
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,9\n"))
    with pytest.raises(StoreError, match="changed while"):
        store.load(result, expected_version=version)
    assert list(store.data().budget["amount"]) == [9.0]


def test_earlier_versions_stay_readable(store):
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,1\n"))
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Travel,2\n"))
    assert list(store.snapshot(1)[1].budget["amount"]) == [1.0]
    with pytest.raises(StoreError):
        store.snapshot(7)


def test_a_file_that_is_not_a_store_gives_a_clear_error(tmp_path):
    from ccm_analytics.store import Store
    path = tmp_path / "not.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="could not be opened"):
        Store(path).version()


def test_the_slide_template_is_kept_and_replaced(store):
    assert store.asset("deck_template") is None
    store.set_asset("deck_template", b"one", "a.pptx", user="x")
    store.set_asset("deck_template", b"two", "b.pptx", user="y")
    assert store.asset("deck_template") == (b"two", "b.pptx")
    store.delete_asset("deck_template")
    assert store.asset("deck_template") is None


def test_the_daily_ledger_gives_the_same_budget_figures(store):
    from ccm_analytics.metrics import compute_metrics
    store_load(store, *sources_from_folder())
    rows, daily = store.snapshot()[1], store.snapshot(ledger="daily")[1]
    assert len(daily.spend) < len(rows.spend) or len(daily.spend) == len(rows.spend)
    assert daily.spend["amount"].sum() == pytest.approx(rows.spend["amount"].sum())
    assert compute_metrics(daily, "2018-09-05") == compute_metrics(rows, "2018-09-05")


def test_a_budget_only_load_that_respells_a_line_keeps_the_line_whole(store):
    from ccm_analytics.metrics import compute_metrics
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,Salaries,1000\n"),
               csv_source("spend.csv", "date,cost_line,amount\n2018-03-01,Salaries,100\n"))
    store_load(store, csv_source("budget.csv", "year,cost_line,amount\n2018,salaries,1000\n"))
    lines = compute_metrics(store.data(), "2018-12-31")["budget"]["lines"]
    assert [(line["cost_line"], line["budget"], line["spent"], line["burn_rate"]) for line in lines] == [("salaries", 1000.0, 100.0, 0.1)]


def test_a_load_is_readable_at_once_and_its_log_is_folded_into_the_file_afterwards(store, tmp_path):
    import shutil

    from ccm_analytics.store import Store, settle

    result = read_inputs(sources_from_folder(), today=TODAY)
    store.load(result)  # returns before the checkpoint: what it wrote is in the write-ahead log
    assert store.status().rows["spend"] == 17  # a reader sees it already (it reads the log too)
    settle()
    wal = store.path.with_name(store.path.name + ".wal")
    assert not wal.exists()  # the checkpoint ran, on its own thread
    alone = tmp_path / "copy.duckdb"
    shutil.copy(store.path, alone)  # so the file alone now holds everything
    assert Store(alone).status().rows["spend"] == 17
    assert frames_equal(Store(alone).data(), result.data)
