"""Retention purge, erasure and subject access on real stores (SQLite, and
Google Sheets through the fake API) with the demo alliance: personal cells
go, rows stay, and no figure a funder or a coordinator reads changes."""
from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from organising.config import load_config
from organising.counting.metrics import compute_report
from organising.privacy.access import subject_access
from organising.privacy.audit import AUDIT_TAB, read_audit
from organising.privacy.erasure import plan_erasure
from organising.privacy.figures import figures
from organising.privacy.personal import REMOVED, personal_columns, waiting_tabs
from organising.privacy.plan import carry_out
from organising.privacy.retention import cutoff, plan_purge, retention_status
from organising.privacy.search import Query
from organising.reporting.reports import as_json
from organising.sheets import Tab
from organising.tools.demo import load_demo
from tests.privacy import add_a_phone_and_a_merge

MERGES_TAB = load_config().forms["person_merge"].tab

BY = "Cora Coordinator"


def tabs_of(store, config) -> dict[str, Tab]:
    return store.read_tabs(list(config.tabs))


def reports(config, tabs, today) -> dict[str, str]:
    """Every programme's funder report, as the report command prints it."""
    return {name: as_json(compute_report(p, tabs, config.forms, today)) for name, p in config.programmes.items()}


def personal_cells(config, tabs, before: dt.date | None = None, since: dt.date | None = None,
                   tabs_left_out: tuple[str, ...] = ()) -> list[str]:
    """Every personal cell still holding something of a person, in rows
    recorded before `before` or on or after `since`."""
    from organising.privacy.personal import located, row_dates
    from organising.privacy.retention import holds_personal_data
    found = []
    columns = personal_columns(config)
    for form in config.forms.values():
        tab = tabs[form.tab]
        if form.tab in tabs_left_out:
            continue
        for row, day in zip(tab.rows, row_dates(tab, form)):
            if (before is not None and (day is None or day >= before)) or (since is not None and (day is None or day < since)):
                continue
            found += [row[col] for c, col in located(tab, columns[form.tab])
                      if col < len(row) and holds_personal_data(row[col], c.kind)]
    return found


def row_counts(tabs) -> dict[str, int]:
    return {name: len(tab.records()) for name, tab in tabs.items()}


@pytest.fixture
def demo(sqlite_store, app_config, today):
    load_demo(sqlite_store, app_config.forms, today)
    add_a_phone_and_a_merge(sqlite_store)
    return sqlite_store


