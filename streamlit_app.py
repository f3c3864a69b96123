"""Router: which pages each role sees. Each page checks the role itself too,
since a page can be opened by its URL without passing through here."""
import streamlit as st

from ui.language import app_language, gettext
from ui.navigation import KIOSK, PageInfo, menu
from ui.session import config, current_user
from ui.workflows import start_worker

# An emoji icon is drawn in the browser; a :material/…: one is fetched from Google for every viewer.
st.set_page_config(page_title="Organising", page_icon="👥", layout="centered")
_ = gettext(app_language())


def page(info: PageInfo, default: bool = False) -> st.Page:
    return st.Page(info.path, title=_(info.title), icon=info.icon, default=default)


config()
start_worker()  # the server's workflow worker, once per process
user = current_user()
role = user.role if user else None
sections = menu(role)
first = next(iter(sections.values()))[0]
# A kiosk has one page and no menu at all.
st.navigation({_(name) if name else name: [page(p, default=p == first) for p in pages] for name, pages in sections.items()},
              position="hidden" if role == KIOSK else "sidebar").run()
