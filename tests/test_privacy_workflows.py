"""The privacy tools reach what the workflows keep: the rows they append to
the Leader follow-up tab, and the delivery log's copies of what was sent.
Real parts throughout: the shipped workflows file, SQLite and Google Sheets
(the fake API) stores, a real ledger file, and a real SMTP server on
127.0.0.1 (aiosmtpd) receiving what the worker sends."""
from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import time

import openpyxl
import pytest

from integrations.delivery import WORKER_NAME, make_worker, open_ledger, record_saved, workflow_records
from organising.forms.submissions import submission_row
from organising.privacy.access import DELIVERIES_SHEET, subject_access
from organising.privacy.appended import appended_tabs
from organising.privacy.audit import AUDIT_TAB, read_audit
from organising.privacy.deliveries import DAY, ERASED, expired_reason, workflow_data
from organising.privacy.erasure import plan_erasure
from organising.privacy.figures import figures
from organising.privacy.personal import NAME, TEXT
from organising.privacy.plan import carry_out
from organising.privacy.retention import plan_purge
from organising.privacy.search import Query
from organising.tools.demo import load_demo
from organising.workflows.ledger import LEDGER_FILE, Ledger, Planned
from organising.workflows.overview import delivery_log
from organising.workflows.planner import row_keys, without_content
from organising.workflows.spec import load_workflows
from tests.conftest import REPO
from tests.test_privacy_cli import organising

BY = "Cora Coordinator"
FOLLOW_UP = "Leader follow-up"
SHIPPED = (REPO / "config" / "workflows.yaml").read_text(encoding="utf-8")
# Only the organiser: the schedules' digests and reports (to coordinators, trustees, campaigns) wait.
RECIPIENTS = {"organiser": "organiser@alliance.example"}
GRACE = ("Grace Obi", "grace.obi@example.org", "07700 900123")


@pytest.fixture
def shipped(workflows_env, mail_server):
    """The shipped workflows, with a real mail server and the organiser's
    address: the welcome and the organiser's e-mail go out, the follow-up rows
    are appended; chat, webhooks and the other e-mails wait."""
    workflows_env(SHIPPED, {"smtp": mail_server.secrets(), "recipients": RECIPIENTS})
    return mail_server


def save(config, store, form_id: str, answers: dict, sid: str, when: dt.datetime | None = None) -> list[str]:
    """A submission saved and its deliveries recorded, as the form's page does."""
    form = config.forms[form_id]
    row = submission_row(form, answers, sid, "Vic Volunteer", when)
    store.append_row(form.tab, row, sid, form.aliases)
    return record_saved(config, store, form, row)


def grace_talks_to_ann(config, store) -> list[str]:
    """Ann Listener's 1:1 with Grace Obi, who could lead and agreed to be contacted."""
    return save(config, store, "listening", {
        "conversation_date": "2026-11-02", "listener": "Ann Listener", "listener_institution": "St Aidan's Church",
        "participant_name": "Grace Obi", "participant_institution": "Hope Food Bank", "participant_area": "fishermead",
        "what_they_said": "Mould on the walls", "potential_leader": "yes", "leader_notes": "Organised her block",
        "consent_follow_up": "yes", "contact": "grace.obi@example.org or 07700 900123"}, "g-121")


def grace_signs_up(config, store) -> list[str]:
    return save(config, store, "cag_signup", {
        "organisation": "Tenants' Forum", "contact_name": "Grace Obi", "email": "grace.obi@example.org",
        "area": "fishermead", "what_we_do": "Repairs", "consent_to_contact": "yes"}, "g-cag")


def held(ledger: Ledger) -> str:
    """Everything the delivery log holds of what was sent, and where, as one text."""
    return json.dumps([(d.destination, d.payload, d.last_error) for d in ledger.deliveries()], ensure_ascii=False)


def every_tab(store) -> dict:
    return store.read_tabs(store.tab_names())


# -- which columns of a follow-up tab are personal ----------------------------------------------

