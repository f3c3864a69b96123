"""The delivery ledger: every delivery a workflow makes, in a SQLite file in
the data folder (deliveries.sqlite3), beside the store.

One row per delivery, keyed by (workflow, what triggered it, action number):
the key is UNIQUE, so a delivery is recorded once whichever path records it
(the page right after saving, the command line, or the worker's scan of the
tabs). A delivery is due, sent or failed, with its attempts, when it is next
tried, the last error in plain words and when it was sent.

Senders take due deliveries under a lease: a claim marks them with the
sender's name and an expiry in one IMMEDIATE transaction, so two senders
(two app servers, or the app and `python -m organising worker`) never take
the same delivery; a sender that dies leaves its lease to expire and another
takes the delivery over.

What a delivery sent (its payload: an e-mail's addresses and text, a row)
is kept `payload_retention_days` (the workflows file's delivery section),
then removed (`forgotten_at`); an erasure removes it at once from the
deliveries that name the person. The row, its key, state and times stay, so
a delivery is still recorded once and never sent again; one not sent yet
is cancelled, with the reason in last_error. The same file remembers which rows and occurrences
each workflow has already seen (`seen`), since when it has watched its
trigger (`watching`: a workflow seen for the first time does not fire for
what was already there), and which workflows a coordinator switched off.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Mapping, Sequence

from ..sqlite_transaction import transaction

LEDGER_FILE = "deliveries.sqlite3"
STATES = ("due", "sent", "failed", "cancelled")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,            -- workflow / trigger / action: the same on every retry
    workflow TEXT NOT NULL,
    trigger TEXT NOT NULL,               -- what made it, in words: "submission 3f2…", "schedule 2026-12-07 09:00"
    action INTEGER NOT NULL,             -- its place in the workflow's actions, from 1
    kind TEXT NOT NULL,                  -- email, webhook, chat, append
    destination TEXT NOT NULL,           -- where it goes, in words
    payload TEXT NOT NULL,               -- JSON: what is sent (secrets are named, never stored)
    state TEXT NOT NULL,                 -- due, sent, failed, cancelled (never to be sent)
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,            -- unix seconds
    next_attempt_at REAL NOT NULL,
    sent_at REAL,
    last_error TEXT NOT NULL DEFAULT '', -- why the last attempt failed, or what a sent one could not do, in words
    lease_owner TEXT,
    lease_until REAL,
    test INTEGER NOT NULL DEFAULT 0,     -- a coordinator's "send a test"
    forgotten_at REAL                    -- when what it sent was removed (retention, or an erasure)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(state, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_workflow ON deliveries(workflow, created_at);
CREATE TABLE IF NOT EXISTS seen (
    workflow TEXT NOT NULL,
    thing TEXT NOT NULL,                 -- a row's key, a schedule's occurrence, a pledge and its due date
    PRIMARY KEY (workflow, thing)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watching (
    workflow TEXT PRIMARY KEY,
    trigger TEXT NOT NULL,               -- the trigger it watched: a new trigger starts a new baseline
    since REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS switches (
    workflow TEXT PRIMARY KEY,
    enabled INTEGER NOT NULL,
    changed_at REAL NOT NULL,
    changed_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sightings (
    thing TEXT PRIMARY KEY,              -- a tab and the content of a row typed without the app
    first_seen REAL NOT NULL
);
"""
# A sighting of a row that changed again (typed further) is not needed after this.
SIGHTINGS_KEPT_SECONDS = 7 * 86400


@dataclass(frozen=True)
class Planned:
    """A delivery decided but not yet recorded. `error` set: it cannot be
    sent as planned (a blank address, a template that could not be filled),
    and is recorded as failed with that reason, so it shows on the page."""
    key: str
    workflow: str
    trigger: str
    action: int
    kind: str
    destination: str
    payload: Mapping[str, Any]
    error: str = ""
    test: bool = False


@dataclass(frozen=True)
class Delivery:
    id: int
    key: str
    workflow: str
    trigger: str
    action: int
    kind: str
    destination: str
    payload: dict[str, Any]
    state: str
    attempts: int
    created_at: float
    next_attempt_at: float
    sent_at: float | None
    last_error: str
    test: bool
    forgotten_at: float | None = None   # what it sent was removed then (the payload holds no content)


