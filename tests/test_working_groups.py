"""Working Groups: overdue by State, repeat non-reporters, the follow-up log, letters, what falls due.

The cases are worked by hand from DOMAIN.md (sections 2, 3 and 7); the working is in the comments.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from ccm_analytics import narrative
from ccm_analytics.analysis import followups as fu
from ccm_analytics.analysis import reporting as rp

from .conftest import load_csvs, shown_tables

D = pd.Timestamp("2014-09-05")

# Malawi and Zambia deposited before 2010-02-16: both bound from 2010-08-01, initial report due
# 2010-08-01 + 180 days = 2011-01-28; the initial report is due after 31 Dec 2010, so the first
# annual report is for 2011 (due 2012-04-30), then 2012 (2013-04-30), 2013 (2014-04-30).
# Norway likewise, and sends everything on time. Botswana deposits on 2014-10-01, after D.
# Côte d'Ivoire only signed: it owes nothing.
STATES = """state,region,signature_date,ratification_date
Malawi,Africa,2008-12-03,2009-10-07
Zambia,Africa,2008-12-03,2009-08-12
Norway,Europe,2008-12-03,2008-12-03
Botswana,Africa,2008-12-03,2014-10-01
Côte d'Ivoire,Africa,2008-12-04,
"""
REPORTS = """state,report_type,year,submitted_on
Malawi,annual,2011,2012-04-01
Zambia,initial,,2011-01-10
Zambia,annual,2011,2012-06-01
Zambia,annual,2012,2014-10-01
Norway,initial,,2011-01-01
Norway,annual,2011,2012-04-01
Norway,annual,2012,2013-04-01
Norway,annual,2013,2014-04-01
"""
# Malawi promised (on 1 June) to report by 31 Aug 2014: passed on D with its reports still missing.
# Zambia promised 31 Dec 2014: not yet passed. The meeting with Malawi on 1 Oct 2014 is after D.
FOLLOWUPS = """state,date,channel,by,note,promised_on
Malawi,2014-06-01,Email,Anna,Reminder sent,2014-08-31
Zambia,2014-07-01,call,Ben,Spoke to the mission,2014-12-31
Malawi,2014-10-01,meeting,Anna,Met the ambassador,
"""


@pytest.fixture(scope="module")
def wg_data():
    return load_csvs(states=STATES, reports=REPORTS, followups=FOLLOWUPS)


@pytest.fixture(scope="module")
def statuses(wg_data):
    return rp.report_statuses(wg_data.states, wg_data.reports, D)


# -- overdue by State ------------------------------------------------------------------------------

def test_a_state_with_an_overdue_initial_and_two_overdue_annual_reports_appears_once_with_all_three(statuses):
    t = rp.overdue_by_state(statuses, D)
    malawi = t[t["iso3"] == "MWI"]
    assert len(malawi) == 1
    row = malawi.iloc[0]
    assert narrative.with_outstanding_labels(malawi).iloc[0]["outstanding_label"] == "Initial; Annual 2012, 2013"
    assert [(i["report_type"], i["year"], i["due_date"]) for i in row["outstanding"]] == [
        ("initial", None, pd.Timestamp("2011-01-28")), ("annual", 2012, pd.Timestamp("2013-04-30")),
        ("annual", 2013, pd.Timestamp("2014-04-30"))]
    # 2011-01-28 -> 2014-01-28 is 3 years with 29 Feb 2012: 1,096 days; -> 2014-09-05 is
    # 31+28+31+30+31+30+31+8 = 220 more: 1,316 days.
    assert row["oldest_due_date"] == pd.Timestamp("2011-01-28")
    assert row["days_overdue"] == 1316


def test_the_by_state_list_is_sorted_by_oldest_due_and_leaves_out_states_with_nothing_overdue(statuses):
    t = rp.overdue_by_state(statuses, D)
    # Zambia's oldest overdue report is the 2012 annual (due 2013-04-30): it was received on
    # 2014-10-01, after D, so it is overdue on D. Norway has nothing overdue; Botswana joined after D.
    assert list(t["iso3"]) == ["MWI", "ZMB"]
    assert narrative.with_outstanding_labels(t).iloc[1]["outstanding_label"] == "Annual 2012, 2013"


def test_missed_last_5_counts_late_and_overdue_reports_among_the_years_owed(statuses):
    # On 2014-09-05 the last five annual reports due are 2009-2013 (2013's was due 2014-04-30).
    # Malawi owed 2011-2013: 2011 on time, 2012 and 2013 overdue -> 2 missed.
    # Zambia: 2011 late (received 2012-06-01), 2012 overdue (received after D), 2013 overdue -> 3.
    # Norway: all on time -> 0.
    assert rp.last_annual_years(D) == [2009, 2010, 2011, 2012, 2013]
    m = rp.missed_annual(statuses, D).set_index("iso3")
    assert m.loc["MWI", "missed"] == 2 and m.loc["MWI", "owed"] == 3
    assert m.loc["ZMB", "missed"] == 3
    assert m.loc["NOR", "missed"] == 0
    assert m.loc["ZMB", 2011] == "late"
    t = rp.overdue_by_state(statuses, D).set_index("iso3")
    assert t.loc["ZMB", "missed_last_5"] == 3


def test_the_last_five_years_exclude_the_report_due_on_the_day_itself():
    # The 2017 report is due on 2018-04-30: on that day it is not yet due, so the window is 2012-2016.
    assert rp.last_annual_years(pd.Timestamp("2018-04-30")) == [2012, 2013, 2014, 2015, 2016]
    assert rp.last_annual_years(pd.Timestamp("2018-05-01")) == [2013, 2014, 2015, 2016, 2017]


def test_repeat_non_reporters_rank_states_with_two_or_more_missed(statuses):
    r = rp.repeat_non_reporters(statuses, D)
    # Zambia 3 missed (2 overdue), Malawi 2 missed (2 overdue); Norway 0 is not listed.
    assert list(r["iso3"]) == ["ZMB", "MWI"]
    assert list(r["missed"]) == [3, 2]
    assert list(r["overdue"]) == [2, 2]


def test_a_promised_date_that_passed_flags_the_row_and_later_contacts_are_hidden(wg_data, statuses):
    t = fu.with_last_contact(rp.overdue_by_state(statuses, D), wg_data.followups, D).set_index("iso3")
    # Malawi's last contact known on D is the email of 1 June (the meeting of 1 Oct is after D);
    # its promise, 31 Aug 2014, is before D with reports still overdue: promise missed.
    assert t.loc["MWI", "last_contact"] == pd.Timestamp("2014-06-01")
    assert t.loc["MWI", "last_channel"] == "email"
    assert bool(t.loc["MWI", "promise_missed"]) is True
    # Zambia promised 31 Dec 2014, still ahead on D: not missed.
    assert bool(t.loc["ZMB", "promise_missed"]) is False
    # After the meeting (as at 2014-10-02) Malawi's last contact is the meeting; the promise of
    # the June email still stands and is still missed.
    later = fu.last_contacts(wg_data.followups, pd.Timestamp("2014-10-02"))
    assert later.loc["MWI", "last_contact"] == pd.Timestamp("2014-10-01")
    assert later.loc["MWI", "promised_on"] == pd.Timestamp("2014-08-31")


def test_a_promise_falling_on_the_day_itself_is_not_yet_missed(wg_data):
    t = fu.last_contacts(wg_data.followups, pd.Timestamp("2014-08-31"))
    assert bool(t.loc["MWI", "promise_missed"]) is False


def test_the_metrics_json_lists_overdue_by_state_with_the_keys_of_the_issue(wg_data):
    from ccm_analytics.metrics import compute_metrics

    out = compute_metrics(wg_data, D)["reporting"]["overdue_by_state"]
    assert out[0] == {"state": "Malawi", "iso3": "MWI",
                      "outstanding": [{"report_type": "initial", "year": None, "due_date": "2011-01-28"},
                                      {"report_type": "annual", "year": 2012, "due_date": "2013-04-30"},
                                      {"report_type": "annual", "year": 2013, "due_date": "2014-04-30"}],
                      "oldest_due_date": "2011-01-28", "days_overdue": 1316, "missed_last_5": 2}
    assert [s["iso3"] for s in out] == ["MWI", "ZMB"]


# -- follow-up log in the store --------------------------------------------------------------------

def _load(store, **datasets):
    from ccm_analytics.reading import read_inputs

    from .conftest import csv_source

    version, base = store.snapshot()
    result = read_inputs([csv_source(f"{n}.csv", t) for n, t in datasets.items()], base,
                         today=pd.Timestamp("2026-01-01"))
    return store.load(result, user="test", expected_version=version)


def test_a_follow_up_survives_a_load_of_spend_only_and_goes_with_a_rollback_of_its_version(store):
    from ccm_analytics import dataops

    _load(store, states=STATES, reports=REPORTS,
          budget="year,cost_line,amount\n2014,Salaries,1000\n")
    v = dataops.add_followup(store, "Malawi", "2014-09-06", "letter", note="Reminder letter", by="Anna")
    assert v.rows == {"followups": 1}
    _load(store, spend="date,cost_line,amount\n2014-03-01,Salaries,100\n")
    f = store.data().followups
    assert list(f["iso3"]) == ["MWI"] and f["channel"].iloc[0] == "letter"
    # Roll back to the version before the follow-up: it is gone, and the spend with it.
    store.rollback(to=v.version - 1, user="test")
    assert store.data().followups.empty
    assert store.data().spend.empty


def test_a_rollback_names_each_follow_up_it_removes_by_state_day_channel_and_who(store):
    from ccm_analytics import dataops

    _load(store, states=STATES, reports=REPORTS, budget="year,cost_line,amount\n2014,Salaries,1000\n")
    dataops.add_followup(store, "Malawi", "2014-09-06", "letter", note="Reminder", by="Anna")
    dataops.add_followup(store, ["Zambia", "Malawi"], "2014-09-10", "call", note="Reminder")  # nobody named
    # the preview the Data page shows before the rollback, in the words the command line prints after it
    preview = dataops.rollback_preview(store)
    assert preview == ["Removes the follow-up with Malawi (MWI) on 10 Sep 2014: call, by no one named.",
                       "Removes the follow-up with Zambia (ZMB) on 10 Sep 2014: call, by no one named."]
    code, out, _err = _cli("--db", store.path, "rollback", "--user", "test")
    assert code == 0 and [line.strip() for line in out.splitlines()[1:]] == preview
    assert list(store.data().followups["iso3"]) == ["MWI"]  # Anna's letter is kept
    # versions: 1 the load, 2 Anna's letter, 3 the calls, 4 the rollback; restoring 3 brings the calls back
    code, out, _err = _cli("--db", store.path, "rollback", "--to", "3", "--user", "test")
    assert [line.strip() for line in out.splitlines()[1:]] == [
        "Brings back the follow-up with Malawi (MWI) on 10 Sep 2014: call, by no one named.",
        "Brings back the follow-up with Zambia (ZMB) on 10 Sep 2014: call, by no one named."]


def test_rollback_notes_count_identical_contacts_one_for_one(store):
    from ccm_analytics import dataops

    _load(store, states=STATES, reports=REPORTS, budget="year,cost_line,amount\n2014,Salaries,1000\n")
    before = store.data()
    twice = "state,date,channel,by\nMalawi,2014-09-06,letter,Anna\nMalawi,2014-09-06,letter,Anna\n"
    _load(store, followups=twice, spend="date,cost_line,amount\n2014-03-01,Salaries,100\n")
    once = store.data().with_frames({"followups": store.data().followups.head(1)})
    assert dataops.rollback_notes(store.data(), once) == [
        "Removes the follow-up with Malawi (MWI) on 6 Sep 2014: letter, by Anna."]
    assert dataops.rollback_notes(store.data(), before) == [
        "Removes the follow-up with Malawi (MWI) on 6 Sep 2014: letter, by Anna.",
        "Removes the follow-up with Malawi (MWI) on 6 Sep 2014: letter, by Anna.",
        "spend: rows added 0, removed 1, changed 0."]


def test_adding_a_follow_up_keeps_the_earlier_ones_and_refuses_an_unknown_state_or_channel(store):
    from ccm_analytics import dataops
    from ccm_analytics.errors import UsageError

    _load(store, states=STATES)
    dataops.add_followup(store, "Zambia", "2014-09-06", "Email", promised_on="2014-12-01")
    dataops.add_followup(store, "MWI", "2014-09-07", "call", note='said "soon", = yes')
    f = store.data().followups
    assert list(f["iso3"]) == ["ZMB", "MWI"]
    assert f["note"].iloc[1] == 'said "soon", = yes'
    assert f["promised_on"].iloc[0] == pd.Timestamp("2014-12-01")
    with pytest.raises(UsageError, match="Narnia"):
        dataops.add_followup(store, "Narnia", "2014-09-07", "call")
    with pytest.raises(UsageError, match="pigeon"):
        dataops.add_followup(store, "Malawi", "2014-09-07", "pigeon")
    with pytest.raises(UsageError, match="before the contact"):
        dataops.add_followup(store, "Malawi", "2014-09-07", "call", promised_on="2014-09-01")
    assert len(store.data().followups) == 2


def test_a_contact_typed_in_is_listed_by_what_it_is_not_as_a_file_nobody_handed_in(store):
    from ccm_analytics import dataops

    _load(store, states=STATES)
    dataops.add_followup(store, "MWI", "2014-09-07", "call", by="Ana", user="ed")
    loaded = dataops.datasets_table(store).set_index("dataset")
    assert loaded.loc["followups", "from"] == "follow-up with Malawi on 2014-09-07 (call)"
    assert loaded.loc["followups", "by"] == "ed"
    newest = dataops.history_table(store).iloc[0]
    assert newest["files"] == "follow-up with Malawi on 2014-09-07 (call)" and newest["by"] == "ed"


def test_a_followups_sheet_with_a_bad_channel_is_refused_with_its_cell():
    from ccm_analytics.errors import LoadError

    with pytest.raises(LoadError) as e:
        load_csvs(states=STATES, followups="state,date,channel\nMalawi,2014-06-01,fax\n")
    text = str(e.value.problems[0])
    assert "fax" in text and "channel" in text and "followups.csv" in text


# -- reminder letters ------------------------------------------------------------------------------

def _docx_text(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize("lang, zambia, reports", [
    ("fr", "Zambie", ["Rapport annuel pour 2012", "30 avril 2013", "Rapport annuel pour 2013", "30 avril 2014"]),
    ("es", "Zambia", ["Informe anual correspondiente a 2012", "30 de abril de 2013",
                      "Informe anual correspondiente a 2013", "30 de abril de 2014"]),
    ("en", "Zambia", ["Annual report for 2012", "30 April 2013", "Annual report for 2013", "30 April 2014"]),
])
def test_each_letter_names_the_state_in_its_language_with_every_outstanding_report_and_due_date(
        statuses, lang, zambia, reports):
    from ccm_analytics.outputs import letters

    out = letters.build_letters(rp.overdue_by_state(statuses, D), D, lang)
    assert [x.iso3 for x in out] == ["MWI", "ZMB"]
    assert all(x.file_name.startswith(x.iso3) and x.file_name.endswith(".docx") for x in out)
    text = _docx_text(out[1].data)
    assert zambia in text
    for expected in reports:
        assert expected in text
    assert "7" in text and {"en": "Article 7", "fr": "article 7", "es": "artículo 7"}[lang] in text
    # D written out, and the ISU contact named
    assert {"en": "5 September 2014", "fr": "5 septembre 2014", "es": "5 de septiembre de 2014"}[lang] in text
    malawi = _docx_text(out[0].data)
    assert {"en": "Initial report", "fr": "Rapport initial", "es": "Informe inicial"}[lang] in malawi
    assert {"en": "28 January 2011", "fr": "28 janvier 2011", "es": "28 de enero de 2011"}[lang] in malawi


def test_the_un_name_wins_over_the_short_cldr_name_in_letters():
    from ccm_analytics.countries import name_in

    # CLDR says "Laos" / "Bolivie"; the UN says:
    assert name_in("LAO", "fr") == "République démocratique populaire lao"
    assert name_in("BOL", "es") == "Bolivia (Estado Plurinacional de)"
    assert name_in("BGR", "fr") == "Bulgarie"


def test_an_uploaded_template_with_placeholders_is_filled_for_each_state(statuses):
    import docx

    from ccm_analytics.outputs import letters

    tpl = docx.Document()
    tpl.add_paragraph("HOUSE LETTERHEAD")
    tpl.add_paragraph("To the Permanent Mission: {{ state }} ({{ iso3 }}), {{ date }}")
    tpl.add_paragraph("{%p for r in reports %}")
    tpl.add_paragraph("- {{ r.label }} due {{ r.due_date }}")
    tpl.add_paragraph("{%p endfor %}")
    tpl.add_paragraph("Contact: {{ contact }}")
    buf = io.BytesIO()
    tpl.save(buf)
    out = letters.build_letters(rp.overdue_by_state(statuses, D), D, "fr", template=buf.getvalue(),
                                contact="Anna Example")
    text = _docx_text(out[0].data)
    assert "HOUSE LETTERHEAD" in text
    assert "To the Permanent Mission: Malawi (MWI), 5 septembre 2014" in text
    assert "- Rapport initial due 28 janvier 2011" in text
    assert "- Rapport annuel pour 2013 due 30 avril 2014" in text
    assert "Contact: Anna Example" in text
    assert "{{" not in text and "{%" not in text


def test_a_template_that_is_not_a_word_file_or_has_no_placeholder_is_refused_plainly():
    import docx

    from ccm_analytics.errors import UsageError
    from ccm_analytics.outputs import letters

    with pytest.raises(UsageError, match="not a Word"):
        letters.check_template(b"not a zip")
    plain = docx.Document()
    plain.add_paragraph("Dear Sir")
    buf = io.BytesIO()
    plain.save(buf)
    with pytest.raises(UsageError, match="none of the placeholders"):
        letters.check_template(buf.getvalue())


def test_several_letters_come_as_one_zip(statuses):
    from ccm_analytics.outputs import letters

    z = zipfile.ZipFile(io.BytesIO(letters.letters_zip(letters.build_letters(rp.overdue_by_state(statuses, D), D))))
    assert sorted(n[:3] for n in z.namelist()) == ["MWI", "ZMB"]


# -- what falls due ---------------------------------------------------------------------------------

OBLIGATIONS = "state,article,deadline\nMalawi,4,2015-03-01\n"
# Requested before D, granted after D: pending on D, and the new deadline is not yet known on D.
EXTENSIONS = "state,article,granted_on,new_deadline,requested_on\nMalawi,4,2014-12-02,2016-03-01,2014-08-01\n"
MEETINGS = """meeting,start_date,end_date,location,kind
Fifth Meeting of States Parties (5MSP),2014-09-02,2014-09-05,San José,Meeting of States Parties
Intersessional meetings 2015,2015-06-22,2015-06-23,Geneva,Intersessional
Sixth Meeting of States Parties (6MSP),2015-09-07,2015-09-09,Dubrovnik,Meeting of States Parties
Intersessional meetings 2014,2014-04-07,2014-04-08,Geneva,Intersessional
"""


@pytest.fixture(scope="module")
def calendar_data():
    return load_csvs(states=STATES, reports=REPORTS, obligations=OBLIGATIONS, extensions=EXTENSIONS,
                     meetings=MEETINGS)


def test_coming_up_in_12_months_lists_what_was_knowable_on_the_day(calendar_data):
    from ccm_analytics.outputs.ical import coming_up

    # Window: 2014-09-05 to 2014-09-05 + 365 days = 2015-09-05.
    # - 5MSP (2-5 Sep 2014) has not ended before D: listed from its start.
    # - Malawi's Article 4 deadline 2015-03-01, with the extension requested on 2014-08-01 pending on D
    #   (its grant on 2014-12-02 and new deadline are after D, so the deadline is still 2015-03-01).
    # - The 2014 annual reports, due 2015-04-30, owed by the three States Parties on D (Malawi,
    #   Zambia, Norway; Botswana deposits after D).
    # - Intersessional 2015 on 2015-06-22. 6MSP (7 Sep 2015) is after the window; 2014's is past.
    e = coming_up(calendar_data, D, 12)
    assert list(e["date"].dt.strftime("%Y-%m-%d")) == ["2014-09-02", "2015-03-01", "2015-04-30", "2015-06-22"]
    assert list(e["kind"]) == ["meeting", "article_4", "annual_report", "meeting"]
    assert "pending" in e.loc[1, "detail"] and "1 Aug 2014" in e.loc[1, "detail"]
    assert e.loc[2, "title"] == "Annual reports for 2014 due (3 States Parties)"
    assert list(coming_up(calendar_data, D, 3)["kind"]) == ["meeting"]  # 91 days: to 2014-12-05


def test_the_ics_holds_all_day_events_with_their_dates_and_the_same_uids_in_two_exports(calendar_data):
    import datetime as dt

    from icalendar import Calendar

    from ccm_analytics.outputs.ical import coming_up, to_ics

    def events(data):
        cal = Calendar.from_ical(data)
        return [(str(c["uid"]), c.decoded("dtstart"), c.decoded("dtend"), str(c["summary"]))
                for c in cal.walk("VEVENT")]

    first = events(to_ics(coming_up(calendar_data, D, 12), D, 12))
    second = events(to_ics(coming_up(calendar_data, D, 12), D, 12))
    assert [x[0] for x in first] == [x[0] for x in second]
    assert len({x[0] for x in first}) == 4
    # all-day events: dates (not datetimes), the end exclusive
    assert first[0][1:3] == (dt.date(2014, 9, 2), dt.date(2014, 9, 6))
    assert first[1][1:] == (dt.date(2015, 3, 1), dt.date(2015, 3, 2), "Article 4 deadline: Malawi")
    assert first[2][1] == dt.date(2015, 4, 30)
    # a later export, after the extension was granted, keeps the deadline's UID with its new date
    later = events(to_ics(coming_up(calendar_data, pd.Timestamp("2015-01-05"), 24), pd.Timestamp("2015-01-05"), 24))
    moved = [x for x in later if x[0] == first[1][0]]
    assert moved and moved[0][1] == dt.date(2016, 3, 1)


# -- the pages (AppTest) -----------------------------------------------------------------------------

@pytest.fixture
def wg_store(tmp_path, monkeypatch, navigation_not_folder):
    from ccm_analytics.store import Store

    store = Store(tmp_path / "wg.duckdb")
    monkeypatch.setenv("CCM_DB", str(store.path))
    _load(store, states=STATES, reports=REPORTS, followups=FOLLOWUPS, obligations=OBLIGATIONS,
          extensions=EXTENSIONS, meetings=MEETINGS)
    return store


def _app(page: str, **query):
    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = D.date().isoformat()
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_overdue_tab_shows_each_state_once_with_its_last_contact_and_promise(wg_store):
    at = _app("reports", reports_tab="overdue")
    table = next(df for df in shown_tables(at) if "outstanding_label" in df.columns)
    assert list(table["state"]) == ["Malawi", "Zambia"]
    assert table.set_index("state").loc["Malawi", "promise"] == "Missed: 31 Aug 2014"
    assert table.set_index("state").loc["Malawi", "contact"] == "1 Jun 2014 · email"  # the 1 Oct meeting is after D
    assert table.set_index("state").loc["Zambia", "promise"] == "By 31 Dec 2014"
    # (logging a contact through the form is tested in the browser: AppTest does not submit this form)


def test_the_each_report_view_keeps_one_row_per_report(wg_store):
    at = _app("reports", reports_tab="overdue", od_view="Each report")
    table = next(df for df in shown_tables(at) if "report_type" in df.columns)
    assert sorted(table["state"]) == ["Malawi", "Malawi", "Malawi", "Zambia", "Zambia"]


def test_the_deadlines_page_lists_what_falls_due_and_the_state_profile_its_follow_ups(wg_store):
    at = _app("deadlines", dl_tab="coming", coming_months="12 months")
    table = next(df for df in shown_tables(at) if "what" in df.columns)
    assert list(table["what"]) == ["Meeting", "Article 4 deadline", "Annual reports", "Meeting"]
    at = _app("state", state="MWI")
    log = next(df for df in shown_tables(at) if "channel" in df.columns and "promised" in df.columns)
    assert list(log["date"]) == ["1 Jun 2014"]  # the contact of 1 Oct 2014 is after D


# -- the command line --------------------------------------------------------------------------------

def _cli(*args) -> tuple[int, str, str]:
    import contextlib

    from ccm_analytics.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def wg_folder(tmp_path):
    folder = tmp_path / "wg"
    folder.mkdir()
    for name, text in {"states": STATES, "reports": REPORTS, "obligations": OBLIGATIONS, "extensions": EXTENSIONS,
                       "meetings": MEETINGS}.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


def test_the_letters_command_writes_one_file_per_state_named_with_its_iso3(wg_folder, tmp_path):
    out = tmp_path / "letters"
    out.mkdir()
    code, text, _ = _cli("letters", "--data", wg_folder, "--as-of", "2014-09-05", "--lang", "fr", "--out", out)
    assert code == 0 and "2 lettres en français écrites dans" in text  # the language named, not its code "fr"
    assert sorted(p.name[:4] for p in out.iterdir()) == ["MWI-", "ZMB-"]
    assert "Zambie" in _docx_text(next(out.glob("ZMB*")).read_bytes())
    code, _, _ = _cli("letters", "--data", wg_folder, "--as-of", "2014-09-05", "--state", "Zambia", "--out", out)
    assert code == 0
    code, _, _ = _cli("letters", "--data", wg_folder, "--as-of", "2014-09-05", "--out", tmp_path / "new" / "letters")
    assert code == 0 and sorted(p.name[:4] for p in (tmp_path / "new" / "letters").iterdir()) == ["MWI-", "ZMB-"]
    (tmp_path / "a_file").write_text("x")
    code, _, err = _cli("letters", "--data", wg_folder, "--as-of", "2014-09-05", "--out", tmp_path / "a_file")
    assert code == 2 and "is a file; --out needs a folder" in err


def test_followup_add_and_list_on_the_command_line(store):
    _load(store, states=STATES)
    code, text, _ = _cli("followup", "add", "--state", "MWI", "--on", "2014-09-06", "--channel", "email",
                         "--note", "Reminder", "--promised", "2014-10-31", "--by", "Anna")
    assert code == 0 and "version 2" in text
    code, text, _ = _cli("followup", "list", "--state", "Malawi")
    assert code == 0
    assert "2014-09-06  MWI  Malawi  email by Anna  promised by 2014-10-31: Reminder" in text
    code, _, err = _cli("followup", "add", "--state", "XYZ", "--on", "2014-09-06", "--channel", "email")
    assert code == 2 and "XYZ" in err


def test_the_calendar_command_writes_the_ics(wg_folder, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "due.ics"
    code, text, _ = _cli("calendar", "--data", wg_folder, "--as-of", "2014-09-05", "--months", "12", "--out", out)
    assert code == 0 and "4 events" in text
    assert len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == 4


def test_the_export_holds_the_follow_ups_known_on_the_day(wg_data):
    from openpyxl import load_workbook

    from ccm_analytics.export import export_workbook

    ws = load_workbook(io.BytesIO(export_workbook(wg_data, D, "test")))["Follow-ups"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    # newest first; Malawi's meeting of 1 Oct 2014 is after D and left out
    assert [(r[0].date().isoformat(), r[2], r[3]) for r in rows] == [("2014-07-01", "ZMB", "call"),
                                                                    ("2014-06-01", "MWI", "email")]


def test_logging_a_contact_needs_the_same_rights_as_any_change_of_the_data(wg_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CCM_ADMIN_PASSWORD", "pw")

    def script():
        import streamlit as st

        from ccm_analytics.errors import NotAllowed
        from ccm_analytics.ui import actions

        try:
            actions.add_followup(["MWI"], "2014-09-06", "call", "", None, "mallory")
        except NotAllowed as e:
            st.write(f"refused: {e}")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert "refused" in at.markdown[0].value
    assert len(wg_store.data().followups) == 3
    # and the page's form is switched off, saying why
    at = _app("reports", reports_tab="overdue")
    assert next(b for b in at.button if b.label == "Log the contact").disabled


def test_a_new_states_list_without_a_contacted_state_is_stored_with_a_warning(store):
    _load(store, states=STATES, followups=FOLLOWUPS)
    v = _load(store, states="state,ratification_date\nNorway,2008-12-03\n")
    assert any("follow-up log" in w and "MWI" in w for w in v.warnings)
    assert len(store.data().followups) == 3  # kept


@pytest.mark.parametrize("typed, iso3, name", [
    ("Ivory Coast", "CIV", "Côte d'Ivoire"), ("Laos", "LAO", "Lao People's Democratic Republic"),
    ("Czech Republic", "CZE", "Czechia"), ("Macedonia", "MKD", "North Macedonia"), ("Cape Verde", "CPV", "Cabo Verde"),
    ("Swaziland", "SWZ", "Eswatini"), ("Turkey", "TUR", "Türkiye"), ("Türkiye", "TUR", "Turkey"),
])
def test_a_state_picker_label_contains_the_usual_other_name_people_type(typed, iso3, name):
    from ccm_analytics.countries import picker_label

    # The picker filters on its labels as typed, so the other name must be in the label.
    assert typed.casefold() in picker_label(iso3, name).casefold()
    assert picker_label(iso3, name).startswith(name)


def test_coming_up_keeps_only_the_kinds_of_date_chosen(wg_store):
    at = _app("deadlines", dl_tab="coming", coming_months="12 months", coming_kinds="Meeting")
    table = next(df for df in shown_tables(at) if "what" in df.columns)
    assert list(table["what"]) == ["Meeting", "Meeting"]  # of Meeting, Art. 4 deadline, Annual reports, Meeting


def test_calendar_uids_tell_apart_meetings_whose_names_only_look_alike():
    import hashlib

    from ccm_analytics.data import CcmData
    from ccm_analytics.outputs.ical import coming_up, to_ics

    names = ["CC #1", "CC 1", "Réunion", "Reunion", "会议", "会谈", "Совещание", "Intersessional meetings",
             "Intersessional meetings"]
    starts = [f"2015-0{i}-10" for i in range(1, 9)] + ["2016-06-10"]
    meetings = pd.DataFrame({"meeting": names, "start_date": pd.to_datetime(starts), "end_date": pd.NaT})
    data = CcmData.from_frames({"meetings": meetings})
    day = pd.Timestamp("2014-12-01")
    events = coming_up(data, day, 24)
    uids = list(events["uid"])
    assert len(uids) == 9 and len(set(uids)) == 9  # one UID per meeting, none shared
    assert list(coming_up(data, day, 24)["uid"]) == uids  # and the same in the next export

    def expected(prefix, *key):  # DOMAIN §7: SHA-256 of the dataset and the key fields, joined by U+001F
        return f"meeting-{prefix}{hashlib.sha256(chr(31).join(['meetings', *key]).encode()).hexdigest()[:16]}" \
               "@ccm-analytics.isu"

    by_title = dict(zip(events["title"] + events["date"].dt.strftime("%Y"), uids))
    assert by_title["CC #12015"] == expected("cc-1-", "CC #1") != by_title["CC 12015"] == expected("cc-1-", "CC 1")
    assert by_title["会议2015"] == expected("", "会议") and by_title["会谈2015"] == expected("", "会谈")
    # a name two meetings share: each is told apart by its start day
    assert by_title["Intersessional meetings2016"] == expected("intersessional-meetings-", "Intersessional meetings",
                                                               "2016-06-10")
    assert to_ics(events, day, 24).count(b"UID:") == 9
