"""Submissions waiting to be sent to the Google Sheet, kept in a local SQLite
file so that nothing is lost while Google is down, out of quota or refusing
access. Entries leave in the order they came, per tab, and only once the
sheet holds them (the store checks the submission id before appending).
One sender at a time, across processes sharing the file: two senders could
both find a submission not yet in the sheet and both append it.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import takewhile
from typing import Iterator, Mapping, Sequence

from .sqlite_file import SQLiteFile

OUTBOX_FILE = "outbox.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order
    tab TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    record TEXT NOT NULL,                   -- JSON {column: cell text}
    aliases TEXT NOT NULL,                  -- JSON {column: [other header names]}
    queued_at TEXT NOT NULL,                -- UTC, ISO 8601
    attempts INTEGER NOT NULL DEFAULT 0,
    problem TEXT NOT NULL DEFAULT '',       -- why the last attempt failed, in plain words
    UNIQUE (tab, submission_id)
);
"""


@dataclass(frozen=True)
class Entry:
    id: int
    tab: str
    submission_id: str
    record: dict[str, str]
    aliases: dict[str, list[str]]


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int
    oldest: dt.datetime | None          # when the longest-waiting submission was made
    by_tab: dict[str, int]
    problem: str                        # why the oldest could not be sent, in plain words


class Outbox(SQLiteFile):
    SCHEMA = _SCHEMA

    @contextmanager
    def sending(self, wait: bool = False) -> Iterator[bool]:
        """True while this caller is the only sender (an exclusive lock on a
        file beside the outbox); False at once when another thread or process
        is sending, or, with `wait`, True once it has finished."""
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def put(self, tab: str, submission_id: str, record: Mapping[str, str],
            aliases: Mapping[str, Sequence[str]], problem: str = "") -> bool:
        """Keep a submission to send later; False if that id already waits."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO outbox(tab, submission_id, record, aliases, queued_at, problem) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (tab, submission_id, json.dumps(dict(record), ensure_ascii=False),
                 json.dumps({k: list(v) for k, v in aliases.items()}), now, problem))
            return cursor.rowcount == 1

    def waiting(self, tab: str | None = None) -> int:
        with self._connect() as db:
            if tab is None:
                return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
            return db.execute("SELECT COUNT(*) FROM outbox WHERE tab = ?", (tab,)).fetchone()[0]

    def tabs(self) -> list[str]:
        """Tabs with something waiting, the longest-waiting first."""
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT tab FROM outbox GROUP BY tab ORDER BY MIN(id)")]

    def batches(self, tab: str, size: int) -> Iterator[list[Entry]]:
        """The tab's oldest waiting entries, up to `size` at a time (one form's
        aliases per batch); the next batch is read after the caller marks this
        one sent, and stops when it does not."""
        last_seen = 0
        while True:
            with self._connect() as db:
                rows = db.execute("SELECT id, submission_id, record, aliases FROM outbox WHERE tab = ? "
                                  "ORDER BY id LIMIT ?", (tab, size)).fetchall()
            if not rows or rows[0][0] <= last_seen:
                return
            entries = [Entry(i, tab, sid, json.loads(record), json.loads(aliases))
                       for i, sid, record, aliases in rows]
            batch = list(takewhile(lambda e: e.aliases == entries[0].aliases, entries))
            last_seen = batch[-1].id
            yield batch

    def records(self) -> dict[str, list[dict[str, str]]]:
        """Every waiting submission by tab, oldest first: its record with its submission_id."""
        found: dict[str, list[dict[str, str]]] = {}
        with self._connect() as db:
            for tab, sid, record in db.execute("SELECT tab, submission_id, record FROM outbox ORDER BY id"):
                found.setdefault(tab, []).append({**json.loads(record), "submission_id": sid})
        return found

    def edit(self, tab: str, submission_id: str, column: str, before: str, after: str) -> str:
        """Set one answer of a waiting submission, if it still holds `before`
        (a missing answer is blank); the problem in words, or ""."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            found = db.execute("SELECT id, record FROM outbox WHERE tab = ? AND submission_id = ?",
                               (tab, submission_id)).fetchone()
            if found is None:
                db.execute("ROLLBACK")
                return "the row is no longer in the tab"
            record = json.loads(found[1])
            if str(record.get(column, "")) != before:
                db.execute("ROLLBACK")
                return "the cell was changed since it was read"
            record[column] = after
            db.execute("UPDATE outbox SET record = ? WHERE id = ?", (json.dumps(record, ensure_ascii=False), found[0]))
            db.execute("COMMIT")
        return ""

    def sent(self, ids: Sequence[int]) -> None:
        with self._connect() as db:
            db.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in ids])

    def failed(self, ids: Sequence[int], problem: str) -> None:
        with self._connect() as db:
            db.executemany("UPDATE outbox SET attempts = attempts + 1, problem = ? WHERE id = ?",
                           [(problem, i) for i in ids])

    def summary(self) -> OutboxSummary:
        with self._connect() as db:
            by_tab = dict(db.execute("SELECT tab, COUNT(*) FROM outbox GROUP BY tab ORDER BY MIN(id)").fetchall())
            oldest = db.execute("SELECT MIN(queued_at) FROM outbox").fetchone()[0]
            problem = db.execute("SELECT problem FROM outbox WHERE problem != '' ORDER BY id LIMIT 1").fetchone()
        return OutboxSummary(sum(by_tab.values()), dt.datetime.fromisoformat(oldest) if oldest else None,
                             by_tab, problem[0] if problem else "")
