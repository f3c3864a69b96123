"""A chart with its numbers: the figure, then a table of what it draws, for
anyone who cannot see the chart (WCAG 1.1.1) or wants the exact figures."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from organising import inert


def chart(figure: go.Figure, numbers: pd.DataFrame) -> None:
    st.plotly_chart(figure, config={"displayModeBar": False})
    title = figure.layout.title.text or ""
    with st.expander(f"The numbers: {inert.markdown(title)}"):
        st.dataframe(numbers, hide_index=True)
