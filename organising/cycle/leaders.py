"""The leader pipeline: from a 1:1 to a trained leader taking roles.

Each person's stage is derived from the records, never typed twice: spotted
(flagged as a potential leader in a 1:1), one-day, three-day and six-day
training (signed in to events of those types), and roles (testimony or
chairing named in an event's evaluation, or a row of the Leader roles tab).
People are matched with organising.people, the same rule the funder
figures use, so the pipeline's "trained" count is the leaders_identified
figure.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pandas as pd

from .evaluation import read_evaluations
from ..forms.spec import Form
from ..counting.metrics import Forms, read_attendance, read_events
from ..cells import CellProblem, Parsed, clean_text
from ..counting.people import (PERSON_ID, PERSON_ROWS, People, Person, is_pseudonym, possible_duplicates,
                               PossibleDuplicate, read_merges)
from ..counting.rows import Cells, form_rows
from ..sheets import Tab, worked_out

TRAINING = {"one_day_training": "one_day", "three_day_training": "three_day", "six_day_training": "six_day"}
STAGES = {"spotted": "Spotted in a 1:1", "one_day": "One-day trained", "three_day": "Three-day trained",
          "six_day": "Six-day trained", "role": "Taking roles"}
_NAME_AND_INSTITUTION = re.compile(r"^(.*?)\s*\((.*?)\)?\s*$")  # the ")" may be missing


@dataclass
class Leader:
    key: str
    name: str
    institution: str
    flagged: bool = False
    spotted: dt.date | None = None                                 # first 1:1 that flagged them
    training: dict[str, dt.date] = field(default_factory=dict)   # level -> first time
    roles: list[tuple[str, dt.date | None, str]] = field(default_factory=list)  # role, when, where recorded
    written_as: list[str] = field(default_factory=list)

    @property
    def steps(self) -> list[str]:
        """The stages this person's records show, in order."""
        return [s for s in STAGES if (s == "spotted" and self.flagged) or s in self.training
                or (s == "role" and self.roles)]

    @property
    def stage(self) -> str:
        """The furthest stage reached (someone trained but never flagged
        in a 1:1 is still at their training stage)."""
        return self.steps[-1] if self.steps else "spotted"


@dataclass
class Pipeline:
    leaders: list[Leader]
    unnamed_spotted: int                  # flagged in 1:1s without a name (no consent)
    duplicates: list[PossibleDuplicate]
    problems: list[CellProblem]

    def reached(self, step: str) -> int:
        return sum(step in p.steps for p in self.leaders)

    def trained(self, start: dt.date = dt.date.min, end: dt.date = dt.date.max) -> int:
        """Different people at any training between start and end: the
        leaders_identified figure for that span."""
        return sum(any(start <= day <= end for day in p.training.values()) for p in self.leaders)


def split_names(cell: Any) -> Parsed:
    """"Amina Adeyemi (St Aidan's), Ben Jones" -> [(name, institution)]:
    commas inside brackets stay with the institution. A bracket left open
    keeps every name, split at every comma, and is reported."""
    text = clean_text(cell)
    names, unclosed = _names(text, brackets=True)
    if unclosed:
        return Parsed(_names(text, brackets=False)[0], "a bracket is not closed, so names are split at every comma")
    return Parsed(names)


def _names(text: str, brackets: bool) -> tuple[list[tuple[str, str]], bool]:
    """The names, and whether a bracket was left open."""
    found, depth, current = [], 0, ""
    for ch in text + ",":
        depth += {"(": 1, ")": -1}.get(ch, 0) if brackets else 0
        if ch in ",;\n" and depth <= 0:
            depth = 0
            if current.strip():
                m = _NAME_AND_INSTITUTION.match(current.strip())
                found.append((m[1], m[2].strip()) if m else (current.strip(), ""))
            current = ""
        else:
            current += ch
    return found, depth > 0


def _leader(leaders: dict[str, Leader], key: str) -> Leader:
    """The person's entry, made on their first mention in any tab."""
    return leaders.setdefault(key, Leader(key, "", ""))


def _spotted(tabs: Mapping[str, Tab], listening: Form, people: People, leaders: dict[str, Leader],
             problems: list[CellProblem]) -> int:
    """Mark everyone flagged in a 1:1; returns how many had no name."""
    unnamed = 0
    for cells in form_rows(tabs, listening, ["potential_leader"], problems):
        flagged = cells.read("potential_leader")
        if cells.reported:  # neither yes nor no: whether they were spotted cannot be told
            cells.leave_out()
            continue
        if flagged != "yes":
            continue
        name, institution = PERSON_ROWS[listening.id]
        if not cells.text(name) and not cells.text(PERSON_ID):
            unnamed += 1
            continue
        day = cells.read("conversation_date")
        key = people.key(cells.text(name), cells.text(institution), cells.id, cells.text(PERSON_ID))
        leader = _leader(leaders, key)
        leader.flagged = True
        if day and (leader.spotted is None or day < leader.spotted):
            leader.spotted = day
    return unnamed


