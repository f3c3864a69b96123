"""Counting funder metrics from the tabs people type into, honestly.

Rules: a row counts once per submission id; a 1:1 belongs to the programme
year of its conversation date; attendance counts distinct people per event
(signing in twice counts once), or the event's headcount when nobody signed
in (and says so); "people trained" counts different people. A cell that
cannot be read without guessing leaves its row out and is listed, with the
tab, the sheet row, the column and the reason.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..cells import CellProblem, clean_text, parse_count, parse_date
from .people import MERGES_TAB, PERSON_ID, PERSON_ROWS, People, read_merges
from ..sheets import SUBMISSION_ID, Tab
from .targets import Metric, Programme, ProgrammeYear

EVENTS_TAB, ATTENDANCE_TAB = "Events", "Attendance"
Aliases = Mapping[str, Mapping[str, Sequence[str]]]  # tab -> column -> aliases


@dataclass(frozen=True)
class Event:
    key: str
    title: str
    label: str
    type: str
    date: dt.date
    headcount: int | None


@dataclass(frozen=True)
class Figure:
    metric: str
    label: str
    year: str                  # "2021-22", or "programme" for a whole-programme target
    target: int | None
    actual: int
    percent: int | None
    expected: float | None     # by the "as of" date
    projection: int | None     # at the year's end, at the current pace
    status: str                # green, amber, red, scheduled, not started, no target
    note: str = ""


@dataclass
class Report:
    programme: str
    as_of: dt.date
    figures: list[Figure] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def left_out(self) -> int:
        """Rows left out of the counts: each unreadable row once."""
        return rows_left_out(self.problems)


def rows_left_out(problems: Sequence[CellProblem]) -> int:
    """Each unreadable row once; a missing header column is not a row."""
    return len({(p.tab, p.row) for p in problems if p.row > 1})


def counted_rows(tab: Tab) -> list[int]:
    """Indexes of the rows that count: the first row of each submission id,
    and every row without one (blank rows too: a reader skips them)."""
    cells = tab.cells(SUBMISSION_ID)
    try:
        sids = list(map(str.strip, cells))
    except TypeError:  # a cell that is not text (from a test or a pandas read)
        sids = [clean_text(c) for c in cells]
    # Built from the end, the dict keeps each id's first row.
    first = dict(zip(reversed(sids), range(len(sids) - 1, -1, -1)))
    return [i for i, sid in enumerate(sids) if not sid or first[sid] == i]


def pick(cells: Sequence[str], indexes: Sequence[int]) -> list[str]:
    """cells[i] for each i in indexes (itemgetter does the loop in C)."""
    return list(itemgetter(*indexes)(cells)) if len(indexes) > 1 else [cells[i] for i in indexes]


def read_each_distinct(cells: Sequence[str], read: Callable[[str], Any]) -> list:
    """read(cell) for every cell, calling read once per distinct text: a sheet
    repeats the same dates, areas and names across thousands of rows."""
    once = {text: read(text) for text in set(cells)}
    return [once[text] for text in cells]


def _counted(tab: Tab, aliases: Mapping[str, Sequence[str]], needed: Sequence[str],
             problems: list[CellProblem]) -> list[int]:
    """counted_rows, or none when a needed column is missing (reported once)."""
    missing = [c for c in needed if tab.exists and tab.column(c, aliases.get(c, ())) is None]
    for column in missing:
        problems.append(CellProblem(tab.name, 1, column, "", f"the column '{column}' is missing from the header"))
    return [] if missing or not tab.exists else counted_rows(tab)


def unique_records(tab: Tab, aliases: Mapping[str, Sequence[str]], needed: Sequence[str],
                   problems: list[CellProblem], columns: Sequence[str] | None = None
                   ) -> list[tuple[int, dict[str, str]]]:
    """(sheet row, record) for each non-blank counted row; a missing column is
    reported once. With `columns`, a record holds only those, read column by
    column: much faster on a long tab than a dict of every cell."""
    keep = _counted(tab, aliases, needed, problems)
    if columns is None:
        rows = {tab.sheet_row(i) for i in keep}
        return [(row, record) for row, record in tab.records(aliases) if row in rows]
    cells = {c: tab.cells(c, aliases.get(c, ())) for c in columns}
    return [(tab.sheet_row(i), {c: cells[c][i] for c in columns}) for i in keep if not tab.blank(i)]


def dated_rows(tab: Tab, column: str, aliases: Mapping[str, Sequence[str]],
               problems: list[CellProblem]) -> list[tuple[int, dt.date]]:
    """(row index, date) for each counted row with a readable date in `column`;
    the others are added to `problems` (blank rows are skipped)."""
    found, rows = tab.derived(("dated", column, tuple(aliases.get(column, ()))),
                              lambda: _dated_rows(tab, column, aliases))
    problems.extend(found)
    return rows


def _dated_rows(tab: Tab, column: str, aliases: Mapping[str, Sequence[str]]
                ) -> tuple[list[CellProblem], list[tuple[int, dt.date]]]:
    problems: list[CellProblem] = []
    keep = _counted(tab, aliases, [column], problems)
    cells = pick(tab.cells(column, aliases.get(column, ())), keep)
    days = read_each_distinct(cells, lambda cell: parse_date(cell).value)
    if None not in days:
        return problems, list(zip(keep, days))
    for index, cell, day in zip(keep, cells, days):
        if day is None and not tab.blank(index):
            problems.append(CellProblem(tab.name, tab.sheet_row(index), column, clean_text(cell),
                                        parse_date(cell).problem or "the date is blank"))
    return problems, [(index, day) for index, day in zip(keep, days) if day is not None]


def read_events(tabs: Mapping[str, Tab], aliases: Aliases, problems: list[CellProblem]) -> list[Event]:
    tab = tabs.get(EVENTS_TAB, Tab(EVENTS_TAB))
    a = aliases.get(EVENTS_TAB, {})
    column = {c: tab.cells(c, a.get(c, ())) for c in (SUBMISSION_ID, "title", "event_type", "headcount")}
    events = []
    for i, day in dated_rows(tab, "event_date", a, problems):
        title = clean_text(column["title"][i])
        events.append(Event(clean_text(column[SUBMISSION_ID][i]) or title, title, f"{title} ({day.isoformat()})",
                            clean_text(column["event_type"][i]).casefold().replace(" ", "_"), day,
                            parse_count(column["headcount"][i]).value))
    return events


def event_finder(events: Sequence[Event]) -> Callable[[Mapping[str, str]], str]:
    """Which event a row refers to: by its event_id, or by the event's label
    or title typed in an `event` column; "" when none matches."""
    keys = {e.key for e in events}
    by_name: dict[str, str] = {}
    for e in events:
        by_name.setdefault(e.label.casefold(), e.key)
        by_name.setdefault(e.title.casefold(), e.key)

    def find(record: Mapping[str, str]) -> str:
        event = clean_text(record.get("event_id"))
        return event if event in keys else by_name.get(clean_text(record.get("event")).casefold(), "")
    return find


def records_by_event(tabs: Mapping[str, Tab], name: str, aliases: Aliases, events: Sequence[Event],
                     needed: Sequence[str], problems: list[CellProblem], columns: Sequence[str] | None = None
                     ) -> Iterator[tuple[int, dict[str, str], str]]:
    """(sheet row, record, event key) for each row of the tab that refers to
    an event; a row that matches no event is reported. `columns` as in
    unique_records (with the event columns added)."""
    find_event = event_finder(events)
    tab = tabs.get(name, Tab(name))
    if columns is not None:
        columns = list(dict.fromkeys([*columns, "event_id", "event"]))
    for row, record in unique_records(tab, aliases.get(name, {}), needed, problems, columns):
        event = find_event(record)
        if event:
            yield row, record, event
        else:
            problems.append(CellProblem(name, row, "event", clean_text(record.get("event"))
                                        or clean_text(record.get("event_id")), "matches no event on the Events tab"))


def read_attendance(tabs: Mapping[str, Tab], aliases: Aliases, events: Sequence[Event],
                    problems: list[CellProblem], people: People | None = None) -> dict[str, set[str]]:
    """Event key -> the distinct people who signed in to it (with the
    coordinators' merges from the Person merges tab applied)."""
    if people is None:
        people = read_merges(tabs, aliases.get(MERGES_TAB, {}), problems)
    attendees: dict[str, set[str]] = defaultdict(set)
    for _, event, person in sign_ins(tabs, aliases, events, problems, people):
        attendees[event].add(person)
    return attendees


# What a sign-in is read for: the event, who, and their institution.
SIGN_IN_NAME, SIGN_IN_INSTITUTION = PERSON_ROWS[ATTENDANCE_TAB]
SIGN_IN_COLUMNS = (SIGN_IN_NAME, SIGN_IN_INSTITUTION, PERSON_ID, SUBMISSION_ID)


def sign_ins(tabs: Mapping[str, Tab], aliases: Aliases, events: Sequence[Event], problems: list[CellProblem],
             people: People) -> Iterator[tuple[dict[str, str], str, str]]:
    """(record, event key, person key) for each sign-in to an event on the
    Events tab, people matched as every count matches them."""
    for row, record, event in records_by_event(tabs, ATTENDANCE_TAB, aliases, events, [SIGN_IN_NAME], problems,
                                               SIGN_IN_COLUMNS):
        yield record, event, people.key(record.get(SIGN_IN_NAME, ""), record.get(SIGN_IN_INSTITUTION, ""),
                                        clean_text(record.get(SUBMISSION_ID)) or f"row{row}",
                                        record.get(PERSON_ID, ""))


def elapsed_fraction(year: ProgrammeYear, as_of: dt.date, profile: Sequence[float] = ()) -> float:
    """How much of the year's work should be done by `as_of`."""
    if as_of < year.start:
        return 0.0
    if as_of >= year.end:
        return 1.0
    if not profile:
        return ((as_of - year.start).days + 1) / ((year.end - year.start).days + 1)
    done, month_start = 0.0, year.start
    for weight in profile:
        next_start = (month_start.replace(day=1) + dt.timedelta(days=32)).replace(day=min(year.start.day, 28))
        if as_of >= next_start:
            done += weight
        else:
            done += weight * ((as_of - month_start).days + 1) / (next_start - month_start).days
            break
        month_start = next_start
    return done / sum(profile)


def status_for(actual: float, expected: float, programme: Programme) -> str:
    if expected <= 0:
        return "green"
    ratio = actual / expected
    return "green" if ratio >= programme.green else "amber" if ratio >= programme.amber else "red"


def _figure(metric: Metric, year_label: str, target: int | None, actual: int, expected: float | None,
            projection: int | None, status: str, note: str) -> Figure:
    percent = round(100 * actual / target) if target else None
    return Figure(metric.id, metric.label, year_label, target, actual, percent,
                  None if expected is None else round(expected, 1), projection,
                  "no target" if target is None and status not in ("scheduled", "not started") else status, note)


def _event_figure(metric, year, target, events, attendance, as_of, programme) -> Figure:
    in_year = [e for e in events if e.type in metric.event_types and year.holds(e.date)]
    held = [e for e in in_year if e.date <= as_of]
    notes = [f"{e.title}: headcount {e.headcount} used (no sign-ins)" for e in held
             if not attendance.get(e.key) and e.headcount is not None]
    if metric.count == "attendance":
        actual = sum(len(attendance.get(e.key, ())) or (e.headcount or 0) for e in held)
    else:
        actual = len(set().union(*(attendance.get(e.key, set()) for e in held)))
    if as_of < year.start:
        return _figure(metric, year.label, target, 0, None, None, "not started", "")
    if not held and as_of < year.end:
        upcoming = [e for e in in_year if e.date > as_of]
        note = f"next: {upcoming[0].title} on {upcoming[0].date:%d %b %Y}" if upcoming else "no event listed yet"
        return _figure(metric, year.label, target, 0, 0.0, None, "scheduled", note)
    expected = (target or 0) * (len(held) / len(in_year) if in_year else 1.0)
    return _figure(metric, year.label, target, actual, expected, None,
                   status_for(actual, expected, programme), "; ".join(notes))


def _row_figure(metric, year, target, dated, as_of, programme) -> Figure:
    """`dated` is sorted, so the rows of a year are counted by bisection."""
    actual = max(0, bisect_right(dated, min(year.end, as_of)) - bisect_left(dated, year.start))
    if as_of < year.start:
        return _figure(metric, year.label, target, 0, None, None, "not started", "")
    # A seasonal profile describes one year; a whole programme paces linearly.
    fraction = elapsed_fraction(year, as_of, metric.profile if year.label != "programme" else ())
    expected = (target or 0) * fraction
    projection = round(actual / fraction) if fraction > 0 else None
    return _figure(metric, year.label, target, actual, expected, projection,
                   status_for(actual, expected, programme), "")


def compute_report(programme: Programme, tabs: Mapping[str, Tab], aliases: Aliases, as_of: dt.date) -> Report:
    report = Report(programme.name, as_of)
    events = read_events(tabs, aliases, report.problems)
    attendance = read_attendance(tabs, aliases, events, report.problems)
    dated_by_source: dict[tuple[str, str], list[dt.date]] = {}
    for metric in programme.metrics:
        if metric.count == "rows" and (metric.source, metric.date_column) not in dated_by_source:
            tab = tabs.get(metric.source, Tab(metric.source))
            rows = dated_rows(tab, metric.date_column, aliases.get(metric.source, {}), report.problems)
            dated_by_source[(metric.source, metric.date_column)] = sorted(day for _, day in rows)
    span = ProgrammeYear("programme", programme.years[0].start, programme.years[-1].end)
    for metric in programme.metrics:
        periods = [(y, t) for y, t in zip(programme.years, metric.targets)]
        if metric.total is not None:
            periods.append((span, metric.total))
        for year, target in periods:
            if metric.count == "rows":
                figure = _row_figure(metric, year, target, dated_by_source[(metric.source, metric.date_column)],
                                     as_of, programme)
            else:
                figure = _event_figure(metric, year, target, events, attendance, as_of, programme)
            if target is not None or year is not span:
                report.figures.append(figure)
    return report
