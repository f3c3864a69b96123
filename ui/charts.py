"""A chart and, when asked for, a table of what it draws: the exact figures,
for anyone who cannot see the chart (WCAG 1.1.1) or wants them."""
from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st

from organising import inert

_TABLES = "charts:numbers as tables"


def numbers_toggle() -> None:
    """The page's one switch for a table under every chart, kept for the
    session. Off until asked: each table is a grid the browser lays out even
    inside a closed expander, and the dashboard's seven took about as long to
    draw as its seven charts (docs/PERFORMANCE.md)."""
    st.session_state[_TABLES] = st.toggle(
        "Show the numbers as tables", value=st.session_state.get(_TABLES, False),
        help="A table under each chart with the figures it draws, to read them exactly or with a screen reader.")


def chart(spec: dict, numbers: Callable[[], pd.DataFrame]) -> None:
    """The chart, named by its title; `numbers` makes its table, made only when shown."""
    title = spec["title"]["text"]
    st.vega_lite_chart(spec=spec, width="stretch", alt=title)
    if st.session_state.get(_TABLES):
        st.caption(f"The numbers: {inert.markdown(title)}")
        st.dataframe(numbers(), hide_index=True)
