"""Coordinators: the key issues raised across all CAG forums, to pass on to
city-wide organisations and decision makers."""
import datetime as dt

import pandas as pd
import streamlit as st

from organising.cycle.forums import key_issues, raised, read_meetings
from ui.data import all_tabs
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import choice_labels, download_csv, shown_as

require_page(__file__)
cfg, problems = config(), []
areas = choice_labels(cfg.forms["forum_meeting"])
meetings = read_meetings(all_tabs(), cfg.forms["forum_meeting"], problems)

st.title("Key issues from the forums")
st.caption("What groups raised at their weekly forum meetings. Download it to pass on to decision makers.")
since = st.date_input("Raised since", value=dt.date.today() - dt.timedelta(days=28), format="DD/MM/YYYY")
chosen = st.multiselect("Forums", options=sorted({m.forum for m in meetings}), format_func=shown_as(areas),
                        placeholder="All forums")
issues = pd.DataFrame(key_issues(raised(meetings, since, chosen)),
                      columns=["Forum", "Meeting date", "Key issue"])
if issues.empty:
    st.info("No key issues recorded for these forums since that date.")
else:
    issues["Forum"] = issues["Forum"].map(lambda f: areas.get(f, f))
    st.dataframe(issues, hide_index=True, width="stretch")
    download_csv(issues, f"CAG forum key issues since {since.isoformat()}", holds="Forum key issues")
show_problems(problems)
