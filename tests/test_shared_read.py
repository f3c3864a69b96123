"""The shared read lives as long as its cache period, and no longer."""
from __future__ import annotations

import gc
from pathlib import Path

from streamlit.testing.v1 import AppTest

from organising.sheets import Tabs
from organising.tools.demo import load_demo
from ui.data import after_write, read_all_tabs
from ui.navigation import HOME, menu
from ui.session import User

REPO = Path(__file__).resolve().parent.parent


def test_a_session_that_opened_every_page_does_not_keep_a_replaced_read(sqlite_store, app_config):
    """Streamlit keeps each widget's format_func and callbacks for the whole
    session, even after the page is left. One defined in a page script holds
    the page's globals, and with them the read the page was drawn from: after
    a write, every such session would keep the old read (60 MB at 100,000
    1:1s) alongside the new one."""
    load_demo(sqlite_store, app_config.forms)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.session_state["user"] = User("Cora Coordinator", "coordinator")
    at.run()
    for page in [p for section in menu("coordinator").values() for p in section if p is not HOME]:
        at.switch_page(page.path).run()
        assert not at.exception, f"{page.title}: {at.exception}"
    after_write()
    latest = read_all_tabs()
    # The latest read is frozen out of the collector's walk (a full collection
    # walking it made one page run in three wait); unfrozen to look at it.
    assert not any(type(o) is Tabs for o in gc.get_objects())
    gc.unfreeze()
    gc.collect()
    held = [o for o in gc.get_objects() if type(o) is Tabs]
    assert held == [latest], f"{len(held) - 1} replaced reads still held by the session"
