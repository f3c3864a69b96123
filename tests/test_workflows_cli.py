"""The command line runs the same code as the page: submit validates as the
form does (exit 2, nothing saved), saves and records deliveries; worker and
deliveries send, list and retry."""
from __future__ import annotations

import os
import subprocess
import sys

from integrations.delivery import open_ledger
from tests.conftest import REPO

FOLLOW_UP = """
workflows:
  - name: Follow up
    on: {submitted: cag_signup}
    when: "${area} = 'fishermead'"
    actions: [{append: {tab: Follow-up, row: {group: "{{ organisation }}"}}}]
  - name: To the CRM
    on: {submitted: cag_signup}
    actions: [{webhook: {url: "http://127.0.0.1:9/unreachable"}}]
delivery: {timeout_seconds: 1, retry_after_minutes: [1]}
"""
GOOD = ["organisation=Food Bank", "contact_name=Ann", "email=ann@example.org", "area=fishermead",
        "what_we_do=Food parcels", "consent_to_contact=yes"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "organising", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


def tab_rows(sqlite_store, tab: str) -> list[dict]:
    return [r for _, r in sqlite_store.read_tabs([tab])[tab].records()]


def test_submit_saves_records_the_deliveries_and_prints_the_id(workflows_env, sqlite_store, app_config):
    workflows_env(FOLLOW_UP)
    done = run("submit", "cag_signup", *GOOD)
    assert done.returncode == 0, done.stderr
    submission_id = done.stdout.strip()
    [row] = tab_rows(sqlite_store, "CAG sign-ups")
    assert row["submission_id"] == submission_id and row["submitted_by"] == "(command line)"
    assert row["consent_to_contact"] == "yes"
    assert sorted(d.workflow for d in open_ledger(app_config).deliveries()) == ["Follow up", "To the CRM"]


def test_submit_with_invalid_answers_prints_each_problem_exits_2_and_saves_nothing(workflows_env, sqlite_store,
                                                                                 app_config):
    workflows_env(FOLLOW_UP)
    done = run("submit", "cag_signup", "organisation=X", "email=not-an-address", "area=atlantis", "colour=blue")
    assert done.returncode == 2 and done.stdout == ""
    for expected in ("colour: the cag_signup form has no such question", "email: Please enter an email address",
                     "area: Please choose one of the options", "contact_name: Please write an answer.",
                     "consent_to_contact: Please tick to confirm", "Nothing was saved."):
        assert expected in done.stderr
    assert tab_rows(sqlite_store, "CAG sign-ups") == [] and open_ledger(app_config).deliveries() == []


def test_submit_checks_a_choice_read_from_another_tab_as_the_page_does(workflows_env, sqlite_store):
    workflows_env(FOLLOW_UP)
    sqlite_store.append_row("Events", {"event_type": "issues_workshop", "title": "Workshop", "event_date": "2026-10-01"},
                            "event-1")
    answers = ["attendee_name=Ann", "role=leader"]
    assert run("submit", "attendance", "event_id=event-2", *answers).returncode == 2
    assert run("submit", "attendance", "event_id=event-1", *answers).returncode == 0
    [row] = tab_rows(sqlite_store, "Attendance")
    assert row["event_id"] == "event-1" and row["event"] == "Workshop (2026-10-01)"


def test_worker_once_sends_what_is_due_and_deliveries_lists_and_retries(workflows_env, sqlite_store, app_config):
    workflows_env(FOLLOW_UP)
    assert run("submit", "cag_signup", *GOOD).returncode == 0
    done = run("worker", "--once")
    assert done.returncode == 0 and "1 sent, 1 to retry later" in done.stdout
    assert [r["group"] for r in tab_rows(sqlite_store, "Follow-up")] == ["Food Bank"]
    listed = run("deliveries").stdout
    assert "Follow up\tappend\ttab Follow-up\tsent" in listed and "To the CRM\twebhook" in listed
    ledger = open_ledger(app_config)
    [hook] = ledger.deliveries(workflow="To the CRM")
    ledger.attempt_failed(hook.id, "could not be reached", None)  # its tries are used up
    failed = run("deliveries", "--failed").stdout
    assert "To the CRM" in failed and "Follow up" not in failed
    assert run("deliveries", "retry").returncode == 2
    assert "1 failed deliveries are due again" in run("deliveries", "retry", "--all").stdout
    assert ledger.get(hook.id).state == "due"


def test_a_broken_workflows_file_is_reported_and_the_command_line_still_works(workflows_env, sqlite_store):
    workflows_env("workflows: [")
    done = run("submit", "cag_signup", *GOOD)
    assert done.returncode == 0
    worker = run("worker", "--once")
    assert worker.returncode == 0 and "is not valid YAML" in worker.stderr


def test_demo_rows_loaded_after_the_worker_started_fire_no_workflow(workflows_env, app_config):
    workflows_env(FOLLOW_UP.replace("when: \"${area} = 'fishermead'\"", ""))
    assert run("worker", "--once").returncode == 0  # the workflows are watching the empty tabs
    assert run("demo").returncode == 0
    assert run("worker", "--once").returncode == 0
    assert open_ledger(app_config).deliveries() == []


def test_an_import_is_history_unless_run_workflows_is_asked_for(workflows_env, sqlite_store, app_config, tmp_path):
    from tests.test_import import write_workbook
    workflows_env(FOLLOW_UP)
    assert run("worker", "--once").returncode == 0  # watching the empty tabs
    header = ["organisation", "contact_name", "email", "area", "what_we_do", "consent_to_contact"]
    book = tmp_path / "sheet.xlsx"
    write_workbook(book, {"CAG sign-ups": [header, ["Old Group", "Ann", "a@example.org", "fishermead", "Food", "yes"]]})
    assert run("import", str(book)).returncode == 0
    assert open_ledger(app_config).deliveries() == []
    write_workbook(book, {"CAG sign-ups": [header, ["New Group", "Bo", "b@example.org", "Fishermead", "Food", "yes"]]})
    done = run("import", str(book), "--force", "--run-workflows")
    assert done.returncode == 0 and "2 deliveries recorded" in done.stderr
    assert run("worker", "--once").returncode == 0
    assert [r["group"] for r in tab_rows(sqlite_store, "Follow-up")] == ["New Group"]
