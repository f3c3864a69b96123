"""What every store promises (organising.sheets.Store), checked on each:
the embedded SQLite store, and Google Sheets through the fake API server."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

import pytest

from organising.sheets import CellEdit, Store, Tab


@dataclass
class Sheet:
    store: Store
    # A person typing a whole tab by hand: header, then rows ([] is a blank row).
    type_in: Callable[[str, list[str], list[list[str]]], None]

    def tab(self, name: str) -> Tab:
        return self.store.read_tabs([name])[name]

    def records(self, name: str) -> list[dict[str, str]]:
        return [record for _, record in self.tab(name).records()]


@pytest.fixture(params=["sqlite", "google_sheets"])
def sheet(request) -> Sheet:
    if request.param == "sqlite":
        store = request.getfixturevalue("sqlite_store")
        return Sheet(store, lambda name, header, rows: store.put_tab(Tab(name, header, rows)))
    fake = request.getfixturevalue("fake_sheets")
    store = request.getfixturevalue("open_sheets")()
    return Sheet(store, lambda name, header, rows: fake.set_values(store.key, name, [header, *rows]))


def test_an_append_lands_as_one_row_under_a_new_header(sheet):
    result = sheet.store.append_row("Events", {"title": "Assembly", "venue": "Hall"}, "e1")
    assert result.stored and not result.queued
    tab = sheet.tab("Events")
    assert tab.header == ["title", "venue", "submission_id"]
    assert tab.rows == [["Assembly", "Hall", "e1"]]
    assert "Events" in sheet.store.tab_names()


def test_the_same_submission_id_is_stored_once(sheet):
    assert sheet.store.append_row("Events", {"title": "Assembly"}, "e1").stored
    assert not sheet.store.append_row("Events", {"title": "Assembly again"}, "e1").stored
    assert sheet.tab("Events").rows == [["Assembly", "e1"]]


def test_many_rows_go_in_one_call_and_ids_already_there_are_skipped(sheet):
    sheet.store.append_row("Attendance", {"name": "Ann"}, "a1")
    results = sheet.store.append_rows("Attendance", [("a1", {"name": "Ann"}), ("a2", {"name": "Bo"}),
                                                     ("a3", {"name": "Cy"}), ("a2", {"name": "Bo"})])
    assert [r.stored for r in results] == [False, True, True, False]
    assert [r["name"] for r in sheet.records("Attendance")] == ["Ann", "Bo", "Cy"]


def test_columns_are_matched_by_name_alias_case_and_spaces_and_a_persons_columns_are_left_alone(sheet):
    sheet.type_in("1:1s", ["Their notes", "  LISTENER ", "Date of 1:1", "Submission ID"],
                  [["kept", "Ann", "8 June", "hand-1"]])
    aliases = {"conversation_date": ["Date of 1:1"]}
    assert sheet.store.ensure_tab("1:1s", ["conversation_date", "listener", "what_they_said"], aliases) \
        == ["what_they_said"]
    sheet.store.append_row("1:1s", {"listener": "Cy", "conversation_date": "2026-11-22", "what_they_said": "x",
                                    "new_question": "y"}, "app-1", aliases)
    tab = sheet.tab("1:1s")
    # Missing columns go at the end of row 1; no existing header cell changes.
    assert tab.header == ["Their notes", "  LISTENER ", "Date of 1:1", "Submission ID", "what_they_said",
                          "new_question"]
    assert tab.rows == [["kept", "Ann", "8 June", "hand-1"], ["", "Cy", "2026-11-22", "app-1", "x", "y"]]


def test_a_tab_whose_header_fills_its_26_columns_gains_a_new_form_column_at_the_end(sheet):
    # A new grid has 26 columns (A-Z); Google refuses a write beyond them until the tab is widened.
    header = [f"question {n}" for n in range(1, 26)] + ["submission_id"]
    sheet.type_in("1:1s", header, [["old answer"] + [""] * 24 + ["hand-1"]])
    sheet.store.append_row("1:1s", {"question 1": "Ann", "new_question": '=HYPERLINK("x")'}, "app-1")
    tab = sheet.tab("1:1s")
    assert tab.header == header + ["new_question"]
    assert tab.rows[-1] == ["Ann"] + [""] * 24 + ["app-1", '=HYPERLINK("x")']
    assert [r["new_question"] for r in sheet.records("1:1s")] == ["", '=HYPERLINK("x")']


def test_a_blank_row_a_person_left_stays_and_row_numbers_are_the_sheets(sheet):
    sheet.type_in("Events", ["title", "submission_id"], [["Assembly", "e1"], [], ["Workshop", "e2"]])
    assert [row for row, _ in sheet.tab("Events").records()] == [2, 4]
    sheet.store.append_row("Events", {"title": "Training"}, "e3")
    tab = sheet.tab("Events")
    assert sorted(r["title"] for _, r in tab.records()) == ["Assembly", "Training", "Workshop"]
    assert tab.rows.count([]) == 1  # still there: nothing was written over it
    for row, record in tab.records():
        assert tab.rows[row - 2][0] == record["title"]


def test_a_pasted_duplicate_id_keeps_both_rows_as_typed(sheet):
    sheet.type_in("Attendance", ["name", "submission_id"], [["Ann", "d1"], ["Ann again", "d1"]])
    assert len(sheet.records("Attendance")) == 2
    assert not sheet.store.append_row("Attendance", {"name": "Ann"}, "d1").stored
    assert len(sheet.records("Attendance")) == 2


def test_twenty_four_volunteers_submitting_at_once_each_land_exactly_once(sheet):
    start = threading.Barrier(24)
    problems = []

    def submit(n: int) -> None:
        start.wait()  # all at the same moment
        try:
            for _ in range(2):  # every volunteer's retry repeats the same id
                sheet.store.append_row("1:1s", {"listener": f"volunteer {n}"}, f"sub-{n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            problems.append(exc)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not problems
    records = sheet.records("1:1s")
    assert sorted(r["submission_id"] for r in records) == sorted(f"sub-{n}" for n in range(24))
    assert {r["listener"] for r in records} == {f"volunteer {n}" for n in range(24)}


def test_text_that_looks_like_a_formula_or_number_is_kept_verbatim(sheet):
    values = ['=IMPORTXML("http://x")', "+44 7700", "@home", "-1", "0012", "1/2", "TRUE", "  spaced  ",
              "✓ émigré 漢字"]
    sheet.store.append_rows("CAG sign-ups", [(f"v{n}", {"organisation": v}) for n, v in enumerate(values)])
    assert [r["organisation"] for r in sheet.records("CAG sign-ups")] == values


def test_several_tabs_are_read_in_one_call_and_a_missing_tab_is_empty(sheet):
    sheet.store.append_row("Events", {"title": "A"}, "e1")
    tabs = sheet.store.read_tabs(["Events", "Attendance"])
    assert tabs["Events"].exists and tabs["Events"].rows == [["A", "e1"]]
    assert not tabs["Attendance"].exists and tabs["Attendance"].rows == []


def edit(tab: Tab, row: int, column: str, after: str) -> CellEdit:
    """A change planned on the tab as read: by id when the row has one, else by its cells."""
    cells = tab.rows[row - 2]
    sid = tab.cells("submission_id")[row - 2]
    return CellEdit(tab.name, row, tab.header[tab.column(column)], tab.cells(column)[row - 2], after, sid,
                    tuple(cells) if not sid else ())


def trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows as Google gives them: trailing blank cells left off."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    return out


def test_cells_are_edited_in_place_and_nothing_else_changes(sheet):
    sheet.type_in("Attendance", ["Name", "institution", "person_id", "submission_id"],
                  [["Amina Adeyemi", "St Aidan's", "", "a1"], ["Ben Jones", "Hope", "", "a2"]])
    tab = sheet.tab("Attendance")
    results = sheet.store.edit_cells([edit(tab, 2, "Name", ""), edit(tab, 2, "person_id", "=anon-1")])
    assert [(r.done, r.row, r.problem) for r in results] == [(True, 2, ""), (True, 2, "")]
    # Written as text (never a formula); the other row and the header untouched.
    assert sheet.tab("Attendance").header == ["Name", "institution", "person_id", "submission_id"]
    assert sheet.tab("Attendance").rows == [["", "St Aidan's", "=anon-1", "a1"], ["Ben Jones", "Hope", "", "a2"]]


def test_a_row_sorted_after_it_was_read_is_found_by_its_id_and_a_row_without_one_is_left_alone(sheet):
    sheet.type_in("Attendance", ["Name", "institution", "submission_id"],
                  [["Amina Adeyemi", "St Aidan's", "a1"], ["Amina Adeyemi", "Hope", ""], ["Ben Jones", "Hope", "a3"]])
    tab = sheet.tab("Attendance")
    planned = [edit(tab, 2, "Name", ""), edit(tab, 3, "Name", "")]
    # Someone sorts the tab by institution before the edit is made.
    sheet.type_in("Attendance", ["Name", "institution", "submission_id"],
                  [["Ben Jones", "Hope", "a3"], ["Dev Patel", "Hope", ""], ["Amina Adeyemi", "St Aidan's", "a1"],
                   ["Amina Adeyemi", "Hope (typed again)", ""]])
    first, second = sheet.store.edit_cells(planned)
    assert (first.done, first.row) == (True, 4)  # found at its new place by its submission id
    assert not second.done and second.problem == "the row was changed or moved since it was read"
    assert trimmed(sheet.tab("Attendance").rows) == [["Ben Jones", "Hope", "a3"], ["Dev Patel", "Hope"],
                                            ["", "St Aidan's", "a1"], ["Amina Adeyemi", "Hope (typed again)"]]


def test_a_row_without_id_that_moved_is_found_when_no_other_row_has_its_cells(sheet):
    sheet.type_in("Attendance", ["Name", "institution"], [["Amina Adeyemi", "Hope"], ["Ben Jones", "Hope"]])
    planned = edit(sheet.tab("Attendance"), 2, "Name", "")
    sheet.type_in("Attendance", ["Name", "institution"], [["Ben Jones", "Hope"], ["Amina Adeyemi", "Hope"]])
    [result] = sheet.store.edit_cells([planned])
    assert (result.done, result.row) == (True, 3)
    assert sheet.tab("Attendance").rows == [["Ben Jones", "Hope"], ["", "Hope"]]


def test_a_cell_typed_over_since_it_was_read_or_a_column_removed_is_not_edited(sheet):
    sheet.type_in("1:1s", ["listener", "what_they_said", "submission_id"], [["Ann", "Damp flat", "s1"]])
    tab = sheet.tab("1:1s")
    planned = [edit(tab, 2, "what_they_said", ""), edit(tab, 2, "listener", "")]
    sheet.type_in("1:1s", ["Listener", "submission_id"], [["Ann", "s1"]])
    assert [(r.done, r.problem) for r in sheet.store.edit_cells(planned)] == [
        (False, "the column 'what_they_said' is no longer in the header"), (True, "")]
    sheet.type_in("1:1s", ["listener", "submission_id"], [["Ann B.", "s1"]])
    [result] = sheet.store.edit_cells([planned[1]])
    assert (result.done, result.problem) == (False, "the cell was changed since it was read")
    assert sheet.tab("1:1s").rows == [["Ann B.", "s1"]]
    assert sheet.store.edit_cells([]) == [] and sheet.store.waiting_rows() == {}
