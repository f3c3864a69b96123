"""Coordinators: the member institutions, and each one's 1:1s, potential
leaders and turnout; names in the records that the register lacks."""
import streamlit as st

from organising.cycle.institutions import activity, not_on_register, read_register, register_table
from ui.data import all_tabs
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import config, require_role
from ui.tables import choice_labels, show_table

user = require_role("coordinator")
forms = config().forms
form = forms["institutions"]
tabs = all_tabs()
problems = []
register = read_register(tabs, form, problems)
found = activity(tabs, forms, problems)

st.title("Member institutions")
st.caption("1:1s count conversations where the listener or the participant belongs to the institution; potential "
           "leaders are participants flagged on a 1:1; turnout counts each person once per event. Names match "
           "whatever their case or spacing.")
show_table(register_table(register, found), choice_labels(form), ["Type", "Area", "Dues"],
           empty="No institutions on the register yet: add the first one below.")
st.subheader("Named in the records, not on the register")
st.caption("Add them to the register, or fix the spelling in the sheet.")
show_table(not_on_register(register, found), {}, empty="Every institution in the records is on the register.")
show_problems(problems)
st.divider()
render_form(form, user)
