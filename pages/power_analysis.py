"""Coordinators: who holds power over each campaign, what they care about,
and how well we know them."""
import streamlit as st

from organising.cycle.campaigns import power_table, read_campaigns, read_power_holders
from ui.data import all_tabs
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, show_table

user = require_page(__file__)
forms = config().forms
form = forms["power_holders"]
tabs = all_tabs()
problems = []
campaigns = read_campaigns(tabs, forms["campaigns"], problems)
holders = read_power_holders(tabs, form, campaigns, problems)

st.title("Power analysis")
show_table(power_table(holders, campaigns), choice_labels(form), ["Relationship"],
           empty="No power-holders yet: add the first one below (a campaign comes first).")
show_problems(problems)
st.divider()
render_form(form, user)
