"""Open evaluation after every action.

Each event may have an evaluation (the Evaluations tab): the turnout target
as typed, logistics, who gave testimony and who chaired, what we learned and
next steps. Turnout itself is never typed twice: it is the distinct people
who signed in, or the event's headcount when nobody did. An event held more
than a week ago with no evaluation is flagged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

import pandas as pd

from ..counting.metrics import Event, Forms, records_by_event
from ..cells import CellProblem
from ..counting.rows import Cells
from ..sheets import Tab

EVALUATION_DUE = dt.timedelta(days=7)
TEXT_COLUMNS = ("logistics", "testimony_by", "chaired_by", "leaders_performance", "learned", "next_steps")


@dataclass(frozen=True)
class Evaluation:
    row: int                    # sheet row in the Evaluations tab
    event_key: str
    target: int | None
    answers: Mapping[str, str]  # TEXT_COLUMNS, as typed


@dataclass(frozen=True)
class EventReview:
    event: Event
    turnout: int | None         # None: nobody signed in and no headcount
    evaluation: Evaluation | None
    status: str                 # evaluated, overdue, due, upcoming

    @property
    def target(self) -> int | None:
        return self.evaluation.target if self.evaluation else None


def read_evaluations(tabs: Mapping[str, Tab], forms: Forms, events: Sequence[Event],
                     problems: list[CellProblem]) -> dict[str, Evaluation]:
    """Event key -> its evaluation (the latest row when there are several)."""
    form = forms["evaluation"]
    found: dict[str, Evaluation] = {}
    for row, record, event in records_by_event(tabs, form, events, [], problems):
        cells = Cells(form, row, record, problems)
        # An unreadable target is reported; the rest of the evaluation is still worth reading.
        found[event] = Evaluation(row, event, cells.read("target_turnout"), {c: cells.text(c) for c in TEXT_COLUMNS})
    return found


def turnout(event: Event, attendance: Mapping[str, set[str]]) -> int | None:
    """Distinct people signed in, or the headcount when nobody signed in."""
    return len(attendance.get(event.key, ())) or event.headcount


def review_events(events: Sequence[Event], attendance: Mapping[str, set[str]],
                  evaluations: Mapping[str, Evaluation], today: dt.date) -> list[EventReview]:
    """Every event, newest first, with its turnout and evaluation status."""
    reviews = []
    for event in sorted(events, key=lambda e: e.date, reverse=True):
        evaluation = evaluations.get(event.key)
        if evaluation:
            status = "evaluated"
        elif event.date > today:
            status = "upcoming"
        else:
            status = "overdue" if today - event.date > EVALUATION_DUE else "due"
        reviews.append(EventReview(event, turnout(event, attendance) if event.date <= today else None,
                                   evaluation, status))
    return reviews


STATUS_TEXT = {"evaluated": "evaluated", "upcoming": "upcoming", "due": "evaluation due this week",
               "overdue": "no evaluation after a week"}


def review_table(reviews: Sequence[EventReview]) -> pd.DataFrame:
    """One line per event: turnout against target and where its evaluation stands."""
    return pd.DataFrame([{
        "Event": r.event.title, "Date": r.event.date, "Type": r.event.type, "Turnout": r.turnout,
        "Target": r.target, "Evaluation": STATUS_TEXT[r.status],
        "What we learned": r.evaluation.answers["learned"] if r.evaluation else "",
        "Next steps": r.evaluation.answers["next_steps"] if r.evaluation else "",
    } for r in reviews], columns=["Event", "Date", "Type", "Turnout", "Target", "Evaluation", "What we learned",
                                  "Next steps"])
