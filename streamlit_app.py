"""Router: which pages each role sees. Each page checks the role itself too,
since a page can be opened by its URL without passing through here."""
import streamlit as st

from ui.session import config, current_user

st.set_page_config(page_title="Organising", page_icon=":material/groups:", layout="centered")

home = st.Page("pages/sign_in.py", title="Home", icon=":material/home:", default=True)
volunteer = [
    st.Page("pages/listening.py", title="Record a 1:1", icon=":material/record_voice_over:"),
    st.Page("pages/attendance.py", title="Sign in to an event", icon=":material/how_to_reg:"),
    st.Page("pages/cag_signup.py", title="Join a CAG", icon=":material/diversity_3:"),
]
coordinator = [
    st.Page("pages/dashboard.py", title="Dashboard", icon=":material/monitoring:"),
    st.Page("pages/events.py", title="Events", icon=":material/event:"),
    st.Page("pages/records.py", title="Records", icon=":material/table_view:"),
    st.Page("pages/data_quality.py", title="Data quality", icon=":material/rule:"),
    st.Page("pages/connect_sheet.py", title="Connect your sheet", icon=":material/link:"),
]
report = st.Page("pages/funder_report.py", title="Funder report", icon=":material/summarize:")

PAGES_BY_ROLE = {
    None: {"": [home]},
    "volunteer": {"": [home], "Record": volunteer},
    "coordinator": {"": [home], "Coordinate": coordinator, "Record": volunteer, "Report": [report]},
    "trustee": {"": [home], "Report": [report]},
}

config()
user = current_user()
st.navigation(PAGES_BY_ROLE[user.role if user else None]).run()
