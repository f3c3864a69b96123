"""How the Google Sheet is doing, for coordinators: submissions waiting in
the outbox, and reads showing an older copy while Google cannot be reached."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from integrations.outbox import OutboxSummary

if TYPE_CHECKING:  # gspread is imported only when the app uses Google Sheets
    from integrations.google_sheets import SheetCheck

from .data import cache_period, store


def outbox_summary() -> OutboxSummary | None:
    """None on a store without an outbox (the embedded one)."""
    outbox = getattr(store(), "outbox", None)
    return outbox.summary() if outbox is not None else None


def _when(moment: dt.datetime) -> str:
    minutes = int((dt.datetime.now(dt.timezone.utc) - moment).total_seconds() // 60)
    return f"{moment.strftime('%d %b %H:%M UTC')} ({minutes} min ago)"


def waiting_text(summary: OutboxSummary) -> str:
    plural = "submission is" if summary.waiting == 1 else "submissions are"
    since = _when(summary.oldest) if summary.oldest else "?"
    return f"{summary.waiting} {plural} waiting on this server to be sent to the Google Sheet, the oldest since {since}."


def sheet_status_warning() -> None:
    """A line for each thing a coordinator should know; nothing when all is well."""
    summary = outbox_summary()
    if summary and summary.waiting:
        st.warning(waiting_text(summary) + " They are sent automatically; see Connect your sheet.",
                   icon=":material/outbox:")
    unavailable = getattr(store(), "unavailable", None)
    if unavailable:
        st.warning(f"The Google Sheet cannot be read just now: {unavailable.problem} Showing it as read at "
                   f"{_when(unavailable.last_read_at)}.", icon=":material/cloud_off:")


@st.cache_data(show_spinner=False, max_entries=2)
def _check(period: int) -> SheetCheck:
    # One check per cache period for all coordinators, as reads are shared.
    return store().check()


def sheet_check() -> SheetCheck:
    """Whether the sheet can be used and its header rows, checked once per cache period."""
    return _check(cache_period())


def check_again() -> None:
    """The next sheet_check() asks Google again (after a fix, or the app's own change)."""
    _check.clear()
