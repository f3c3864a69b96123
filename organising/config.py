"""Loading the app's configuration (config/): settings, choice lists, forms.

Everything is checked at start-up; a problem raises ConfigError naming the
file and the key, so a coordinator's typo stops the app with a clear message
instead of losing answers later.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel import Locale, UnknownLocaleError

from .cells import DateReader
from .forms.spec import ConfigError, Form, load_forms
from .counting.targets import Programme, load_programmes

REPO_ROOT = Path(__file__).resolve().parent.parent
STORES = ("sqlite", "google_sheets")
ROLES = ("volunteer", "coordinator", "trustee")


@dataclass(frozen=True)
class Settings:
    alliance_name: str
    store: str
    cache_seconds: int
    default_role: str
    data_dir: Path
    # The alliance's locale (en_GB): the order of day and month in a date typed
    # as 8/6/2021 comes from it, never from guessing row by row.
    locale: str = "en_GB"
    # The alliance's time zone: when "today" starts, and when schedules run.
    timezone: str = "Europe/London"
    # Personal data older than this many months is blanked by the purge.
    retention_months: int = 24

    @cached_property
    def dates(self) -> DateReader:
        """How every tab's dates are read: in the locale's order, in the time zone
        (built once; every form holds this one)."""
        return DateReader(self.locale, self.timezone)


@dataclass(frozen=True)
class AppConfig:
    settings: Settings
    forms: dict[str, Form]
    config_dir: Path
    programmes: dict[str, Programme]

    @property
    def aliases(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Accepted header names per tab, from the forms."""
        return {f.tab: f.aliases for f in self.forms.values()}

    @property
    def dates(self) -> DateReader:
        return self.settings.dates

    @property
    def tabs(self) -> tuple[str, ...]:
        """Every tab the forms write, once each, in form order."""
        return tuple(dict.fromkeys(f.tab for f in self.forms.values()))

    def form_for_tab(self, tab: str) -> Form | None:
        return next((f for f in self.forms.values() if f.tab == tab), None)


def config_dir() -> Path:
    return Path(os.environ.get("ORGANISING_CONFIG_DIR", REPO_ROOT / "config"))


def data_dir() -> Path:
    return Path(os.environ.get("ORGANISING_DATA_DIR", "data"))


def load_settings(directory: Path) -> Settings:
    path = directory / "settings.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected keys such as alliance_name and store")
    known = {"alliance_name", "store", "cache_seconds", "default_role", "locale", "timezone", "retention_months"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    store = os.environ.get("ORGANISING_STORE") or raw.get("store", "sqlite")
    if store not in STORES:
        raise ConfigError(f"{path}: store: {store!r} is not one of {', '.join(STORES)}")
    cache_seconds = raw.get("cache_seconds", 60)
    if not isinstance(cache_seconds, int) or isinstance(cache_seconds, bool) or not 1 <= cache_seconds <= 3600:
        raise ConfigError(f"{path}: cache_seconds: must be a whole number of seconds from 1 to 3600")
    default_role = raw.get("default_role", "volunteer")
    if default_role not in (*ROLES, None, ""):
        raise ConfigError(f"{path}: default_role: {default_role!r} is not one of {', '.join(ROLES)} (or empty)")
    locale = str(raw.get("locale") or Settings.locale)
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        raise ConfigError(f"{path}: locale: {locale!r} is not a locale such as en_GB or en_US") from None
    timezone = str(raw.get("timezone") or Settings.timezone)
    try:
        ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        raise ConfigError(f"{path}: timezone: {timezone!r} is not a time zone such as Europe/London") from None
    retention = raw.get("retention_months", Settings.retention_months)
    if not isinstance(retention, int) or isinstance(retention, bool) or not 1 <= retention <= 120:
        raise ConfigError(f"{path}: retention_months: must be a whole number of months from 1 to 120 "
                          f"(how long personal data is kept), not {retention!r}")
    return Settings(
        alliance_name=str(raw.get("alliance_name") or "Citizens Alliance"),
        store=store, cache_seconds=cache_seconds, default_role=default_role or "",
        data_dir=data_dir(), locale=locale, timezone=timezone, retention_months=retention,
    )


def load_config(directory: Path | None = None) -> AppConfig:
    directory = directory or config_dir()
    targets = directory / "targets.yaml"
    settings = load_settings(directory)
    return AppConfig(settings=settings, forms=load_forms(directory, settings.dates), config_dir=directory,
                     programmes=load_programmes(targets) if targets.exists() else {})
