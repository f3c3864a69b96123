"""A coordinator in a real browser purges personal data past retention and
forgets a person who asked, on the demo alliance, and the funder report does
not change."""
from __future__ import annotations

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE
from organising.config import load_config
from organising.privacy.audit import AUDIT_TAB, read_audit
from organising.privacy.retention import alliance_today
from organising.tools.demo import load_demo

from .browser import chromium_page, open_as, require_chromium, running_app, screenshot, wait_for_run_to_end
from .test_pages_privacy import report
from .test_privacy import grace

pytestmark = pytest.mark.browser


def test_a_coordinator_purges_and_forgets_a_person_and_the_report_stays(tmp_path, monkeypatch):
    require_chromium()
    from playwright.sync_api import expect
    data = tmp_path / "data"
    monkeypatch.setenv("ORGANISING_DATA_DIR", str(data))
    config = load_config()
    store = SQLiteStore(data / SQLITE_FILE)
    load_demo(store, config.forms, alliance_today(config))
    grace(store)
    before = report(store, config)
    with running_app({"ORGANISING_DATA_DIR": str(data)}, tmp_path / "app.log") as url, \
            chromium_page(width=1200, height=1800) as page:
        open_as(page, url, "Coordinator", "Cora", "Privacy")
        page.get_by_role("button", name="Prepare the purge").click()
        page.get_by_text("Every figure stays the same").wait_for()
        purge = page.get_by_role("button", name="Purge now")
        expect(purge).to_be_disabled()
        page.get_by_text("I have checked the cells above").first.click()
        expect(purge).to_be_enabled()
        purge.click()
        page.get_by_text("Done: ").first.wait_for()
        wait_for_run_to_end(page)
        assert page.get_by_test_id("stException").count() == 0
        screenshot(page, tmp_path, "privacy-purged.png")

        page.get_by_role("tab", name="Forget a person").click()
        page.get_by_role("textbox", name="E-mail address").first.fill("grace.obi@example.org")
        page.get_by_role("button", name="Find everything to erase").click()
        page.get_by_role("button", name="Erase", exact=True).wait_for()
        wait_for_run_to_end(page)
        screenshot(page, tmp_path, "privacy-forget-preview.png")
        page.get_by_text("I have checked the cells above").last.click()
        page.get_by_role("button", name="Erase", exact=True).click()
        page.get_by_text("Done: ").last.wait_for()
        wait_for_run_to_end(page)
        assert page.get_by_test_id("stException").count() == 0
        screenshot(page, tmp_path, "privacy-erased.png")
        expect(page.get_by_role("textbox", name="E-mail address").first).to_have_value("")  # nothing of her stays

    assert report(store, config) == before
    assert [e.action for e in read_audit(store.read_tabs([AUDIT_TAB])[AUDIT_TAB])] == ["erasure", "purge"]
    assert "Grace Obi" not in str(store.read_tabs(["1:1s"])["1:1s"].rows)
