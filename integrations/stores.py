"""Which store the app uses, chosen by configuration alone, and the secrets
file both the app and the command line read it from."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from organising.config import Settings
from organising.forms.spec import ConfigError
from organising.sheets import Store

from .sqlite_store import SQLiteStore

SQLITE_FILE = "organising.sqlite3"
# Streamlit's own place for secrets; the variable points elsewhere (tests, a cron job).
SECRETS_ENV = "ORGANISING_SECRETS"
DEFAULT_SECRETS = Path(".streamlit") / "secrets.toml"


def secrets_path() -> Path:
    return Path(os.environ.get(SECRETS_ENV) or DEFAULT_SECRETS)


def load_secrets() -> dict[str, Any]:
    """The secrets file as a dict ({} when there is none). The command line
    must not import Streamlit, so the app reads it this way too."""
    path = secrets_path()
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None


def open_store(settings: Settings, with_outbox: bool = True) -> Store:
    """The app's store. Without the outbox (the command line), a Google Sheets
    store neither parks submissions nor sends what the app's outbox holds."""
    if settings.store == "sqlite":
        return SQLiteStore(settings.data_dir / SQLITE_FILE)
    # Imported here: the embedded store needs neither gspread nor google-auth.
    from .google_sheets import APPEND_LOCK_FILE, GoogleSheetsStore, sheets_settings
    from .outbox import OUTBOX_FILE, Outbox
    outbox = Outbox(settings.data_dir / OUTBOX_FILE) if with_outbox else None
    return GoogleSheetsStore(sheets_settings(load_secrets()), outbox, lock_path=settings.data_dir / APPEND_LOCK_FILE)
