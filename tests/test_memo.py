"""analysis/memo.py: a repeat of a call on the very same frames is answered from memory, and only then."""

from __future__ import annotations

import gc

import pandas as pd

from ccm_analytics.analysis import deadlines as dl, memo, reporting as rp
from ccm_analytics.analysis.memo import same_frames


def counted():
    calls = []

    @same_frames(maxsize=2)
    def total(frame: pd.DataFrame, column: str, factor=1):
        calls.append((id(frame), column, factor))
        return pd.DataFrame({"total": [frame[column].sum() * factor]})

    return total, calls


def test_a_repeat_on_the_same_frame_is_not_computed_again():
    total, calls = counted()
    f = pd.DataFrame({"a": [1, 2, 3]})
    assert total(f, "a").loc[0, "total"] == 6
    assert total(f, "a").loc[0, "total"] == 6
    assert len(calls) == 1


def test_another_frame_with_the_same_values_is_computed_for_itself():
    total, calls = counted()
    f, g = pd.DataFrame({"a": [1, 2, 3]}), pd.DataFrame({"a": [1, 2, 3]})
    total(f, "a")
    total(g, "a")
    assert len(calls) == 2


def test_other_arguments_count_by_value_and_by_type():
    total, calls = counted()
    f = pd.DataFrame({"a": [1, 2, 3]})
    assert total(f, "a", 2).loc[0, "total"] == 12
    assert total(f, "a", 2.0).loc[0, "total"] == 12  # 2 and 2.0 are equal, but not the same argument
    assert total(f, "a", factor=3).loc[0, "total"] == 18
    assert len(calls) == 3


def test_a_caller_that_changes_its_answer_changes_only_its_own_copy():
    total, calls = counted()
    f = pd.DataFrame({"a": [1, 2, 3]})
    first = total(f, "a")
    first.loc[0, "total"] = -1
    first["extra"] = 1
    again = total(f, "a")
    assert again.loc[0, "total"] == 6 and list(again.columns) == ["total"]
    assert len(calls) == 1


def test_a_frame_that_is_gone_is_never_taken_for_a_new_one_with_its_id(monkeypatch):
    total, calls = counted()
    monkeypatch.setattr(memo, "id", lambda obj: 42, raising=False)  # every frame at one address, as a reused one
    f = pd.DataFrame({"a": [1, 2, 3]})
    assert total(f, "a").loc[0, "total"] == 6
    del f
    gc.collect()
    g = pd.DataFrame({"a": [10, 20]})
    assert total(g, "a").loc[0, "total"] == 30
    assert len(calls) == 2


def test_only_the_last_results_are_kept():
    total, calls = counted()
    frames = [pd.DataFrame({"a": [n]}) for n in range(3)]
    for f in frames:
        total(f, "a")
    total(frames[0], "a")  # maxsize 2: the first was let go
    total(frames[2], "a")  # still remembered
    assert len(calls) == 4


def test_the_deadlines_and_the_report_statuses_of_a_cut_are_those_computed_afresh(sample_data):
    day = pd.Timestamp("2019-09-02")
    cut = sample_data.as_at(day)
    remembered = [dl.deadline_table(cut.states, cut.obligations, cut.extensions, day, cut.meetings),
                  rp.report_statuses(cut.states, cut.reports, day)]
    again = [dl.deadline_table(cut.states, cut.obligations, cut.extensions, day, cut.meetings),
             rp.report_statuses(cut.states, cut.reports, day)]
    dl.deadline_table.cache_clear()
    dl.effective_deadlines.cache_clear()
    rp.report_statuses.cache_clear()
    rp.report_obligations.cache_clear()
    fresh = [dl.deadline_table(cut.states, cut.obligations, cut.extensions, day, cut.meetings),
             rp.report_statuses(cut.states, cut.reports, day)]
    for a, b, c in zip(remembered, again, fresh):
        pd.testing.assert_frame_equal(a, c)
        pd.testing.assert_frame_equal(b, c)
