"""Workflows as data: what loads, what is refused at load and why, templates,
privacy, and what each trigger records in the ledger (once)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from organising.forms.submissions import submission_row
from organising.sheets import Tab
from organising.workflows.context import Sources
from organising.workflows.ledger import LEDGER_FILE, Ledger
from organising.workflows.planner import record_submission, row_keys, scan
from organising.workflows.spec import load_workflows

REPO = Path(__file__).resolve().parent.parent
MAIL = {"smtp": {"host": "127.0.0.1", "sender": "organiser@alliance.example"},
        "recipients": {"organiser": "organiser@alliance.example", "coordinators": ["c1@alliance.example"],
                       "trustees": "trustees@alliance.example", "campaigns": "campaigns@alliance.example"},
        "webhook_secrets": {"team_chat": "http://127.0.0.1:9/chat", "crm_hook": "http://127.0.0.1:9/crm",
                            "crm_key": "k"}}
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(minutes=1)


def load(tmp_path, app_config, text: str, secrets: dict | None = None):
    path = tmp_path / "workflows.yaml"
    path.write_text(text, encoding="utf-8")
    return load_workflows(path, app_config, MAIL if secrets is None else secrets)


def one(tmp_path, app_config, text: str, secrets: dict | None = None):
    found = load(tmp_path, app_config, text, secrets)
    assert not found.problems, [str(p) for p in found.problems]
    [workflow] = found.workflows
    return workflow


def problem(tmp_path, app_config, text: str) -> str:
    found = load(tmp_path, app_config, text)
    assert not found.workflows
    [p] = found.problems
    return str(p)


def sources(app_config, tabs: dict, now=NOW, recipients=None) -> Sources:
    return Sources(app_config, lambda: tabs, now, recipients or {"organiser": "organiser@alliance.example",
                                                                 "campaigns": "campaigns@alliance.example"})


WELCOME = """
workflows:
  - name: Welcome
    on: {submitted: cag_signup}
    when: "${consent_to_contact} = 'yes'"
    actions:
      - email: {to: "{{ email }}", subject: "Welcome {{ organisation }}", body: "Hello {{ contact_name }}",
                html: "<p>Hello {{ contact_name }} of {{ organisation }}</p>"}
"""


# -- loading ---------------------------------------------------------------------------

def test_the_shipped_workflows_load_and_wait_for_their_settings(app_config):
    found = load_workflows(REPO / "config" / "workflows.yaml", app_config, {})
    assert not found.problems
    names = {w.name: w for w in found.workflows}
    assert len(names) >= 8
    # Only the follow-up list needs no outside address: it runs out of the box.
    assert [n for n, w in names.items() if not w.waiting and w.enabled] == ["Add a potential leader to the follow-up list"]
    assert names["Welcome a new CAG"].waiting == "waiting for mail settings ([smtp] in the secrets file)"
    configured = load_workflows(REPO / "config" / "workflows.yaml", app_config, MAIL)
    assert not configured.problems and not any(w.waiting for w in configured.workflows)


@pytest.mark.parametrize("text, expected", [
    ("workflows: [", "is not valid YAML"),
    ("workflows:\n  - {name: W, on: {submitted: nope}, actions: [{email: {to: a@b.org, subject: s, body: b}}]}",
     "workflow 'W': on: no form has the id 'nope'"),
    ("workflows:\n  - {name: W, on: {schedule: 'someday 9'}, actions: [{email: {to: a@b.org, subject: s, body: b}}]}",
     "workflow 'W': on: schedule:"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, actions: [{fax: {to: 1}}]}",
     "workflow 'W': actions[1]: each action is one of email, webhook, chat, append"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, when: \"${nope} = 'yes'\", "
     "actions: [{email: {to: a@b.org, subject: s, body: b}}]}", "when: ${nope} is not a field of the cag_signup form"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, when: \"${area = \", "
     "actions: [{email: {to: a@b.org, subject: s, body: b}}]}", "workflow 'W': when:"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, actions: [{email: {to: a@b.org, subject: s, "
     "body: 'Hi {{ organisaton }}'}}]}", "actions[1] email body: {{ organisaton }} is not a field of the cag_signup"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, actions: [{email: {to: a@b.org, subject: s, "
     "body: 'Hi {{ organisation '}}]}", "actions[1] email body: unexpected"),
    ("workflows:\n  - {name: W, on: {condition: rain}, actions: [{email: {to: a@b.org, subject: s, body: b}}]}",
     "condition 'rain' is not one the app computes"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, actions: [{append: {tab: Events, row: {a: b}}}]}",
     "tab 'Events' is a form's tab"),
    ("workflows:\n  - {name: W, on: {submitted: cag_signup}, actions: [{append: {tab: F, row: {Submitted At: b}}}]}",
     "row: the app writes 'Submitted At' itself"),
])
def test_a_wrong_workflow_is_named_with_its_file_and_reason(tmp_path, app_config, text, expected):
    message = problem(tmp_path, app_config, text)
    assert str(tmp_path / "workflows.yaml") in message and expected in message


def test_one_wrong_workflow_does_not_stop_the_others(tmp_path, app_config):
    found = load(tmp_path, app_config, WELCOME + """
  - name: Broken
    on: {submitted: cag_signup}
    actions: [{email: {to: a@b.org, subject: s, body: "{{ no_such_field }}"}}]
  - name: Welcome
    on: {submitted: cag_signup}
    actions: [{email: {to: a@b.org, subject: s, body: b}}]
