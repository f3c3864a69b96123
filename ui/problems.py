"""Rows a page could not read, shown where they matter, with their sheet row."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import streamlit as st

from organising.parsing import CellProblem


def show_problems(problems: Sequence[CellProblem]) -> None:
    if not problems:
        return
    rows = len({(p.tab, p.row) for p in problems})
    with st.expander(f"{rows} row{'s' if rows > 1 else ''} could not be read and {'are' if rows > 1 else 'is'} "
                     "left out: fix them in the sheet"):
        st.dataframe(pd.DataFrame([{"Tab": p.tab, "Sheet row": p.row, "Column": p.column, "Cell": p.value,
                                    "Reason": p.reason} for p in problems]), hide_index=True, width="stretch")
