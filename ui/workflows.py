"""Workflows in the app's server: the worker thread (one per server process),
recording what a saved form triggers, and what the Workflows page shows."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Mapping
from zoneinfo import ZoneInfo

import streamlit as st

from integrations.delivery import SetupLoader, make_worker, record_saved, sources_for
from organising.forms.spec import Form
from organising.workflows.context import Sources
from organising.workflows.ledger import Ledger
from organising.workflows.worker import Setup, Worker

from .data import opened_store, read_all_tabs, store
from .session import config

_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _setup_loader() -> SetupLoader:
    # One per server process, shared by the worker and the pages: loading the
    # workflows (YAML, every template compiled) takes 0.1 s.
    return SetupLoader(config(), store())


@st.cache_resource(show_spinner=False, on_release=lambda worker: worker.stop())
def _worker() -> Worker:
    # Once per server process: the ledger's leases keep it from sending what
    # another server's worker (or `python -m organising worker`) sends.
    worker = make_worker(config(), store(), tabs=read_all_tabs, setup=_setup_loader())
    for problem in worker.setup().workflows.problems:  # the page shows them too
        _log.warning("workflow problem: %s", problem)
    worker.start()
    return worker


def worker() -> Worker:
    """The server's worker, started on first use."""
    return _worker()


def start_worker() -> None:
    """For the router: start the worker unless the store cannot be opened
    (then every page says what to fix, and nothing can be sent anyway)."""
    if opened_store() is not None:
        worker()


def setup() -> Setup:
    """The workflows, recipients and senders as their files say now (loaded
    again only when one changes)."""
    return _setup_loader()()


def ledger() -> Ledger:
    return worker().ledger


def sources() -> Sources:
    return sources_for(config(), store(), setup(), read_all_tabs)


def record_deliveries(form: Form, row: Mapping[str, str]) -> None:
    """Right after a submission is saved: record what it triggers and wake
    the worker. A failure here loses nothing: the worker's scan of the tabs
    records the row's deliveries when it meets the row."""
    try:
        keys = record_saved(config(), store(), form, row, read_all_tabs, setup(), ledger())
    except Exception:  # noqa: BLE001 - the volunteer's answers are saved; the scan catches up
        _log.exception("recording the deliveries of submission %s failed; the worker's scan will",
                       row.get("submission_id"))
        return
    if keys:
        worker().nudge()


def local_time(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return dt.datetime.fromtimestamp(timestamp, ZoneInfo(config().settings.timezone)).strftime("%Y-%m-%d %H:%M")
