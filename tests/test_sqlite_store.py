"""The embedded store's own promises; what every store promises is in
test_store_contract.py."""
import sqlite3

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE, open_store


def test_the_store_lives_in_the_configured_data_folder(data_dir, app_config):
    store = open_store(app_config.settings)
    store.append_row("1:1s", {"listener": "Sam"}, "s1")
    assert (data_dir / SQLITE_FILE).exists()
    with sqlite3.connect(data_dir / SQLITE_FILE) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_store_survives_reopening(data_dir):
    SQLiteStore(data_dir / "x.sqlite3").append_row("Events", {"title": "Assembly"}, "e1")
    assert SQLiteStore(data_dir / "x.sqlite3").read_tabs(["Events"])["Events"].rows == [["Assembly", "e1"]]
