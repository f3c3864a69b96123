"""Coordinators run the weekly CAG forums: each forum's roster, its
meetings and open actions, and next week's meeting started from the last."""
import pandas as pd
import streamlit as st

from organising.cycle.forums import (forums, meetings_table, next_meeting, open_actions_table, read_meetings,
                                     read_signups, roster)
from ui.data import all_tabs
from ui.formview import prefill_form, render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, shown_as

user = require_page(__file__)
cfg, tabs, problems = config(), all_tabs(), []
form = cfg.forms["forum_meeting"]
areas = choice_labels(form)
meetings = read_meetings(tabs, form, problems)
signups = read_signups(tabs, cfg.forms["cag_signup"], problems)
names = forums(signups, meetings)

st.title("CAG forums")
if not names:
    st.info("No forum yet: groups join one on the 'Join a CAG' form, or record a first meeting below.")
else:
    forum = st.selectbox("Forum", options=names, format_func=shown_as(areas), key="forum")
    held = [m for m in meetings if m.forum == forum]
    groups = roster(signups, forum)
    last = held[-1] if held else None
    cards = st.columns(3)
    cards[0].metric("Groups on the roster", len(groups))
    cards[1].metric("Meetings recorded", len(held))
    cards[2].metric("Open actions from the last meeting", len(last.open_actions) if last else 0)

    st.subheader("Roster")
    if groups:
        st.dataframe(pd.DataFrame(groups), hide_index=True, width="stretch")
    else:
        st.info("No group has signed up to this forum yet.")

    st.subheader("Meetings")
    if held:
        st.dataframe(meetings_table(held), hide_index=True, width="stretch")
        if last.open_actions:
            st.markdown(f"**Still open from {last.date:%d %b %Y}**")
            st.dataframe(open_actions_table(last), hide_index=True, width="stretch")
    else:
        st.info("No meeting recorded for this forum yet.")
    if st.button("Start from last week", icon=":material/redo:", disabled=last is None,
                 help="Fills the form below with this forum, the date a week after the last meeting, "
                      "its agenda and its open actions."):
        prefill_form(form, next_meeting(last, areas))
show_problems(problems)
render_form(form, user)
