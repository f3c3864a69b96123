"""Coordinators: every row of every tab the app reads that it could not use,
with its sheet row and why, and what it is left out of."""
import datetime as dt

import streamlit as st

from organising.data_quality import (FUNDER_FIGURES, LEFT_OUT_OF, all_problems, counts_table, funder_rows_left_out,
                                     quality_table, rows_by_tab, tab_counts)
from ui.data import all_tabs
from ui.session import config, require_page
from ui.tables import download_csv, shown_as

require_page(__file__)
st.title("Data quality")
st.caption("Every row of every tab the app reads that it could not use without guessing, and why. Fix them in "
           "the sheet; every page updates on the next read.")
today = dt.date.today()
tabs = all_tabs()
found = all_problems(config(), tabs, today)
with st.expander("Every row, counted or listed", expanded=not found):
    st.caption("For each tab: the rows that hold anything, those every page counts, and those left out of some "
               "page (each listed below with its sheet row and why). Read is always counted plus left out.")
    st.dataframe(counts_table(tab_counts(config(), tabs, found)), hide_index=True, width="stretch")
if not found:
    st.success("Every row could be read: nothing is left out of any page or figure.")
    st.stop()


def rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"


per_tab = rows_by_tab(found)
st.markdown(f"**{rows(sum(per_tab.values()))}** on {len(per_tab)} tab{'s' if len(per_tab) != 1 else ''} "
            "have a cell the app could not use.")
st.caption(f"'{LEFT_OUT_OF}' names the pages each row is missing from. The dashboard's and the funder report's "
           f"\"rows could not be read\" count only the rows left out of the {FUNDER_FIGURES.lower()} "
           f"(**{rows(funder_rows_left_out(found))}** now); the other rows are missing only from the pages named.")
chosen = st.multiselect("Tab", options=list(per_tab),
                        format_func=shown_as({tab: f"{tab} ({rows(n)})" for tab, n in per_tab.items()}),
                        placeholder="Every tab")
table = quality_table([p for p in found if not chosen or p.tab in chosen])
for tab, cells in table.groupby("Tab", sort=False):
    st.subheader(f"{tab}: {rows(per_tab[tab])}")
    st.dataframe(cells.drop(columns="Tab"), hide_index=True, width="stretch")
download_csv(table, f"Data quality {today.isoformat()}", holds="Data quality, unreadable cells as typed")
