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
