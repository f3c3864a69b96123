"""Hostile text in every text column of every tab, every page opened as
every role in real Chromium against `streamlit run`: no element comes from
the text (image, link, styled span, icon, maths, heading, list, bold) and no
request leaves for any address but the app's. The hostile addresses point at
a loopback port this test listens on, so a leak is caught twice: as a
request the browser makes and as a hit on the listener."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE
from organising.config import ROLES, load_config
from tests.fakesheets import FakeSheets
from tests.hostile import MARK, hostile_text, store_hostile_rows
from ui.navigation import MENU
from ui.session import ROLE_LABELS

from .browser import chromium_page, open_as, require_chromium, running_app, settle, visit_menu
from .conftest import sheets_secrets, toml_text

pytestmark = pytest.mark.browser

# Elements hostile text would make if it were read as markup, anywhere in the
# document (tooltips and drop-downs live outside the app's own tree): an image
# or link to the listener, or a styled element holding a piece of the text.
# One holding all of it is the app's own formatting around text shown whole
# (the name in "Signed in as **…**").
MARKUP_FROM_TEXT = """([mark, port, hostile]) => {
  const found = [];
  // A dataframe's cells are drawn on a canvas; its hidden table for screen readers holds them as plain text.
  const show = (el) => el.closest('[data-testid="stDataFrame"]')
    || found.push(el.tagName + ': ' + el.outerHTML.slice(0, 160));
  const bare = (text) => text.replace(/[\\s\u2060]/g, '');
  const piece = (el) => (el.textContent || '').includes(mark) && !bare(el.textContent).includes(bare(hostile));
  for (const el of document.querySelectorAll('img, image')) {
    const src = el.getAttribute('src') || el.getAttribute('href') || '';
    if (src.includes(String(port)) || el.alt === mark || el.alt === 'Streamlit logo') show(el);
  }
  for (const el of document.querySelectorAll('a')) {
    const href = (el.getAttribute('href') || el.getAttribute('xlink:href') || '').toLowerCase();
    if (href.includes(String(port)) || href.includes('pwn') || piece(el)) show(el);
  }
  const styled = 'strong, b, em, i, del, s, code, pre, h1, h2, h3, h4, h5, h6, li, blockquote, table, hr, '
    + '.katex, span[role="img"], [class*="stMarkdownColored"], .stMarkdownBadge, span[style*="color"], '
    + 'tspan[style]';
  for (const el of document.querySelectorAll(styled)) if (piece(el)) show(el);
  return found;
}"""


@contextmanager
def loopback_listener() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on a free loopback port recording every path asked for."""
    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def foreign(requests: list[str], app_url: str) -> list[str]:
    """Requests for anything but the app itself."""
    app = urlsplit(app_url)
    return [r for r in requests if urlsplit(r).scheme not in ("data", "blob")
            and (urlsplit(r).hostname, urlsplit(r).port) != (app.hostname, app.port)]


def markup_from_text(page, port: int) -> list[str]:
    found = page.evaluate(MARKUP_FROM_TEXT, [MARK, port, hostile_text(port)])
    # A card's help= note renders on hover (it carries event titles); other help texts are the app's own.
    for target in page.get_by_test_id("stMetric").get_by_test_id("stTooltipHoverTarget").all():
        target.hover()
        page.wait_for_timeout(150)
        found += page.evaluate(MARKUP_FROM_TEXT, [MARK, port, hostile_text(port)])
    return found


def visit(page, url: str, role: str, name: str, port: int, found: dict) -> None:
    """Sign in with `role` and open every page of its menu, noting what renders as markup."""
    for title in visit_menu(page, url, ROLE_LABELS[role], name, MENU[role]):
        found[role, title] = markup_from_text(page, port)
        if title == "Sign in to an event":  # event titles read from a tab, in a drop-down
            page.get_by_label("Event *").click()
            page.get_by_role("option").first.wait_for()
            found[role, "the events to sign in to"] = markup_from_text(page, port)
            page.keyboard.press("Escape")


def test_hostile_text_makes_no_element_and_no_request_on_any_page_for_any_role(tmp_path):
    require_chromium()
    with loopback_listener() as (port, hits):
        data = tmp_path / "data"
        store_hostile_rows(SQLiteStore(data / SQLITE_FILE), load_config().forms, port)
        name = hostile_text(port).replace("\n", " ")  # a name box holds one line
        requests: list[str] = []
        with running_app({"ORGANISING_DATA_DIR": str(data)}, tmp_path / "app.log") as url, \
                chromium_page(width=1200, height=1400) as page:
            page.on("request", lambda request: requests.append(request.url))
            found: dict = {}
            for role in ROLES:
                visit(page, url, role, name, port, found)
            for info in (p for sections in MENU.values() for ps in sections.values() for p in ps):
                page.goto(f"{url}/{Path(info.path).stem}")  # a deep link, as nobody signed in
                settle(page)
                found["deep link", info.title] = markup_from_text(page, port)
        assert {where: what for where, what in found.items() if what} == {}
        assert foreign(requests, url) == [] and hits == []
        assert len(found) > 30  # every page of every menu was seen


def test_a_hostile_sheet_title_tab_and_header_make_nothing_on_connect_your_sheet(tmp_path):
    require_chromium()
    with loopback_listener() as (port, hits), FakeSheets() as fake:
        attack = hostile_text(port).replace("\n", " ")  # a tab name holds one line
        key = fake.create_spreadsheet(attack, {"1:1s": [["Date of 1:1", attack]], attack: [["x"]]})
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(toml_text(sheets_secrets(fake, key)), encoding="utf-8")
        env = {"ORGANISING_DATA_DIR": str(tmp_path / "data"), "ORGANISING_STORE": "google_sheets",
               "ORGANISING_SECRETS": str(secrets)}
        requests: list[str] = []
        with running_app(env, tmp_path / "app.log") as url, chromium_page() as page:
            page.on("request", lambda request: requests.append(request.url))
            open_as(page, url, "Coordinator", "Cora", "Connect your sheet")
            page.get_by_text("Connected to").wait_for()
            settle(page)
            page.get_by_test_id("stDataFrame").first.wait_for()  # headers and other tabs, in tables
            found = {"Connect your sheet": markup_from_text(page, port)}
        assert {where: what for where, what in found.items() if what} == {}
        assert foreign(requests, url) == [] and hits == []
