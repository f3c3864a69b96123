"""A person's journey in a real browser against the real app."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE
from organising.config import load_config
from tests.privacy import leaked

from .browser import REPO, chromium_page, open_as, pick, require_chromium, running_app, screenshot, wait_for_run_to_end

pytestmark = pytest.mark.browser


def fill_cag_signup(page, organisation: str) -> None:
    page.get_by_label("Organisation or group name *").fill(organisation)
    page.get_by_label("Contact name *").fill("Ann Adeyemi")
    page.get_by_label("Email *").fill("ann@example.org")
    page.get_by_label("What does your group do? *").fill("Food parcels and a weekly drop-in")
    pick(page, "Area (your forum) *", "Fishermead")
    page.get_by_text("We agree that the organisers may contact us").click()
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Your group is signed up").wait_for()
    wait_for_run_to_end(page)


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
        # Once saved, only the confirmation: no emptied form inviting the same group twice.
        expect(page.get_by_label("Organisation or group name *")).to_have_count(0)
        if store == "sqlite":
            screenshot(page, tmp_path, "cag-signup-phone.png")
        page.get_by_role("button", name="Sign up another group").click()
        expect(page.get_by_label("Organisation or group name *")).to_have_value("")  # ready for the next group

    [row] = sqlite_signups(data) if store == "sqlite" else sheet_signups(fake, key)
    assert row["organisation"] == '=IMPORTXML("http://x")'
    assert row["area"] == "fishermead" and row["consent_to_contact"] == "yes"


def with_demo_data(tmp_path) -> tuple[Path, dict[str, str]]:
    """A data folder holding the demo alliance, and the app's environment for it."""
    data = tmp_path / "data"
    env = {"ORGANISING_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "organising", "demo"], cwd=REPO, env={**os.environ, **env},
                   check=True, capture_output=True)
    return data, env


def test_coordinator_signs_in_and_sees_the_live_dashboard(tmp_path):
    require_chromium()
    _, env = with_demo_data(tmp_path)
    with running_app(env, tmp_path / "app.log") as url, chromium_page(width=1200, height=2200) as page:
        open_as(page, url, "Coordinator", "Cora", "Dashboard")
        page.get_by_text("1:1 listening conversations").first.wait_for()
        page.get_by_test_id("stVegaLiteChart").first.wait_for()
        page.wait_for_timeout(1500)  # let the charts finish drawing
        assert page.get_by_test_id("stException").count() == 0
        screenshot(page, tmp_path, "dashboard-demo.png")


def test_trustee_downloads_the_pdf_report_with_no_personal_data(tmp_path):
    require_chromium()
    from pypdf import PdfReader
    data, env = with_demo_data(tmp_path)
    with running_app(env, tmp_path / "app.log") as url, chromium_page() as page:
        open_as(page, url, "Trustee", "Tom", "Funder report")
        page.get_by_role("combobox", name="Programme").click()  # the Fishermead grant comes first; the demo has data
        page.get_by_role("option", name="Riverside Citizens Alliance (demo)").click()
        first_year = load_config().programmes["Riverside Citizens Alliance (demo)"].years[0].label
        page.get_by_text(f"Programme year {first_year}").wait_for()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download PDF (with charts)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert page.get_by_test_id("stException").count() == 0
    assert saved.name.startswith("Riverside Citizens Alliance (demo) funder report") and saved.suffix == ".pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "1:1s in" in text and "against the target line" in text
    assert not leaked(text, SQLiteStore(data / SQLITE_FILE))
