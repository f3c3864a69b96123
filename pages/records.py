"""Coordinators read any tab as it stands, with the sheet's row numbers."""
import streamlit as st

from organising.counting.records import filled_rows, table_rows
from ui.data import all_tabs
from ui.session import require_page
from ui.tables import download_csv

PAGE_ROWS = 1000  # rows shown at once: a long tab is read a page at a time, and downloaded whole

require_page(__file__)
st.title("Records")
tabs = all_tabs()
name = st.selectbox("Tab", options=list(tabs), help="Each tab of the shared sheet (or the embedded store).")
tab = tabs[name]
total = len(filled_rows(tab))
if not total:
    st.info(f"The {name} tab has no rows yet.")
    st.stop()
pages = -(-total // PAGE_ROWS)
page = st.number_input(f"Page (of {pages:,}, {PAGE_ROWS:,} rows each)", min_value=1, max_value=pages,
                       key=f"records:{name}:page") if pages > 1 else 1
first = (page - 1) * PAGE_ROWS
rows = table_rows(tab, newest_first=True, start=first, count=PAGE_ROWS)
shown = f"Rows {first + 1:,} to {first + len(rows):,} of {total:,}" if pages > 1 else f"{total:,} rows"
st.caption(f"{shown}, newest first. 'Sheet row' is the row number in the spreadsheet; the download holds "
           "every row.")
st.dataframe(rows, hide_index=True, width="stretch")
download_csv(lambda: table_rows(tab), name, holds=f"Records, the {name} tab", rows=total)
