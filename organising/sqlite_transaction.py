"""One transaction on an SQLite connection opened with isolation_level=None,
shared by the embedded store and the delivery ledger."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def transaction(db: sqlite3.Connection, write: bool = False) -> Iterator[sqlite3.Connection]:
    # A writer takes the lock at BEGIN, so two writers wait on each other
    # instead of failing midway when the second one upgrades its read lock.
    db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
