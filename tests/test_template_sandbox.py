"""User templates never run code (DOMAIN.md sections 7 and 9): a letterhead .docx is parsed and filled in
the template sandbox, with only the documented placeholders and bounded loops, values, output and time.

Every escape is tried inside a real .docx built with python-docx, through the library and the command
line; a command that would run leaves a marker file, which must never appear.
"""

from __future__ import annotations

import io

import pytest

from ccm_analytics.analysis import reporting as rp
from ccm_analytics.errors import UsageError
from ccm_analytics.outputs import letters
from ccm_analytics.outputs import sandbox as sb

from .conftest import run_cli
from .test_working_groups import REPORTS, STATES, D, _docx_text

MARK = "ccm_sandbox_escaped"


def docx_template(*paragraphs: str, title: str | None = None) -> bytes:
    """A Word file with one paragraph per text (and a document title, if given)."""
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if title is not None:
        doc.core_properties.title = title
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def by_state():
    from .conftest import load_csvs

    data = load_csvs(states=STATES, reports=REPORTS)
    return rp.overdue_by_state(rp.report_statuses(data.states, data.reports, D), D)


def nested(depth: int, body: str) -> str:
    """``depth`` loops over the reports, one inside the other, around ``body``."""
    return "".join(f"{{% for r{i} in reports %}}" for i in range(depth)) + body + "{% endfor %}" * depth


def escapes(mark: str) -> list[tuple[str, str]]:
    """(template text, words the refusal must hold): the known ways out of a Jinja template."""
    run = f"popen('touch {mark}').read()"
    return [
        (f"{{{{ cycler.__init__.__globals__.os.{run} }}}}", "cycler"),
        (f"{{{{ joiner.__init__.__globals__.os.{run} }}}}", "joiner"),
        (f"{{{{ lipsum.__globals__['os'].{run} }}}}", "lipsum"),
        (f"{{{{ namespace.__init__.__globals__.os.{run} }}}}", "namespace"),
        (f"{{{{ os.{run} }}}}", "os"),
        (f"{{{{ config.__class__.__init__.__globals__['os'].{run} }}}}", "config"),
        (f"{{{{ self._TemplateReference__context.cycler.__init__.__globals__.os.{run} }}}}", "self"),
        ("{{ state.__class__.__mro__[1].__subclasses__() }}", ".__class__"),
        ("{{ state['__class__'] }}", ".__class__"),
        ("{{ reports.__class__.__mro__ }}", ".__class__"),
        ("{{ text.opening.__init__.__globals__ }}", ".__init__"),
        ("{{ state|attr('__class__') }}", "|attr"),
        ("{{ state.upper() }}", "a call"),
        ("{% set x = state %}{{ x }}", "{% set %}"),
        ("{% macro m() %}{{ state }}{% endmacro %}", "{% macro %}"),
        ("{% include 'x' %}", "{% include %}"),
        ("{% for i in range(10**9) %}x{% endfor %}", "range"),
        # 9 loops over Malawi's 3 reports: 3 + 9 + ... + 3^9 = 29,523 steps > 10,000
        (nested(9, ""), "more than 10,000 times"),
        # '9' * 3,000,000,000: 3,000,000,000 characters against 100,000, refused before it is made
        ("{{ '9'*3000000000 }}", "3,000,000,000 characters"),
        ("{{ '9'*(3*10**9) }}", "3,000,000,000 characters"),
        ("{{ 10**10**10 }}", "digits"),
        ("{{ '%0999999999d' % 1 }}", "% on a text"),
    ]


