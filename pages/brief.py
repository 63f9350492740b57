"""Brief: the state of play on one A4 page, to print or save as PDF for the Coordination Committee."""

import streamlit as st

from ccm_analytics import formatting as fmt
from ccm_analytics.i18n import _
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view
from ccm_analytics.ui.exports import brief_button, illustrative_datasets, report_button

with st.container(key="brief-sheet"):
    run = w.header(_("Brief"), _("The state of play on one A4 page: print it, or save it as PDF (Ctrl+P), to send "
                                 "before a meeting."))
    if run.data.is_empty:
        w.empty(_("No data is loaded yet."), _("Go to the Data page to load a workbook or restore the sample data."))
        st.stop()
    brief = view("brief", illustrative=illustrative_datasets(run))

    st.header(_("Convention on Cluster Munitions · {heading}").format(heading=brief.heading))
    w.metrics([w.Metric(h.label, h.value, h.detail, note=_("Illustrative sample figure.") if h.illustrative else "")
               for h in brief.headlines], key="brief", cards=True)

    for col, (n, fig) in zip(st.columns(2), enumerate(brief.charts)):
        with col:
            figure, table_html = w.figure_and_table(fig)  # made once, not on every run
            st.plotly_chart(figure, width=fig["layout"]["width"], key=f"brief-chart-{n}",
                            config={**w.CHART_CONFIG, "displayModeBar": False})
            st.html(table_html)  # the chart's data as a (folded) table, for screen readers

    st.markdown("**" + _("Key messages") + "**")
    st.markdown("\n".join(f"- {fmt.md(m)}" for m in brief.messages))
    if brief.illustrative:
        st.markdown(f"**{fmt.md(brief.illustrative)}**")
    st.caption(_("Data as at {day} · Source: {source} · CCM Analytics").format(day=fmt.long_day(run.as_of),
                                                                            source=fmt.md(run.source_label)))

brief_button(brief)
report_button()
