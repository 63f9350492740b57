"""Downloads built only when asked: the meeting deck and the Excel workbook of the analysis."""

from __future__ import annotations

import streamlit as st

from .. import formatting as fmt
from .. import i18n
from ..i18n import N_, _
from .actions import REPORT_TEMPLATE_ASSET, TEMPLATE_ASSET
from .context import ctx, cut_for, store
from ..provenance import ILLUSTRATIVE_DATASETS
from .. import export
from ..outputs.brief_html import brief_html


def _template() -> tuple[bytes, str] | None:
    return store().asset(TEMPLATE_ASSET)


DEFAULT_DECK_TITLE = N_("Meeting of States Parties")


def illustrative_datasets(run) -> tuple[str, ...]:
    """The datasets of this run whose figures are illustrative (the bundled sample's)."""

    return tuple(d for d in run.sample_datasets if d in ILLUSTRATIVE_DATASETS)


def deck_form() -> None:
    """The deck's options in a form: what is typed is used when "Prepare the deck" is clicked (no Enter
    needed); the download button then builds the deck with exactly those options."""
    run = ctx()
    with st.form("deck_form", border=False, enter_to_submit=True):
        title = st.text_input(_("Meeting title (first slide)"), value=_(DEFAULT_DECK_TITLE), key="deck_title",
                              max_chars=120)
        prepared = st.form_submit_button(_("Prepare the deck"), icon=":material/slideshow:")
    if prepared:
        st.session_state["deck_options"] = {"title": title.strip() or _(DEFAULT_DECK_TITLE), "version": run.version,
                                            "as_of": run.as_of}
    options = st.session_state.get("deck_options")
    if not options or (options["version"], options["as_of"]) != (run.version, run.as_of):
        st.caption(_("Type the meeting's title, then prepare the deck."))
        return
    st.caption(_("First slide: **{title}** · data as at {day}").format(title=fmt.md(options["title"]),
                                                                       day=fmt.long_day(run.as_of)))
    deck_button(options["title"])


def deck_button(title: str) -> None:
    """A button that builds the meeting deck for this run's day and data when clicked."""
    run = ctx()
    lang = i18n.current()

    def build() -> bytes:  # may run outside the page run: in the page's language explicitly
        # heavy (python-pptx): only when a deck is built
        from ..outputs.deck import build_deck

        with i18n.language(lang):
            data = run.data  # this run's version, State names in its language
            template = _template()
            return build_deck(data, run.as_of, title or _(DEFAULT_DECK_TITLE), run.source_label,
                              template[0] if template else None, illustrative=illustrative_datasets(run),
                              template_name=template[1] if template else None)[0]

    template = _template()
    st.download_button(
        _("Download the meeting deck (.pptx)"), data=build, type="primary", icon=":material/download:",
        file_name=f"ccm-meeting-deck-{run.as_of.date().isoformat()}.pptx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        help=(_("A 16:9 PowerPoint deck with the state of play as at {day}: native, editable charts and tables, "
                "footers and speaker notes; uses the template {template}.") if template else
              _("A 16:9 PowerPoint deck with the state of play as at {day}: native, editable charts and tables, "
                "footers and speaker notes.")).format(day=fmt.long_day(run.as_of),
                                                      template=template[1] if template else ""))


@st.cache_data(max_entries=8, show_spinner=False)
def workbook(path: str, version: int, as_of, lang: str, source: str) -> bytes:
    """The workbook of one data version as at one day in one language, built once (DOMAIN §9): clicks of
    every visitor on the same day share it, and clicks at the same moment wait for the one being built
    (Streamlit's cache computes a key once). Its "Exported (UTC)" is when it was first built."""

    with i18n.language(lang):  # the words of the workbook, and the State names of the cut
        return export.export_workbook(cut_for(path, version, lang, as_of), as_of, source)


def workbook_button() -> None:
    """A button that builds the Excel workbook of the analysis for this run's day when clicked."""
    run = ctx()
    lang = i18n.current()

    def build() -> bytes:  # runs outside the page run, in a thread of its own, when the button is clicked
        return workbook(run.store_path, run.version, run.as_of, lang, run.source_label)

    st.download_button(_("All tables (.xlsx)"), data=build, icon=":material/table_view:", on_click="ignore",
                       file_name=f"ccm-analysis-{run.as_of.date().isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       help=_("Overdue reports (each report, and by State), deadlines, reporting by year, the budget of "
                              "every year, contributions and follow-ups as at this day, in one Excel workbook with real "
                              "dates and numbers.") + " " +
                             _("It is prepared when clicked: the button spins until the file is ready, a few "
                               "seconds for a day far ahead, then at once for everyone on the same day."))


def brief_button(brief) -> None:
    """A button that writes the brief as one self-contained HTML file (the page's language; plotly
    inline, nothing fetched) when clicked: to send by e-mail or print later, as ``ccm_analytics brief``."""
    run = ctx()
    lang = i18n.current()

    def build() -> bytes:  # may run outside the page run: in the page's language explicitly

        with i18n.language(lang):
            return brief_html(brief, run.source_label).encode("utf-8")

    st.download_button(_("Download the brief (.html)"), data=build, icon=":material/download:", on_click="ignore",
                       file_name=f"ccm-brief-{run.as_of.date().isoformat()}-{lang}.html", mime="text/html",
                       help=_("The brief as one web page that opens offline and prints on one A4 page."))


def report_button() -> None:
    """A button that drafts the progress report to the Meeting of States Parties as at this run's day (Word, the
    page's language, on the house template when one is set) when clicked, as ``ccm_analytics report``."""
    run = ctx()
    lang = i18n.current()

    def build() -> bytes:  # may run outside the page run: in the page's language explicitly
        from ..outputs.report import build_report  # lazy: python-docx, only when the report is asked for

        with i18n.language(lang):
            template = store().asset(REPORT_TEMPLATE_ASSET)
            return build_report(run.data, run.as_of, illustrative_datasets(run), template[0] if template else None,
                                lang=lang, template_name=template[1] if template else "template.docx")

    st.download_button(_("Draft the progress report (.docx)"), data=build, icon=":material/description:",
                       on_click="ignore", file_name=f"ccm-progress-report-{run.as_of.date().isoformat()}-{lang}.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       help=_("The progress report to the Meeting of States Parties as at {day}, drafted from the data: "
                              "universalization, stockpile destruction, clearance and transparency measures in "
                              "numbered paragraphs, with tables in annex, in Word.").format(
                           day=fmt.long_day(run.as_of)))
