"""Router: which pages each role sees. Each page checks the role itself too,
since a page can be opened by its URL without passing through here."""
import streamlit as st

from ui.navigation import KIOSK, PageInfo, menu
from ui.session import config, current_user

st.set_page_config(page_title="Organising", page_icon=":material/groups:", layout="centered")


def page(info: PageInfo, default: bool = False) -> st.Page:
    return st.Page(info.path, title=info.title, icon=info.icon, default=default)


config()
user = current_user()
role = user.role if user else None
sections = menu(role)
first = next(iter(sections.values()))[0]
# A kiosk has one page and no menu at all.
st.navigation({name: [page(p, default=p == first) for p in pages] for name, pages in sections.items()},
              position="hidden" if role == KIOSK else "sidebar").run()
