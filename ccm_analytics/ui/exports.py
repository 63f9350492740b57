"""Downloads built only when asked: the meeting deck and the Excel workbook of the analysis."""

from __future__ import annotations

import streamlit as st

from .. import formatting as fmt
from .actions import TEMPLATE_ASSET
from .context import _data, ctx, store


def _template() -> tuple[bytes, str] | None:
    return store().asset(TEMPLATE_ASSET)


def deck_button(title: str) -> None:
    """A button that builds the meeting deck for this run's day and data when clicked."""
    run = ctx()

    def build() -> bytes:
        from ..outputs.deck import build_deck

        data, _ = _data(run.store_path, run.version)
        template = _template()
        return build_deck(data, run.as_of, title or "Meeting of States Parties", run.source_label,
                          template[0] if template else None)[0]

    template = _template()
    st.download_button(
        "Download the meeting deck (.pptx)", data=build, type="primary", icon=":material/slideshow:",
        file_name=f"ccm-meeting-deck-{run.as_of.date().isoformat()}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        help=f"A 16:9 PowerPoint deck with the state of play as at {fmt.long_day(run.as_of)}: native, editable "
             "charts and tables, footers and speaker notes"
             + (f"; uses the template {template[1]}." if template else "."))


def workbook_button() -> None:
    """A button that builds the Excel workbook of the analysis for this run's day when clicked."""
    run = ctx()

    def build() -> bytes:
        from ..export import export_workbook

        data, _ = _data(run.store_path, run.version)
        return export_workbook(data, run.as_of, run.source_label)

    st.download_button("All tables (.xlsx)", data=build, icon=":material/table_view:",
                       file_name=f"ccm-analysis-{run.as_of.date().isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       help="Overdue reports, deadlines, reporting by year, budget lines and contributions as "
                            "at this day, in one Excel workbook with real dates and numbers.")
