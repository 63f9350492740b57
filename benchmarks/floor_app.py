"""The floor page for the page benchmark: an empty Streamlit page with one Plotly chart."""

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

day = st.date_input("Day", value=dt.date(2018, 9, 5), key="as_of", format="DD/MM/YYYY")
st.title(f"Floor page {day.isoformat()}")
fig = go.Figure(go.Scatter(x=list(range(12)), y=[v * day.month for v in range(12)], mode="lines"))
st.plotly_chart(fig)
