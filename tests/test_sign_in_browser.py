"""Sign-in for real: `streamlit run` with an [auth] section pointing at an
OpenID Connect provider on 127.0.0.1 (tests/identity_provider.py), driven in
Chromium. A coordinator, a trustee and an e-mail not on the team each see
exactly their pages; a deep link past one's role is refused; sign-out works;
an event kiosk shows one form and nothing else. (Error pages:
test_error_pages_browser.py.)"""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE
from organising.access.kiosk import kiosk_token, kiosk_url
from organising.forms.submissions import new_submission_id
from tests.browser import chromium_page, free_port, pick, require_chromium, running_app, screenshot, wait_for_run_to_end
from tests.conftest import toml_text
from tests.identity_provider import CLIENT_ID, CLIENT_SECRET, identity_provider, require_provider, sign_in_at_provider
from ui.navigation import menu

pytestmark = pytest.mark.browser

COOKIE_SECRET = "browser-test-cookie-secret-0123456789abcdef"
PASSCODE = "kiosk-ender-c0de"
SIGN_IN = "Sign in with your organisation's account"
ACCOUNTS = {"coordinator": "cora@alliance.test", "trustee": "tom@alliance.test", "volunteer": "visitor@elsewhere.test"}


def auth_section(app_port: int, metadata_url: str) -> dict:
    return {"redirect_uri": f"http://127.0.0.1:{app_port}/oauth2callback", "cookie_secret": COOKIE_SECRET,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "server_metadata_url": metadata_url,
            # The test provider knows no "select_account" prompt (Google's); "login" asks every time.
            "client_kwargs": {"prompt": "login"}}


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory):
    require_chromium()
    require_provider()
    folder = tmp_path_factory.mktemp("sign-in")
    app_port = free_port()
    with identity_provider(f"http://127.0.0.1:{app_port}/oauth2callback", folder / "provider.log") as issuer:
        secrets = folder / "secrets.toml"
        secrets.write_text(toml_text({
            "auth": auth_section(app_port, f"{issuer}/.well-known/openid-configuration"),
            "team": {"coordinators": [ACCOUNTS["coordinator"]]},
            "passcodes": {"coordinator": PASSCODE},
        }), encoding="utf-8")
        store = SQLiteStore(folder / "data" / SQLITE_FILE)
        store.append_row("Team", {"email": ACCOUNTS["trustee"], "name": "Tom", "role": "trustee", "active": "yes"},
                         new_submission_id())
        event = new_submission_id()
        store.append_row("Events", {"title": "Accountability Assembly", "event_type": "accountability_assembly",
                                    "event_date": dt.date.today().isoformat()}, event)
        env = {"ORGANISING_DATA_DIR": str(folder / "data"), "ORGANISING_SECRETS": str(secrets)}
        with running_app(env, folder / "app.log", port=app_port, args=["--secrets.files", str(secrets)]) as url:
            yield SimpleNamespace(url=url, store=store, event=event, folder=folder)


def menu_titles(page) -> set[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for()
    return {text.strip().splitlines()[-1] for text in links.all_inner_texts()}  # after the icon's name


def expected_titles(role: str) -> set[str]:
    return {p.title for pages in menu(role).values() for p in pages}


def sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=SIGN_IN).click()
    sign_in_at_provider(page, email)
    page.get_by_text("Signed in as").wait_for()
    wait_for_run_to_end(page)


@pytest.mark.parametrize("role", ["coordinator", "trustee", "volunteer"])
def test_each_account_sees_exactly_its_roles_pages_and_signs_out(signed_app, role, tmp_path):
    with chromium_page() as page:
        try:
            sign_in(page, signed_app.url, ACCOUNTS[role])
            assert f", {role}." in page.get_by_text("Signed in as").inner_text()
            assert menu_titles(page) == expected_titles(role)
            if role != "coordinator":  # a deep link past the role is refused, and shows no data
                page.goto(f"{signed_app.url}/dashboard")
                # Once the router has run, a page not in this person's menu does not exist for them
                # (Streamlit says so and opens Home); before, the page's own guard refuses.
                page.get_by_text(re.compile("Page not found|This page is for coordinators")).first.wait_for()
                wait_for_run_to_end(page)
                assert page.get_by_role("heading", name="Dashboard").count() == 0
                assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
                page.goto(signed_app.url)
                page.get_by_text("Signed in as").wait_for()
            page.get_by_role("button", name="Sign out").click()
            page.get_by_role("button", name="Yes, sign me out").click()  # the provider asks, as Google does not
            page.get_by_role("button", name=SIGN_IN).wait_for()
            assert page.get_by_text("Signed in as").count() == 0
        except Exception:
            screenshot(page, tmp_path, f"sign-in-{role}.png")
            raise


