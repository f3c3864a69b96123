"""Coordinators: every row the figures left out, with its sheet row and why."""
import datetime as dt

import pandas as pd
import streamlit as st

from organising.metrics import compute_report
from ui.data import all_tabs
from ui.session import config, require_role

require_role("coordinator")
st.title("Data quality")
st.caption("Rows the app could not read without guessing. Fix them in the sheet; the figures update on the next read.")
programmes = config().programmes
if not programmes:
    st.info("No funder targets are configured yet (config/targets.yaml), so nothing is counted.")
    st.stop()
# Every programme reads the same tabs, so any one of them finds the same problems.
report = compute_report(next(iter(programmes.values())), all_tabs(), config().aliases, dt.date.today())
if not report.problems:
    st.success("Every row could be read.")
else:
    st.write(f"**{report.left_out}** rows left out of the counts.")
    st.dataframe(pd.DataFrame([{"Tab": p.tab, "Sheet row": p.row, "Column": p.column, "Cell": p.value,
                                "Reason": p.reason} for p in report.problems]), hide_index=True, width="stretch")
