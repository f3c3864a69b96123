"""Weekly CAG forums: who is on each forum, its meetings, and next week's.

A forum is an area. Its roster is the groups that signed up for that area;
its meetings are rows of the Forum meetings tab. Actions are typed one per
line as "what — who"; a line starting with [x] (or "done") is done, and the
open ones carry over to next week's meeting with the agenda.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

import pandas as pd

from ..forms.spec import OTHER, Form
from ..cells import CellProblem, clean_text
from ..counting.rows import Cells, form_rows
from ..sheets import Tab

WEEK = dt.timedelta(days=7)
_DONE = re.compile(r"^\s*(?:\[[xX✓]\]|✓|✔|done\b[:\s-]*)\s*", re.IGNORECASE)
_OWNER = re.compile(r"\s+(?:—|–|-)\s+(?=[^—–-]*$)")  # the last spaced dash: "what — who"
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Action:
    text: str        # the line as typed, without the done mark
    what: str        # the text without its owner
    owner: str
    done: bool


@dataclass(frozen=True)
class Meeting:
    row: int
    forum: str
    date: dt.date
    agenda: str
    attendance: int | None
    key_issues: tuple[str, ...]
    actions: tuple[Action, ...]
    minutes: str

    @property
    def open_actions(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if not a.done)


def lines(text: str) -> list[str]:
    """Non-blank lines, without list bullets."""
    return [_LIST_ITEM.sub("", line).strip() for line in clean_text(text).splitlines() if line.strip()]


def parse_actions(text: str) -> tuple[Action, ...]:
    actions = []
    for line in lines(text):
        done = bool(_DONE.match(line))
        line = _DONE.sub("", line)
        parts = _OWNER.split(line, maxsplit=1)
        actions.append(Action(line, parts[0].strip(), parts[1].strip() if len(parts) == 2 else "", done))
    return tuple(actions)


def forum_of(cells: Cells) -> str:
    """The forum a row belongs to: its area, read as a typed choice ("Coffee
    Hall & Beanhill" is coffee_hall_beanhill), or the area given for Other,
    as the app writes it when it is on the list after all; an area not on the
    list is kept as typed."""
    area = cells.read("area")
    if area != OTHER:
        return area or ""
    typed = cells.other("area")
    listed = cells.form.field("area").reader.read(typed).value
    return listed if listed and listed != OTHER else typed or OTHER


def _attendance(cells: Cells) -> int | None:
    """The count typed, or else how many names are listed (an unreadable count is listed)."""
    count = cells.read("attendance_count")
    if count is not None:
        return count
    names = [n for n in re.split(r"[,;\n]", cells.text("attendees")) if n.strip()]
    return len(names) or None


def read_meetings(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> list[Meeting]:
    """Every readable meeting of the forum meeting form's tab, oldest first;
    a row without a forum or a readable date is reported with its sheet row."""
    meetings = []
    for cells in form_rows(tabs, form, ["area", "meeting_date"], problems):
        day, forum, came = cells.read("meeting_date", required=True), forum_of(cells), _attendance(cells)
        if day is None:
            cells.leave_out()
            continue
        if not forum:
            cells.report("area", "no forum given")
            continue
        meetings.append(Meeting(cells.row, forum, day, cells.text("agenda"), came,
                                tuple(lines(cells.text("key_issues"))), parse_actions(cells.text("actions")),
                                cells.text("minutes")))
    return sorted(meetings, key=lambda m: (m.date, m.row))


@dataclass(frozen=True)
class Signup:
    row: int
    forum: str                   # "" when the group gave no area
    record: Mapping[str, str]    # the row's cells, by header and column name


def read_signups(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> list[Signup]:
    """Every group signed up on the CAG sign-up form, with its forum."""
    return [Signup(cells.row, forum_of(cells), cells.record) for cells in form_rows(tabs, form, [], problems)]


def members(signups: Sequence[Signup], forum: str) -> list[Signup]:
    """The groups signed up to this forum."""
    return [s for s in signups if s.forum.casefold() == forum.casefold()]


def roster(signups: Sequence[Signup], forum: str) -> list[dict[str, str]]:
    """The groups signed up to this forum, as typed."""
    return [{"Group": clean_text(s.record.get("organisation")), "Contact": clean_text(s.record.get("contact_name")),
             "What they do": clean_text(s.record.get("what_we_do")),
             "Challenges now": clean_text(s.record.get("challenges_now")), "Sheet row": s.row}
            for s in members(signups, forum)]


def forums(signups: Sequence[Signup], meetings: Sequence[Meeting]) -> list[str]:
    """Every forum with a sign-up or a meeting."""
    return sorted({s.forum for s in signups if s.forum} | {m.forum for m in meetings})


def next_meeting(last: Meeting, areas: Collection[str]) -> dict[str, object]:
    """Answers for the next meeting, started from the last one: the same
    forum and agenda, a week later, with the actions still open. A forum
    that is not one of the listed `areas` is given as Other."""
    forum = {"area": last.forum} if last.forum in areas else {"area": OTHER, "area_other": last.forum}
    return {**forum, "meeting_date": last.date + WEEK, "agenda": last.agenda,
            "actions": "\n".join(a.text for a in last.open_actions)}


def meetings_table(meetings: Sequence[Meeting]) -> pd.DataFrame:
    """A forum's meetings, newest first, done actions marked [x]."""
    return pd.DataFrame([{
        "Date": m.date, "Came": m.attendance, "Agenda": m.agenda, "Key issues": "\n".join(m.key_issues),
        "Actions": "\n".join(("[x] " if a.done else "") + a.text for a in m.actions), "Sheet row": m.row,
    } for m in reversed(meetings)])


def open_actions_table(meeting: Meeting) -> pd.DataFrame:
    return pd.DataFrame([{"Action": a.what, "Owner": a.owner or "(no owner)"} for a in meeting.open_actions])


def raised(meetings: Sequence[Meeting], since: dt.date, chosen: Collection[str] = ()) -> list[Meeting]:
    """The meetings held since that day, of the chosen forums (all when none)."""
    return [m for m in meetings if m.date >= since and (not chosen or m.forum in chosen)]


def key_issues(meetings: Sequence[Meeting]) -> list[dict[str, object]]:
    """Every key issue raised, newest meeting first, for decision makers."""
    return [{"Forum": m.forum, "Meeting date": m.date, "Key issue": issue}
            for m in sorted(meetings, key=lambda m: m.date, reverse=True) for issue in m.key_issues]


@dataclass(frozen=True)
class Upcoming:
    """A forum's next meeting: a CAG meeting on the Events tab for its area,
    or else a week after its last recorded meeting (place not known)."""
    date: dt.date
    place: str
    title: str


def planned_meetings(tabs: Mapping[str, Tab], events: Form) -> list[tuple[str, Upcoming]]:
    """(forum, meeting) for each CAG meeting on the Events tab with a readable date
    (the funder figures and the Events page list the rest)."""
    planned = []
    for cells in form_rows(tabs, events, ["event_date"], []):
        if cells.read("event_type") != "cag_meeting":
            continue
        day = cells.read("event_date")
        if day is not None:
            planned.append((forum_of(cells), Upcoming(day, cells.text("place"), cells.text("title"))))
    return planned


def upcoming_meeting(planned: Sequence[tuple[str, Upcoming]], meetings: Sequence[Meeting], forum: str,
                     on_or_after: dt.date) -> Upcoming | None:
    """The forum's first meeting on or after that day (from `planned_meetings`,
    else a week after its last one), or None when nothing says when it meets."""
    ahead = [u for f, u in planned if u.date >= on_or_after and f.casefold() == forum.casefold()]
    if ahead:
        return min(ahead, key=lambda u: u.date)
    held = [m for m in meetings if m.forum.casefold() == forum.casefold()]
    if not held:
        return None
    day = held[-1].date + WEEK
    while day < on_or_after:
        day += WEEK
    return Upcoming(day, "", "")


def last_meeting_before(meetings: Sequence[Meeting], forum: str, day: dt.date) -> Meeting | None:
    """The forum's latest meeting held before that day."""
    held = [m for m in meetings if m.forum.casefold() == forum.casefold() and m.date < day]
    return held[-1] if held else None