""")
    assert [w.name for w in found.workflows] == ["Welcome"]
    assert [p.workflow for p in found.problems] == ["Broken", "Welcome"]
    assert "used by another workflow" in found.problems[1].message


@pytest.mark.parametrize("action", [
    "{webhook: {url: crm_hook, body: '{\"who\": {{ contact_name }}}'}}",
    "{chat: {url: team_chat, text: 'New: {{ email }}'}}",
    "{email: {to: '{{ recipients.campaigns }}', subject: s, body: '{{ contact_name }}'}}",
    "{email: {to: '{{ recipients.trustees }}', subject: s, body: '{{ organisation }}'}}",
])
def test_personal_fields_never_leave_by_webhook_chat_or_to_others_unless_allowed(tmp_path, app_config, action):
    text = f"workflows:\n  - {{name: W, on: {{submitted: cag_signup}}, actions: [{action}]}}"
    assert "personal data" in problem(tmp_path, app_config, text) or "aggregates only" in problem(tmp_path, app_config,
                                                                                                   text)
    allowed = text.replace("name: W,", "name: W, allow_personal: true,")
    if "trustees" in action:  # trustees get aggregates only, whatever the workflow says
        assert "aggregates only" in problem(tmp_path, app_config, allowed)
    else:
        assert load(tmp_path, app_config, allowed).workflows


def test_coordinators_and_the_group_itself_may_read_its_answers(tmp_path, app_config):
    one(tmp_path, app_config, WELCOME)  # the group's own contact name, to the address it gave
    one(tmp_path, app_config, "workflows:\n  - {name: W, on: {submitted: listening}, actions: [{email: {to: "
                              "'{{ recipients.organiser }}', subject: s, body: '{{ what_they_said }} {{ contact }}'}}]}")


# -- templates: values stay inert -------------------------------------------------------------

def signup(**answers) -> dict[str, str]:
    values = {"organisation": "Food Bank", "contact_name": "Ann Adeyemi", "email": "ann@example.org",
              "area": "fishermead", "what_we_do": "Food", "consent_to_contact": "yes", **answers}
    return values


def planned_for(workflow, app_config, record, tabs=None):
    from organising.workflows.planner import submission_plan
    form = app_config.forms[workflow.trigger.form]
    row = submission_row(form, record, "s1", "Vic", NOW)
    return submission_plan(workflow, form, row, "id s1", sources(app_config, tabs or {}))


def test_a_value_that_looks_like_markup_or_a_formula_stays_inert_everywhere(tmp_path, app_config):
    hostile = '<script>alert(1)</script> =IMPORTXML("http://x") & <!channel>'
    workflow = one(tmp_path, app_config, WELCOME)
    [mail] = planned_for(workflow, app_config, signup(organisation=hostile))
    assert "<script>" not in mail.payload["html"] and "&lt;script&gt;" in mail.payload["html"]
    assert mail.payload["subject"] == "Welcome " + hostile  # plain text is shown as text
    hooks = one(tmp_path, app_config, """
