"""Sign-in as a person meets it, through AppTest: the identity provider's
account and the Team tab, throttled passcodes, the Team and Audit log pages,
and event kiosks. (The real provider in a real browser: test_sign_in_browser.py.)"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from integrations.access_ledger import ACCESS_FILE, AccessLedger
from organising.access.kiosk import KioskPass, kiosk_token
from organising.access.throttle import FIRST_WAIT_SECONDS, ROLE_GUESSES
from organising.forms.submissions import new_submission_id
from organising.privacy.audit import AUDIT_TAB, read_audit
from organising.sheets import Tab
from tests.hostile import as_read
from tests.test_pages import COORDINATOR, TRUSTEE, VOLUNTEER, field, fill_cag, next_one, rows, submit
from ui.data import after_write
from ui.navigation import MENU, menu

REPO = Path(__file__).resolve().parent.parent
SECRET_VALUE = "client-s3cret-never-shown"
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "c" * 40, "client_id": "organising",
        "client_secret": SECRET_VALUE,
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ISSUED = 1_800_000_000


def account(email: str, name: str, issued: int = ISSUED, verified: bool = True) -> dict:
    """What st.user holds after the provider signed this person in."""
    return {"is_logged_in": True, "email": email, "name": name, "email_verified": verified,
            "iss": "http://127.0.0.1:9", "sub": f"sub-{email}", "iat": issued, "provider": "default"}


def app(path: str = "streamlit_app.py", *, who: dict | None = None, session_user=None, secrets: dict | None = None,
        query: dict | None = None, run: bool = True) -> AppTest:
    at = AppTest.from_file(str(REPO / path), default_timeout=30)
    if who is not None:
        at.user = who
    if session_user is not None:
        at.session_state["user"] = session_user
    at.secrets["auth"] = AUTH
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.query_params.update(query or {})
    at.context["url"] = "http://127.0.0.1:8501/kiosk_links"
    return at.run() if run else at


def offered(at: AppTest) -> set[str]:
    return {Path(p["script_path"]).stem for p in at._registered_pages.values()}


def pages_of(role: str | None) -> set[str]:
    return {Path(p.path).stem for pages in menu(role).values() for p in pages}


def add_member(store, email: str, role: str, active: str = "yes", name: str = "") -> None:
    store.append_row("Team", {"email": email, "name": name or email.split("@")[0].title(), "role": role,
                              "active": active}, new_submission_id())
    after_write()  # as the Team page does after its write: the next page reads the tab again


def audit_entries(store):
    return read_audit(store.read_tabs([AUDIT_TAB])[AUDIT_TAB])


def shown(at: AppTest) -> str:
    """Everything the page says, as a person reads it (Markdown escapes removed)."""
    return plain(" ".join(str(e.value) for e in [*at.markdown, *at.success, *at.info, *at.warning, *at.error,
                                                   *at.caption]))


def plain(markdown: str) -> str:
    return as_read(markdown)


# -- the identity provider and the Team tab ---------------------------------------------------

@pytest.mark.parametrize("email, role", [("cora@alliance.org", "coordinator"), ("tom@alliance.org", "trustee"),
                                         ("stranger@example.org", "volunteer")])
def test_the_team_tab_gives_each_signed_in_email_exactly_its_pages(sqlite_store, email, role):
    add_member(sqlite_store, "Cora@Alliance.org", "coordinator")
    add_member(sqlite_store, "tom@alliance.org", "trustee")
    at = app(who=account(email, "Someone"))
    assert not at.exception
    assert offered(at) == pages_of(role)
    assert f"{role}." in at.success[0].value and "Someone" in at.success[0].value


def test_a_sign_in_is_audited_once_however_many_visits(sqlite_store):
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    for _ in range(3):  # each visit is a new session carrying the same sign-in
        app(who=account("cora@alliance.org", "Cora"))
    app(who=account("cora@alliance.org", "Cora", issued=ISSUED + 86400))  # signed in again the next day
    entries = [(e.who, e.action, e.detail) for e in audit_entries(sqlite_store)]
    assert entries == [("Cora <cora@alliance.org>", "sign_in", "with your organisation's account, as coordinator")] * 2


def test_with_default_role_none_an_unknown_email_sees_only_home(sqlite_store, tmp_path, monkeypatch, app_config):
    shutil.copytree(app_config.config_dir, tmp_path / "config")
    settings = tmp_path / "config" / "settings.yaml"
    settings.write_text(settings.read_text().replace("default_role: volunteer", "default_role: none"))
    monkeypatch.setenv("ORGANISING_CONFIG_DIR", str(tmp_path / "config"))
    at = app(who=account("stranger@example.org", "Stranger"))
    assert offered(at) == {"sign_in"}
    assert "with no role in this app" in at.success[0].value and "not on the alliance's team" in at.info[0].value
    assert "This page is for volunteers or coordinators" in app("pages/cag_signup.py",
                                                                who=account("stranger@example.org", "S")).error[0].value
    assert offered(app()) == {"sign_in"}  # nobody signed in: nothing either


def test_an_email_twice_with_different_roles_gets_the_default_role_and_says_why(sqlite_store):
    typed = Tab("Team", ["email", "name", "role", "active"],  # typed by hand: no submission ids
                [["ann@alliance.org", "Ann", "coordinator", "yes"], ["ann@alliance.org", "Ann", "trustee", "yes"]])
    sqlite_store.put_tab(typed)
    at = app(who=account("ann@alliance.org", "Ann"))
    assert offered(at) == pages_of("volunteer")
    assert "row 2 (coordinator) and row 3 (trustee)" in plain(at.warning[0].value)


def test_an_unconfirmed_email_gets_no_role(sqlite_store):
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    at = app(who=account("cora@alliance.org", "Cora", verified=False))
    assert offered(at) == {"sign_in"} and "did not give a confirmed e-mail address" in plain(at.warning[0].value)


def test_what_a_signed_in_person_submits_carries_their_name_and_email(sqlite_store):
    at = app("pages/cag_signup.py", who=account("vic@alliance.org", "Vic Okoro"))
    fill_cag(at)
    submit(at, "cag_signup")
    assert rows(sqlite_store, "CAG sign-ups")[0]["submitted_by"] == "Vic Okoro <vic@alliance.org>"


def test_signing_out_ends_the_providers_sign_in_and_is_audited(sqlite_store):
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    at = app(who=account("cora@alliance.org", "Cora"))
    [sign_out] = [b for b in at.button if b.label == "Sign out"]
    sign_out.click().run()
    assert at.user == {"is_logged_in": False}
    assert audit_entries(sqlite_store)[0].action == "sign_out"


def test_a_misconfigured_auth_section_is_named_and_volunteers_forms_still_work(sqlite_store):
    broken = {**AUTH, "cookie_secret": "short", "client_secret": ""}
    at = app(secrets={"auth": broken, "passcodes": {"admin": "x"}, "team": {"coordinators": ["not-an-email"]}})
    assert not at.exception
    said = shown(at)
    for key in ("[auth] cookie_secret: is too short", "[auth] client_secret: is missing",
                "[passcodes] admin: is not a role", "[team] coordinators: 'not-an-email'"):
        assert key in said, key
    assert SECRET_VALUE not in said and "short" not in said.replace("too short", "")
    assert not [b for b in at.button if b.label.startswith("Sign in with")]
    assert offered(at) == pages_of("volunteer")
    form = app("pages/cag_signup.py", secrets={"auth": broken})
    assert not form.error and field(form, "cag_signup", "organisation")


def test_no_identity_provider_offers_a_sign_in_button_per_provider(sqlite_store):
    google = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    at = app(secrets={"auth": {**{k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}, "google": google,
                               "microsoft": google}})
    assert [b.label for b in at.button if b.label.startswith("Sign in with")] == \
        ["Sign in with Google", "Sign in with Microsoft"]


# -- passcodes ------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = float(ISSUED)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("ui.session._now", fake)
    return fake


def try_passcode(at: AppTest, code: str, role: str = "coordinator") -> AppTest:
    at.radio(key="sign_in_role").set_value(role).run()
    at.text_input(key="sign_in_name").input("Guesser")
    at.text_input(key="sign_in_code").input(code)
    [button] = [b for b in at.button if b.label == "Sign in"]
    return button.click().run()


PASSCODES = {"passcodes": {"coordinator": "right-c0de", "trustee": "tru5tee"}}


def test_a_session_waits_after_five_wrong_passcodes_doubling_and_each_is_audited(sqlite_store, clock):
    at = app(secrets=PASSCODES)
    for _ in range(5):
        assert try_passcode(at, "wrong").error[0].value == "That is not the coordinator passcode."
    assert "wait 30 seconds" in try_passcode(at, "right-c0de").error[0].value  # even the right one waits
    clock.now += FIRST_WAIT_SECONDS
    assert "That is not" in try_passcode(at, "wrong").error[0].value
    assert "wait 60 seconds" in try_passcode(at, "right-c0de").error[0].value
    clock.now += 2 * FIRST_WAIT_SECONDS
    try_passcode(at, "right-c0de")
    assert at.session_state["user"].role == "coordinator"
    actions = [e.action for e in reversed(audit_entries(sqlite_store))]
    assert actions == ["sign_in_failed"] * 5 + ["sign_in_throttled", "sign_in_failed", "sign_in_throttled", "sign_in"]


def test_every_session_together_gets_twenty_tries_and_the_provider_still_signs_in(sqlite_store, clock):
    for _ in range(ROLE_GUESSES // 4):  # four wrong tries per new session: no session ever waits
        at = app(secrets=PASSCODES)
        for _ in range(4):
            assert "That is not" in try_passcode(at, "wrong").error[0].value
    fresh = app(secrets=PASSCODES)
    refused = try_passcode(fresh, "right-c0de").error[0].value
    assert "too many wrong tries in the last 15 minutes" in refused and "organisation's account" in refused
    assert "That is not the trustee" in try_passcode(fresh, "wrong", "trustee").error[0].value  # its own count
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    assert offered(app(who=account("cora@alliance.org", "Cora"), secrets=PASSCODES)) == pages_of("coordinator")
    clock.now += 15 * 60
    try_passcode(fresh, "right-c0de")
    assert fresh.session_state["user"].role == "coordinator"
    locked = [e for e in audit_entries(sqlite_store) if e.action == "sign_in_throttled"]
    assert len(locked) == 1 and "from all browsers" in locked[0].detail


def test_with_a_provider_set_up_a_role_without_passcode_is_not_free_for_the_taking(sqlite_store):
    at = app(secrets={"passcodes": {"coordinator": "right-c0de"}})
    assert at.radio(key="sign_in_role").options == ["Volunteer", "Coordinator"]  # not trustee: it has no passcode


# -- Team and Audit log pages ------------------------------------------------------------------

def fill_member(at: AppTest, email: str, role: str, active: str = "yes") -> AppTest:
    field(at, "team", "email").input(email)
    field(at, "team", "name").input("Tom Tan")
    field(at, "team", "role").set_value(role).run()
    field(at, "team", "active").set_value(active).run()
    return submit(at, "team")


def test_a_coordinator_adds_a_trustee_on_the_team_page_without_a_redeploy(sqlite_store):
    at = app("pages/team.py", session_user=COORDINATOR)
    assert not at.exception and "Nobody is on the team yet" in at.info[0].value
    fill_member(at, "Tom@Alliance.org", "trustee")
    assert not at.exception
    assert offered(app(who=account("tom@alliance.org", "Tom"))) == pages_of("trustee")
    next_one(at, "team")
    fill_member(at, "tom@alliance.org", "volunteer")
    assert [(e.who, e.action, e.detail) for e in audit_entries(sqlite_store) if e.action == "role_changed"] == [
        ("Cora Coordinator", "role_changed", "tom@alliance.org: trustee → volunteer"),
        ("Cora Coordinator", "role_changed", "tom@alliance.org: added as trustee")]
    assert len(rows(sqlite_store, "Team")) == 2  # each change a new row
    assert at.dataframe[0].value["Role"].tolist() == ["Volunteer"]


def test_the_team_page_shows_problems_with_their_rows(sqlite_store):
    add_member(sqlite_store, "ann@alliance.org", "admin")
    at = app("pages/team.py", session_user=COORDINATOR, secrets={"team": {"coordinators": ["boss@alliance.org"]}})
    table = at.dataframe[-1].value
    assert (table["Sheet row"].tolist(), table["Column"].tolist()) == ([2], ["role"])
    assert "boss@alliance.org" in at.text[0].value


@pytest.mark.parametrize("page", ["pages/team.py", "pages/audit_log.py", "pages/kiosk_links.py"])
@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE], ids=["volunteer", "trustee"])
def test_team_audit_and_kiosk_pages_are_for_coordinators_only(sqlite_store, page, user):
    at = app(page, session_user=user, secrets=PASSCODES)
    assert "This page is for coordinators" in at.error[0].value and not at.dataframe and not at.text_input


def test_the_audit_log_page_lists_entries_newest_first_and_offers_nothing_to_edit(sqlite_store, clock):
    try_passcode(app(secrets=PASSCODES), "wrong")
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    app(who=account("cora@alliance.org", "Cora"))
    at = app("pages/audit_log.py", session_user=COORDINATOR)
    table = at.dataframe[0].value
    assert table["What"].tolist() == ["signed in", "failed to sign in"]
    assert table["Who"].tolist() == ["Cora <cora@alliance.org>", "Guesser"]
    assert not at.button and not at.text_input and not at.get("data_editor")
    at.multiselect[0].select("sign_in_failed").run()
    assert at.dataframe[0].value["What"].tolist() == ["failed to sign in"]


# -- kiosk --------------------------------------------------------------------------------------

def add_event(store, title: str = "Delegates Assembly 2027") -> str:
    event_id = new_submission_id()
    store.append_row("Events", {"title": title, "event_type": "delegates_assembly", "event_date": "2026-12-01"},
                     event_id)
    return event_id


def kiosk_query(data_dir, event_id: str, until: dt.date | None = None) -> dict:
    key = AccessLedger(data_dir / ACCESS_FILE).app_key()  # no [auth] cookie_secret: the data folder's key
    return {"kiosk": kiosk_token(key, event_id, until or dt.date.today() + dt.timedelta(days=1))}


def test_a_kiosk_link_shows_one_events_sign_in_form_and_nothing_else(sqlite_store, data_dir):
    event = add_event(sqlite_store)
    add_event(sqlite_store, "Another event")
    at = app(secrets={"auth": {}, **PASSCODES}, query=kiosk_query(data_dir, event))
    assert not at.exception and offered(at) == {"kiosk"} == pages_of("kiosk")
    assert "Delegates Assembly 2027" in plain(at.subheader[0].value)
    assert not [w for w in at.selectbox if w.key.endswith("event_id")]  # the event is given, not chosen
    field(at, "attendance", "attendee_name").input("Rita Resident")
    field(at, "attendance", "role").set_value("guest").run()
    submit(at, "attendance")
    [row] = rows(sqlite_store, "Attendance")
    assert (row["event_id"], row["attendee_name"], row["submitted_by"]) == (event, "Rita Resident", "(kiosk)")
    assert "Rita" not in shown(at) and "Sign in the next person" in [b.label for b in at.button]
    next_one(at, "attendance")
    assert "Rita" not in shown(at) and field(at, "attendance", "attendee_name").value == ""
    deep = app("pages/dashboard.py", secrets={"auth": {}}, query=kiosk_query(data_dir, event))
    assert "event kiosk" in deep.error[0].value and not deep.metric


def test_only_a_coordinator_ends_kiosk_mode(sqlite_store, data_dir, clock):
    at = app(secrets={"auth": {}, **PASSCODES}, query=kiosk_query(data_dir, add_event(sqlite_store)))
    at.text_input(key="kiosk_code").input("tru5tee")
    [end] = [b for b in at.button if b.label == "End kiosk mode"]
    end.click().run()
    assert "not the coordinator passcode" in at.error[-1].value and isinstance(at.session_state["kiosk"], KioskPass)
    at.text_input(key="kiosk_code").input("right-c0de")
    [end] = [b for b in at.button if b.label == "End kiosk mode"]
    end.click().run()
    assert "kiosk" not in at.query_params and at.session_state["kiosk"] == "ended"
    assert at.success[-1].value == "Kiosk mode has ended on this device."  # then the browser reloads the app
    assert [e.action for e in audit_entries(sqlite_store)][:2] == ["kiosk_ended", "sign_in_failed"]


def test_an_altered_or_ended_kiosk_link_says_so_and_opens_nothing(sqlite_store, data_dir):
    event = add_event(sqlite_store)
    altered = app(secrets={"auth": {}}, query={"kiosk": kiosk_query(data_dir, event)["kiosk"][:-3]})
    assert "not valid" in altered.warning[0].value and offered(altered) == pages_of("volunteer")
    ended = app(secrets={"auth": {}}, query=kiosk_query(data_dir, event, dt.date.today() - dt.timedelta(days=1)))
    assert "ended on" in ended.warning[0].value


def test_a_browser_signed_in_with_the_provider_cannot_become_a_kiosk(sqlite_store):
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    event = add_event(sqlite_store)
    query = {"kiosk": kiosk_token(AUTH["cookie_secret"], event, dt.date.today())}  # signed with cookie_secret
    at = app(who=account("cora@alliance.org", "Cora"), query=query)
    assert offered(at) == pages_of("coordinator") and "cannot be a kiosk" in at.warning[0].value
    assert offered(app(query=query)) == {"kiosk"}  # a browser nobody signed in to can


def test_a_coordinator_makes_a_kiosk_link_and_its_qr_code(sqlite_store, data_dir):
    event = add_event(sqlite_store)
    at = app("pages/kiosk_links.py", session_user=COORDINATOR, secrets={"auth": {}})
    at.selectbox[0].select(event).run()
    [make] = [b for b in at.button if b.label == "Make the kiosk link"]
    make.click().run()
    link = at.code[0].value
    assert link.startswith("http://127.0.0.1:8501/?kiosk=") and at.image[0].captions == ["Scan to open the kiosk"]
    kiosk = app(secrets={"auth": {}}, query={"kiosk": link.split("=", 1)[1]})
    assert offered(kiosk) == {"kiosk"}
    assert audit_entries(sqlite_store)[0].action == "kiosk_link"
    assert MENU["coordinator"]["Coordinate"][2].path == "pages/kiosk_links.py"


def test_a_coordinator_signed_in_on_a_kiosk_ends_it_without_a_passcode(sqlite_store, data_dir):
    add_member(sqlite_store, "cora@alliance.org", "coordinator")
    event = add_event(sqlite_store)
    # The kiosk came back from its cookie after the coordinator signed in on the device.
    at = app(who=account("cora@alliance.org", "Cora"), run=False)
    at.session_state["kiosk"] = KioskPass(event, dt.date.today())
    at.run()
    assert offered(at) == {"kiosk"} and not [w for w in at.text_input if w.key == "kiosk_code"]
    [end] = [b for b in at.button if b.label == "End kiosk mode"]
    end.click().run()
    assert at.session_state["kiosk"] == "ended"
    assert (audit_entries(sqlite_store)[0].who, audit_entries(sqlite_store)[0].action) == \
        ("Cora <cora@alliance.org>", "kiosk_ended")
