"""The floor page for the page benchmark: an empty Streamlit page with one Plotly chart.

It is served both at ``/`` and at its own address, ``/floor``, so that it can be opened the way
each page of the app is opened: the app's pages are opened by their own address (``/budget``),
and for such an address Streamlit's frontend first asks ``/budget/_stcore/health``, gets a 404
and tries ``/`` (about 0.1 s), which a page opened at ``/`` never pays. ``st.navigation`` is used
as in ``app.py``, hidden, so both apps reach their page the same way.
"""

import datetime as dt

import plotly.graph_objects as go
import streamlit as st


def floor() -> None:
    day = st.date_input("Day", value=dt.date(2018, 9, 5), key="as_of", format="DD/MM/YYYY")
    st.title(f"Floor page {day.isoformat()}")
    fig = go.Figure(go.Scatter(x=list(range(12)), y=[v * day.month for v in range(12)], mode="lines"))
    st.plotly_chart(fig)


st.navigation([st.Page(floor, title="Floor", url_path="home", default=True), st.Page(floor, title="Floor page", url_path="floor")],
              position="hidden").run()
