"""The store, and one read of every tab shared by all viewers.

Every page reads through all_tabs(): one store.read_tabs call (one
values.batchGet on Google Sheets) per cache period, whatever the number of
pages or people watching; the app's own writes refresh it at once. The
tabs read are one shared object (st.cache_resource), not a copy per run:
a copy would be unpickled on every run (about a second at 100,000 rows),
take memory per viewer, and lose what each run worked out from the tabs.
"""
from __future__ import annotations

import gc
import threading
import time
import streamlit as st

from integrations.stores import open_store
from organising.forms.spec import ConfigError
from organising.sheets import Store, StoreUnavailable, Tabs

from .allocator import keep_less_freed_memory
from .app_config import config

keep_less_freed_memory()  # once per process, before the first read


@st.cache_resource(show_spinner=False)
def _store() -> Store:
    return open_store(config().settings)


def store() -> Store:
    """The configured store; a store that cannot be opened (Google Sheets
    without its secrets) stops the page with what to fix."""
    try:
        return _store()
    except ConfigError as exc:
        st.error(f"The data store cannot be opened, so nothing can be shown or saved.\n\n**{exc}**")
        st.stop()


def opened_store() -> Store | None:
    """The store, or None when it cannot be opened (each page says why)."""
    try:
        return _store()
    except ConfigError:
        return None


def cache_period() -> int:
    """Which cache period this is: it changes every cache_seconds, so whatever
    is cached by period is shared by all viewers until the next one."""
    return int(time.time() // config().settings.cache_seconds)


@st.cache_resource(show_spinner=False, max_entries=1)
def _read_all(tabs: tuple[str, ...], period: int) -> Tabs:
    # One read per cache period, and one object: every viewer and every run
    # gets these very tabs (never a copy), with what has been worked out from
    # them kept until the next read. Nothing may change them. Only the
    # current period's read is kept. The last read, dropped from the cache,
    # may be held still in reference cycles (a finished run's page globals):
    # collected first, it is not held while the new one is made.
    # The read is then frozen out of Python's collector: none of its objects
    # is garbage while it is the latest, and a full collection that walked
    # them all (one page run in three) took 0.07 s at 10,000 1:1s, 0.2 s at
    # 100,000, with every viewer waiting. Unfrozen just before the next read,
    # whatever went out of use meanwhile is collected then.
    gc.unfreeze()
    gc.collect()
    read = Tabs(store().read_tabs(list(tabs)))
    gc.freeze()
    return read


@st.cache_resource(show_spinner=False, max_entries=1)
def _with_more(more: tuple[str, ...], period: int, _shared: Tabs) -> Tabs:
    # The shared read's very tabs and a few more: no second copy of them.
    return Tabs({**_shared, **store().read_tabs(list(more))})


_latest = {"period": 0}  # the latest cache period read, for every viewer
_period_turning = threading.Lock()  # one viewer clears for a new period, never a read another just made


def read_all_tabs(extra: tuple[str, ...] = ()) -> Tabs:
    """Every form's tab (and the `extra` ones: tabs workflows append to), from
    the shared read; raises StoreUnavailable, for a caller that can go on
    without the data."""
    period = cache_period()
    with _period_turning:
        if period > _latest["period"]:
            # A new period: let the last read and all worked out from it go
            # before the new one is made, not after (two reads at once would be
            # the server's peak memory, once a cache period).
            _latest["period"] = period
            _read_all.clear()
            _with_more.clear()
    shared = _read_all(config().tabs, period)
    more = tuple(name for name in dict.fromkeys(extra) if name not in shared)
    return _with_more(more, period, shared) if more else shared


def all_tabs(extra: tuple[str, ...] = ()) -> Tabs:
    try:
        return read_all_tabs(extra)
    except StoreUnavailable as exc:
        st.error(f"The data cannot be read right now. {exc}", icon=":material/cloud_off:")
        st.stop()


def after_write() -> None:
    """The app just wrote: the next read must see it."""
    _read_all.clear()
    _with_more.clear()
