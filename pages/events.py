"""Coordinators add events; the list shows what people can sign in to, and
each event's turnout and open evaluation (flagged when a week has passed
without one)."""
import datetime as dt

import streamlit as st

from organising import inert
from organising.cycle.evaluation import read_evaluations, review_events, review_table
from organising.counting.metrics import read_attendance, read_events
from organising.counting.records import table_rows
from ui.data import all_tabs
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, shown_as

user = require_page(__file__)
form = config().forms["events"]
render_form(form, user)

st.subheader("Events so far")
events = table_rows(all_tabs()[form.tab], newest_first=True)
if events.empty:
    st.info("No events yet: add the first one above.")
else:
    st.dataframe(events, hide_index=True, width="stretch")

st.subheader("Turnout and evaluations")
cfg, tabs, problems = config(), all_tabs(), []
held = read_events(tabs, cfg.forms, problems)
evaluations = read_evaluations(tabs, cfg.forms, held, problems)
reviews = review_events(held, read_attendance(tabs, cfg.forms, held, problems), evaluations, dt.date.today())
overdue = [r.event for r in reviews if r.status == "overdue"]
if overdue:
    st.warning(f"{len(overdue)} event{'s' if len(overdue) > 1 else ''} held more than a week ago "
               f"{'have' if len(overdue) > 1 else 'has'} no evaluation: "
               + "; ".join(inert.markdown(e.label) for e in overdue[:10]) + ("…" if len(overdue) > 10 else ""))
    st.markdown("[Evaluate an action](/evaluation)")  # a plain link works with or without the router
if reviews:
    types = choice_labels(form)
    table = review_table(reviews)
    table["Type"] = table["Type"].map(lambda t: types.get(t, t))
    st.dataframe(table, hide_index=True, width="stretch")
    evaluated = [r for r in reviews if r.evaluation]
    if evaluated:
        chosen = st.selectbox("Read an evaluation", options=range(len(evaluated)), index=None,
                              format_func=shown_as(dict(enumerate(r.event.label for r in evaluated))),
                              placeholder="Choose an event…")
        if chosen is not None:
            review, labels = evaluated[chosen], {f.name: f.label for f in cfg.forms["evaluation"].fields}
            st.markdown(f"**Turnout** {review.turnout if review.turnout is not None else 'not recorded'}"
                        f" against a target of {review.target if review.target is not None else 'none given'}")
            for column, answer in review.evaluation.answers.items():
                if answer:
                    st.markdown(f"**{labels.get(column, column)}**")
                    st.text(answer)  # as typed: never read as markdown
show_problems(problems)
