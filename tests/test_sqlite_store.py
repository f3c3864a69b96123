"""What only the embedded store does: its file, WAL, and a person's edits
standing in for hand-typed spreadsheet changes. (The behaviour both stores
share is in the contract suite.)"""
import sqlite3

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
