"""Rows a page could not read, shown where they matter, with their sheet row."""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from organising.data_quality import problems_table
from organising.cells import CellProblem


def show_problems(problems: Sequence[CellProblem]) -> None:
    if not problems:
        return
    rows = len({(p.tab, p.row) for p in problems})
    with st.expander(f"{rows} row{'s' if rows > 1 else ''} could not be read and {'are' if rows > 1 else 'is'} "
                     "left out: fix them in the sheet"):
        st.dataframe(problems_table(problems), hide_index=True, width="stretch")