def test_the_follow_up_tabs_personal_columns_come_from_the_workflow(tmp_path, app_config):
    [tab] = appended_tabs(app_config, load_workflows(REPO / "config" / "workflows.yaml", app_config, {}))
    columns = {c.name: c for c in tab.columns}
    assert (tab.tab, tab.date_column) == (FOLLOW_UP, "conversation_date")
    assert set(columns) == {"listener", "participant_name", "contact"}  # the date, institution and id are not
    # The participant's name is found at her institution; her contact goes with her name, not the listener's.
    assert (columns["participant_name"].kind, columns["participant_name"].institution) == (NAME,
                                                                                          "participant_institution")
    assert (columns["contact"].kind, columns["contact"].group) == (TEXT, "participant_name")
    assert (columns["listener"].kind, columns["listener"].group) == (TEXT, "listener")
    path = tmp_path / "workflows.yaml"
    path.write_text("""
workflows:
  - name: Notes
    on: {submitted: listening}
    actions:
      - append:
          tab: Notes
          row: {note: "Met {{ participant_name }} ({{ labels.participant_area }})", area: "{{ labels.participant_area }}",
                story: "{{ what_they_said }}", who: "{{ submitted_by }}"}
""", encoding="utf-8")
    [notes] = appended_tabs(app_config, load_workflows(path, app_config, {}))
    found = {c.name: (c.kind, c.group) for c in notes.columns}
    # A name inside other words is a text of its own; a story with no name beside it is its own too.
    assert found == {"note": (TEXT, "note"), "story": (TEXT, "story"), "who": (TEXT, "who")}
    assert notes.date_column == ""


# -- erasure ---------------------------------------------------------------------------------------

def test_erasure_blanks_her_follow_up_row_and_what_was_sent_and_cancels_her_welcome(
        shipped, sqlite_store, app_config, today):
    load_demo(sqlite_store, app_config.forms, today)
    ledger = open_ledger(app_config)
    worker = make_worker(app_config, sqlite_store, ledger)
    assert len(grace_talks_to_ann(app_config, sqlite_store)) == 2  # the organiser's e-mail, the follow-up row
    assert worker.send().sent == 2
    [to_organiser] = shipped.mails
    assert "Grace Obi" in to_organiser.text and to_organiser.recipients == ["organiser@alliance.example"]
    [(_, row)] = sqlite_store.read_tabs([FOLLOW_UP])[FOLLOW_UP].records()
    assert (row["participant_name"], row["listener"], row["contact"]) == ("Grace Obi", "Ann Listener",
                                                                          "grace.obi@example.org or 07700 900123")
    assert row["submitted_at"]  # dated like a form's row
    [welcome] = grace_signs_up(app_config, sqlite_store)  # recorded, not sent yet
    keys = {d.id: d.key for d in ledger.deliveries()}

    tabs = every_tab(sqlite_store)
    data = workflow_records(app_config, sqlite_store)
    plan, found = plan_erasure(app_config, tabs, {}, Query.of(emails="grace.obi@example.org"), today, data)
    assert plan.changed_figures == []
    preview = {(line["Tab"], line["Column"]) for line in plan.preview()}
    assert {(FOLLOW_UP, "participant_name"), (FOLLOW_UP, "contact")} <= preview
    assert (FOLLOW_UP, "listener") not in preview  # Ann is someone else
    assert sorted((c.delivery.kind, c.delivery.state, c.cancels) for c in plan.deliveries) == [
        ("append", "sent", False), ("email", "due", True), ("email", "sent", False)]
    outcome = carry_out(sqlite_store, app_config, plan, BY, today, data=data)
    assert not outcome.not_done and outcome.changed_figures == [] and outcome.sent_meanwhile == []

    after = every_tab(sqlite_store)
    [(_, row)] = after[FOLLOW_UP].records()
    assert (row["participant_name"], row["contact"], row["listener"], row["conversation_date"]) == (
        "", "", "Ann Listener", "2026-11-02")
    assert figures(app_config, after, today) == figures(app_config, tabs, today)
    assert [t for t in GRACE if t.casefold() in held(ledger).casefold()] == []
    deliveries = {d.key: d for d in ledger.deliveries()}
    assert {d.id: d.key for d in deliveries.values()} == keys  # every delivery, its key kept
    assert deliveries[welcome].state == "cancelled" and deliveries[welcome].last_error == ERASED
    email = next(d for d in deliveries.values() if d.kind == "email" and d.state == "sent")
    assert email.destination == "organiser@alliance.example" and email.forgotten_at  # the alliance's own address
    # Nothing goes out again: not the welcome, not a repeat of what was sent.
    assert worker.send().sent == 0 and len(shipped.mails) == 1
    assert ledger.retry() == 0
    assert grace_talks_to_ann(app_config, sqlite_store) == []  # the same submission records nothing new
    [entry] = read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert entry.action == "erasure" and "3 deliveries" in entry.detail and "grace" not in entry.detail.casefold()
    # The Workflows page says why the welcome was not sent.
    log = delivery_log(ledger.deliveries(state="cancelled"), app_config.settings.timezone)
    assert log[["Status", "Problem"]].values.tolist() == [["cancelled, not sent", ERASED]]


