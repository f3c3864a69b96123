"""A coordinator's journey in a real browser: a 1:1 flags a potential
leader, and that person appears in the leader pipeline."""
from __future__ import annotations

import datetime as dt

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE

from .browser import chromium_page, fill_in, open_as, require_chromium, running_app

pytestmark = pytest.mark.browser


def test_a_potential_leader_from_a_1_1_appears_in_the_pipeline(tmp_path):
    require_chromium()
    from playwright.sync_api import expect
    data = tmp_path / "data"
    with running_app({"ORGANISING_DATA_DIR": str(data)}, tmp_path / "app.log") as url, \
            chromium_page(width=1200, height=1600) as page:
        open_as(page, url, "Coordinator", "Cora", "Record a 1:1")
        # The date box is three spin buttons (day, month, year); typing moves along them.
        page.get_by_role("spinbutton", name="day, Date of the conversation").click()
        page.keyboard.type(dt.date.today().strftime("%d%m%Y"))
        fill_in(page, {"Your name (the listener) *": "Sam Listener", "Your institution *": "St Aidan's Church",
                       "Their name": "Zainab Okafor", "Their institution or group, if any": "Masjid an-Nur",
                       "What they said *": "Damp in every flat on our landing; repairs never come."},
                {"Where they live *": "Fishermead", "What issues came up? *": "Housing"})
        page.get_by_text("Yes", exact=True).click()
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Your conversation is recorded").wait_for()
        assert page.get_by_test_id("stException").count() == 0

        page.get_by_role("link", name="Leader pipeline").first.click()
        page.get_by_text("Leader pipeline").first.wait_for()
        table = page.get_by_test_id("stDataFrame").first
        expect(table).to_contain_text("Zainab Okafor")
        expect(table).to_contain_text("Spotted in a 1:1")
        assert page.get_by_test_id("stException").count() == 0

    tab = SQLiteStore(data / SQLITE_FILE).read_tabs(["1:1s"])["1:1s"]
    [(_, row)] = tab.records()
    assert (row["participant_name"], row["potential_leader"], row["submitted_by"]) == ("Zainab Okafor", "yes", "Cora")
