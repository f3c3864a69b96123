"""The menu each role sees, as st.navigation: built by the router
(streamlit_app.py) on every run, and by a page opened by deep link on a
freshly started server, before the router has ever run (ui.session.require_page)."""
from __future__ import annotations

import streamlit as st

from .language import app_language, gettext
from .navigation import KIOSK, PageInfo, menu
from .session import current_user


def role_navigation(opened: PageInfo | None = None):
    """The person's menu (none for a kiosk), ready to run the page asked for.
    The page `opened` by its own address (running already) keeps that
    address: it is not made the default page, whose address is the root."""
    _ = gettext(app_language())
    user = current_user()
    role = user.role if user else None
    sections = menu(role)
    pages = [p for section in sections.values() for p in section]
    first = next((p for p in pages if p != opened), pages[0])

    def page(info: PageInfo) -> st.Page:
        return st.Page(info.path, title=_(info.title), icon=info.icon, default=info == first)

    # A kiosk has one page and no menu at all.
    return st.navigation({_(name) if name else name: [page(p) for p in pages] for name, pages in sections.items()},
                         position="hidden" if role == KIOSK else "sidebar")