workflows:
  - name: Out
    on: {submitted: cag_signup}
    actions:
      - chat: {url: team_chat, text: "New: {{ organisation }} <https://alliance.example|see>"}
      - webhook: {url: crm_hook, body: '{"group": {{ organisation }}, "forum": {{ area }}}'}
      - append: {tab: Follow-up, row: {group: "{{ organisation }}"}}
""")
    chat, webhook, append = planned_for(hooks, app_config, signup(organisation=hostile))
    text = json.loads(chat.payload["body"])["text"]
    assert "&lt;!channel&gt;" in text and "&amp;" in text and text.endswith("<https://alliance.example|see>")
    assert json.loads(webhook.payload["body"]) == {"group": hostile, "forum": "fishermead"}
    # Dated like a form's row (submitted_at, UTC), so the retention purge can age it.
    assert append.payload["row"] == {"group": hostile, "submitted_at": "2026-12-03T10:00:00Z"}


def test_the_default_webhook_body_leaves_personal_fields_out(tmp_path, app_config):
    workflow = one(tmp_path, app_config, "workflows:\n  - {name: W, on: {submitted: cag_signup}, "
                                         "actions: [{webhook: {url: crm_hook}}]}")
    [hook] = planned_for(workflow, app_config, signup())
    data = json.loads(hook.payload["body"])["data"]
    assert data["organisation"] == "Food Bank" and data["area"] == "fishermead"
    assert not {"contact_name", "email", "phone", "submitted_by", "roster"} & set(data)


def test_the_welcome_names_the_next_forum_from_the_events_tab(tmp_path, app_config):
    workflow = one(tmp_path, app_config, WELCOME.replace('body: "Hello {{ contact_name }}"',
                                                         'body: "Next: {{ next_forum.date | date }} at {{ next_forum.place }}"'))
    events = Tab("Events", ["event_type", "title", "event_date", "area", "place", "submission_id"],
                 [["cag_meeting", "Forum", "2026-12-01", "fishermead", "Old hall", "e0"],
                  ["CAG meeting", "Forum", "2026-12-08", "Fishermead", "Church hall", "e1"],
                  ["cag_meeting", "Forum", "2026-12-09", "bletchley", "Library", "e2"]])
    [mail] = planned_for(workflow, app_config, signup(), {"Events": events})
    assert mail.payload["text"] == "Next: Tuesday 8 December 2026 at Church hall"


def test_when_reads_a_hand_typed_choice_as_the_app_stores_it(tmp_path, app_config):
    workflow = one(tmp_path, app_config, WELCOME)
    assert planned_for(workflow, app_config, signup(consent_to_contact="Yes"))
    assert not planned_for(workflow, app_config, signup(consent_to_contact="no"))


def test_a_delivery_that_cannot_be_made_is_recorded_as_failed_with_the_reason(tmp_path, app_config):
    workflow = one(tmp_path, app_config, WELCOME)
    [mail] = planned_for(workflow, app_config, signup(email="not an address"))
    assert mail.error == "actions[1] email to: 'not' is not an e-mail address"


# -- triggers and the ledger -------------------------------------------------------------------

def cag_tab(rows: list[list[str]]) -> Tab:
    return Tab("CAG sign-ups", ["organisation", "contact_name", "email", "area", "what_we_do", "consent_to_contact",
                                "submission_id"], rows)


def test_a_row_is_recorded_once_whether_the_page_or_the_scan_meets_it_first(tmp_path, app_config, data_dir):
    workflows = load(tmp_path, app_config, WELCOME)
    ledger = Ledger(data_dir / LEDGER_FILE)
    tab = cag_tab([])
    scan(workflows, ledger, sources(app_config, {"CAG sign-ups": tab}), {})  # the baseline: nothing yet
    form = app_config.forms["cag_signup"]
    row = submission_row(form, signup(), "s1", "Vic", NOW)
    assert len(record_submission(workflows, ledger, form, row, sources(app_config, {}), {})) == 1
    tab = cag_tab([[row[c] for c in tab.header]])
    assert scan(workflows, ledger, sources(app_config, {"CAG sign-ups": tab}), {}).recorded == 0
    assert len(ledger.deliveries()) == 1


def test_a_new_workflow_does_not_fire_for_rows_already_there_but_for_rows_typed_later(tmp_path, app_config,
                                                                                      data_dir):
    workflows = load(tmp_path, app_config, WELCOME)
    ledger = Ledger(data_dir / LEDGER_FILE)
    old = [[f"Group {n}", "Ann", f"g{n}@example.org", "fishermead", "Food", "yes", f"s{n}"] for n in range(30)]
    report = scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab(old)}), {})
    assert report.baselined == ["Welcome"] and ledger.deliveries() == []
    typed = [["Typed Group", "Bo", "bo@example.org", "Fishermead", "Food", "Yes", ""]]
    rows = typed + list(reversed(old))  # someone sorted the sheet, and typed a row at the top
    assert scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab(rows)}), {}).recorded == 0
    # A minute later it looks the same: typed in full.
    assert scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab(rows)}, LATER), {}).recorded == 1
    assert scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab(old + typed)}, LATER),
                {}).recorded == 0
    [mail] = ledger.deliveries()
    assert mail.payload["to"] == ["bo@example.org"] and mail.trigger == "cag_signup row typed in the sheet"


def test_a_row_typed_a_cell_at_a_time_fires_once_when_it_stops_changing(tmp_path, app_config, data_dir):
    workflows = load(tmp_path, app_config, WELCOME)
    ledger = Ledger(data_dir / LEDGER_FILE)
    minute = dt.timedelta(minutes=1)
    scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([])}), {})  # the baseline: nothing yet
    row = ["Typed Group", "", "", "", "", "", ""]
    for at, (column, cell) in enumerate([(1, "Bo"), (2, "bo@example.org"), (3, "Fishermead"), (5, "Yes")], 1):
        row[column] = cell  # each look at the tabs finds it further along
        looked = scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([list(row)])}, NOW + at * minute),
                      {})
        assert looked.recorded == 0 and ledger.deliveries() == []
    for at in (5, 6, 7):  # then it stays as it is
        scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([list(row)])}, NOW + at * minute), {})
    [mail] = ledger.deliveries()
    assert mail.payload["to"] == ["bo@example.org"] and mail.payload["text"] == "Hello Bo"
    # A row the app (or anything giving a submission id) wrote is whole: it fires at the first look.
    row_with_id = ["Whole Group", "Cy", "cy@example.org", "Fishermead", "Food", "Yes", "s-cy"]
    assert scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([row, row_with_id])},
                                           NOW + 8 * minute), {}).recorded == 1


def test_how_long_a_typed_row_must_stay_the_same_is_a_setting(tmp_path, app_config):
    assert load(tmp_path, app_config, WELCOME).delivery.settle_seconds == 30
    assert load(tmp_path, app_config, "delivery: {settle_seconds: 120}\n" + WELCOME).delivery.settle_seconds == 120
    broken = load(tmp_path, app_config, "delivery: {settle_seconds: -1}\n" + WELCOME)
    assert "settle_seconds: must be a number from 0 to 86400" in str(broken.problems[0])


def test_content_keys_tell_identical_hand_typed_rows_apart_and_ignore_spacing_and_column_order():
    row = ["Typed Group", "Bo", "bo@example.org", "fishermead", "Food", "yes", ""]
    tab = cag_tab([row, [], [f" {c} " for c in row], row])
    keys = list(row_keys(tab))
    assert len(keys) == 3 and keys[0].endswith("#1") and keys[2].endswith("#3")
    moved = Tab("x", list(reversed(tab.header)), [list(reversed(row))])
    assert next(iter(row_keys(moved))) == keys[0]


def test_a_schedule_fires_once_per_occurrence_from_when_it_was_first_seen(tmp_path, app_config, data_dir):
    workflows = load(tmp_path, app_config, """