def test_erasure_and_purge_reach_the_follow_up_tab_on_google_sheets(shipped, fake_sheets, open_sheets, app_config,
                                                                    today):
    store = open_sheets()
    load_demo(store, app_config.forms, today)
    grace_talks_to_ann(app_config, store)
    assert make_worker(app_config, store).send().sent == 2
    # Rows appended long ago: one dated by submitted_at, one from before the app wrote it (its 1:1's date).
    store.append_rows(FOLLOW_UP, [
        ("wf-old", {"conversation_date": "2020-01-10", "listener": "Bo Listener", "participant_name": "Dan Old",
                    "participant_institution": "Hope Food Bank", "contact": "dan@example.org",
                    "submitted_at": "2020-01-10T10:00:00Z"}),
        ("wf-legacy", {"conversation_date": "8/2/2020", "listener": "Bo Listener", "participant_name": "Eve Older"})])
    data = workflow_records(app_config, store)
    tabs = store.read_tabs([*app_config.tabs, *data.tabs])
    plan, status = plan_purge(app_config, tabs, today, data)
    assert status.past[FOLLOW_UP] == 2 and plan.changed_figures == []
    assert {(c.edit.row, c.edit.column) for c in plan.changes if c.edit.tab == FOLLOW_UP} == {
        (3, "listener"), (3, "participant_name"), (3, "contact"), (4, "listener"), (4, "participant_name")}
    outcome = carry_out(store, app_config, plan, BY, today, data=data)
    assert not outcome.not_done and outcome.changed_figures == []
    header, *rows = fake_sheets.values(store.key, FOLLOW_UP)
    values = [dict(zip(header, r)) for r in rows]
    assert [(v.get("participant_name", ""), v.get("contact", "")) for v in values] == [
        ("Grace Obi", "grace.obi@example.org or 07700 900123"), ("", ""), ("", "")]  # hers is recent: kept
    assert values[1]["conversation_date"] == "2020-01-10"  # the row stays
    # Then she asks to be forgotten: erased in the sheet, with the same preview and checks.
    plan, _ = plan_erasure(app_config, every_tab(store), {}, Query.of(names="Grace Obi"), today, data)
    fake_sheets.clear_log()
    outcome = carry_out(store, app_config, plan, BY, today, data=data)
    assert not outcome.not_done and outcome.changed_figures == [] and fake_sheets.count("values_batch_update") == 1
    assert "Grace Obi" not in json.dumps(fake_sheets.values(store.key, FOLLOW_UP))
    assert "Ann Listener" in json.dumps(fake_sheets.values(store.key, FOLLOW_UP))
    assert [e.action for e in read_audit(store.read_tabs([AUDIT_TAB])[AUDIT_TAB])] == ["erasure", "purge"]


def test_an_erased_row_typed_by_hand_does_not_set_its_workflows_off_again(shipped, sqlite_store, app_config, today):
    from integrations.sqlite_store import SQLiteStore
    from organising.sheets import Tab
    assert isinstance(sqlite_store, SQLiteStore)
    form = app_config.forms["listening"]
    # No submission_id column, so the worker cannot give the row an id: it stays known by its content.
    header = [c for c in form.columns if c != "submission_id"]
    typed = {"conversation_date": "2026-11-02", "listener": "Ann Listener", "participant_name": "Grace Obi",
             "participant_institution": "Hope Food Bank", "potential_leader": "Yes", "contact": "07700 900123"}
    sqlite_store.put_tab(Tab(form.tab, header, [[typed.get(h, "") for h in header]]))  # no submission id
    worker = make_worker(app_config, sqlite_store)
    worker.run_once()  # the workflows start watching: the row is already there
    ledger = open_ledger(app_config)
    assert ledger.deliveries() == []
    data = workflow_records(app_config, sqlite_store)
    plan, _ = plan_erasure(app_config, every_tab(sqlite_store), {}, Query.of(names="Grace Obi"), today, data)
    # The row is known by its content: as it will be, it is marked as seen by both of its workflows first.
    assert {w for w, _ in plan.seen} == {"Tell the organiser about a potential leader",
                                         "Add a potential leader to the follow-up list"}
    carry_out(sqlite_store, app_config, plan, BY, today, data=data)
    tab = sqlite_store.read_tabs([form.tab])[form.tab]
    assert tab.records()[0][1]["participant_name"] == "" and {k for _, k in plan.seen} == {next(iter(row_keys(tab)))}
    scanned, sent = worker.run_once()
    assert scanned.recorded == 0 and sent.sent == 0 and shipped.mails == []


