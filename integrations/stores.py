"""Which store the app uses, chosen by configuration alone."""
from __future__ import annotations

from organising.config import Settings
from organising.sheets import Store

from .sqlite_store import SQLiteStore

SQLITE_FILE = "organising.sqlite3"


def open_store(settings: Settings) -> Store:
    if settings.store == "sqlite":
        return SQLiteStore(settings.data_dir / SQLITE_FILE)
    raise NotImplementedError(f"store {settings.store!r} is not available yet")
