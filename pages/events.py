"""Coordinators add events; the list shows what people can sign in to."""
import streamlit as st

from organising.records import table_rows
from ui.data import all_tabs
from ui.formview import render_form
from ui.session import config, require_role

user = require_role("coordinator")
form = config().forms["events"]
render_form(form, user)

st.subheader("Events so far")
events = table_rows(all_tabs()[form.tab], newest_first=True)
if events.empty:
    st.info("No events yet: add the first one above.")
else:
    st.dataframe(events, hide_index=True, width="stretch")
