"""Shared fixtures: every test gets its own data folder and fresh caches."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st

from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE
from organising.config import AppConfig, load_config

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Each test writes to its own embedded store, never the developer's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ORGANISING_DATA_DIR", str(folder))
    monkeypatch.delenv("ORGANISING_STORE", raising=False)
    monkeypatch.delenv("ORGANISING_CONFIG_DIR", raising=False)
    monkeypatch.chdir(REPO)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield folder
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_config() -> AppConfig:
    return load_config()


@pytest.fixture
def sqlite_store(data_dir) -> SQLiteStore:
    """The store the app opens for this test (same file)."""
    return SQLiteStore(data_dir / SQLITE_FILE)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 22)


# -- Google Sheets through the fake server (tests/fakesheets) -----------------------

@pytest.fixture
def fake_sheets():
    """A fake Google Sheets API on a free loopback port, for this test only."""
    from tests.fakesheets import FakeSheets
    with FakeSheets() as fake:
        yield fake


def sheets_secrets(fake, key: str, **settings) -> dict:
    """A [google_sheets] secrets section pointing at the fake, with quick retries."""
    from tests.fakesheets import service_account_info
    return {"google_sheets": {"spreadsheet": key, "api_endpoint": fake.url, "timeout_seconds": 5,
                              "backoff_seconds": 0.01, "backoff_max_seconds": 0.05, "drain_seconds": 3600,
                              **settings, "service_account": service_account_info(fake.url)}}


def toml_text(table: dict, prefix: str = "") -> str:
    """A secrets file (strings, numbers and nested tables are all it needs)."""
    import json
    plain = [f"{k} = {json.dumps(v)}" for k, v in table.items() if not isinstance(v, dict)]
    nested = [toml_text(v, f"{prefix}{k}.") for k, v in table.items() if isinstance(v, dict)]
    head = [f"[{prefix[:-1]}]"] if prefix else []
    return "\n".join(head + plain + [""] + nested)


@pytest.fixture
def open_sheets(fake_sheets, data_dir):
    """open_sheets(key=None, sleep=time.sleep, **settings): a Google Sheets store as
    the app opens it (with its outbox), on a new spreadsheet in the fake unless
    `key` is given; `sleep` sees every backoff wait."""
    import time

    from integrations.google_sheets import GoogleSheetsStore, sheets_settings
    from integrations.outbox import OUTBOX_FILE, Outbox
    opened = []

    def open_store(key: str | None = None, sleep=time.sleep, **settings):
        key = key or fake_sheets.create_spreadsheet("Alliance")
        store = GoogleSheetsStore(sheets_settings(sheets_secrets(fake_sheets, key, **settings)),
                                  Outbox(data_dir / OUTBOX_FILE), sleep=sleep)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


@pytest.fixture
def sheets_app(fake_sheets, tmp_path, monkeypatch):
    """sheets_app(key=None, **settings): set the app (pages, command line) to Google
    Sheets through a secrets file pointing at the fake; returns the spreadsheet key."""
    def configure(key: str | None = None, **settings) -> str:
        key = key or fake_sheets.create_spreadsheet("Alliance")
        path = tmp_path / "secrets.toml"
        path.write_text(toml_text(sheets_secrets(fake_sheets, key, **settings)), encoding="utf-8")
        monkeypatch.setenv("ORGANISING_STORE", "google_sheets")
        monkeypatch.setenv("ORGANISING_SECRETS", str(path))
        return key
    return configure


# -- workflows: real receivers on 127.0.0.1 (tests/receivers.py) ------------------------

@pytest.fixture
def mail_server():
    """A real SMTP server (aiosmtpd) on a loopback port."""
    from tests.receivers import MailServer
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    """A real HTTP receiver on a loopback port, with scriptable answers."""
    from tests.receivers import Receiver
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def workflows_env(tmp_path, monkeypatch):
    """workflows_env(yaml_text, secrets_dict): point the app and the command
    line at this workflows file and this secrets file; returns their paths."""
    def configure(workflows: str, secrets: dict | None = None) -> tuple[Path, Path]:
        path, secret_path = tmp_path / "workflows.yaml", tmp_path / "secrets.toml"
        path.write_text(workflows, encoding="utf-8")
        secret_path.write_text(toml_text(secrets or {}), encoding="utf-8")
        monkeypatch.setenv("ORGANISING_WORKFLOWS", str(path))
        monkeypatch.setenv("ORGANISING_SECRETS", str(secret_path))
        return path, secret_path
    return configure
