"""A chart with its numbers: the figure, then a table of what it draws, for
anyone who cannot see the chart (WCAG 1.1.1) or wants the exact figures."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from organising import inert


def chart(figure: go.Figure, numbers: pd.DataFrame) -> None:
    title = figure.layout.title.text or ""
    # A picture, not a tool: its numbers are written on it and listed under it, so hover and zoom
    # add nothing, a drag on a phone scrolls the page rather than the chart, and plotly draws a
    # static chart faster (the dashboard draws seven on every open).
    st.plotly_chart(figure, config={"displayModeBar": False, "staticPlot": True}, alt=title or None)
    with st.expander(f"The numbers: {inert.markdown(title)}"):
        st.dataframe(numbers, hide_index=True)
