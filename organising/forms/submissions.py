"""A submission: one form's answers as a row, with the app's own columns."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Mapping

from .spec import Choice, Form, choices_from_tab
from ..sheets import FORM_VERSION, SUBMISSION_ID, SUBMITTED_AT, SUBMITTED_BY, Tab


def new_submission_id() -> str:
    return uuid.uuid4().hex


def utc_stamp(now: dt.datetime | None = None) -> str:
    """A moment as the app writes it in a cell (submitted_at, the audit log): UTC, to the second."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def submission_row(form: Form, answers_row: Mapping[str, str], submission_id: str,
                   submitted_by: str, now: dt.datetime | None = None) -> dict[str, str]:
    """The row to append: answers plus id, UTC time, who, and form version."""
    return {
        **answers_row,
        SUBMISSION_ID: submission_id,
        SUBMITTED_AT: utc_stamp(now),
        SUBMITTED_BY: submitted_by,
        FORM_VERSION: form.version,
    }


def dynamic_choices(form: Form, tabs: Mapping[str, Tab], today: dt.date | None = None) -> dict[str, tuple[Choice, ...]]:
    """The choices of each select fed by another tab, as offered now (the page
    and `python -m organising submit` offer and check the same)."""
    today = today or dt.date.today()
    return {f.name: choices_from_tab(f.choices_from, tabs[f.choices_from.tab], today) if f.choices_from.tab in tabs
            else () for f in form.fields if f.choices_from}
