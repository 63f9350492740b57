"""The deadlines calendar to subscribe to (issue 25, item 2): served by serve.py at
/calendar/deadlines-<lang>.ics, from the store's current version as at today, fresh after a load; events
resting on the sample's illustrative rows say so."""

from __future__ import annotations

import pandas as pd

import datetime as dt
import urllib.error
import urllib.request

import pytest
from icalendar import Calendar

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store
from ccm_analytics.ui import feed

from .browser_support import running_app
from .conftest import SAMPLE

from ccm_analytics.outputs.ical import row_uid  # noqa: E402

# The user's meeting as the calendar names it: its row's identity, hashed (DOMAIN §10).
MINE = row_uid("meeting", "meetings", "Coordination Committee special")

ENV = {"CCM_OPEN_LOCAL": "", "CCM_ADMIN_PASSWORD": "", "CCM_ADMIN_TOKEN": "feed-test-token-0123456789",
       "FORWARDED_ALLOW_IPS": ""}
MEETINGS_HEADER = "meeting,start_date,end_date,location,kind,sponsored_delegates,sponsored_states,sponsorship_cost\n"


def events(body: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(body)
    return {str(e["uid"]): {"summary": str(e["summary"]), "description": str(e["description"]),
                            "start": e["dtstart"].dt} for e in cal.walk("VEVENT")}


def meetings_csv(tmp_path, start: dt.date):
    path = tmp_path / "meetings.csv"
    path.write_text(MEETINGS_HEADER + f"Coordination Committee special,{start.isoformat()},{start.isoformat()},Geneva,"
                    "Coordination Committee,0,0,0\n", encoding="utf-8")
    return path


def test_the_feed_marks_events_resting_on_sample_rows_and_not_those_from_real_rows(tmp_path):
    db = tmp_path / "store.duckdb"
    store = Store(db)
    store.load(read_paths([SAMPLE]), user="sample", action="sample")
    day = dt.date(2026, 12, 7)
    before = events(feed.calendar_bytes("en", day, str(db)))
    # The sample's reports: the annual report due on 30 April 2027 (covering 2026) rests on them.
    annual = before["annual-report-2026@ccm-analytics.isu"]
    assert annual["start"] == dt.date(2027, 4, 30)
    assert annual["summary"].endswith("(illustrative)") and "not on real records" in annual["description"]
    store.load(read_paths([meetings_csv(tmp_path, dt.date(2027, 1, 20))]), user="me")
    after = events(feed.calendar_bytes("en", day, str(db)))
    mine = after[MINE]
    assert mine["summary"] == "Coordination Committee special"  # the user's own row: not illustrative
    assert mine["start"] == dt.date(2027, 1, 20)
    assert after["annual-report-2026@ccm-analytics.isu"]["summary"].endswith("(illustrative)")


@pytest.mark.browser
def test_the_calendar_url_answers_a_vcalendar_that_changes_with_a_load(tmp_path):
    db = tmp_path / "store.duckdb"
    store = Store(db)
    store.load(read_paths([SAMPLE]), user="sample", action="sample")
    today = dt.date.today()
    with running_app(db=db, env=ENV, app="serve.py") as url:
        with urllib.request.urlopen(f"{url}/calendar/deadlines-en.ics", timeout=60) as r:
            assert r.status == 200 and r.headers["Content-Type"].startswith("text/calendar")
            assert r.headers["Referrer-Policy"] == "no-referrer"  # behind the door like every answer
            first = r.read()
        assert first.startswith(b"BEGIN:VCALENDAR")
        assert MINE not in events(first)
        # A meeting 40 days from today, loaded while the server runs: the next fetch has it.
        store.load(read_paths([meetings_csv(tmp_path, today + dt.timedelta(days=40))]), user="me")
        with urllib.request.urlopen(f"{url}/calendar/deadlines-en.ics", timeout=60) as r:
            second = events(r.read())
        assert second[MINE]["start"] == today + dt.timedelta(days=40)
        with urllib.request.urlopen(f"{url}/calendar/deadlines-fr.ics", timeout=60) as r:
            french = r.read().decode("utf-8")
        from ccm_analytics import formatting as fmt
        from ccm_analytics import i18n

        with i18n.language("fr"):  # the day as the French calendar writes it: "7 déc. 2026"
            day = fmt.day(pd.Timestamp(today))
        assert f"X-WR-CALNAME:CCM\u00a0: échéances des 24\u00a0mois suivant le {day}" in french.replace("\r\n ", "")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{url}/calendar/deadlines-de.ics", timeout=60)
        assert e.value.code == 404 and "/calendar/deadlines-fr.ics" in e.value.read().decode()
