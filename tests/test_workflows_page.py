"""The Workflows page, driven through AppTest, and a form saved on its page
setting a workflow off in the server's worker."""
from __future__ import annotations

import time

from integrations.delivery import open_ledger
from tests.test_pages import COORDINATOR, VOLUNTEER, field, fill_cag, next_one, open_page, submit

WORKFLOWS = """
workflows:
  - name: Welcome
    on: {submitted: cag_signup}
    actions:
      - email: {to: "{{ email }}", subject: "Welcome {{ organisation }}", body: "Hello {{ contact_name }}"}
  - name: "Broken ![x](http://127.0.0.1:9/pixel)"
    on: {submitted: cag_signup}
    actions: [{email: {to: a@b.org, subject: s, body: "{{ nope }}"}}]
delivery: {send_seconds: 0.1}
"""


def test_volunteers_cannot_see_workflows():
    at = open_page("pages/workflows.py", VOLUNTEER)
    assert "This page is for coordinators" in at.error[0].value and not at.dataframe


def test_coordinators_see_each_workflow_its_problems_as_text_and_a_dry_run(workflows_env, sqlite_store,
                                                                           mail_server):
    workflows_env(WORKFLOWS, {"smtp": mail_server.secrets()})
    sqlite_store.append_row("CAG sign-ups", {"organisation": "<b>Food</b> Bank", "contact_name": "Ann",
                                             "email": "ann@example.org", "area": "fishermead"}, "s1")
    at = open_page("pages/workflows.py", COORDINATOR)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Workflow"]) == ["Welcome"] and list(table["Status"]) == ["on"]
    assert "1 problem(s)" in at.error[0].value
    problems = at.code[0].value
    assert "workflow 'Broken ![x](http://127.0.0.1:9/pixel)'" in problems and "{{ nope }}" in problems
    dry = at.code[1].value
    assert dry.startswith("To: ann@example.org\nSubject: Welcome <b>Food</b> Bank") and "Hello Ann" in dry
    assert open_ledger_empty()


def open_ledger_empty() -> bool:
    from organising.config import load_config
    return open_ledger(load_config()).deliveries() == []


def test_a_coordinator_switches_a_workflow_off_and_retries_failed_deliveries(workflows_env, sqlite_store,
                                                                            app_config):
    workflows_env(WORKFLOWS, {})  # no mail settings: the workflow waits
    at = open_page("pages/workflows.py", COORDINATOR)
    assert "waiting for mail settings" in at.dataframe[0].value["Status"][0]
    at.toggle(key="on:Welcome").set_value(False).run()
    assert open_ledger(app_config).switches() == {"Welcome": False}
    assert at.dataframe[0].value["Status"][0] == "off"
    ledger = open_ledger(app_config)
    from organising.workflows.ledger import Planned
    ledger.record([Planned("k1", "Welcome", "cag_signup submission s1", 1, "email", "ann@example.org",
                           {"to": ["ann@example.org"]}, error="the mail server refused every address")])
    at.run()
    log = at.dataframe[1].value
    assert list(log["Status"]) == ["failed"] and list(log["Problem"]) == ["the mail server refused every address"]
    at.button[0].click().run()  # Retry all 1 failed
    assert ledger.deliveries()[0].state in ("due", "failed")  # due again (then tried by the worker)
    assert ledger.deliveries()[0].attempts <= 1


def test_the_log_shows_a_mail_delivered_to_some_addresses_and_which_the_server_refused(workflows_env, sqlite_store,
                                                                                      app_config):
    workflows_env(WORKFLOWS, {})
    ledger = open_ledger(app_config)
    from organising.workflows.ledger import Planned
    ledger.record([Planned("k1", "Welcome", "cag_signup submission s1", 1, "email", "ann@example.org and 1 more",
                           {"to": ["ann@example.org"], "cc": ["bob@example.org"]})])
    note = "sent to 1 of 2 addresses; refused: bob@example.org (550 5.1.1 no such mailbox)"
    ledger.sent(ledger.deliveries()[0].id, note=note)
    at = open_page("pages/workflows.py", COORDINATOR)
    log = at.dataframe[1].value
    assert list(log["Status"]) == ["delivered"] and list(log["Problem"]) == [note]
    assert not at.button  # nothing failed: nothing to retry


def test_a_group_signing_up_on_the_page_gets_its_welcome_from_the_servers_worker(workflows_env, sqlite_store,
                                                                                mail_server, app_config):
    workflows_env(WORKFLOWS, {"smtp": mail_server.secrets()})
    at = open_page("pages/cag_signup.py", VOLUNTEER)
    fill_cag(at)
    submit(at, "cag_signup")
    assert not at.exception
    deadline = time.monotonic() + 20
    while not mail_server.mails and time.monotonic() < deadline:
        time.sleep(0.1)
    [mail] = mail_server.mails
    assert mail.recipients == ["ann@example.org"] and mail.message["Subject"] == 'Welcome =IMPORTXML("http://x")'
    # The worker marks it sent once the mail server has taken it: a moment after it arrives.
    while open_ledger(app_config).deliveries()[0].state != "sent" and time.monotonic() < deadline:
        time.sleep(0.1)
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.state == "sent"
    next_one(at, "cag_signup")
    assert field(at, "cag_signup", "organisation").value == ""  # the form is ready for the next group


def test_the_servers_worker_stops_when_its_cache_is_cleared(workflows_env, sqlite_store):
    import streamlit as st
    from ui.workflows import _worker
    workflows_env(WORKFLOWS, {})
    at = open_page("pages/workflows.py", COORDINATOR)
    assert not at.exception
    running = _worker()
    st.cache_resource.clear()
    assert running.stopping.is_set()
