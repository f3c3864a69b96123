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


def test_a_save_into_a_long_tab_looks_up_its_submission_id_without_reading_the_tab(data_dir, monkeypatch):
    """Whether a submission is already stored is found through the index of
    submission ids: a plan that scans the tab makes every save slower as the
    tab grows (a second per thousand saves at 100,000 rows)."""
    statements: list[tuple[str, tuple]] = []

    class Recording(sqlite3.Connection):
        def execute(self, sql, parameters=()):
            statements.append((sql, tuple(parameters)))
            return super().execute(sql, parameters)

    store = SQLiteStore(data_dir / "x.sqlite3")
    store.append_rows("1:1s", [(f"s{i}", {"listener": "Sam"}) for i in range(50)])
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: connect(*args, **kwargs, factory=Recording))
    assert store.append_row("1:1s", {"listener": "Ann"}, "s50").stored
    assert not store.append_row("1:1s", {"listener": "Ann"}, "s50").stored
    lookups = [(sql, args) for sql, args in statements if "submission_id" in sql and sql.lstrip().startswith("SELECT")]
    assert lookups
    with connect(data_dir / "x.sqlite3") as db:
        for sql, args in lookups:
            plan = " ".join(str(step[-1]) for step in db.execute(f"EXPLAIN QUERY PLAN {sql}", args))
            assert "rows_submission" in plan, (sql, plan)
