"""Pledges made by power-holders, followed up until they are kept.

A pledge row is never changed: each follow-up is a new row on the Pledge
updates tab that names the pledge, and the latest update for a pledge (the
lowest one in the sheet) is its status. An update that cannot be read (an
unknown status, a pledge that is not there) is reported and ignored, so it
never hides the last good one.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, Mapping

import pandas as pd

from ..forms.spec import Form
from ..cells import CellProblem
from ..counting.rows import form_rows
from ..sheets import Tab

# A pledge update's follow-up meeting counts when its cell is filled in.
FOLLOW_UP_MEETING = "follow_up_meeting"

MADE = "made"
CLOSED = ("kept", "partly_kept", "broken")
DUE_SOON_DAYS = 14
# Where a pledge stands on a given day, in the order the tracker lists them.
STATES = ("overdue", "due soon", "not yet due", "no due date", "refused", "closed")
PUBLIC_STATES = {"overdue": "Overdue", "refused": "Said no"}  # shown on the scorecard, with their labels


@dataclass(frozen=True)
class Pledge:
    id: str
    row: int
    power_holder: str
    event: str
    made_on: dt.date | None
    ask: str
    answer: str
    due: dt.date | None
    status: str = MADE
    updated_on: dt.date | None = None
    follow_ups: int = 0
    evidence: str = ""

    def state(self, as_of: dt.date) -> str:
        if self.status in CLOSED:
            return "closed"
        if self.answer == "no":
            return "refused"
        if self.due is None:
            return "no due date"
        if self.due < as_of:
            return "overdue"
        return "due soon" if (self.due - as_of).days <= DUE_SOON_DAYS else "not yet due"

    def public_status(self, as_of: dt.date) -> str:
        """What the scorecard shows: the status, or overdue / refused."""
        state = self.state(as_of)
        return state if state in PUBLIC_STATES else self.status


def read_pledges(tabs: Mapping[str, Tab], forms: Mapping[str, Form], problems: list[CellProblem]) -> list[Pledge]:
    """Every pledge with its latest status, follow-up meetings and evidence."""
    form, updates = forms["pledges"], forms["pledge_updates"]
    pledges: dict[str, Pledge] = {}
    for cells in form_rows(tabs, form, ["ask"], problems):
        if not cells.text("ask"):
            cells.report("ask", "the pledge has no ask")
            continue
        pledges[cells.id] = Pledge(
            cells.id, cells.row, cells.text("power_holder") or cells.text("power_holder_id"), cells.text("event"),
            cells.read("made_on"), cells.text("ask"), cells.read("answer") or "", cells.read("due_date"),
        )
    labels = {key: p.ask for key, p in pledges.items()}
    for cells in form_rows(tabs, updates, ["pledge_id"], problems):
        key = cells.linked("pledge_id", "pledge", labels, "pledge")
        status = cells.read("status", required=True)
        updated_on = cells.read("updated_on")
        new_due = cells.read("new_due_date")
        if not key and not cells.reported:
            cells.report("pledge", "no pledge given")
        if cells.reported:  # an update with any cell unread never hides the last good one
            cells.leave_out()
            continue
        p = pledges[key]
        pledges[key] = replace(
            p, status=status, updated_on=updated_on or p.updated_on, due=new_due or p.due,
            follow_ups=p.follow_ups + bool(cells.text(FOLLOW_UP_MEETING)),
            evidence=cells.text("evidence") or p.evidence)
    return list(pledges.values())


def tracker(pledges: list[Pledge], as_of: dt.date) -> pd.DataFrame:
    """For coordinators chasing pledges: overdue first, then due soon."""
    rows = [{"State": p.state(as_of), "Due": p.due,
             # Text, blank when not overdue: a column mixing numbers and blanks cannot be shown as numbers.
             "Days overdue": str((as_of - p.due).days) if p.state(as_of) == "overdue" else "",
             "Power-holder": p.power_holder, "Ask": p.ask, "Answer": p.answer, "Status": p.status,
             "Made at": p.event, "Made on": p.made_on, "Follow-up meetings": p.follow_ups,
             "Last update": p.updated_on, "Evidence": p.evidence, "Sheet row": p.row} for p in pledges]
    table = pd.DataFrame(rows, columns=["State", "Due", "Days overdue", "Power-holder", "Ask", "Answer", "Status",
                                        "Made at", "Made on", "Follow-up meetings", "Last update", "Evidence",
                                        "Sheet row"])
    order = table["State"].map(STATES.index)
    return table.assign(_order=order).sort_values(["_order", "Due"], na_position="last").drop(columns="_order") \
        .reset_index(drop=True)


# The scorecard's columns, each with the form and column it comes from.
SCORECARD = {"Status": ("pledge_updates", "status"), "Power-holder": ("pledges", "power_holder_id"),
             "The ask": ("pledges", "ask"), "Due": ("pledges", "due_date"), "Their answer": ("pledges", "answer"),
             "Made at": ("pledges", "event_id")}


def scorecard(pledges: list[Pledge], as_of: dt.date, forms: Mapping[str, Form]) -> pd.DataFrame:
    """Safe to show at the next assembly: who pledged what, and whether it
    was kept. Only the public ask and the power-holder's public role; never
    the evidence or follow-up notes, nor any column a form marks personal."""
    rows = [{"Status": p.public_status(as_of),
             "Power-holder": p.power_holder, "The ask": p.ask, "Due": p.due, "Their answer": p.answer,
             "Made at": p.event or (p.made_on and p.made_on.isoformat()) or ""} for p in pledges]
    shown = [c for c, (form, column) in SCORECARD.items() if column not in forms[form].personal_columns]
    return pd.DataFrame(rows, columns=list(SCORECARD))[shown]


def status_counts(pledges: list[Pledge], as_of: dt.date,
                  by: Callable[[Pledge, dt.date], str] = Pledge.public_status) -> Counter[str]:
    """How many pledges stand at each public status (open ones past due
    count as overdue; a "no" as refused), or at each `by=Pledge.state`."""
    return Counter(by(p, as_of) for p in pledges)
