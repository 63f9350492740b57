"""Only those who may change the data may set a letterhead template (DOMAIN.md section 9, "Who may change
the data"): an anonymous visitor of Reports > Overdue gets the default letter and a sentence saying
who can; after unlocking the uploader is there, and a template that tries to run code is refused on
the page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ccm_analytics.access import Lockout

from .conftest import ROOT
from .test_template_sandbox import MARK, docx_template

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # conftest: AppTest without a pages/ folder


@pytest.fixture
def door_closed(monkeypatch):
    """The suite's CCM_OPEN_LOCAL=1 (conftest) removed: changes wait for the start-up token."""
    monkeypatch.delenv("CCM_OPEN_LOCAL", raising=False)
    monkeypatch.delenv("CCM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CCM_ADMIN_TOKEN", "tok-en")
    monkeypatch.setattr("ccm_analytics.access.LOCKOUT", Lockout())


def overdue_tab(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["as_of"] = "2018-09-05"
    at.query_params["reports_tab"] = "overdue"
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def letterhead_uploader(at: AppTest):
    return next((u for u in at.get("file_uploader") if getattr(u, "key", None) == "letter_template"), None)


@pytest.mark.usefixtures("store_path", "door_closed")
def test_an_anonymous_visitor_cannot_set_a_letterhead_but_gets_the_default_letter():
    at = overdue_tab()
    assert letterhead_uploader(at) is None
    captions = " ".join(c.value for c in at.caption)
    assert "Only an editor or an admin can set a letterhead; until then the letters use the default layout." \
           in captions
    assert any(b.key == "letters_download" for b in at.get("download_button"))


@pytest.mark.usefixtures("store_path", "door_closed")
def test_after_unlocking_the_uploader_is_there_and_an_escaping_template_is_refused_on_the_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CCM_LINK_CODE", "link-code-of-this-test")
    at = overdue_tab(code="link-code-of-this-test")  # the one-use link printed at start-up unlocks the session
    uploader = letterhead_uploader(at)
    assert uploader is not None
    bad = docx_template(f"{{{{ cycler.__init__.__globals__.os.popen('touch {MARK}').read() }}}} {{{{ state }}}}")
    uploader.upload("house.docx", bad,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document").run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value.replace("\\", "") for e in at.error]  # shown as Markdown: the punctuation is escaped
    assert any(e.startswith("house.docx: The template uses cycler, which is not among its placeholders") for e in errors)
    assert not (tmp_path / MARK).exists()
