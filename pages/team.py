"""Coordinators say who signs in with which role: the Team tab. Each change
is a new row (the newest row for an e-mail applies) and goes in the audit log."""
from typing import Mapping

import pandas as pd
import streamlit as st

from organising import inert
from organising.access.team import TEAM_FORM, describe_change, normalise_email
from organising.cells import CellProblem
from ui.formview import render_form
from ui.problems import show_problems
from ui.session import ROLE_LABELS, audit, config, default_role, require_page, setup_problems, team

user = require_page(__file__)
form = config().forms[TEAM_FORM]
problems: list[CellProblem] = []
members = team(problems)
default = default_role()

st.title("Team")
st.write("People sign in with their organisation's account (Google Workspace or Microsoft 365); the role "
         "their e-mail address has here decides what they see. "
         + (f"Anyone not on the team is a {ROLE_LABELS[default].lower()}." if default
            else "Anyone not on the team sees nothing but Home."))
if members is None:
    st.error("The Team tab cannot be read right now, so the team cannot be shown or changed. Try again shortly.")
    st.stop()

for problem in setup_problems():
    st.warning(inert.markdown(problem))
if members.coordinators:
    st.caption("Coordinators named in the secrets file ([team] coordinators), whatever this tab says:")
    st.text("\n".join(sorted(members.coordinators)))


def table(rows) -> pd.DataFrame:
    return pd.DataFrame([{"E-mail": m.email, "Name": m.name, "Role": ROLE_LABELS.get(m.role, m.role),
                          "Changed by": m.changed_by, "Changed at (UTC)": m.changed_at, "Sheet row": m.row}
                         for m in rows], columns=["E-mail", "Name", "Role", "Changed by", "Changed at (UTC)",
                                                  "Sheet row"])


current = members.members()
if current:
    st.dataframe(table(current), hide_index=True, width="stretch")
else:
    st.info("Nobody is on the team yet: add the first person below.")
gone = [m for m in members.current.values() if not m.active]
if gone:
    with st.expander(f"No longer active ({len(gone)})"):
        st.dataframe(table(sorted(gone, key=lambda m: m.email)), hide_index=True, width="stretch")
show_problems(problems)


def record_change(row: Mapping[str, str]) -> None:
    email = normalise_email(row["email"])
    audit(user.submitted_by, "role_changed",
          describe_change(members.current.get(email), email, row["role"], row["active"] == "yes"))


st.divider()
render_form(form, user, on_saved=record_change)
