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
from array import array
from bisect import bisect_left, bisect_right
from itertools import compress
from operator import attrgetter
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from ..cells import CellProblem, Parsed, clean_text, distinct_reads
from ..forms.spec import Form
from .people import PERSON_ID, PERSON_ROWS, People, read_merges
from .unique import pick, rows_to_read, unique_records
from ..sheets import SUBMISSION_ID, Tab, worked_out
from .targets import Metric, Programme, ProgrammeYear

Forms = Mapping[str, Form]  # form id -> form, as AppConfig.forms


def form_writing(forms: Forms, tab: str) -> Form | None:
    """The form whose tab this is (matched as sheets match tab names: any case)."""
    return next((f for f in forms.values() if f.tab.casefold() == tab.casefold()), None)


@dataclass(frozen=True)
class Event:
    key: str
    title: str
    label: str
    type: str                  # a choice name of event_type, or "" when it could not be read
    date: dt.date
    headcount: int | None
    row: int = 0               # its sheet row on the Events tab


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
    # A year still running: green, amber or red against the pace, or scheduled (its event
    # not held yet). A year that has ended: met or missed. A year to come: not started.
    # No target: no target.
    status: str
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
    """Each row left out once; a missing header column is not a row (its
    problem says how many rows it leaves out), nor a cell ignored on a row that counts."""
    return len({(p.tab, p.row) for p in problems if p.row > 1 and p.left_out})


class Dated(Sequence[tuple[int, dt.date]]):
    """(row index, date) of each dated row, held as two columns: the indexes
    as machine integers, and the days (one date object per distinct cell).
    A tuple and an int object per row took 9 MB at 100,000 rows; this 1.6."""
    __slots__ = ("indexes", "days")

    def __init__(self, indexes: Iterable[int], days: Iterable[dt.date]):
        self.indexes = array("q", indexes)
        self.days = list(days)

    def __len__(self) -> int:
        return len(self.days)

    def __getitem__(self, k):
        return (self.indexes[k], self.days[k]) if isinstance(k, int) else list(zip(self.indexes[k], self.days[k]))

    def __iter__(self) -> Iterator[tuple[int, dt.date]]:
        return zip(self.indexes, self.days)


def dated_rows(tab: Tab, form: Form, column: str, problems: list[CellProblem]) -> Dated:
    """(row index, date) for each counted row with a date in `column` that the
    form's date reader can read; the others are added to `problems` (blank
    rows are skipped, second copies listed)."""
    aliases = form.aliases
    found, rows = tab.derived(("dated", column, tuple(aliases.get(column, ())), form.dates),
                              lambda: _dated_rows(tab, form, column))
    problems.extend(found)
    return rows


def _dated_rows(tab: Tab, form: Form, column: str) -> tuple[list[CellProblem], Dated]:
    problems: list[CellProblem] = []
    keep = rows_to_read(tab, form.aliases, [column], problems)
    cells = pick(tab.cells(column, form.aliases.get(column, ())), keep)
    days = form.dates.column(cells)
    values = list(map(attrgetter("value"), days))
    if None not in values:
        return problems, Dated(keep, values)
    for k in [k for k, value in enumerate(values) if value is None]:
        if not tab.blank(keep[k]):
            problems.append(CellProblem(tab.name, tab.sheet_row(keep[k]), column, clean_text(cells[k]),
                                        days[k].problem or f"the {column.replace('_', ' ')} is blank"))
    dated = [value is not None for value in values]
    return problems, Dated(compress(keep, dated), compress(values, dated))


def read_column(tab: Tab, form: Form, column: str, indexes: Sequence[int], problems: list[CellProblem],
                left_out: bool = False, why: str = "") -> list[Parsed]:
    """The cells of `column` at these row indexes, read as the form reads
    that column (each distinct cell once); a cell that cannot be read is
    listed, as leaving its row out or not, with `why` after the reason."""
    cells = pick(tab.cells(column, form.aliases.get(column, ())), indexes)
    once = distinct_reads(cells, form.reader(column))
    unread = {cell for cell, parsed in once.items() if parsed.problem}
    for index, cell in zip(indexes, cells) if unread else ():  # most columns read cleanly: no second pass
        if cell in unread:
            problems.append(CellProblem(tab.name, tab.sheet_row(index), column, clean_text(cell),
                                        once[cell].problem + why, left_out))
    return list(map(once.__getitem__, cells))


def read_events(tabs: Mapping[str, Tab], forms: Forms, problems: list[CellProblem]) -> list[Event]:
    """Every event with a readable date, its type read through the events
    form's choices (name, label or alias). An event whose type cannot be read
    is listed: it still takes sign-ins but counts towards no target."""
    form = forms["events"]
    tab = tabs.get(form.tab, Tab(form.tab))
    ids, titles = tab.cells(SUBMISSION_ID), tab.cells("title", form.aliases.get("title", ()))
    dated = []
    for i, day in dated_rows(tab, form, "event_date", problems):
        if clean_text(ids[i]) or clean_text(titles[i]):
            dated.append((i, day))
        else:
            problems.append(CellProblem(tab.name, tab.sheet_row(i), "title", "",
                                        "the event has no title, so nobody can sign in to it"))
    indexes = [i for i, _ in dated]
    types = read_column(tab, form, "event_type", indexes, problems, True, ": the event counts towards no target")
    headcounts = read_column(tab, form, "headcount", indexes, problems, why=": the headcount is left out")
    events = []
    for (i, day), kind, headcount in zip(dated, types, headcounts):
        title = clean_text(titles[i])
        if kind.value is None and not kind.problem:
            problems.append(CellProblem(tab.name, tab.sheet_row(i), "event_type", "",
                                        "the type of event is blank: the event counts towards no target"))
        events.append(Event(clean_text(ids[i]) or title, title, f"{title} ({day.isoformat()})", kind.value or "",
                            day, headcount.value, tab.sheet_row(i)))
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


