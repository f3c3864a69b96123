"""A coordinator connects the alliance's Google Sheet in a real browser (the
app on Google Sheets, pointed at the fake API server)."""
from __future__ import annotations

import pytest

from organising.config import load_config
from organising.forms.sheet_layout import compare_layout
from tests.fakesheets import SERVICE_ACCOUNT_EMAIL, FakeSheets

from .browser import chromium_page, require_chromium, running_app, screenshot
from .conftest import sheets_secrets, toml_text

pytestmark = pytest.mark.browser


def test_coordinator_checks_the_sheet_and_creates_the_missing_tabs(tmp_path):
    require_chromium()
    with FakeSheets() as fake:
        key = fake.create_spreadsheet("Fishermead Citizens Alliance", {
            "1:1s": [["Date of 1:1", "Listener", "My notes"], ["5/10/2021", "Ann", "met after the service"]]})
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(toml_text(sheets_secrets(fake, key)), encoding="utf-8")
        env = {"ORGANISING_DATA_DIR": str(tmp_path / "data"), "ORGANISING_STORE": "google_sheets",
               "ORGANISING_SECRETS": str(secrets)}
        with running_app(env, tmp_path / "app.log") as url, chromium_page(width=1000, height=800) as page:
            page.goto(url)
            page.get_by_text("Coordinator", exact=True).click()
            page.get_by_label("Your name").fill("Cora")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("Signed in as").wait_for()
            page.get_by_role("link", name="Connect your sheet").first.click()
            page.get_by_text("Connected to Fishermead Citizens Alliance").wait_for()
            page.get_by_text(SERVICE_ACCOUNT_EMAIL).first.wait_for()
            page.get_by_text("the tab is missing").first.wait_for()
            assert page.get_by_test_id("stException").count() == 0
            screenshot(page, tmp_path, "connect-sheet.png")
            page.get_by_role("button", name="Create missing tabs and columns").click()
            page.get_by_text("The sheet is ready").wait_for()
            assert page.get_by_test_id("stException").count() == 0
        headers = {tab: fake.values(key, tab)[0] for tab in fake.tabs(key)}
        assert compare_layout(load_config().forms.values(), headers).complete
        assert fake.values(key, "1:1s")[1] == ["5/10/2021", "Ann", "met after the service"]
