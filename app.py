"""CCM Analytics: the frame. Page config, the shared sidebar (navigation, the as-of day)."""

from __future__ import annotations

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics import i18n
from ccm_analytics.i18n import N_, _
from ccm_analytics.errors import CcmError
from ccm_analytics.ui import context, exports, frame, guard

# A local icon: a ":material/...:" page icon is fetched from a font server (fails offline).
st.set_page_config(page_title="CCM Analytics", page_icon="static/icon.png", layout="wide",
                   initial_sidebar_state="auto")

ALL = ("states", "reports", "obligations", "extensions", "budget", "spend", "contributions", "meetings", "workplan",
       "pledges", "followups")
# Section -> pages: (file, title, icon, address, the datasets the page shows, for the sample-data notice).
SECTIONS = {
    N_("Overview"): [("pages/overview.py", N_("Overview"), ":material/dashboard:", "",
                  ("states", "reports", "obligations", "extensions", "budget", "spend", "contributions")),
                 ("pages/brief.py", N_("One-page brief"), ":material/print:", "brief",
                  ("states", "reports", "obligations", "extensions", "budget", "spend", "contributions"))],
    N_("Money"): [
        ("pages/budget.py", N_("Budget and spend"), ":material/payments:", "budget",
         ("budget", "spend", "contributions", "pledges")),
        ("pages/meetings.py", N_("Meetings and sponsorship"), ":material/groups:", "meetings", ("meetings",)),
    ],
    N_("Obligations"): [
        ("pages/reports.py", N_("Transparency reports"), ":material/description:", "reports",
         ("states", "reports", "followups")),
        ("pages/deadlines.py", N_("Deadlines"), ":material/event:", "deadlines",
         ("states", "obligations", "extensions")),  # its Coming-up list labels the sample's meetings itself
    ],
    N_("Reference"): [
        ("pages/universalization.py", N_("Universalization"), ":material/public:", "universalization", ("states",)),
        ("pages/state.py", N_("State profile"), ":material/flag:", "state",
         ("states", "obligations", "extensions", "reports", "contributions", "followups")),
        ("pages/workplan.py", N_("Work plan"), ":material/checklist:", "workplan", ("workplan",)),
    ],
    N_("Data"): [("pages/data.py", N_("Data"), ":material/database:", "data", ALL)],
}

guard.install()  # a visitor's clear_cache request: at most one every 5 minutes per server (DOMAIN §9)
i18n.set_language(frame.requested_language())  # before any word is written

pages = {path: st.Page(path, title=_(title), icon=icon, **({"url_path": url} if url else {"default": True}))
         for entries in SECTIONS.values() for path, title, icon, url, _datasets in entries}
page = st.navigation(list(pages.values()), position="hidden")
frame.set_page_addresses({path: p.url_path for path, p in pages.items()})
shown = {pages[path].url_path: datasets for entries in SECTIONS.values() for path, *_rest, datasets in entries}
context.set_page_datasets(shown.get(page.url_path, ALL))
frame.head()

with st.sidebar:
    frame.signed_in_line()  # who is signed in, at the top: the name every change of this session is recorded under
    # Our own navigation: Streamlit's grouped one puts `li` outside its `ul` (fails WCAG checks). Drawn
    # here, written once the day and the language are known (its links carry them).
    nav = st.container(key="ccm-nav")
    as_of = frame.as_of_input()
    with nav:
        frame.navigation({_(section): [(pages[path].url_path, _(title), icon) for path, title, icon, *_rest in entries]
                          for section, entries in SECTIONS.items()}, page.url_path, as_of)
        languages = st.empty()  # written once the page has run (its tabs and filters are then known)
    try:
        run = context.begin_run(as_of)
    except CcmError as e:  # e.g. the store is busy or damaged: say so instead of a traceback
        st.error(fmt.md(str(e)), icon=":material/error:")
        st.stop()
    st.caption(_("Showing **{day}** · data version {version}").format(day=fmt.long_day(run.as_of),
                                                                          version=run.version))
    if run.stored_sample and as_of != context.DEMO_DAY:
        def _demo():
            st.session_state["as_of"] = context.DEMO_DAY

        st.button(_("Sample data: view {day} (8MSP)").format(day=fmt.day(context.DEMO_DAY)), on_click=_demo,
                  icon=":material/history:", help=_("The sample's spend and budgets cover 2016–2020."))
    if not run.data.is_empty:
        exports.workbook_button()

frame.address_problem()
try:
    page.run()
finally:  # also when the page stops early (st.stop): the language links keep what the address holds
    with languages:
        frame.language_links(page.url_path, as_of)