workflows:
  - name: Digest
    on: {schedule: "mon 09:00"}
    actions: [{email: {to: "{{ recipients.organiser }}", subject: "{{ one_to_ones_this_week }} 1:1s", body: b}}]
""")
    ledger = Ledger(data_dir / LEDGER_FILE)
    thursday = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.timezone.utc)
    scan(workflows, ledger, sources(app_config, {}, thursday), {})
    scan(workflows, ledger, sources(app_config, {}, thursday + dt.timedelta(days=3)), {})  # Sunday: not yet
    assert ledger.deliveries() == []
    monday = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone.utc)
    for _ in range(2):
        scan(workflows, ledger, sources(app_config, {}, monday), {})
    [digest] = ledger.deliveries()
    assert digest.trigger == "schedule 2026-12-07 09:00" and digest.payload["subject"] == "0 1:1s"


def test_an_overdue_pledge_is_sent_once_per_due_date_after_the_baseline(tmp_path, app_config, data_dir):
    workflows = load(tmp_path, app_config, """
workflows:
  - name: Pledges
    on: {condition: pledge_overdue, at: "09:00"}
    actions: [{email: {to: "{{ recipients.campaigns }}", subject: "{{ pledge.power_holder }}", body: "{{ pledge.ask }}"}}]
""")
    ledger = Ledger(data_dir / LEDGER_FILE)
    pledges = Tab("Pledges", ["power_holder", "ask", "answer", "due_date", "made_on", "submission_id"],
                  [["Cllr Old", "Old ask", "yes", "2026-10-01", "2026-09-01", "p0"]])
    scan(workflows, ledger, sources(app_config, {"Pledges": pledges}), {})  # p0 was overdue already: baseline
    pledges = Tab("Pledges", pledges.header, [*pledges.rows,
                                              ["Cllr Ray", "Light the redway", "yes", "2026-12-05", "2026-11-01", "p1"]])
    early = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.timezone.utc)
    assert scan(workflows, ledger, sources(app_config, {"Pledges": pledges}, early), {}).recorded == 0  # before 09:00
    later = dt.datetime(2026, 12, 6, 9, 5, tzinfo=dt.timezone.utc)
    for _ in range(2):
        scan(workflows, ledger, sources(app_config, {"Pledges": pledges}, later), {})
    [reminder] = ledger.deliveries()
    assert reminder.payload["subject"] == "Cllr Ray" and reminder.trigger == "pledge p1 overdue since 2026-12-05"


def test_a_workflow_switched_off_records_nothing_and_does_not_catch_up_when_on_again(tmp_path, app_config, data_dir):
    workflows = load(tmp_path, app_config, WELCOME)
    ledger = Ledger(data_dir / LEDGER_FILE)
    scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([])}), {})
    ledger.switch("Welcome", False, "Cora")
    row = ["Group", "Ann", "a@example.org", "fishermead", "Food", "yes", "s1"]
    scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([row])}), ledger.switches())
    ledger.switch("Welcome", True, "Cora")
    scan(workflows, ledger, sources(app_config, {"CAG sign-ups": cag_tab([row])}), ledger.switches())
    assert ledger.deliveries() == []
