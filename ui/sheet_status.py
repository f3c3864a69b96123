"""What waits in the Google Sheets outbox, for coordinators."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from integrations.outbox import OutboxSummary

from .data import store


def outbox_summary() -> OutboxSummary | None:
    """None on a store without an outbox (the embedded one)."""
    outbox = getattr(store(), "outbox", None)
    return outbox.summary() if outbox is not None else None


def waiting_text(summary: OutboxSummary) -> str:
    minutes = int((dt.datetime.now(dt.timezone.utc) - summary.oldest).total_seconds() // 60) if summary.oldest else 0
    since = summary.oldest.strftime("%d %b %H:%M UTC") if summary.oldest else "?"
    plural = "submission is" if summary.waiting == 1 else "submissions are"
    return (f"{summary.waiting} {plural} waiting on this server to be sent to the Google Sheet, "
            f"the oldest since {since} ({minutes} min ago).")


def outbox_warning() -> None:
    """One line when submissions wait; shown on coordinators' pages."""
    summary = outbox_summary()
    if summary and summary.waiting:
        st.warning(waiting_text(summary) + " They are sent automatically; see Connect your sheet.",
                   icon=":material/outbox:")
