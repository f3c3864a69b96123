"""The embedded store: appends land exactly once, text stays verbatim, and
a person's own columns and blank rows are left alone."""
import sqlite3
import threading

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE, open_store
from organising.sheets import Tab


def test_the_store_lives_in_the_configured_data_folder(data_dir, app_config):
    store = open_store(app_config.settings)
    store.append_row("1:1s", {"listener": "Sam"}, "s1")
    assert (data_dir / SQLITE_FILE).exists()
    with sqlite3.connect(data_dir / SQLITE_FILE) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_persons_renamed_reordered_and_added_columns_are_left_alone(sqlite_store):
    sqlite_store.put_tab(Tab("1:1s", ["Their notes", "  LISTENER ", "Date of 1:1", "submission_id"],
                             [["kept", "Ann", "8/6/2021", "hand-1"], [], ["", "Bo", "", ""]]))
    added = sqlite_store.ensure_tab("1:1s", ["conversation_date", "listener", "what_they_said"],
                                    {"conversation_date": ["Date of 1:1"]})
    assert added == ["what_they_said"]
    sqlite_store.append_row("1:1s", {"listener": "Cy", "conversation_date": "2026-11-22", "what_they_said": "x"},
                            "app-1", {"conversation_date": ["Date of 1:1"]})
    tab = sqlite_store.read_tabs(["1:1s"])["1:1s"]
    assert tab.header == ["Their notes", "  LISTENER ", "Date of 1:1", "submission_id", "what_they_said"]
    assert tab.rows[0] == ["kept", "Ann", "8/6/2021", "hand-1"]
    assert tab.rows[1] == []  # the blank row a person left stays, so row numbers are the sheet's
    assert tab.rows[3] == ["", "Cy", "2026-11-22", "app-1", "x"]
    assert [row for row, _ in tab.records()] == [2, 4, 5]


def test_a_pasted_duplicate_id_keeps_both_rows_as_typed(sqlite_store):
    sqlite_store.put_tab(Tab("Attendance", ["name", "submission_id"], [["Ann", "d1"], ["Ann again", "d1"]]))
    assert len(sqlite_store.read_tabs(["Attendance"])["Attendance"].records()) == 2
    assert not sqlite_store.append_row("Attendance", {"name": "Ann"}, "d1").stored


def test_the_store_survives_reopening(data_dir):
    SQLiteStore(data_dir / "x.sqlite3").append_row("Events", {"title": "Assembly"}, "e1")
    assert SQLiteStore(data_dir / "x.sqlite3").read_tabs(["Events"])["Events"].rows == [["Assembly", "e1"]]


def test_twenty_four_threads_appending_at_once_each_land_exactly_once(sqlite_store):
    start = threading.Barrier(24)

    def submit(n: int) -> None:
        start.wait()  # all at the same moment
        for attempt in range(2):  # every volunteer's retry repeats the same id
            sqlite_store.append_row("1:1s", {"listener": f"volunteer {n}"}, f"sub-{n}")

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = [r for _, r in sqlite_store.read_tabs(["1:1s"])["1:1s"].records()]
    assert sorted(r["submission_id"] for r in records) == sorted(f"sub-{n}" for n in range(24))
    assert {r["listener"] for r in records} == {f"volunteer {n}" for n in range(24)}


def test_the_same_submission_id_is_stored_once(sqlite_store):
    assert sqlite_store.append_row("Events", {"title": "Assembly"}, "e1").stored
    assert not sqlite_store.append_row("Events", {"title": "Assembly again"}, "e1").stored
    assert sqlite_store.read_tabs(["Events"])["Events"].rows == [["Assembly", "e1"]]


def test_text_that_looks_like_a_formula_or_number_is_kept_verbatim(sqlite_store):
    values = ['=IMPORTXML("http://x")', "+44 7700", "@home", "-1", "0012", "  spaced  ", "✓ émigré 漢字"]
    for n, value in enumerate(values):
        sqlite_store.append_row("CAG sign-ups", {"organisation": value}, f"v{n}")
    stored = [r["organisation"] for _, r in sqlite_store.read_tabs(["CAG sign-ups"])["CAG sign-ups"].records()]
    assert stored == values


def test_several_tabs_are_read_in_one_call_and_a_missing_tab_is_empty(sqlite_store):
    sqlite_store.append_row("Events", {"title": "A"}, "e1")
    tabs = sqlite_store.read_tabs(["Events", "Attendance"])
    assert tabs["Events"].exists and not tabs["Attendance"].exists and tabs["Attendance"].rows == []