def _recorded_roles(tabs: Mapping[str, Tab], form: Form, people: People, leaders: dict[str, Leader],
                    problems: list[CellProblem]) -> None:
    """The Leader roles tab (the leader_role form): a role not on the form's
    list, or without a name (or the person id that stands for a blanked
    one), is reported."""
    name, institution = PERSON_ROWS[form.id]
    for cells in form_rows(tabs, form, [name, "role"], problems):
        role, day = cells.read("role", required=True), cells.read("role_date")
        named = cells.text(name) or cells.text(PERSON_ID)
        if not named:
            cells.report(name, "no name given")
        if not role or not named:
            cells.leave_out()
            continue
        key = people.key(cells.text(name), cells.text(institution), cells.id, cells.text(PERSON_ID))
        _leader(leaders, key).roles.append((role, day, f"{form.tab} row {cells.row}"))


def build_pipeline(tabs: Mapping[str, Tab], forms: Forms) -> Pipeline:
    """Everyone on their way to leading, from the tabs: 1:1s, events and
    sign-ins, evaluations, and the leader_role form, whose choices are the
    roles a leader takes. Worked out once per shared read (shared: do not change it)."""
    return worked_out(tabs, ("pipeline", *forms.values()), [], lambda _: _build_pipeline(tabs, forms))


def _build_pipeline(tabs: Mapping[str, Tab], forms: Forms) -> Pipeline:
    problems: list[CellProblem] = []
    people = read_merges(tabs, forms["person_merge"], problems)
    by_key: dict[str, Leader] = {}
    unnamed = _spotted(tabs, forms["listening"], people, by_key, problems)
    events = read_events(tabs, forms, problems)
    attendance = read_attendance(tabs, forms, events, problems, people)
    for event in events:
        level = TRAINING.get(event.type)
        for key in attendance.get(event.key, ()) if level else ():
            training = _leader(by_key, key).training
            training[level] = min(training.get(level, event.date), event.date)
    _recorded_roles(tabs, forms["leader_role"], people, by_key, problems)
    event_by_key = {e.key: e for e in events}
    for evaluation in read_evaluations(tabs, forms, events, problems).values():
        event = event_by_key[evaluation.event_key]
        cells = Cells(forms["evaluation"], evaluation.row, evaluation.answers, problems)
        for role, column in (("testimony", "testimony_by"), ("chairing", "chaired_by")):
            for name, institution in cells.parse(column, split_names):
                key = people.named(name, institution, f"{event.key}:{name}")
                _leader(by_key, key).roles.append(
                    (role, event.date, f"evaluation of {event.title}"))
    leaders, written_by_key = [], people.written()
    for key, leader in by_key.items():
        written = people.merged_names(key, written_by_key)
        seen = [people.seen.get(key), *written_by_key.get(key, ())]
        shown = next((p for p in seen if p and p.name), None) or next((p for p in seen if p), None)
        # A sign-in without a name still counts, as it does in the funder figures; someone
        # whose name was removed for privacy shows as their pseudonym.
        leader.name = shown.name if shown and shown.name else key[4:] if is_pseudonym(key[4:]) else "(no name given)"
        leader.institution, leader.written_as = (shown.institution if shown else ""), written
        leaders.append(leader)
    leaders.sort(key=lambda p: (-list(STAGES).index(p.stage), p.name.casefold()))
    duplicates = possible_duplicates(Person(p.key, p.name, p.institution) for p in leaders if p.written_as)
    return Pipeline(leaders, unnamed, duplicates, problems)


def duplicates_table(duplicates: Sequence[PossibleDuplicate]) -> pd.DataFrame:
    """Each pair a coordinator may merge, and why."""
    return pd.DataFrame([{"Keep": f"{d.keep.name} ({d.keep.institution})",
                          "Merge": f"{d.merge.name} ({d.merge.institution})", "Why": d.reason} for d in duplicates])


def pipeline_table(leaders: Sequence[Leader], roles: Form) -> pd.DataFrame:
    """One line per person: stage, when they reached each step, their roles
    (as the leader_role form labels them)."""
    role_labels = {c.name: c.label for c in roles.field("role").choices}
    def when(day: dt.date | None) -> str:
        return day.isoformat() if day else ""
    return pd.DataFrame([{
        "Name": p.name, "Institution": p.institution, "Stage": STAGES[p.stage],
        "Spotted": when(p.spotted) if p.flagged else "",
        "One-day": when(p.training.get("one_day")), "Three-day": when(p.training.get("three_day")),
        "Six-day": when(p.training.get("six_day")),
        "Roles": "; ".join(f"{role_labels[role]} {when(day)}".strip() for role, day, _ in p.roles),
        "Also written as": ", ".join(p.written_as) if len(p.written_as) > 1 else "",
    } for p in leaders], columns=["Name", "Institution", "Stage", "Spotted", "One-day", "Three-day", "Six-day",
                                  "Roles", "Also written as"])
