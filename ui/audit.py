"""What a coordinator does with personal data, in the audit log: who, when, what."""
from __future__ import annotations

from organising.privacy import audit

from .data import store
from .session import current_user


def who() -> str:
    user = current_user()
    return (user.name or user.role) if user else "nobody signed in"


def log(action: str, detail: str) -> None:
    """Record it; a download button calls this as its on_click."""
    audit.record(store(), who(), action, detail)