@pytest.mark.parametrize("template, words", escapes(MARK), ids=[w for _t, w in escapes(MARK)])
def test_a_letter_template_that_tries_to_escape_or_run_away_is_refused_and_runs_nothing(
        template, words, by_state, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a 'touch' would leave its marker
    tpl = docx_template("{{ state }}", template)
    with pytest.raises(UsageError) as e:
        letters.build_letters(by_state, D, "en", tpl, template_name="house.docx")
    assert words in str(e.value)
    assert str(e.value).startswith("house.docx: The template ")
    assert "Traceback" not in str(e.value) and "bug" not in str(e.value)
    assert not (tmp_path / MARK).exists()


def test_a_template_hiding_code_in_the_document_title_is_refused_when_filled(by_state, tmp_path, monkeypatch):
    # the title is not among the parts check_template reads, but every part is filled in the same sandbox
    monkeypatch.chdir(tmp_path)
    tpl = docx_template("{{ state }}", title=f"{{{{ cycler.__init__.__globals__.os.popen('touch {MARK}').read() }}}}")
    assert letters.check_template(tpl) == ["state"]
    with pytest.raises(UsageError, match="cycler"):
        letters.build_letters(by_state, D, "en", tpl)
    assert not (tmp_path / MARK).exists()


def test_a_template_writing_more_than_the_output_limit_is_refused(by_state):
    # 8 loops over 3 reports: 3 + ... + 3^8 = 9,840 steps (under 10,000); the innermost writes the
    # obligation sentence (over 250 characters) 20 times: 6,561 x 20 x 250 > 32 million > 20,000,000
    tpl = docx_template(nested(8, "{{ " + " ~ ".join(["text.obligation"] * 20) + " }}"))
    with pytest.raises(UsageError, match="more than 20,000,000 characters into one document"):
        letters.build_letters(by_state.head(1), D, "en", tpl)


def test_a_template_still_filling_at_its_deadline_is_refused(by_state, monkeypatch):
    monkeypatch.setattr(sb, "MAX_SECONDS", -1.0)  # the deadline has passed before the first step
    tpl = docx_template("{% for r in reports %}{{ r.label }}{% endfor %}")
    with pytest.raises(UsageError, match="took more than -1 seconds"):
        letters.build_letters(by_state.head(1), D, "en", tpl)


def test_the_documented_placeholders_still_fill_a_letter(by_state):
    # Malawi on 2014-09-05 (DOMAIN.md section 7): initial report due 2011-01-28, 1,316 days overdue;
    # annual 2012 due 2013-04-30: 365 + 128 = 493 days; annual 2013 due 2014-04-30: 31 + 30 + 31 + 31 + 5 = 128
    import docx

    doc = docx.Document()
    doc.add_paragraph("{{ state }} ({{ iso3 }}) {{ state|upper }}, {{ date }} = {{ as_of }} in {{ lang }}")
    doc.add_paragraph("{{ text.subject }} / {{ contact }} / {{ reports|length }} reports")
    doc.add_paragraph("{%p for r in reports %}")
    doc.add_paragraph("{{ loop.index }}. {{ r.label }}, due {{ r.due_date }} ({{ r.due_iso }}): {{ r.days_overdue }}"
                      "{% if r.days_overdue == '128' %} (latest){% endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ reports_text }}")
    table = doc.add_table(rows=3, cols=2)  # docxtpl: a row holding {%tr ... %} is replaced by the tag
    table.cell(0, 0).text = "{%tr for r in reports %}"
    table.cell(1, 0).text = "{{ r.label }}"
    table.cell(1, 1).text = "{{ r.days_overdue }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    buf = io.BytesIO()
    doc.save(buf)
    out = letters.build_letters(by_state.head(1), D, "en", buf.getvalue(), contact="Anna Example")
    text = _docx_text(out[0].data)
    assert "Malawi (MWI) MALAWI, 5 September 2014 = 2014-09-05 in en" in text
    assert "Article 7 transparency reports / Anna Example / 3 reports" in text
    assert "1. Initial report, due 28 January 2011 (2011-01-28): 1,316" in text
    assert "2. Annual report for 2012, due 30 April 2013 (2013-04-30): 493" in text
    assert "3. Annual report for 2013, due 30 April 2014 (2014-04-30): 128 (latest)" in text
    assert "Initial report, due date 28 January 2011" in text
    cells = [c.text for t in docx.Document(io.BytesIO(out[0].data)).tables for row in t.rows for c in row.cells]
    assert cells == ["Initial report", "1,316", "Annual report for 2012", "493", "Annual report for 2013", "128"]
    assert "{{" not in text and "{%" not in text


def test_the_sandbox_offers_no_globals_and_only_its_filters():
    env = sb.sandbox({"state"})
    assert env.globals == {}
    assert sorted(env.filters) == sorted(sb.FILTERS)
    assert env.from_string("{{ state|title }}").render(state="bosnia & herzegovina") == "Bosnia &amp; Herzegovina"


def _cli(*args, cwd):
    return run_cli(*args, db=cwd / "none.duckdb", cwd=cwd, check_traceback=False)


@pytest.mark.parametrize("template, words", [
    (f"{{{{ cycler.__init__.__globals__.os.popen('touch {MARK}').read() }}}}", "cycler"),
    ("{{ '9'*3000000000 }}", "3,000,000,000 characters"),
    (nested(9, "{{ r0.label }}"), "more than 10,000 times"),
], ids=["cycler", "huge text", "nested loops"])
def test_the_letters_command_refuses_an_escaping_template_with_exit_2(template, words, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "states.csv").write_text(STATES)
    (folder / "reports.csv").write_text(REPORTS)
    (tmp_path / "house.docx").write_bytes(docx_template("{{ state }}", template))
    out = tmp_path / "out"
    out.mkdir()
    p = _cli("letters", "--data", folder, "--as-of", "2014-09-05", "--template", tmp_path / "house.docx",
             "--out", out, cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    assert "house.docx: The template " in p.stderr and words in p.stderr
    assert "Traceback" not in p.stderr + p.stdout and "uid=" not in p.stdout
    assert list(out.iterdir()) == []
    assert not (tmp_path / MARK).exists()
