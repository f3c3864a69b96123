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

from .forms import OTHER
from .metrics import unique_records
from .parsing import CellProblem, clean_text, parse_count, parse_date
from .sheets import Tab

MEETINGS_TAB, SIGNUPS_TAB = "Forum meetings", "CAG sign-ups"
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


def forum_of(record: Mapping[str, str]) -> str:
    """The forum a row belongs to: its area, or the area typed after Other."""
    area = clean_text(record.get("area"))
    return clean_text(record.get("area_other")) or area if area.casefold() == OTHER else area


def _attendance(record: Mapping[str, str]) -> int | None:
    count = parse_count(record.get("attendance_count")).value
    if count is not None:
        return count
    names = [n for n in re.split(r"[,;\n]", clean_text(record.get("attendees"))) if n.strip()]
    return len(names) or None


def read_meetings(tabs: Mapping[str, Tab], aliases: Mapping[str, Sequence[str]],
                  problems: list[CellProblem]) -> list[Meeting]:
    """Every readable meeting, oldest first; a row without a forum or a
    readable date is reported with its sheet row."""
    tab = tabs.get(MEETINGS_TAB, Tab(MEETINGS_TAB))
    meetings = []
    for row, record in unique_records(tab, aliases, ["area", "meeting_date"], problems):
        day = parse_date(record.get("meeting_date"))
        forum = forum_of(record)
        if day.value is None or not forum:
            column, reason = (("meeting_date", day.problem or "the date is blank") if day.value is None
                              else ("area", "no forum given"))
            problems.append(CellProblem(MEETINGS_TAB, row, column, clean_text(record.get(column)), reason))
            continue
        meetings.append(Meeting(row, forum, day.value, clean_text(record.get("agenda")), _attendance(record),
                                tuple(lines(record.get("key_issues", ""))), parse_actions(record.get("actions", "")),
                                clean_text(record.get("minutes"))))
    return sorted(meetings, key=lambda m: (m.date, m.row))


def roster(tabs: Mapping[str, Tab], aliases: Mapping[str, Sequence[str]], forum: str) -> list[dict[str, str]]:
    """The groups signed up to this forum, as typed."""
    tab = tabs.get(SIGNUPS_TAB, Tab(SIGNUPS_TAB))
    return [{"Group": clean_text(r.get("organisation")), "Contact": clean_text(r.get("contact_name")),
             "What they do": clean_text(r.get("what_we_do")), "Challenges now": clean_text(r.get("challenges_now")),
             "Sheet row": row}
            for row, r in tab.records(aliases) if forum_of(r).casefold() == forum.casefold()]


def forums(tabs: Mapping[str, Tab], signup_aliases: Mapping[str, Sequence[str]],
           meetings: Sequence[Meeting]) -> list[str]:
    """Every forum with a sign-up or a meeting."""
    signed_up = (forum_of(r) for _, r in tabs.get(SIGNUPS_TAB, Tab(SIGNUPS_TAB)).records(signup_aliases))
    return sorted({f for f in signed_up if f} | {m.forum for m in meetings})


def next_meeting(last: Meeting, areas: Collection[str]) -> dict[str, object]:
    """Answers for the next meeting, started from the last one: the same
    forum and agenda, a week later, with the actions still open. A forum
    that is not one of the listed `areas` is given as Other."""
    forum = {"area": last.forum} if last.forum in areas else {"area": OTHER, "area_other": last.forum}
    return {**forum, "meeting_date": last.date + WEEK, "agenda": last.agenda,
            "actions": "\n".join(a.text for a in last.open_actions)}


def key_issues(meetings: Sequence[Meeting]) -> list[dict[str, object]]:
    """Every key issue raised, newest meeting first, for decision makers."""
    return [{"Forum": m.forum, "Meeting date": m.date, "Key issue": issue}
            for m in sorted(meetings, key=lambda m: m.date, reverse=True) for issue in m.key_issues]
