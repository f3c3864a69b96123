"""A person's journey in a real browser against the real app."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE

from .browser import REPO, chromium_page, require_chromium, running_app

SCREENSHOTS = REPO / "docs" / "screenshots"
pytestmark = pytest.mark.browser


def fill_cag_signup(page, organisation: str) -> None:
    page.get_by_label("Organisation or group name *").fill(organisation)
    page.get_by_label("Contact name *").fill("Ann Adeyemi")
    page.get_by_label("Email *").fill("ann@example.org")
    page.get_by_label("What does your group do? *").fill("Food parcels and a weekly drop-in")
    page.get_by_label("Area (your forum) *").click()
    page.get_by_role("option", name="Fishermead").click()
    page.get_by_text("We agree that the organisers may contact us").click()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Your group is signed up").wait_for()


def sqlite_signups(data) -> list[dict[str, str]]:
    tab = SQLiteStore(data / SQLITE_FILE).read_tabs(["CAG sign-ups"])["CAG sign-ups"]
    return [row for _, row in tab.records()]


def sheet_signups(fake, key: str) -> list[dict[str, str]]:
    """The rows as a person sees them in the Google Sheet, and every append was RAW."""
    assert {e.query.get("valueInputOption") for e in fake.log if e.kind == "values_append"} == {"RAW"}
    header, *rows = fake.values(key, "CAG sign-ups")
    return [dict(zip(header, row)) for row in rows]


@pytest.mark.parametrize("store", ["sqlite", "google_sheets"])
def test_volunteer_signs_a_group_up_on_a_phone(tmp_path, request, store):
    require_chromium()
    from playwright.sync_api import expect
    data = tmp_path / "data"
    if store == "google_sheets":  # the app set to Google Sheets, pointed at a fake Sheets API in this process
        fake, key = request.getfixturevalue("fake_sheets"), request.getfixturevalue("sheets_app")()
    with running_app({"ORGANISING_DATA_DIR": str(data)}, tmp_path / "app.log") as url, \
            chromium_page(width=390, height=844) as page:
        page.goto(f"{url}/cag_signup")  # the link a coordinator shares with groups
        fill_cag_signup(page, '=IMPORTXML("http://x")')
        assert page.get_by_test_id("stException").count() == 0
        organisation = page.get_by_label("Organisation or group name *")
        expect(organisation).to_have_count(1)  # the old form fades out after the rerun
        expect(organisation).to_have_value("")  # ready for the next group
        if store == "sqlite":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.get_by_text("Your group is signed up").scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / "cag-signup-phone.png"), full_page=True)

    [row] = sqlite_signups(data) if store == "sqlite" else sheet_signups(fake, key)
    assert row["organisation"] == '=IMPORTXML("http://x")'
    assert row["area"] == "fishermead" and row["consent_to_contact"] == "yes"


def test_coordinator_signs_in_and_sees_the_live_dashboard(tmp_path):
    require_chromium()
    data = tmp_path / "data"
    env = {"ORGANISING_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "organising", "demo"], cwd=REPO, env={**os.environ, **env},
                   check=True, capture_output=True)
    with running_app(env, tmp_path / "app.log") as url, chromium_page(width=1200, height=2200) as page:
        page.goto(url)
        page.get_by_text("Coordinator", exact=True).click()
        page.get_by_label("Your name").fill("Cora")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as").wait_for()
        page.get_by_role("link", name="Dashboard").first.click()
        page.get_by_text("1:1 listening conversations").first.wait_for()
        page.locator(".js-plotly-plot").first.wait_for()
        page.wait_for_timeout(1500)  # let the charts finish drawing
        assert page.get_by_test_id("stException").count() == 0
        page.screenshot(path=str(SCREENSHOTS / "dashboard-demo.png"), full_page=True)