_COLUMNS = ("id, key, workflow, trigger, action, kind, destination, payload, state, attempts, created_at, "
            "next_attempt_at, sent_at, last_error, test, forgotten_at")


def _delivery(row: Sequence[Any]) -> Delivery:
    values = list(row)
    values[7] = json.loads(values[7])
    values[14] = bool(values[14])
    return Delivery(*values)


@dataclass(frozen=True)
class WorkflowCounts:
    due: int = 0
    sent: int = 0
    failed: int = 0
    last_created_at: float | None = None
    last_sent_at: float | None = None


class Ledger:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            if "forgotten_at" not in {r[1] for r in db.execute("PRAGMA table_info(deliveries)")}:
                db.execute("ALTER TABLE deliveries ADD COLUMN forgotten_at REAL")  # a log from before retention
            # The deliveries still holding what they sent (a month's worth) are found without reading the whole log.
            db.execute("CREATE INDEX IF NOT EXISTS deliveries_held ON deliveries(forgotten_at, state)")
        finally:
            db.close()

    def __repr__(self) -> str:
        return f"Ledger({str(self.path)!r})"

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread, kept open: volunteers' threads, the worker and other processes
        # share the file, and closing the last connection to a WAL file costs a checkpoint each time.
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA busy_timeout=30000")
            # In WAL mode, NORMAL survives the app crashing (not the machine losing power) without
            # waiting on the disk at every commit; what a power cut could lose, the scan of the tabs
            # records again (a row it has not seen), and a delivery sent but not marked is sent again
            # under the same key.
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        with transaction(self._connection(), write) as db:
            yield db

    # -- recording ----------------------------------------------------------------

    def record(self, planned: Iterable[Planned], seen: Iterable[tuple[str, str]] = (),
               now: float | None = None) -> list[str]:
        """Record deliveries and mark things seen, together in one transaction;
        returns the keys newly recorded (a key already there is left as it is)."""
        now = time.time() if now is None else now
        added = []
        with self._connect(write=True) as db:
            for p in planned:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO deliveries(key, workflow, trigger, action, kind, destination, payload, "
                    "state, created_at, next_attempt_at, last_error, test) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (p.key, p.workflow, p.trigger, p.action, p.kind, p.destination,
                     json.dumps(dict(p.payload), ensure_ascii=False), "failed" if p.error else "due", now, now,
                     p.error, int(p.test)))
                if cursor.rowcount:
                    added.append(p.key)
            db.executemany("INSERT OR IGNORE INTO seen(workflow, thing) VALUES (?, ?)", list(seen))
        return added

    def unseen(self, workflow: str, things: Collection[str]) -> list[str]:
        """Those of `things` the workflow has not seen yet, in the order given, each once."""
        with self._connect() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS asked(thing TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute("DELETE FROM asked")
            db.executemany("INSERT OR IGNORE INTO asked VALUES (?)", zip(things))
            # Only the few unseen come back: at 100,000 rows, fetching every one seen was 10 MB of texts a look
            # (and `things` is not copied: the worker asks about every row of a tab at every look).
            new = {r[0] for r in db.execute(
                "SELECT thing FROM asked WHERE NOT EXISTS "
                "(SELECT 1 FROM seen WHERE seen.workflow = ? AND seen.thing = asked.thing)", (workflow,))}
        return list(dict.fromkeys(t for t in things if t in new)) if new else []

    def first_seen(self, things: Iterable[str], now: float) -> dict[str, float]:
        """When each of `things` was first seen (now, for those new now); what
        was first seen over a week ago and is no longer asked about goes."""
        things = list(dict.fromkeys(things))
        with self._connect(write=True) as db:
            db.execute("DELETE FROM sightings WHERE first_seen < ?", (now - SIGHTINGS_KEPT_SECONDS,))
            db.executemany("INSERT OR IGNORE INTO sightings(thing, first_seen) VALUES (?, ?)",
                           [(t, now) for t in things])
            found = {}
            for start in range(0, len(things), 500):
                chunk = things[start:start + 500]
                found.update(db.execute(f"SELECT thing, first_seen FROM sightings WHERE thing IN "
                                        f"({','.join('?' * len(chunk))})", chunk).fetchall())
        return found

    def watching_since(self, workflow: str, trigger: str) -> float | None:
        """Since when the workflow has watched this trigger; None if never
        (or it watched another trigger before: a new trigger starts afresh)."""
        with self._connect() as db:
            row = db.execute("SELECT trigger, since FROM watching WHERE workflow = ?", (workflow,)).fetchone()
        return row[1] if row and row[0] == trigger else None

    def start_watching(self, workflow: str, trigger: str, already_there: Iterable[str],
                       now: float | None = None) -> float:
        """The baseline: what is already there counts as seen, and the
        workflow fires only for what comes after. Returns since when."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            row = db.execute("SELECT trigger, since FROM watching WHERE workflow = ?", (workflow,)).fetchone()
            if row and row[0] == trigger:  # another process got there first
                return row[1]
            db.executemany("INSERT OR IGNORE INTO seen(workflow, thing) VALUES (?, ?)",
                           [(workflow, t) for t in already_there])
            db.execute("INSERT OR REPLACE INTO watching(workflow, trigger, since) VALUES (?, ?, ?)",
                       (workflow, trigger, now))
        return now

    # -- sending --------------------------------------------------------------------

    def claim(self, owner: str, limit: int, lease_seconds: float, now: float | None = None) -> list[Delivery]:
        """Take up to `limit` due deliveries whose time has come and that no
        live lease holds; they are this owner's until the lease expires."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM deliveries WHERE state = 'due' AND next_attempt_at <= ? "
                "AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, id LIMIT ?",
                (now, now, limit)).fetchall()
            db.executemany("UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?",
                           [(owner, now + lease_seconds, r[0]) for r in rows])
        return [_delivery(r) for r in rows]

    def renew(self, delivery_id: int, owner: str, lease_seconds: float, now: float | None = None) -> bool:
        """Extend this owner's lease just before sending; False if it was lost
        (expired and taken by another sender): then this one must not send."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            cursor = db.execute("UPDATE deliveries SET lease_until = ? WHERE id = ? AND lease_owner = ? "
                                "AND state = 'due' AND lease_until >= ?", (now + lease_seconds, delivery_id, owner, now))
            return cursor.rowcount == 1

    def sent(self, delivery_id: int, now: float | None = None, note: str = "") -> None:
        """Sent; `note` says what it could not do ("sent to 3 of 4 addresses; refused: …"),
        kept where a failure's reason is, so the log, the retention and an erasure treat it alike."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            db.execute("UPDATE deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = ?, "
                       "lease_owner = NULL, lease_until = NULL WHERE id = ?", (now, note, delivery_id))

    def attempt_failed(self, delivery_id: int, error: str, retry_at: float | None, now: float | None = None) -> None:
        """One attempt failed: try again at `retry_at`, or None: it has failed."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:  # not if it was cancelled meanwhile (an erasure)
            db.execute("UPDATE deliveries SET attempts = attempts + 1, last_error = ?, state = ?, "
                       "next_attempt_at = ?, lease_owner = NULL, lease_until = NULL "
                       "WHERE id = ? AND state != 'cancelled'",
                       (error, "due" if retry_at is not None else "failed", retry_at if retry_at is not None else now,
                        delivery_id))

    def retry(self, delivery_ids: Sequence[int] | None = None, now: float | None = None) -> int:
        """Make failed deliveries due now (all of them, or those given), with
        a fresh count of attempts; returns how many."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            if delivery_ids is None:
                cursor = db.execute("UPDATE deliveries SET state = 'due', attempts = 0, next_attempt_at = ? "
                                    "WHERE state = 'failed'", (now,))
            else:
                cursor = db.executemany("UPDATE deliveries SET state = 'due', attempts = 0, next_attempt_at = ? "
                                        "WHERE state = 'failed' AND id = ?", [(now, i) for i in delivery_ids])
            return cursor.rowcount

    # -- what a delivery sent: kept for a while, then removed -------------------------------

    def past_retention(self, before: float) -> list[Delivery]:
        """Deliveries whose content is still held although they were sent, or
        last failed, before then (one due is still being tried: it is kept)."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM deliveries WHERE forgotten_at IS NULL AND "
                              "((state = 'sent' AND sent_at < ?) OR (state IN ('failed', 'cancelled') "
                              "AND next_attempt_at < ?)) ORDER BY id", (before, before)).fetchall()
        return [_delivery(r) for r in rows]

    def holding_content(self) -> list[Delivery]:
        """Every delivery whose content is still held, oldest first (what an
        erasure or a subject access request searches)."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM deliveries WHERE forgotten_at IS NULL ORDER BY id").fetchall()
        return [_delivery(r) for r in rows]

    def forget(self, kept: Sequence[tuple[int, str, Mapping[str, Any], str]], reason: str,
               now: float | None = None) -> dict[int, str]:
        """Replace what deliveries sent by what may be kept: (id, destination,
        payload, last error) each. One not sent yet (due or failed) is
        cancelled, `reason` saying why. Returns each id's state afterwards
        (one already forgotten is left as it was and not returned)."""
        now = time.time() if now is None else now
        states = {}
        with self._connect(write=True) as db:
            for delivery_id, destination, payload, error in kept:
                cursor = db.execute(
                    "UPDATE deliveries SET destination = ?, payload = ?, forgotten_at = ?, lease_owner = NULL, "
                    "lease_until = NULL, last_error = CASE WHEN state IN ('due', 'failed') THEN ? ELSE ? END, "
                    "state = CASE WHEN state IN ('due', 'failed') THEN 'cancelled' ELSE state END "
                    "WHERE id = ? AND forgotten_at IS NULL",
                    (destination, json.dumps(dict(payload), ensure_ascii=False), now, reason, error, delivery_id))
                if cursor.rowcount:
                    states[delivery_id] = db.execute("SELECT state FROM deliveries WHERE id = ?",
                                                     (delivery_id,)).fetchone()[0]
        return states

    def next_due_at(self) -> float | None:
        with self._connect() as db:
            return db.execute("SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'due'").fetchone()[0]

    # -- reading ----------------------------------------------------------------------

    def deliveries(self, *, state: str | None = None, workflow: str | None = None, limit: int = 200,
                   since: float | None = None) -> list[Delivery]:
        """Newest first."""
        where, args = [], []
        for column, value in (("state", state), ("workflow", workflow)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if since is not None:
            where.append("created_at >= ?")
            args.append(since)
        sql = (f"SELECT {_COLUMNS} FROM deliveries" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY created_at DESC, id DESC LIMIT ?")
        with self._connect() as db:
            return [_delivery(r) for r in db.execute(sql, (*args, limit))]

    def get(self, delivery_id: int) -> Delivery | None:
        with self._connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return _delivery(row) if row else None

    def counts(self) -> dict[str, WorkflowCounts]:
        """Per workflow: deliveries due, sent and failed, and when it last made one and last sent one."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT workflow, SUM(state = 'due'), SUM(state = 'sent'), SUM(state = 'failed'), MAX(created_at), "
                "MAX(sent_at) FROM deliveries WHERE test = 0 GROUP BY workflow").fetchall()
        return {r[0]: WorkflowCounts(*r[1:]) for r in rows}

    def failed_since(self, since: float) -> list[Delivery]:
        """Deliveries that failed for good since then (their last attempt), for the daily summary."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM deliveries WHERE state = 'failed' AND next_attempt_at >= ? "
                              "ORDER BY next_attempt_at", (since,)).fetchall()
        return [_delivery(r) for r in rows]

    # -- switches and leases -------------------------------------------------------------

    def switches(self) -> dict[str, bool]:
        with self._connect() as db:
            return {w: bool(e) for w, e in db.execute("SELECT workflow, enabled FROM switches")}

    def switch(self, workflow: str, enabled: bool, by: str = "", now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            db.execute("INSERT OR REPLACE INTO switches(workflow, enabled, changed_at, changed_by) VALUES (?, ?, ?, ?)",
                       (workflow, int(enabled), now, by))

    def hold(self, name: str, owner: str, seconds: float, now: float | None = None) -> bool:
        """Take or keep the named lease (e.g. the scan of the tabs) unless another owner holds it."""
        now = time.time() if now is None else now
        with self._connect(write=True) as db:
            row = db.execute("SELECT owner, until FROM leases WHERE name = ?", (name,)).fetchone()
            if row and row[0] != owner and row[1] >= now:
                return False
            db.execute("INSERT OR REPLACE INTO leases(name, owner, until) VALUES (?, ?, ?)", (name, owner, now + seconds))
            return True

    def release(self, name: str, owner: str) -> None:
        with self._connect(write=True) as db:
            db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))
