"""A submission: one form's answers as a row, with the app's own columns."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Mapping

from .spec import Form
from ..sheets import FORM_VERSION, SUBMISSION_ID, SUBMITTED_AT, SUBMITTED_BY


def new_submission_id() -> str:
    return uuid.uuid4().hex


def submission_row(form: Form, answers_row: Mapping[str, str], submission_id: str,
                   submitted_by: str, now: dt.datetime | None = None) -> dict[str, str]:
    """The row to append: answers plus id, UTC time, who, and form version."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return {
        **answers_row,
        SUBMISSION_ID: submission_id,
        SUBMITTED_AT: now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        SUBMITTED_BY: submitted_by,
        FORM_VERSION: form.version,
    }
