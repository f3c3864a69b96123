"""A chart with its numbers: the figure, then a table of what it draws, for
anyone who cannot see the chart (WCAG 1.1.1) or wants the exact figures."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from organising import inert


def chart(spec: dict, numbers: pd.DataFrame) -> None:
    title = spec["title"]["text"]
    st.vega_lite_chart(spec=spec, width="stretch", alt=title)
    with st.expander(f"The numbers: {inert.markdown(title)}"):
        st.dataframe(numbers, hide_index=True)
