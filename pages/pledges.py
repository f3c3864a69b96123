"""Coordinators: pledges and their follow-up. What is overdue or due soon,
as of any day; record a pledge; record an update (a new row, never an edit)."""
import datetime as dt

import streamlit as st

from organising.cycle.pledges import DUE_SOON_DAYS, Pledge, read_pledges, status_counts, tracker
from ui.data import all_tabs
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, show_table

user = require_page(__file__)
forms = config().forms
problems = []
pledges = read_pledges(all_tabs(), forms, problems)

st.title("Pledge tracker")
chase, record, update = st.tabs(["Tracker", "Record a pledge", "Update a pledge"])
with chase:
    as_of = st.date_input("As of", value=dt.date.today(), format="DD/MM/YYYY", key="pledges_as_of",
                          help="See what was due or overdue on any day.")
    states = status_counts(pledges, as_of, by=Pledge.state)
    overdue, soon = st.columns(2)
    overdue.metric("Overdue", states["overdue"], border=True)
    soon.metric(f"Due in the next {DUE_SOON_DAYS} days", states["due soon"], border=True)
    show_table(tracker(pledges, as_of), choice_labels(forms["pledges"], forms["pledge_updates"]), ["Answer", "Status"],
               empty="No pledges yet: record the first one in the next tab.")
    show_problems(problems)
with record:
    render_form(forms["pledges"], user)
with update:
    render_form(forms["pledge_updates"], user)