# -- retention of what was sent ---------------------------------------------------------------------

def test_what_was_sent_is_removed_after_the_retention_by_the_worker_and_never_sent_again(
        shipped, sqlite_store, app_config, today):
    ledger = open_ledger(app_config)
    worker = make_worker(app_config, sqlite_store, ledger)
    [key] = grace_signs_up(app_config, sqlite_store)
    assert worker.send().sent == 1 and len(shipped.mails) == 1
    worker.run_once()
    assert "Grace Obi" in held(ledger)  # kept while the retention lasts
    worker.clock = lambda: time.time() + 31 * DAY  # a month later
    worker.run_once()
    [delivery] = ledger.deliveries()
    assert (delivery.key, delivery.state, delivery.attempts) == (key, "sent", 1) and delivery.forgotten_at
    assert delivery.destination == "1 other address" and delivery.payload["text"] == ""
    assert [t for t in GRACE if t.casefold() in held(ledger).casefold()] == []
    [entry] = read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert (entry.who, entry.action) == (WORKER_NAME, "purge") and entry.detail.startswith("1 deliveries")
    # The key survives: the same submission records nothing, and nothing is sent again.
    form = app_config.forms["cag_signup"]
    row = sqlite_store.read_tabs([form.tab])[form.tab].records()[0][1]
    assert record_saved(app_config, sqlite_store, form, row) == []
    worker.run_once()
    assert len(shipped.mails) == 1 and len(read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])) == 1


def test_a_failed_delivery_past_the_retention_is_cancelled_and_cannot_be_retried(sqlite_store, app_config):
    ledger = open_ledger(app_config)
    old = time.time() - 40 * DAY
    ledger.record([Planned("k1", "Welcome", "cag_signup submission s1", 1, "email", "grace.obi@example.org",
                           {"to": ["grace.obi@example.org"], "cc": [], "bcc": [], "subject": "Welcome Grace Obi",
                            "text": "Dear Grace Obi", "html": "", "attach": []})], now=old)
    [delivery] = ledger.deliveries()
    ledger.attempt_failed(delivery.id, "the mail server refused every address: grace.obi@example.org (550 no)",
                          None, now=old)
    data = workflow_data(app_config, load_workflows(REPO / "config" / "workflows.yaml", app_config, {}), ledger, {})
    plan, status = plan_purge(app_config, {}, dt.date.today(), data)
    assert [d.id for d in status.deliveries] == [delivery.id] and plan.deliveries[0].cancels
    carry_out(sqlite_store, app_config, plan, BY, dt.date.today(), data=data)
    [delivery] = ledger.deliveries()
    assert delivery.state == "cancelled" and delivery.last_error == expired_reason(30)
    assert ledger.retry() == 0 and "grace" not in held(ledger).casefold()


def test_the_purge_command_removes_old_deliveries_contents_too(workflows_env, sqlite_store, app_config):
    workflows_env(SHIPPED.replace("payload_retention_days: 30", "payload_retention_days: 7"), {})
    ledger = Ledger(app_config.settings.data_dir / LEDGER_FILE)
    for key, age in (("old", 8), ("recent", 6)):
        at = time.time() - age * DAY
        ledger.record([Planned(key, "Tell the organiser", f"listening submission {key}", 1, "email",
                               "organiser@alliance.example", {"to": ["organiser@alliance.example"], "cc": [],
                                                               "bcc": [], "subject": "A leader: Grace Obi",
                                                               "text": "Grace Obi could lead", "html": "",
                                                               "attach": []})], now=at)
        ledger.sent(next(d.id for d in ledger.deliveries() if d.key == key), now=at)
    status = organising("privacy", "status")
    assert status.returncode == 0, status.stderr
    assert "The delivery log keeps what each delivery sent 7 days: 1 deliveries hold content older" in status.stdout
    assert organising("privacy", "purge").returncode == 0 and "Grace" in held(ledger)  # shown, not done
    done = organising("privacy", "purge", "--yes", "--by", "Cron job")
    assert done.returncode == 0, done.stderr
    assert "the contents of 1 deliveries removed from the delivery log" in done.stdout
    deliveries = {d.key: d for d in ledger.deliveries()}
    assert deliveries["old"].payload["subject"] == "" and deliveries["old"].forgotten_at
    assert deliveries["recent"].payload["subject"] == "A leader: Grace Obi"  # within the 7 days: kept
    [entry] = read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert (entry.who, entry.action) == ("Cron job", "purge")


