"""Router: which pages each role sees. Each page checks the role itself too,
since a page can be opened by its URL without passing through here."""
import streamlit as st

from ui.accessibility import page_language, style
from ui.language import app_language
from ui.router import role_navigation
from ui.session import config
from ui.workflows import start_worker

# An emoji icon is drawn in the browser; a :material/…: one is fetched from Google for every viewer.
# Each page names the browser's tab itself (ui.session.require_page).
st.set_page_config(page_icon="👥", layout="centered")
config()
start_worker()  # the server's workflow worker, once per process
style()
page_language(app_language())
role_navigation().run()
