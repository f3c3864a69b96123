"""What sign-in remembers across sessions and app processes, in a small
SQLite file in the data folder: the recent tries at each role's passcode
(so every session and process together stay within the limit), the key
that signs kiosk links when no cookie_secret is set, and which
identity-provider sign-ins are already in the audit log (a browser keeps its
sign-in for weeks and opens a new session on every visit; the log records
the sign-in once, not each visit).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from organising.access.throttle import ROLE_GUESSES, ROLE_WINDOW_SECONDS

from .sqlite_file import SQLiteFile

ACCESS_FILE = "access.sqlite3"
SIGN_IN_KEPT_SECONDS = 90 * 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS guesses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role TEXT NOT NULL,
    at REAL NOT NULL                -- seconds since the epoch
);
CREATE INDEX IF NOT EXISTS guesses_by_role ON guesses (role, at);
CREATE TABLE IF NOT EXISTS app_key (
    only INTEGER PRIMARY KEY CHECK (only = 1),
    key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sign_ins (
    subject TEXT NOT NULL,          -- the provider and its id for the person
    issued REAL NOT NULL,           -- when the provider issued that sign-in
    PRIMARY KEY (subject, issued)
);
"""


@dataclass(frozen=True)
class Guess:
    """One try at a role's passcode: allowed (id set), or refused until `retry_at`."""
    id: int | None
    retry_at: float = 0.0
    # This try used the role's last guess of the window: the throttling starts now.
    last_allowed: bool = False

    @property
    def allowed(self) -> bool:
        return self.id is not None


class AccessLedger(SQLiteFile):
    SCHEMA = _SCHEMA

    def __init__(self, path: Path | str, guesses: int = ROLE_GUESSES, window: float = ROLE_WINDOW_SECONDS):
        super().__init__(path)
        self.guesses, self.window = guesses, window

    def try_passcode(self, role: str, now: float) -> Guess:
        """Take one of the role's guesses for this window, or be refused. The
        count and the taking are one transaction, so sessions and processes
        trying at the same moment cannot overrun the limit."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM guesses WHERE at <= ?", (now - self.window,))
                count, oldest = db.execute("SELECT COUNT(*), MIN(at) FROM guesses WHERE role = ?",
                                           (role,)).fetchone()
                if count >= self.guesses:
                    return Guess(None, retry_at=oldest + self.window)
                guess_id = db.execute("INSERT INTO guesses (role, at) VALUES (?, ?)", (role, now)).lastrowid
                return Guess(guess_id, last_allowed=count + 1 == self.guesses)
            finally:
                db.execute("COMMIT")

    def right_passcode(self, guess: Guess) -> None:
        """The passcode was right: that try does not count against the role."""
        with self._connect() as db:
            db.execute("DELETE FROM guesses WHERE id = ?", (guess.id,))

    def first_sign_in(self, subject: str, issued: float) -> bool:
        """True the first time this sign-in is seen (then it goes in the audit log)."""
        with self._connect() as db:
            # A browser keeps a sign-in for 30 days (Streamlit's cookie): older ones cannot come back.
            db.execute("DELETE FROM sign_ins WHERE issued < ?", (issued - SIGN_IN_KEPT_SECONDS,))
            return db.execute("INSERT OR IGNORE INTO sign_ins (subject, issued) VALUES (?, ?)",
                              (subject, issued)).rowcount == 1

    def app_key(self) -> str:
        """A random key made on first use and kept in this file: it signs kiosk
        links where the secrets give no cookie_secret."""
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO app_key (only, key) VALUES (1, ?)", (secrets.token_hex(32),))
            return db.execute("SELECT key FROM app_key").fetchone()[0]