# -- subject access ------------------------------------------------------------------------------------

def test_subject_access_holds_her_follow_up_row_and_what_was_sent_about_her(shipped, sqlite_store, app_config,
                                                                          today):
    ledger = open_ledger(app_config)
    grace_talks_to_ann(app_config, sqlite_store)
    assert make_worker(app_config, sqlite_store, ledger).send().sent == 2
    data = workflow_records(app_config, sqlite_store)
    export = subject_access(app_config, every_tab(sqlite_store), {}, Query.of(names="Grace Obi"), today, data)
    assert (export.rows, export.deliveries) == (2, 2) and export.summary == (
        "2 rows from 2 tabs and 2 deliveries the workflows sent")
    book = openpyxl.load_workbook(io.BytesIO(export.workbook))
    assert book.sheetnames == ["About this export", "1-1s", FOLLOW_UP, DELIVERIES_SHEET]
    follow_up = list(book[FOLLOW_UP].iter_rows(values_only=True))
    assert "participant_name, contact" in follow_up[1][-1]  # where she is found
    sent = list(book[DELIVERIES_SHEET].iter_rows(values_only=True))
    assert sent[0] == ("Delivery", "Made", "Workflow", "What", "To", "Status", "Sent", "What it sent")
    texts = {row[3]: row[-1] for row in sent[1:]}
    assert "Subject: A potential leader from St Aidan's Church: Grace Obi" in texts["email"]
    assert texts["append"].startswith("Append to the Leader follow-up tab:") and "participant_name: Grace Obi" in \
        texts["append"]
    about = " ".join(str(r[0]) for r in book["About this export"].iter_rows(values_only=True))
    assert "2 messages the app sent" in about and "30 days" in about


# -- what the delivery log keeps -------------------------------------------------------------------------

def test_what_is_kept_of_a_delivery_names_the_alliances_own_addresses_only(data_dir):
    ledger = Ledger(data_dir / LEDGER_FILE)
    ledger.record([Planned("k", "Minutes", "forum_meeting submission s1", 1, "email",
                           "organiser@alliance.example and 2 more",
                           {"to": ["organiser@alliance.example"], "cc": [], "bcc": ["a@x.org", "b@y.org"],
                            "subject": "Minutes", "text": "…", "html": "<p>…</p>", "attach": []})])
    [delivery] = ledger.deliveries()
    ledger.attempt_failed(delivery.id, "the mail server refused every address: a@x.org (550 'no such user')", None)
    [delivery] = ledger.deliveries()
    destination, payload, error = without_content(delivery, {"organiser@alliance.example"})
    assert destination == "organiser@alliance.example, 2 other addresses"
    assert payload == {"to": ["organiser@alliance.example"], "cc": [], "bcc": [], "subject": "", "text": "",
                       "html": "", "attach": []}
    assert error == "the mail server refused every address: (an address) (550 '…')"


def test_a_delivery_log_from_before_retention_opens_with_nothing_lost(data_dir):
    path = data_dir / LEDGER_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript("""
CREATE TABLE deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, workflow TEXT NOT NULL,
    trigger TEXT NOT NULL, action INTEGER NOT NULL, kind TEXT NOT NULL, destination TEXT NOT NULL,
    payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL,
    next_attempt_at REAL NOT NULL, sent_at REAL, last_error TEXT NOT NULL DEFAULT '', lease_owner TEXT,
    lease_until REAL, test INTEGER NOT NULL DEFAULT 0);
INSERT INTO deliveries(key, workflow, trigger, action, kind, destination, payload, state, created_at,
    next_attempt_at) VALUES ('k', 'W', 't', 1, 'append', 'tab F', '{"tab": "F", "row": {"a": "b"}}', 'due', 1, 1);
""")
    db.close()
    [delivery] = Ledger(path).deliveries()
    assert (delivery.key, delivery.state, delivery.payload, delivery.forgotten_at) == (
        "k", "due", {"tab": "F", "row": {"a": "b"}}, None)
