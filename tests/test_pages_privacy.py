"""The Privacy page and the audited downloads, driven as a coordinator would through AppTest."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from organising import inert
from organising.counting.metrics import compute_report
from organising.privacy.audit import AUDIT_TAB, read_audit
from organising.privacy.retention import alliance_today
from organising.reporting.reports import as_json
from organising.tools.demo import load_demo
from tests.test_pages import COORDINATOR, REPO, VOLUNTEER, TRUSTEE
from tests.test_privacy import grace


def open_privacy(user=COORDINATOR) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/privacy.py"), default_timeout=60)
    at.session_state["user"] = user
    return at.run()


def by_key(widgets, key: str):
    return next(w for w in widgets if w.key == key)


def audit(store):
    return read_audit(store.read_tabs([AUDIT_TAB])[AUDIT_TAB])


def report(store, config) -> dict[str, str]:
    tabs = store.read_tabs(list(config.tabs))
    today = alliance_today(config)
    return {name: as_json(compute_report(p, tabs, config.forms, today)) for name, p in config.programmes.items()}


@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE])
def test_only_coordinators_open_the_privacy_page(sqlite_store, user):
    at = open_privacy(user)
    assert "This page is for coordinators" in at.error[0].value and not at.dataframe and not at.button


def test_a_coordinator_purges_after_checking_and_the_funder_report_is_unchanged(sqlite_store, app_config):
    load_demo(sqlite_store, app_config.forms, alliance_today(app_config))
    before = report(sqlite_store, app_config)
    at = open_privacy()
    assert not at.exception
    [past] = [m for m in at.metric if m.label == "Rows with personal data older than 24 months"]
    assert int(past.value) > 200
    next(b for b in at.button if b.label == "Prepare the purge").click().run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert list(preview.columns) == ["Tab", "Sheet row", "Column", "Now", "Becomes", "What"]
    assert {"name blanked", "pseudonymous person id written", "blanked"} <= set(preview["What"])
    assert any("Every figure stays the same" in s.value for s in at.success)
    go = by_key(at.button, "privacy:purge:go")
    assert go.disabled  # not before the coordinator has checked the cells
    by_key(at.checkbox, "privacy:purge:checked").check().run()
    by_key(at.button, "privacy:purge:go").click().run()
    assert not at.exception
    assert any(s.value.startswith("Done: ") for s in at.success)
    assert [m for m in at.metric if m.label.startswith("Rows with personal data")][0].value == "0"
    assert report(sqlite_store, app_config) == before
    [entry] = audit(sqlite_store)
    assert (entry.who, entry.action) == (COORDINATOR.name, "purge")


def test_a_coordinator_forgets_a_person_found_by_e_mail_after_a_preview(sqlite_store, app_config):
    load_demo(sqlite_store, app_config.forms, alliance_today(app_config))
    grace(sqlite_store)
    before = report(sqlite_store, app_config)
    at = open_privacy()
    by_key(at.text_input, "privacy:forget:0:emails").input("grace.obi@example.org")
    next(b for b in at.button if b.label == "Find everything to erase").click().run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert {"CAG sign-ups", "1:1s", "Leader roles", "Person merges"} <= set(preview["Tab"])
    assert "Grace Obi" in preview["Now"].tolist()  # the coordinator sees what goes before it goes
    assert sqlite_store.read_tabs(["1:1s"])["1:1s"].records()[-1][1]["participant_name"] == "Grace Obi"
    by_key(at.checkbox, "privacy:forget:checked").check().run()
    by_key(at.button, "privacy:forget:go").click().run()
    assert not at.exception
    assert any(s.value.startswith("Done: ") for s in at.success)
    assert sqlite_store.read_tabs(["1:1s"])["1:1s"].records()[-1][1]["participant_name"] == ""
    assert report(sqlite_store, app_config) == before
    [entry] = audit(sqlite_store)
    assert entry.action == "erasure" and "grace" not in (entry.detail + entry.who).casefold()


def test_a_search_that_cannot_run_says_why_as_plain_text(sqlite_store):
    at = open_privacy()
    by_key(at.text_input, "privacy:forget:0:emails").input("**not** an address")
    next(b for b in at.button if b.label == "Find everything to erase").click().run()
    assert at.error[0].value == inert.markdown("'**not** an address' is not an e-mail address like name@example.org.")


def test_other_spellings_found_beside_an_e_mail_can_be_searched_too(sqlite_store):
    sqlite_store.append_row("CAG sign-ups", {"organisation": "Food Bank", "contact_name": "Grace Obi",
                                             "email": "grace.obi@example.org"}, "c1")
    sqlite_store.append_row("CAG sign-ups", {"organisation": "Men's Shed", "contact_name": "Grace Obi",
                                             "phone": "07700 900123"}, "c2")
    at = open_privacy()
    by_key(at.text_input, "privacy:forget:0:emails").input("grace.obi@example.org")
    next(b for b in at.button if b.label == "Find everything to erase").click().run()
    next(b for b in at.button if b.label == "Search for these names too").click().run()
    assert by_key(at.text_area, "privacy:forget:0:names").value == "Grace Obi"
    next(b for b in at.button if b.label == "Find everything to erase").click().run()
    preview = next(d.value for d in at.dataframe if "What" in d.value.columns)
    assert sorted(set(preview["Sheet row"])) == [2, 3]


def test_a_subject_access_download_is_the_workbook_and_is_logged(sqlite_store):
    grace(sqlite_store)
    at = open_privacy()
    by_key(at.text_area, "privacy:access:0:names").input("Grace Obi")
    next(b for b in at.button if b.label == "Find everything about them").click().run()
    assert not at.exception
    [download] = at.get("download_button")
    assert download.proto.label == "Download everything about them (.xlsx)"
    export = at.session_state["privacy:access"]
    assert openpyxl.load_workbook(io.BytesIO(export.workbook)).sheetnames[0] == "About this export"
    assert not audit(sqlite_store)  # finding is not sending
    download.click().run()
    [entry] = audit(sqlite_store)
    assert (entry.who, entry.action, entry.detail) == (COORDINATOR.name, "access_request", export.summary)


@pytest.mark.parametrize("page, detail", [
    ("pages/records.py", "Records, the Attendance tab: "),
    ("pages/data_quality.py", "Data quality, unreadable cells as typed: "),
])
def test_downloading_personal_data_as_csv_is_in_the_audit_log(sqlite_store, page, detail):
    sqlite_store.append_row("Attendance", {"attendee_name": "Grace Obi", "event_id": "no such event"}, "a1")
    at = AppTest.from_file(str(REPO / page), default_timeout=60)
    at.session_state["user"] = COORDINATOR
    at.run()
    [download] = at.get("download_button")
    download.click().run()
    [entry] = audit(sqlite_store)
    assert (entry.who, entry.action) == (COORDINATOR.name, "download") and entry.detail.startswith(detail)
    assert "Grace" not in entry.detail and entry.at.date() == dt.datetime.now(dt.timezone.utc).date()


def test_forgetting_someone_on_the_page_cancels_the_welcome_waiting_for_them(sqlite_store, app_config, workflows_env,
                                                                            mail_server):
    from integrations.delivery import make_worker, open_ledger
    from organising.privacy.deliveries import ERASED
    from tests.test_privacy_workflows import RECIPIENTS, SHIPPED, grace_signs_up
    workflows_env(SHIPPED, {"smtp": mail_server.secrets(), "recipients": RECIPIENTS})
    [key] = grace_signs_up(app_config, sqlite_store)  # the welcome is recorded; the sender has not run yet
    at = open_privacy()
    by_key(at.text_input, "privacy:forget:0:emails").input("grace.obi@example.org")
    next(b for b in at.button if b.label == "Find everything to erase").click().run()
    assert not at.exception
    deliveries = next(d.value for d in at.dataframe if "Delivery" in d.value.columns)
    assert deliveries[["Workflow", "To", "Status", "Becomes"]].values.tolist() == [
        ["Welcome a new CAG", "grace.obi@example.org", "waiting to be sent",
         "not sent yet: cancelled, and its content removed"]]
    by_key(at.checkbox, "privacy:forget:checked").check().run()
    by_key(at.button, "privacy:forget:go").click().run()
    assert not at.exception and any(s.value.startswith("Done: ") for s in at.success)
    [welcome] = open_ledger(app_config).deliveries()
    assert (welcome.key, welcome.state, welcome.last_error) == (key, "cancelled", ERASED)
    assert make_worker(app_config, sqlite_store).send().sent == 0 and mail_server.mails == []