def test_a_coordinator_sees_sign_ins_on_the_audit_log(signed_app, tmp_path):
    with chromium_page() as page:
        sign_in(page, signed_app.url, ACCOUNTS["coordinator"])
        page.get_by_role("link", name="Audit log").first.click()
        page.get_by_role("heading", name="Audit log").wait_for()
        wait_for_run_to_end(page)
        page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()
        assert page.get_by_text("entries; times in Europe/London").count() == 1
        screenshot(page, tmp_path, "audit-log.png")
    entries = [r for _, r in signed_app.store.read_tabs(["Audit log"])["Audit log"].records()]
    assert {"who": "Cora <cora@alliance.test>", "action": "sign_in"}.items() <= entries[-1].items()


def test_an_event_kiosk_shows_one_form_keeps_to_it_and_ends_with_a_coordinator(signed_app, tmp_path):
    link = kiosk_url(signed_app.url, kiosk_token(COOKIE_SECRET, signed_app.event, dt.date.today()))
    with chromium_page(width=800, height=1000) as page:
        try:
            page.goto(link)
            page.get_by_text("Accountability Assembly").first.wait_for()
            wait_for_run_to_end(page)
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no menu at all
            page.get_by_label("Your name").fill("Rita Resident")
            pick(page, "You are here as *", "Guest")
            page.get_by_role("button", name="Submit").click()
            page.get_by_text("You are signed in.").wait_for()
            wait_for_run_to_end(page)
            assert page.get_by_label("Your name").count() == 0  # only the confirmation, and a button for the next
            assert page.get_by_text("Rita").count() == 0   # nobody's sign-in stays on screen
            page.get_by_role("button", name="Sign in the next person").click()
            assert page.get_by_label("Your name").input_value() == ""
            screenshot(page, tmp_path, "kiosk.png")
            # An edited address or a deep link still finds the kiosk (its cookie).
            page.goto(signed_app.url)
            page.get_by_text("Accountability Assembly").first.wait_for()
            page.goto(f"{signed_app.url}/dashboard")
            page.get_by_text(re.compile("Page not found|This device is an event kiosk")).first.wait_for()
            wait_for_run_to_end(page)
            assert page.get_by_role("heading", name="Dashboard").count() == 0
            page.goto(signed_app.url)
            page.get_by_text("Accountability Assembly").first.wait_for()
            wait_for_run_to_end(page)
            page.get_by_text("Coordinators: end kiosk mode").click()
            page.get_by_label("Coordinator passcode").fill(PASSCODE)
            page.get_by_role("button", name="End kiosk mode").click()
            # "Kiosk mode has ended" shows for a moment, then the app opens afresh, as Home.
            page.get_by_role("heading", name="Citizens Alliance").wait_for()
            wait_for_run_to_end(page)
            page.goto(signed_app.url)                                          # and stays itself after a reload
            page.get_by_role("heading", name="Citizens Alliance").wait_for()
            wait_for_run_to_end(page)
            assert page.get_by_text("Accountability Assembly").count() == 0
        except Exception:
            screenshot(page, tmp_path, "kiosk-failure.png")
            raise
    rows = [r for _, r in signed_app.store.read_tabs(["Attendance"])["Attendance"].records()]
    assert [(r["event_id"], r["attendee_name"], r["submitted_by"]) for r in rows] == \
        [(signed_app.event, "Rita Resident", "(kiosk)")]
