"""The audit log: who signed in, who failed a passcode, who downloaded or
exported personal data, who erased or purged it, whose role changed.

Each entry is a new row of the `Audit log` tab, appended like any submission
and never changed or removed by the app (no page edits it). An entry says
what happened in words a coordinator reads, and never holds the personal
data it is about: an erasure records that it happened and how many cells it
blanked, not whose.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..cells import clean_text
from ..forms.submissions import new_submission_id, utc_stamp
from ..sheets import Store, Tab

AUDIT_TAB = "Audit log"
COLUMNS = ("at", "who", "action", "detail")
# What an entry can record; a new kind of entry is added here first.
ACTIONS = {
    "sign_in": "signed in",
    "sign_in_failed": "failed to sign in",
    "sign_in_throttled": "was made to wait before trying again",
    "sign_out": "signed out",
    "role_changed": "changed a role",
    "kiosk_link": "made a kiosk link",
    "kiosk_ended": "ended kiosk mode on a device",
    "export": "exported personal data",
    "download": "downloaded personal data",
    "erasure": "erased a person's data",
    "purge": "purged personal data past its retention",
    "access_request": "exported everything held about a person",
}


@dataclass(frozen=True)
class AuditEntry:
    row: int
    at: dt.datetime | None
    who: str
    action: str
    detail: str

    @property
    def what(self) -> str:
        """The action in words, or as typed when it is not one the app writes."""
        return ACTIONS.get(self.action, self.action)


def audit_record(who: str, action: str, detail: str = "", now: dt.datetime | None = None) -> dict[str, str]:
    """The row of one entry; an action the log does not know is a bug, not a row."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; known: {', '.join(ACTIONS)}")
    return {"at": utc_stamp(now), "who": who, "action": action, "detail": detail}


def record(store: Store, who: str, action: str, detail: str = "", now: dt.datetime | None = None) -> None:
    """Append one entry to the audit log."""
    store.append_row(AUDIT_TAB, audit_record(who, action, detail, now), new_submission_id())


def read_audit(tab: Tab) -> list[AuditEntry]:
    """Every entry, newest first; a time that cannot be read is shown blank."""
    columns: Mapping[str, Sequence[str]] = {c: tab.cells(c) for c in COLUMNS}
    entries = []
    for index in range(len(tab.rows)):
        if tab.blank(index):
            continue
        cell = {c: clean_text(columns[c][index]) for c in COLUMNS}
        try:
            at = dt.datetime.fromisoformat(cell["at"].replace("Z", "+00:00"))
        except ValueError:
            at = None
        entries.append(AuditEntry(tab.sheet_row(index), at, cell["who"], cell["action"], cell["detail"]))
    return entries[::-1]

