"""Hypothesis strategies for messy, hand-typed sheets, with the truth they were typed from.

A cell is typed the ways people type it (a choice by its name, label or alias in any case
with extra spaces or punctuation; a date in every form the app promises to read), or as
junk; rows come blank, twice (the same submission id) or as twins without an id. Each
generated tab carries what a plain count of its truth gives, so a test can compare the
app's figures with it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from organising.cells import SHEETS_EPOCH
from organising.forms.spec import OTHER, Choice

LONDON = ZoneInfo("Europe/London")
DATE_FORMS = ["%d/%m/%Y", "%-d/%-m/%Y", "%d/%m/%y", "%d.%m.%Y", "%-d.%-m.%y", "%d-%m-%Y", "%d %B %Y", "%-d %b %Y",
              "%d-%b-%y", "%A %d %B %Y", "%a, %-d %b %Y", "%B %-d, %Y", "%Y-%m-%d", "%Y/%m/%d",
              "%d/%m/%Y %H:%M:%S",  # Google Forms' Timestamp, as Sheets shows it in a UK sheet
              "%-d/%-m/%Y %-H:%M", "%d/%m/%Y %I:%M:%S %p", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
JUNK_DATES = ["sometime in May", "31/02/2021", "13/13/2021", "next Tuesday", "8/6", "June 2021", "tbc", "2021-13-01"]
JUNK_WORDS = ["qwerty", "Atlantis", "zebra crossings", "perhaps", "dunno", "n/k", "???"]


@st.composite
def typed_case(draw, text: str, inner_spaces: bool = False) -> str:
    """The same words in any case, with spaces around (and, with `inner_spaces`, doubled between)."""
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title, str.capitalize]))
    typed = case(text) if any(ch.isalpha() for ch in text) else text
    if inner_spaces and draw(st.booleans()) and " " in typed:
        typed = typed.replace(" ", "  ", 1)
    return draw(st.sampled_from(["", " ", "  ", "\u00a0"])) + typed + draw(st.sampled_from(["", " ", "  "]))


@st.composite
def typed_text(draw, text: str) -> str:
    """A choice as a person might type it: any case, spaces around and between, a full stop."""
    typed = draw(typed_case(text, inner_spaces=True))
    if any(ch.isalpha() for ch in text):
        typed = typed.rstrip() + draw(st.sampled_from([".", "!", ""]))
    return typed


@st.composite
def typed_choice(draw, choice: Choice) -> str:
    """A choice by its name, label or one of its aliases, typed loosely."""
    return draw(typed_text(draw(st.sampled_from([choice.name, choice.label, *choice.aliases]))))


@st.composite
def typed_date(draw, day: dt.date) -> str:
    """8 June 2021 in any form the app reads: numbers in the UK order, month names, ISO,
    date-times as Forms and Sheets write them, an offset, a Sheets serial with a fraction."""
    moment = dt.datetime.combine(day, draw(st.times()))
    way = draw(st.sampled_from(["form", "form", "form", "utc", "serial"]))
    if way == "utc":  # written in UTC by another tool: the date is the one in London
        utc = moment.replace(tzinfo=LONDON).astimezone(dt.timezone.utc)
        return utc.strftime(draw(st.sampled_from(["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S+00:00"])))
    if way == "serial":
        return f"{(day - SHEETS_EPOCH).days + moment.hour / 24:.4f}".rstrip("0").rstrip(".")
    return draw(st.sampled_from(["", " "])) + moment.strftime(draw(st.sampled_from(DATE_FORMS)))


def days(start: dt.date, end: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=start, max_value=end)


@dataclass
class Sheet:
    """A generated tab: header and rows as typed, and its truth."""
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    left_out: dict[int, str] = field(default_factory=dict)   # sheet row -> the column a reader lists
    noted: dict[int, str] = field(default_factory=dict)      # sheet row -> a cell listed as ignored
    truth: list[dict] = field(default_factory=list)          # one per row that counts
    columns: list[str] = field(default_factory=list)         # the column each header cell is read as

    def add(self, cells: dict[str, str], truth: dict | None = None, left_out: str = "", noted: str = "") -> int:
        self.rows.append([cells.get(column, "") for column in self.columns])
        row = len(self.rows) + 1
        if left_out:
            self.left_out[row] = left_out
        elif truth is not None:
            self.truth.append({**truth, "row": row})
        if noted:
            self.noted[row] = noted
        return row

    def blank(self, draw) -> None:
        self.rows.append(draw(st.sampled_from([[], [""] * len(self.columns), ["  "]])))

    @property
    def data_rows(self) -> set[int]:
        return {i + 2 for i, row in enumerate(self.rows) if any(str(c).strip() for c in row)}


@st.composite
def header(draw, form, columns: list[str]) -> tuple[list[str], list[str]]:
    """The columns in any order, each under its name or one of its aliases, typed loosely."""
    order = draw(st.permutations(columns))
    shown = []
    for column in order:
        names = [column, *form.aliases.get(column, ())]
        shown.append(draw(st.sampled_from(names)).replace("_", draw(st.sampled_from(["_", " "]))))
    return shown, list(order)


def new_sheet(draw, form, columns: list[str]) -> Sheet:
    shown, order = draw(header(form, columns))
    return Sheet(shown, columns=order)


def copy_of(draw, sheet: Sheet) -> bool:
    """Paste an earlier row with a submission id again; False when there is none yet."""
    sid = sheet.columns.index("submission_id")
    earlier = [r for r in sheet.rows if len(r) > sid and r[sid].strip()]
    if not earlier:
        return False
    sheet.rows.append(list(draw(st.sampled_from(earlier))))
    sheet.left_out[len(sheet.rows) + 1] = "submission_id"
    return True


def new_rows(draw, sheet: Sheet, most: int, odds: int) -> Iterator[int]:
    """The numbers of the rows to type, up to `most`; about one turn in `odds` adds a
    blank row instead, and another a second copy of an earlier row."""
    for n in range(draw(st.integers(0, most))):
        if draw(st.integers(1, odds)) == 1:
            sheet.blank(draw)
        elif not (draw(st.integers(1, odds)) == 1 and copy_of(draw, sheet)):
            yield n


@st.composite
def listening_sheet(draw, form, start: dt.date, end: dt.date) -> Sheet:
    """The 1:1s tab: dates, areas, issues and the leader flag typed every way; truth per 1:1."""
    sheet = new_sheet(draw, form, ["conversation_date", "listener", "participant_area", "issue_categories",
                                   "potential_leader", "submission_id"])
    areas = [c for c in form.field("participant_area").choices if c.name != OTHER]
    issues = [c for c in form.field("issue_categories").choices if c.name != OTHER]
    answers = form.field("potential_leader").choices
    for n in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["good"] * 6 + ["junk date", "blank date", "blank", "copy", "twins"]))
        if kind == "blank":
            sheet.blank(draw)
            continue
        if kind == "copy" and copy_of(draw, sheet):
            continue
        day = draw(days(start, end))
        area = draw(st.sampled_from([*areas, None, "junk"]))
        picked = draw(st.lists(st.sampled_from(issues), min_size=1, max_size=3, unique=True))
        junk_issue = draw(st.booleans()) and draw(st.booleans())
        leader = draw(st.sampled_from([*answers, None, "junk"]))
        cells = {
            "conversation_date": draw(typed_date(day)) if kind in ("good", "copy", "twins") else
            draw(st.sampled_from(JUNK_DATES)) if kind == "junk date" else "",
            "listener": f"Listener {draw(st.integers(1, 4))}",
            "participant_area": "" if area is None else draw(st.sampled_from(JUNK_WORDS)) if area == "junk"
            else draw(typed_choice(area)),
            "issue_categories": draw(st.sampled_from([", ", ",", "; ", "\n"])).join(
                [draw(typed_choice(c)) for c in picked] + (["qwerty"] if junk_issue else [])),
            "potential_leader": "" if leader is None else draw(st.sampled_from(["maybe", "perhaps"]))
            if leader == "junk" else draw(typed_choice(leader)),
            "submission_id": "" if kind == "twins" or draw(st.booleans()) and draw(st.booleans()) else f"c{n}",
        }
        truth = {"date": day, "area": OTHER if area == "junk" else area.name if area else None,
                 "issues": {c.name for c in picked} | ({OTHER} if junk_issue else set()),
                 "leader": leader not in (None, "junk") and leader.name == "yes"}
        left_out = "conversation_date" if kind in ("junk date", "blank date") else ""
        noted = "potential_leader" if leader == "junk" and not left_out else ""
        for _ in range(2 if kind == "twins" else 1):  # twins: alike, without an id, each counts
            sheet.add(cells, truth, left_out, noted)
    return sheet


@dataclass
class EventTruth:
    key: str
    has_id: bool
    type: str | None          # None: typed as no type the form knows
    date: dt.date | None      # None: unreadable
    headcount: int | None
    people: set = field(default_factory=set)


@st.composite
def events_and_sign_ins(draw, events_form, attendance_form, start: dt.date, end: dt.date
                        ) -> tuple[Sheet, Sheet, list[EventTruth]]:
    """Events typed by hand (types by label, name or alias; every date form; headcounts) and
    sign-ins naming them by id or by title, the same person spelled loosely."""
    events = new_sheet(draw, events_form, ["event_type", "title", "event_date", "headcount", "submission_id"])
    types = [c for c in events_form.field("event_type").choices if c.name != OTHER]
    truths: list[EventTruth] = []
    for n in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 6)) == 0:
            events.blank(draw)
        kind = draw(st.sampled_from([*types, "junk"]))
        day = draw(days(start, end))
        bad_date = draw(st.integers(0, 7)) == 0
        headcount = draw(st.sampled_from([None, None, 12, 40]))
        junk_count = draw(st.integers(0, 6)) == 0
        title = f"Event {n}"
        sid = f"e{n}" if draw(st.integers(0, 3)) else ""
        cells = {"event_type": draw(st.sampled_from(JUNK_WORDS)) if kind == "junk" else draw(typed_choice(kind)),
                 "title": title, "event_date": draw(st.sampled_from(JUNK_DATES)) if bad_date else draw(typed_date(day)),
                 "headcount": "lots" if junk_count else "" if headcount is None else
                 draw(st.sampled_from([str(headcount), f"approx {headcount}", f"{headcount}+"])),
                 "submission_id": sid}
        truth = EventTruth(sid or title, bool(sid), None if kind == "junk" else kind.name, None if bad_date else day,
                           None if junk_count else headcount)
        left_out = "event_date" if bad_date else "event_type" if kind == "junk" else ""
        events.add(cells, {"event": truth}, left_out, "headcount" if junk_count and not bad_date else "")
        truths.append(truth)
    sign_ins = new_sheet(draw, attendance_form, ["event_id", "event", "attendee_name", "institution",
                                                 "submission_id"])
    people = [("Amina Adeyemi", "St Aidan's"), ("Ben Jones", ""), ("Cara Lewis", "Masjid an-Nur"), ("Dev Patel", "")]
    for n in new_rows(draw, sign_ins, 30, 9):
        name, institution = draw(st.sampled_from(people))
        event = draw(st.sampled_from([*truths, None])) if truths else None
        by_title = event is not None and (not event.has_id or draw(st.booleans()))
        cells = {"attendee_name": draw(typed_case(name, inner_spaces=True)), "institution": institution,
                 "submission_id": f"a{n}", "event_id": "" if event is None or by_title else event.key,
                 "event": "A party" if event is None else draw(typed_case(f"Event {truths.index(event)}"))
                 if by_title else ""}
        if event is None or event.date is None:  # names no event, or one whose date cannot be read
            sign_ins.add(cells, left_out="event_id" if cells["event_id"] else "event")
        else:
            event.people.add((name.casefold(), institution.casefold()))
            sign_ins.add(cells, {"event": event, "person": (name, institution)})
    return events, sign_ins, truths


@st.composite
def signups_sheet(draw, form) -> Sheet:
    """CAG sign-ups: a group and its area, typed every way."""
    sheet = new_sheet(draw, form, ["organisation", "area", "submission_id"])
    areas = [c for c in form.field("area").choices if c.name != OTHER]
    for n in new_rows(draw, sheet, 10, 7):
        area = draw(st.sampled_from([*areas, None, "junk"]))
        cells = {"organisation": f"Group {n}", "submission_id": f"g{n}",
                 "area": "" if area is None else "Atlantis" if area == "junk" else draw(typed_choice(area))}
        sheet.add(cells, {"area": OTHER if area == "junk" else area.name if area else None})
    return sheet
