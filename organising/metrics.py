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
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

from .parsing import CellProblem, clean_text, parse_count, parse_date
from .people import MERGES_TAB, People, person_key, read_merges  # noqa: F401  person_key re-exported: one rule
from .sheets import SUBMISSION_ID, Tab
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
        return len({(p.tab, p.row) for p in self.problems if p.row > 1})


def unique_records(tab: Tab, aliases: Mapping[str, Sequence[str]], needed: Sequence[str],
                    problems: list[CellProblem]) -> list[tuple[int, dict[str, str]]]:
    """Non-blank rows, once per submission id; a missing column is reported once."""
    missing = [c for c in needed if tab.exists and tab.column(c, aliases.get(c, ())) is None]
    for column in missing:
        problems.append(CellProblem(tab.name, 1, column, "", f"the column '{column}' is missing from the header"))
    if missing or not tab.exists:
        return []
    seen, out = set(), []
    for row, record in tab.records(aliases):
        sid = clean_text(record.get(SUBMISSION_ID, ""))
        if sid and sid in seen:
            continue
        seen.add(sid)
        out.append((row, record))
    return out


def _dated(tab: Tab, column: str, aliases, problems) -> list[tuple[dt.date, dict[str, str]]]:
    out = []
    for row, record in unique_records(tab, aliases, [column], problems):
        parsed = parse_date(record.get(column))
        if parsed.value is None:
            problems.append(CellProblem(tab.name, row, column, clean_text(record.get(column)),
                                        parsed.problem or "the date is blank"))
        else:
            out.append((parsed.value, record))
    return out


def read_events(tabs: Mapping[str, Tab], aliases: Aliases, problems: list[CellProblem]) -> list[Event]:
    tab = tabs.get(EVENTS_TAB, Tab(EVENTS_TAB))
    a = aliases.get(EVENTS_TAB, {})
    events = []
    for day, record in _dated(tab, "event_date", a, problems):
        headcount = parse_count(record.get("headcount"))
        title = clean_text(record.get("title"))
        events.append(Event(clean_text(record.get(SUBMISSION_ID)) or title, title, f"{title} ({day.isoformat()})",
                            clean_text(record.get("event_type")).casefold().replace(" ", "_"), day,
                            headcount.value))
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
                     needed: Sequence[str], problems: list[CellProblem]) -> Iterator[tuple[int, dict[str, str], str]]:
    """(sheet row, record, event key) for each row of the tab that refers to
    an event; a row that matches no event is reported."""
    find_event = event_finder(events)
    tab = tabs.get(name, Tab(name))
    for row, record in unique_records(tab, aliases.get(name, {}), needed, problems):
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
    for row, record, event in records_by_event(tabs, ATTENDANCE_TAB, aliases, events, ["attendee_name"], problems):
        attendees[event].add(people.key(record.get("attendee_name", ""), record.get("institution", ""),
                                        clean_text(record.get(SUBMISSION_ID)) or f"row{row}",
                                        record.get("person_id", "")))
    return attendees


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
    actual = sum(1 for day in dated if year.holds(day) and day <= as_of)
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
            rows = _dated(tab, metric.date_column, aliases.get(metric.source, {}), report.problems)
            dated_by_source[(metric.source, metric.date_column)] = [day for day, _ in rows]
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
