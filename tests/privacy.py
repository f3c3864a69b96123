"""The check every trustee-facing output passes: no resident's name, contact or story in it."""
from __future__ import annotations

from organising.sheets import Store

PERSONAL_COLUMNS = ("participant_name", "listener", "what_they_said", "contact", "attendee_name", "email")


def personal_values(store: Store) -> set[str]:
    """Every name, contact and story the store holds."""
    tabs = store.read_tabs(["1:1s", "Attendance", "CAG sign-ups"])
    return {row[c] for tab in tabs.values() for _, row in tab.records() for c in PERSONAL_COLUMNS if row.get(c)}


def leaked(text: str, store: Store) -> list[str]:
    """The personal values found in `text` (there must be some to look for)."""
    people = personal_values(store)
    assert people, "the store holds no personal data to look for"
    return [p for p in people if p in text]
