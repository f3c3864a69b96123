"""A coordinator records a pledge that is already past due, in a real
browser, and the tracker shows it as overdue."""
from __future__ import annotations

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE

from .browser import chromium_page, open_as, require_chromium, running_app

pytestmark = pytest.mark.browser


def type_date(page, label: str, digits: str) -> None:
    """Type a date as DDMMYYYY into Streamlit's date field (day, month and
    year boxes that move on by themselves)."""
    page.get_by_role("spinbutton", name=f"day, {label}").click()
    page.keyboard.type(digits)
    page.keyboard.press("Tab")


def test_a_pledge_past_its_due_date_shows_as_overdue_on_the_tracker(tmp_path):
    require_chromium()
    from playwright.sync_api import expect
    data = tmp_path / "data"
    data.mkdir()
    store = SQLiteStore(data / SQLITE_FILE)
    store.append_row("Power-holders", {"name": "Cllr Marsh", "role": "Cabinet member for transport",
                                       "organisation": "Riverside City Council"}, "p1")
    with running_app({"ORGANISING_DATA_DIR": str(data)}, tmp_path / "app.log") as url, chromium_page() as page:
        open_as(page, url, "Coordinator", "Cora", "Pledge tracker")
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("0")

        page.get_by_role("tab", name="Record a pledge").click()
        page.get_by_label("Power-holder *").click()
        page.get_by_role("option", name="Cllr Marsh, Cabinet member for transport (Riverside City Council)").click()
        type_date(page, "Date of the ask *", "21042025")
        page.get_by_label("The ask, as put to them *").fill("Will you light the redway within six weeks?")
        page.get_by_text("Yes", exact=True).click()
        type_date(page, "Due by *", "01062025")
        page.get_by_role("button", name="Submit").first.click()
        page.get_by_text("The pledge is recorded").wait_for()
        assert page.get_by_test_id("stException").count() == 0

        page.get_by_role("tab", name="Tracker").click()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("1")  # overdue

    [(_, pledge)] = store.read_tabs(["Pledges"])["Pledges"].records()
    assert (pledge["due_date"], pledge["answer"], pledge["submitted_by"]) == ("2025-06-01", "yes", "Cora")