def records_by_event(tabs: Mapping[str, Tab], form: Form, events: Sequence[Event],
                     needed: Sequence[str], problems: list[CellProblem], columns: Sequence[str] | None = None
                     ) -> Iterator[tuple[int, dict[str, str], str]]:
    """(sheet row, record, event key) for each row of the form's tab that
    refers to an event; a row that matches no event is reported. `columns`
    as in unique_records (with the event columns added)."""
    find_event = event_finder(events)
    tab = tabs.get(form.tab, Tab(form.tab))
    if columns is not None:
        columns = list(dict.fromkeys([*columns, "event_id", "event"]))
    for row, record in unique_records(tab, form.aliases, needed, problems, columns):
        event = find_event(record)
        if event:
            yield row, record, event
        else:
            column = "event" if clean_text(record.get("event")) or not clean_text(record.get("event_id")) else "event_id"
            typed = clean_text(record.get(column))
            problems.append(CellProblem(form.tab, row, column, typed, "matches no event on the Events tab"
                                        if typed else "no event given"))


def read_attendance(tabs: Mapping[str, Tab], forms: Forms, events: Sequence[Event],
                    problems: list[CellProblem], people: People | None = None) -> dict[str, set[str]]:
    """Event key -> the distinct people who signed in to it (with the
    coordinators' merges from the Person merges tab applied)."""
    if people is None:
        people = read_merges(tabs, forms["person_merge"], problems)
    attendees: dict[str, set[str]] = defaultdict(set)
    for _, event, person in sign_ins(tabs, forms, events, problems, people):
        attendees[event].add(person)
    return attendees


# What a sign-in is read for: the event, who, and their institution.
SIGN_IN_NAME, SIGN_IN_INSTITUTION = PERSON_ROWS["attendance"]
SIGN_IN_COLUMNS = (SIGN_IN_NAME, SIGN_IN_INSTITUTION, PERSON_ID, SUBMISSION_ID)


def sign_ins(tabs: Mapping[str, Tab], forms: Forms, events: Sequence[Event], problems: list[CellProblem],
             people: People) -> Iterator[tuple[dict[str, str], str, str]]:
    """(record, event key, person key) for each sign-in to an event on the
    Events tab, people matched as every count matches them."""
    for row, record, event in records_by_event(tabs, forms["attendance"], events, [SIGN_IN_NAME], problems,
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


def _not_started(metric: Metric, year: ProgrammeYear, target: int | None) -> Figure:
    return _figure(metric, year.label, target, 0, None, None, "not started", f"starts {year.start:%d %b %Y}")


def _finished(metric: Metric, year: ProgrammeYear, target: int | None, actual: int, note: str = "") -> Figure:
    """A year that has ended: its target met or missed, never a pace."""
    return _figure(metric, year.label, target, actual, target, None,
                   "met" if actual >= (target or 0) else "missed", note)


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
        return _not_started(metric, year, target)
    if as_of > year.end:
        return _finished(metric, year, target, actual, "; ".join(notes))
    if not held:
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
        return _not_started(metric, year, target)
    if as_of > year.end:
        return _finished(metric, year, target, actual)
    # A seasonal profile describes one year; a whole programme paces linearly.
    fraction = elapsed_fraction(year, as_of, metric.profile if year.label != "programme" else ())
    expected = (target or 0) * fraction
    projection = round(actual / fraction) if fraction > 0 else None
    return _figure(metric, year.label, target, actual, expected, projection,
                   status_for(actual, expected, programme), "")


def compute_report(programme: Programme, tabs: Mapping[str, Tab], forms: Forms, as_of: dt.date) -> Report:
    """Every figure of the programme as of a day, and the rows left out of
    them; worked out once per shared read (the report is shared: do not change it)."""
    return worked_out(tabs, ("report", programme, as_of, *forms.values()), [],
                      lambda _: _compute_report(programme, tabs, forms, as_of))


def _compute_report(programme: Programme, tabs: Mapping[str, Tab], forms: Forms, as_of: dt.date) -> Report:
    report = Report(programme.name, as_of)
    events = read_events(tabs, forms, report.problems)
    attendance = read_attendance(tabs, forms, events, report.problems)
    dated_by_source: dict[tuple[str, str], list[dt.date]] = {}
    for metric in programme.metrics:
        if metric.count == "rows" and (metric.source, metric.date_column) not in dated_by_source:
            tab = tabs.get(metric.source, Tab(metric.source))
            form = form_writing(forms, metric.source)
            if form is None:
                report.problems.append(CellProblem(metric.source, 1, metric.date_column, "",
                                                   f"no form in config/forms writes the {metric.source} tab, so "
                                                   f"'{metric.label}' cannot be counted"))
                rows = []
            else:
                rows = dated_rows(tab, form, metric.date_column, report.problems)
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
