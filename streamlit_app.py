"""Router: which pages each role sees. Each page checks the role itself too,
since a page can be opened by its URL without passing through here."""
import streamlit as st

from ui.language import app_language, gettext
from ui.navigation import HOME, MENU, PageInfo
from ui.session import config, current_user
from ui.workflows import start_worker

st.set_page_config(page_title="Organising", page_icon=":material/groups:", layout="centered")
_ = gettext(app_language())


def page(info: PageInfo, default: bool = False) -> st.Page:
    return st.Page(info.path, title=_(info.title), icon=info.icon, default=default)


config()
start_worker()  # the server's workflow worker, once per process
user = current_user()
sections = {"": [page(HOME, default=True)]}
sections.update({_(name): [page(p) for p in pages] for name, pages in MENU[user.role if user else None].items()})
st.navigation(sections).run()
