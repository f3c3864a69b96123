"""Coordinators: issues raised across all 1:1s, scored and shortlisted for
the Issues Workshop, with the stories behind them (never shown to trustees)."""
import streamlit as st

from organising.cycle.priorities import ALL_AREAS, ideas, latest_scores, raising, read_mentions, rollup, shortlist, \
    stories, with_scores
from ui.data import all_tabs
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, download_csv, show_table, shown_as

user = require_page(__file__)
forms = config().forms
listening, scoring = forms["listening"], forms["issue_scores"]
labels = choice_labels(listening)
depths = [c.name for c in listening.field("impact_depth").choices]
tabs = all_tabs()
problems = []
mentions = read_mentions(tabs, listening, problems)
scores = latest_scores(tabs, scoring, problems)

st.title("From listening to priorities")
if not mentions:
    st.info("No issues recorded in 1:1s yet.")
else:
    by_area = st.radio("Roll up by", ["Issue", "Issue and area"], horizontal=True) == "Issue and area"
    st.caption("Each 1:1 counts once for every issue it raised. People affected are the listeners' estimates; "
               "the depth columns count 1:1s at each depth. A score is the sum of lives, depth and winnability "
               "(1 to 5 each); the newest score for an issue wins.")
    table = with_scores(rollup(mentions, depths, by_area), scores).rename(columns={"issue": "Issue", "area": "Area"})
    show_table(table, labels, ["Issue", "Area"])
    st.subheader("Shortlist for the Issues Workshop")
    show_table(shortlist(mentions, depths, scores).rename(columns={"issue": "Issue", "area": "Area"}), labels,
               ["Issue", "Area"], empty="Nothing shortlisted yet: score an issue below and shortlist it.")
    st.subheader("The stories behind an issue")
    st.caption("What people said, without their names. For organisers preparing the workshop: do not share.")
    issues = sorted({i for raised in mentions.column("issues") for i in raised})
    issue = st.selectbox("Issue", issues, format_func=shown_as(labels))
    areas = [ALL_AREAS, *sorted({mentions.column("area")[k] for k in raising(mentions, issue)})]
    area = st.selectbox("Area", areas, format_func=shown_as({**labels, ALL_AREAS: "All areas"}))
    show_table(ideas(mentions, issue, area), {}, empty="No ideas given for this issue.")
    told = stories(mentions, issue, area)
    show_table(told, labels, ["Area", "Depth"])
    if not told.empty:
        download_csv(told, f"Stories {labels.get(issue, issue)}", holds="Priorities, stories behind an issue")
show_problems(problems)
st.divider()
render_form(scoring, user)