def test_the_purge_blanks_personal_data_past_retention_and_no_figure_changes(demo, app_config, today):
    tabs = tabs_of(demo, app_config)
    limit = cutoff(app_config.settings.retention_months, today)
    assert personal_cells(app_config, tabs, limit)  # the demo has personal data older than two years
    plan, status = plan_purge(app_config, tabs, today)
    assert status.rows_past > 200 and plan.changed_figures == []
    done = carry_out(demo, app_config, plan, BY, today)
    assert done.changed_figures == [] and not done.not_done
    after = tabs_of(demo, app_config)
    # Funder report before == after, and every other figure (dashboard, pipeline, institutions, events…).
    assert reports(app_config, after, today) == reports(app_config, tabs, today)
    assert figures(app_config, after, today) == figures(app_config, tabs, today)
    assert personal_cells(app_config, after, limit) == []
    newer = personal_cells(app_config, tabs, since=limit, tabs_left_out=(MERGES_TAB,))
    assert newer and personal_cells(app_config, after, since=limit, tabs_left_out=(MERGES_TAB,)) == newer  # kept
    rows = row_counts(after)
    assert {t: n for t, n in rows.items() if t != MERGES_TAB} == {t: n for t, n in row_counts(tabs).items()
                                                                  if t != MERGES_TAB}  # every row kept
    assert rows[MERGES_TAB] == row_counts(tabs)[MERGES_TAB] + len(plan.links)
    # The audit log says a purge happened and how much, never whose.
    [entry] = read_audit(demo.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert (entry.who, entry.action) == (BY, "purge") and entry.detail.startswith(f"{len(plan.removed)} personal cells")
    assert not any(name in entry.detail for name in personal_cells(app_config, tabs))
    # Nothing is left to purge.
    again, status = plan_purge(app_config, after, today)
    assert again.changes == [] and status.rows_past == 0


def test_after_a_purge_someone_signing_in_again_still_counts_once(demo, app_config, today):
    tabs = tabs_of(demo, app_config)
    limit = cutoff(app_config.settings.retention_months, today).isoformat()
    records = [r for _, r in tabs["Attendance"].records()]
    newer = {(r["attendee_name"], r["institution"]) for r in records if r["submitted_at"] >= limit}
    # Someone with records both sides of the limit: their older ones are purged, their name stays on the newer.
    old = next(r for r in records if r["submitted_at"] < limit and (r["attendee_name"], r["institution"]) in newer)
    new_sign_in = {**{k: old[k] for k in ("event_id", "event", "attendee_name", "institution", "role")},
                   "submitted_at": f"{today.isoformat()}T10:00:00Z"}
    carry_out(demo, app_config, plan_purge(app_config, tabs, today)[0], BY, today)
    purged = tabs_of(demo, app_config)
    # The same person signs in again by name, as a volunteer types it: the merge the purge
    # recorded joins them to the pseudonym their old rows carry.
    for store_tabs in (tabs, purged):
        store_tabs["Attendance"].rows.append([new_sign_in.get(h, "") for h in store_tabs["Attendance"].header])
    fresh = {name: Tab(name, t.header, t.rows) for name, t in purged.items()}
    before = {name: Tab(name, t.header, t.rows) for name, t in tabs.items()}
    assert figures(app_config, fresh, today) == figures(app_config, before, today)


def test_a_merge_of_someone_with_no_record_left_is_purged_too(sqlite_store, app_config, today):
    long_ago = "2020-01-10T10:00:00Z"
    sqlite_store.append_rows("Attendance", [
        ("a1", {"event_id": "e1", "attendee_name": "Dorota Hussain", "institution": "Hope", "submitted_at": long_ago}),
        ("a2", {"event_id": "e1", "attendee_name": "Dorota Husain", "institution": "Hope", "submitted_at": long_ago})])
    sqlite_store.append_row(MERGES_TAB, {"keep_name": "Dorota Hussain", "keep_institution": "Hope",
                                         "merge_name": "Dorota Husain", "merge_institution": "Hope",
                                         "reason": "same person", "submitted_at": today.isoformat()}, "m1")
    tabs = tabs_of(sqlite_store, app_config)
    plan, _ = plan_purge(app_config, tabs, today)
    carry_out(sqlite_store, app_config, plan, BY, today)
    merge = tabs_of(sqlite_store, app_config)[MERGES_TAB].records()[0][1]
    assert merge["keep_name"] == merge["merge_name"] and merge["keep_name"].startswith("anon-")
    assert [r["person_id"] for _, r in tabs_of(sqlite_store, app_config)["Attendance"].records()] == \
        [merge["keep_name"]] * 2  # still one person


def grace(store) -> None:
    """Grace Obi, in four tabs, known by two spellings and one e-mail."""
    store.append_row("CAG sign-ups", {"organisation": "Tenants' Forum", "contact_name": "Grace Obi",
                                      "email": "grace.obi@example.org", "phone": "07700 900123",
                                      "what_we_do": "=HYPERLINK(\"http://x\")"}, "g-cag")
    store.append_row("1:1s", {"conversation_date": "2026-10-01", "listener": "Ann Listener",
                              "listener_institution": "St Aidan's Church", "participant_name": "Grace Obi",
                              "participant_institution": "Hope Food Bank", "what_they_said": "Mould on Grace's walls",
                              "potential_leader": "yes", "contact": "Grace.Obi@example.org or +44 7700 900123",
                              "submitted_at": "2026-10-01T10:00:00Z"}, "g-121")
    store.append_row("Leader roles", {"person_name": "G. Obi", "institution": "Hope Food Bank", "role": "testimony",
                                      "role_date": "2026-10-20", "notes": "Spoke well"}, "g-role")
    store.append_row(MERGES_TAB, {"keep_name": "Grace Obi", "keep_institution": "Hope Food Bank",
                                  "merge_name": "G. Obi", "merge_institution": "Hope Food Bank",
                                  "reason": "phoned"}, "g-merge")


def test_erasure_finds_a_person_by_e_mail_across_tabs_and_leaves_every_figure(demo, app_config, today):
    grace(demo)
    tabs = tabs_of(demo, app_config)
    events = [r for _, r in tabs["Events"].records() if r["event_type"] == "one_day_training"]
    demo.append_row("Attendance", {"event_id": events[0]["submission_id"], "attendee_name": "grace obi ",
                                   "institution": "Hope Food Bank", "role": "trainee"}, "g-att")
    tabs = tabs_of(demo, app_config)
    plan, found = plan_erasure(app_config, tabs, {}, Query.of(emails="grace.obi@example.org"), today)
    assert plan.changed_figures == []
    preview = {(line["Tab"], line["Column"]) for line in plan.preview()}
    assert {("CAG sign-ups", "contact_name"), ("CAG sign-ups", "email"), ("CAG sign-ups", "phone"),
            ("1:1s", "participant_name"), ("1:1s", "what_they_said"), ("1:1s", "contact"),
            ("Attendance", "attendee_name"), ("Leader roles", "person_name"), ("Leader roles", "notes"),
            (MERGES_TAB, "keep_name"), (MERGES_TAB, "merge_name")} <= preview
    assert ("1:1s", "listener") not in preview  # the listener is someone else
    # Another sign-up gave her name and phone but no e-mail: her names are offered to search for too.
    assert found.names == ["G. Obi", "Grace Obi"]
    plan, found = plan_erasure(app_config, tabs, {}, Query.of("; ".join(found.names), emails="grace.obi@example.org"),
                               today)
    assert plan.changed_figures == [] and found.names == []
    outcome = carry_out(demo, app_config, plan, BY, today)
    assert outcome.changed_figures == [] and not outcome.not_done
    after = tabs_of(demo, app_config)
    assert reports(app_config, after, today) == reports(app_config, tabs, today)
    held = json.dumps({name: tab.rows for name, tab in after.items()})
    traces = ("Grace Obi", "grace obi", "G. Obi", "grace.obi@example.org", "Grace.Obi@example.org", "07700 900123",
              "Mould on Grace's walls")
    assert [t for t in traces if t in held] == []
    assert "Ann Listener" in held and "HYPERLINK" in held  # not hers: the listener, and her group's work
    [entry] = read_audit(demo.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert entry.action == "erasure" and "grace" not in entry.detail.casefold() and "obi" not in entry.detail.casefold()


def test_erasure_by_name_takes_a_name_out_of_a_list_and_keeps_the_others(sqlite_store, app_config, today):
    sqlite_store.append_row("Events", {"event_type": "delegates_assembly", "title": "Assembly",
                                       "event_date": "2026-02-10"}, "ev1")
    sqlite_store.append_row("Evaluations", {"event_id": "ev1", "learned": "x", "next_steps": "y",
                                            "testimony_by": "Amina Adeyemi (St Aidan's), Ben Jones, amina  ADEYEMI",
                                            "leaders_performance": "Amina Adeyemi held the room"}, "ev1-eval")
    tabs = tabs_of(sqlite_store, app_config)
    plan, found = plan_erasure(app_config, tabs, {}, Query.of(names="Amina Adeyemi"), today)
    [change] = plan.changes
    assert change.edit.before == "Amina Adeyemi (St Aidan's), Ben Jones, amina  ADEYEMI"
    pseudonym = change.edit.after.split(" ")[0]
    assert change.edit.after == f"{pseudonym} (St Aidan's), Ben Jones, {pseudonym}"
    # A story naming her is someone else's words: shown to the coordinator, not blanked.
    assert found.mentions == [("Evaluations", 0, "leaders_performance")]
    assert plan.changed_figures == []


def test_a_row_sorted_in_the_sheet_between_preview_and_erasure_is_not_blanked_by_mistake(
        fake_sheets, open_sheets, app_config, today):
    store = open_sheets()
    store.append_rows("Attendance", [
        ("a1", {"event_id": "e1", "attendee_name": "Grace Obi", "institution": "Hope Food Bank"}),
        ("a2", {"event_id": "e1", "attendee_name": "Ben Jones", "institution": "Hope Food Bank"}),
        ("a3", {"event_id": "e2", "attendee_name": "Grace Obi", "institution": "Hope Food Bank"})])
    values = fake_sheets.values(store.key, "Attendance")
    fake_sheets.set_values(store.key, "Attendance", values + [["e1", "Grace Obi", "Hope Food Bank"]])  # by hand, no id
    tabs = tabs_of(store, app_config)
    plan, _ = plan_erasure(app_config, tabs, {}, Query.of(names="Grace Obi"), today)
    assert {line["Sheet row"] for line in plan.preview()} == {2, 4, 5}
    # After the preview someone sorts the tab by name (Ben moves up to row 2, where Grace was)
    # and corrects the institution on the row typed by hand.
    header, *rows = fake_sheets.values(store.key, "Attendance")
    rows = sorted(rows, key=lambda r: r[1])
    rows[-1] = ["e1", "Grace Obi", "Hope Foodbank"]
    fake_sheets.set_values(store.key, "Attendance", [header, *rows])
    outcome = carry_out(store, app_config, plan, BY, today)
    after = fake_sheets.values(store.key, "Attendance")
    assert after[1][:3] == ["e1", "Ben Jones", "Hope Food Bank"]  # the row now where Grace was is untouched
    assert [r[1] for r in after[2:4]] == ["", ""]  # hers, found by their submission ids
    # The hand-typed row changed: nothing written to it, and the coordinator is told why.
    assert after[4][:3] == ["e1", "Grace Obi", "Hope Foodbank"]
    assert {(r.edit.row, r.problem) for r in outcome.not_done} == {(5, "the row was changed or moved since it was read")}


def test_erasure_reaches_a_submission_still_waiting_to_be_sent(fake_sheets, open_sheets, app_config, today):
    store = open_sheets()
    store.ensure_tab("CAG sign-ups", app_config.forms["cag_signup"].columns)
    store.outbox.put("CAG sign-ups", "c1", {"organisation": "Food Bank", "contact_name": "Grace Obi",
                                            "email": "grace.obi@example.org"}, {})
    fake_sheets.fail_next(1, status=503, path=":append")  # the sheet refused it: it waits in the outbox
    tabs = tabs_of(store, app_config)
    waiting = waiting_tabs(store.waiting_rows())
    plan, _ = plan_erasure(app_config, tabs, waiting, Query.of(emails="GRACE.OBI@example.org"), today)
    assert {(line["Sheet row"], line["Column"]) for line in plan.preview()} == {
        ("waiting to be sent", "contact_name"), ("waiting to be sent", "email")}
    assert [r.row for r in carry_out(store, app_config, plan, BY, today).results] == [0, 0]  # changed where it waits
    assert store.drain() == 1
    row = dict(zip(*fake_sheets.values(store.key, "CAG sign-ups")))
    assert (row["organisation"], row["contact_name"], row.get("email", "")) == ("Food Bank", "", "")


def test_purge_and_erasure_on_google_sheets_leave_the_funder_report(fake_sheets, open_sheets, app_config, today):
    store = open_sheets()
    load_demo(store, app_config.forms, today)
    grace(store)
    tabs = tabs_of(store, app_config)
    report = reports(app_config, tabs, today)
    carry_out(store, app_config, plan_purge(app_config, tabs, today)[0], BY, today)
    plan, _ = plan_erasure(app_config, tabs_of(store, app_config), {}, Query.of(names="Grace Obi"), today)
    fake_sheets.clear_log()
    outcome = carry_out(store, app_config, plan, BY, today)
    assert not outcome.not_done and outcome.changed_figures == []
    assert fake_sheets.count("values_batch_update") == 1
    after = tabs_of(store, app_config)
    assert reports(app_config, after, today) == report
    assert personal_cells(app_config, after, cutoff(app_config.settings.retention_months, today)) == []
    assert "Grace Obi" not in str(fake_sheets.values(store.key, "1:1s")) and "Grace Obi" not in str(after["1:1s"].rows)
    assert [e.action for e in read_audit(store.read_tabs([AUDIT_TAB])[AUDIT_TAB])] == ["erasure", "purge"]


def test_subject_access_is_every_row_naming_them_as_text(demo, app_config, today):
    grace(demo)
    from organising.privacy.audit import record
    record(demo, "grace.obi@example.org", "sign_in")
    tabs = demo.read_tabs(demo.tab_names())
    export = subject_access(app_config, tabs, {}, Query.of(names="Grace Obi", emails="grace.obi@example.org"),
                            today)
    book = openpyxl.load_workbook(io.BytesIO(export.workbook))
    assert book.sheetnames == ["About this export", "CAG sign-ups", "1-1s", "Leader roles", MERGES_TAB, AUDIT_TAB]
    assert export.rows == 6 and export.summary == "6 rows from 5 tabs"  # two sign-ups give her name
    cag = list(book["CAG sign-ups"].iter_rows(values_only=True))
    assert cag[0][0] == "Sheet row" and cag[0][-1] == "Found in"
    what_we_do = cag[0].index("what_we_do")
    at = [r[what_we_do] for r in cag].index('=HYPERLINK("http://x")')
    assert book["CAG sign-ups"].cell(row=at + 1, column=what_we_do + 1).data_type != "f"  # text, never a formula
    assert "G. Obi" in [c for row in book["Leader roles"].iter_rows(values_only=True) for c in row]  # merged spelling
    about = " ".join(str(r[0]) for r in book["About this export"].iter_rows(values_only=True))
    assert "24 months" in about and "correct" in about


def test_retention_status_counts_rows_past_retention_and_rows_it_cannot_date(sqlite_store, app_config, today):
    from integrations.sqlite_store import SQLiteStore
    assert isinstance(sqlite_store, SQLiteStore)
    sqlite_store.put_tab(Tab("1:1s", ["conversation_date", "listener", "what_they_said", "submission_id"], [
        ["8/6/2021", "Ann", "Damp", ""], ["someday", "Bo", "Noise", ""], ["", "", "", ""],
        [today.strftime("%d/%m/%Y"), "Cy", "Bins", ""]]))
    status = retention_status(app_config, tabs_of(sqlite_store, app_config), today)
    assert status.past == {"1:1s": 1} and status.undated == {"1:1s": [3]}
    assert status.cutoff == dt.date(2024, 11, 22)


def test_a_counted_follow_up_keeps_a_mark_so_the_tracker_still_counts_it(sqlite_store, app_config, today):
    sqlite_store.append_row("Pledge updates", {"pledge_id": "p1", "status": "kept", "updated_on": "2020-05-01",
                                               "follow_up_meeting": "Met Cllr Marsh with Grace Obi",
                                               "submitted_at": "2020-05-01T10:00:00Z"}, "u1")
    plan, _ = plan_purge(app_config, tabs_of(sqlite_store, app_config), today)
    assert {(c.edit.column, c.edit.after) for c in plan.changes} == {("follow_up_meeting", REMOVED)}


def test_erasure_lists_a_tab_no_form_writes_that_names_them_without_changing_it(sqlite_store, app_config, today):
    grace(sqlite_store)
    sqlite_store.put_tab(Tab("Volunteers (kept by hand)", ["Name", "Phone"], [["Grace Obi", "07700 900123"]]))
    tabs = sqlite_store.read_tabs(sqlite_store.tab_names())
    plan, found = plan_erasure(app_config, tabs, {}, Query.of(names="Grace Obi"), today)
    assert ("Volunteers (kept by hand)", 0, "Name") in found.mentions
    assert "Volunteers (kept by hand)" not in plan.tabs
