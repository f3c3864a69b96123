"""Text typed by a person or in the sheet is shown as typed on every page:
never as Markdown in anything Streamlit renders as Markdown, never as HTML in
a chart (the fast layer; tests/test_browser_hostile_text.py checks the same
in a real browser, elements and requests)."""
from __future__ import annotations

import json

import pandas as pd
from google.protobuf.json_format import MessageToDict

from organising import inert
from organising.config import ROLES
from organising.reporting.charts import bar_chart, progress_chart
from tests.hostile import MARK, hostile_text, left_unescaped, chart_strings, store_hostile_rows, text_columns
from tests.test_pages import open_page
from ui.navigation import MENU
from ui.session import User

PORT = 9  # nothing fetches in AppTest: any port will do
# Proto fields Streamlit renders as Markdown (a radio's options too); st.text,
# st.code, selectbox and multiselect options and dataframe cells render none.
MARKDOWN_FIELDS = ("body", "label", "help", "delta", "captions")
PLAIN_ELEMENTS = ("text", "code", "selectbox", "multiselect", "text_input", "text_area", "dataframe",
                  "arrow_data_frame")


def elements(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def rendered(at) -> list[tuple[str, dict]]:
    """(element type, its fields) for every element that renders some markup."""
    return [(node.type, MessageToDict(node.proto, preserving_proto_field_name=True)) for node in elements(at._tree)
            if getattr(node, "proto", None) is not None and node.type not in PLAIN_ELEMENTS]


def markdown_texts(at) -> list[tuple[str, str]]:
    """(element, text) for every text on the page Streamlit renders as Markdown."""
    found = []
    for kind, fields in rendered(at):
        texts = [fields.get(name) for name in MARKDOWN_FIELDS] + (fields.get("options", []) if kind == "radio" else [])
        found += [(kind, one) for text in texts for one in (text if isinstance(text, list) else [text])
                  if isinstance(one, str)]
    return found


def markup_on(at) -> list[tuple[str, str]]:
    """(element, text) for every piece of hostile text that would render as
    Markdown, or as an address or expression in a chart, on the page."""
    return [*((kind, text) for kind, text in markdown_texts(at) if left_unescaped(text, PORT)),
            *((kind, label) for kind, fields in rendered(at) if "spec" in fields
              for label, active in chart_strings(fields["spec"]) if active)]


def shows_hostile_text(at) -> bool:
    """Whether the page shows some hostile text, made inert, as Markdown."""
    return any(MARK in text for _, text in markdown_texts(at))


def every_page() -> list[str]:
    """Home (through the router, as its page links need) and every page of every menu."""
    menus = [p.path for sections in MENU.values() for pages in sections.values() for p in pages]
    return ["streamlit_app.py", *dict.fromkeys(menus)]


def test_the_hostile_text_reaches_every_text_column_of_every_tab(sqlite_store, app_config):
    store_hostile_rows(sqlite_store, app_config.forms, PORT)
    tabs = sqlite_store.read_tabs([f.tab for f in app_config.forms.values()])
    for form in app_config.forms.values():
        records = [record for _, record in tabs[form.tab].records()]
        assert records, form.tab
        for column in text_columns(form):
            assert all(record[column].startswith(hostile_text(PORT)) for record in records), (form.tab, column)


def test_every_page_shows_hostile_text_as_typed_to_every_role(sqlite_store, app_config):
    store_hostile_rows(sqlite_store, app_config.forms, PORT)
    found, shown = {}, set()
    for role in ROLES:
        user = User(f"{hostile_text(PORT)} Cora", role)
        for page in every_page():
            at = open_page(page, user)
            assert not at.exception, (page, role, at.exception)
            if markup := markup_on(at):
                found[page, role] = markup
            if shows_hostile_text(at):
                shown.add(page)
    assert not found
    # where the probe saw typed text rendered as Markdown: the name given on sign-in, an overdue event's
    # title, a campaign's title and SMART goal, an event's title in a dashboard card's note
    assert {"streamlit_app.py", "pages/events.py", "pages/campaigns.py", "pages/dashboard.py"} <= shown


def test_the_pages_that_open_a_record_show_it_as_typed(sqlite_store, app_config):
    store_hostile_rows(sqlite_store, app_config.forms, PORT)
    coordinator = User("Cora", "coordinator")
    at = open_page("pages/events.py", coordinator)
    evaluation = next(s for s in at.selectbox if s.label == "Read an evaluation")
    at = evaluation.select_index(0).run()
    assert any(MARK in t.value for t in at.text) and not markup_on(at)
    at = open_page("pages/leaders.py", coordinator)
    pair = next(s for s in at.selectbox if s.label == "Merge which?")
    at = pair.select_index(0).run()
    at = next(b for b in at.button if b.label == "Prepare this merge").click().run()
    assert not at.exception and not markup_on(at)
    at = open_page("pages/forums.py", coordinator)
    for i in range(len(next(s for s in at.selectbox if s.label == "Forum").options)):
        at = next(s for s in at.selectbox if s.label == "Forum").select_index(i).run()
        start = next(b for b in at.button if b.label == "Start from last week")
        if not start.disabled:  # the first forum with a meeting to start from
            break
    at = start.click().run()
    assert not at.exception and not markup_on(at)


def test_a_kiosk_and_the_page_making_its_link_show_a_hostile_event_title_as_typed(sqlite_store, data_dir):
    from tests.test_sign_in import app, kiosk_query
    sqlite_store.append_row("Events", {"title": hostile_text(PORT), "event_type": "delegates_assembly",
                                       "event_date": "2026-12-01"}, "hostile-event")
    kiosk = app(secrets={"auth": {}}, query=kiosk_query(data_dir, "hostile-event"))
    assert not kiosk.exception and shows_hostile_text(kiosk) and not markup_on(kiosk)
    links = app("pages/kiosk_links.py", session_user=User("Cora", "coordinator"), secrets={"auth": {}})
    links.selectbox[0].select("hostile-event").run()
    links = next(b for b in links.button if b.label == "Make the kiosk link").click().run()
    assert not links.exception and shows_hostile_text(links) and not markup_on(links)


def test_a_sheets_title_tabs_and_headers_show_as_typed_on_connect_your_sheet(sheets_app, fake_sheets):
    attack = hostile_text(PORT).replace("\n", " ")  # a tab name holds one line
    key = fake_sheets.create_spreadsheet(attack, {"1:1s": [["Date of 1:1", attack]], attack: [["x"]]})
    sheets_app(key)
    at = open_page("pages/connect_sheet.py", User("Cora", "coordinator"))
    assert not at.exception
    title = at.success[0].value  # the sheet's title, in a Markdown message
    assert inert.markdown(attack) in title and MARK not in title.replace(inert.markdown(attack), "")
    tables = " ".join(t.value.to_csv() for t in at.dataframe)
    assert tables.count(MARK) >= 2 * attack.count(MARK)  # a header and a tab name, in tables as typed


def test_chart_labels_are_drawn_as_typed_never_acted_on():
    """A name in a chart is data Vega-Lite draws as text on a canvas: shown
    exactly as typed, never an address it fetches or links to, nor an
    expression it runs."""
    attack = hostile_text(PORT)
    bars = bar_chart(pd.DataFrame({"listener": [attack], "count": [3]}), "listener", "Top listeners")
    progress = progress_chart([{"label": attack, "percent": 50, "actual": 1, "target": 2, "status": "red"}], "P")
    for chart in (bars, progress):
        labels = chart_strings(json.dumps(chart))
        assert labels == [(attack, False)]
