"""Everyone: the pledges power-holders made and whether they kept them,
safe to show at the next assembly. No residents' names, stories or the
evidence notes reach this page."""
import datetime as dt

import streamlit as st

from organising.cycle.pledges import PUBLIC_STATES, read_pledges, scorecard, status_counts
from ui.data import all_tabs
from ui.session import config, require_page
from ui.tables import choice_labels, show_table

require_page(__file__)
forms = config().forms
problems = []
pledges = read_pledges(all_tabs(), forms, problems)
today = dt.date.today()
labels = choice_labels(forms["pledges"], forms["pledge_updates"]) | PUBLIC_STATES

st.title("Pledge scorecard")
st.caption(f"Pledges made to the alliance in public, and where they stand on {today:%d %B %Y}.")
counts = status_counts(pledges, today)
cards = st.columns(max(1, len(counts)))
for card, (status, count) in zip(cards, sorted(counts.items(), key=lambda item: -item[1])):
    card.metric(labels.get(status, status), count, border=True)
show_table(scorecard(pledges, today, forms), labels, ["Their answer", "Status"], empty="No pledges recorded yet.")
if problems:
    st.caption(f"{len(problems)} cells could not be read; a coordinator can see which on the pledge tracker.")
