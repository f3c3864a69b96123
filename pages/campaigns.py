"""Coordinators: a campaign per chosen issue, with its SMART goal, team,
approving Delegates Assembly, status and power-holders."""
import datetime as dt

import streamlit as st

from organising import inert
from organising.cycle.campaigns import SMART, campaign_table, read_campaigns, read_power_holders
from ui.data import all_tabs
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, show_table

user = require_page(__file__)
forms = config().forms
form = forms["campaigns"]
labels = choice_labels(form)
tabs = all_tabs()
problems = []
campaigns = read_campaigns(tabs, form, problems)
holders = read_power_holders(tabs, forms["power_holders"], campaigns, problems)

st.title("Campaigns")
show_table(campaign_table(campaigns, holders, dt.date.today()), labels, ["Issue", "Status"],
           empty="No campaigns yet: add the first one below.")
for campaign in campaigns:
    with st.expander(f"{inert.markdown(campaign.title, one_line=True)}: the SMART goal"):
        for part in SMART:
            st.markdown(f"**{form.field(part).label}** {inert.markdown(campaign.goal[part]) or '*(blank)*'}")
        st.markdown(f"**Team** {inert.markdown(campaign.team) or '*(blank)*'}")
        st.markdown(f"**Approved at** {inert.markdown(campaign.approved_at) or '*(not yet approved)*'}")
show_problems(problems)
st.divider()
render_form(form, user)
