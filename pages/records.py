"""Coordinators read any tab as it stands, with the sheet's row numbers."""
import streamlit as st

from organising.counting.records import table_rows
from ui.data import all_tabs
from ui.session import require_page
from ui.tables import download_csv

require_page(__file__)
st.title("Records")
tabs = all_tabs()
name = st.selectbox("Tab", options=list(tabs), help="Each tab of the shared sheet (or the embedded store).")
rows = table_rows(tabs[name], newest_first=True)
if rows.empty:
    st.info(f"The {name} tab has no rows yet.")
else:
    st.caption(f"{len(rows)} rows, newest first. 'Sheet row' is the row number in the spreadsheet.")
    st.dataframe(rows, hide_index=True, width="stretch")
    download_csv(rows, name, holds=f"Records, the {name} tab")
