"""What the coordinator dashboard shows, computed from the tabs with pandas.

One pass turns the 1:1s tab into a typed frame, every cell read as the
listening form reads it (dates through the alliance's date reader, areas,
issues and the leader flag through their choices); unreadable dates leave
their row out, and Data quality lists every cell it could not read.
Everything else is a group-by on it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import pandas as pd

from ..cells import CellProblem
from ..counting.metrics import Figure, dated_rows, elapsed_fraction, read_column
from ..counting.unique import rows_to_read
from .reports import FINISHED, STATUS_TEXT
from ..forms.spec import Form
from ..sheets import Tab, worked_out
from ..counting.targets import Metric, Programme, ProgrammeYear

ONE_TO_ONES = "one_to_ones"  # the metric id whose pace the cumulative chart draws
LISTENING_COLUMNS = ["conversation_date", "participant_area", "listener", "listener_institution",
                     "issue_categories", "potential_leader"]


NOT_GIVEN = "(not given)"
NOT_READ = "(could not be read)"
# The 1:1s' breakdowns the dashboard charts: column -> how many of the most frequent it shows (None: all).
BREAKDOWNS = {"issues": None, "area": 10, "institution": 10, "listener": 10}


def listening_frame(tab: Tab, form: Form, problems: list[CellProblem] | None = None) -> pd.DataFrame:
    """One row per 1:1 with a readable date (counted once per submission id,
    as in the funder figures): date, area, institution, listener, issues (choice
    names) and whether a potential leader was spotted. What could not be read
    goes to `problems`, when given (Data quality lists them). Worked out once
    per read of the tab: the frame is shared, do not change it."""
    return worked_out(tab, ("listening frame", form), [] if problems is None else problems,
                      lambda found: _listening_frame(tab, form, found))


def _listening_frame(tab: Tab, form: Form, problems: list[CellProblem]) -> pd.DataFrame:
    dated = dated_rows(tab, form, "conversation_date", problems)
    keep = dated.indexes
    issues = read_column(tab, form, "issue_categories", keep, problems)
    leader = read_column(tab, form, "potential_leader", keep, problems)
    frame = {
        "date": dated.days,
        "area": [_choice(p) for p in read_column(tab, form, "participant_area", keep, problems)],
        "issues": [p.value or () for p in issues],
        "potential_leader": [p.value == "yes" for p in leader],
    }
    for name, source in (("institution", "listener_institution"), ("listener", "listener")):
        frame[name] = [p.value or NOT_GIVEN for p in read_column(tab, form, source, keep, [])]
    # The texts as Python objects, each the one the choice reader gave (a dozen distinct): pandas'
    # own text type would copy every cell into Arrow, twice the memory at 100,000 1:1s.
    for name in ("area", "institution", "listener"):
        frame[name] = pd.Series(frame[name], dtype=object)
    return pd.DataFrame(frame, columns=["date", "area", "institution", "listener", "issues", "potential_leader"])


def _choice(parsed) -> str:
    """A select_one cell as a chart shows it: its choice name (Other for an
    answer typed in its place), or why there is none."""
    if parsed.value is not None:
        return parsed.value
    return NOT_READ if parsed.problem else NOT_GIVEN


def filtered(frame: pd.DataFrame, year: ProgrammeYear | None, as_of: dt.date,
             areas: Sequence[str] = (), institutions: Sequence[str] = ()) -> pd.DataFrame:
    keep = frame["date"] <= as_of
    if year is not None:
        keep &= (frame["date"] >= year.start) & (frame["date"] <= year.end)
    if areas:
        keep &= frame["area"].isin(areas)
    if institutions:
        keep &= frame["institution"].isin(institutions)
    return frame[keep]


def filter_options(tab: Tab, form: Form) -> tuple[list[str], list[str]]:
    """The areas and the institutions the 1:1s name, sorted: what the
    dashboard's filter offers. Worked out once per read of the tab."""
    def make(_) -> tuple[list[str], list[str]]:
        frame = listening_frame(tab, form)
        return sorted(frame["area"].unique()), sorted(frame["institution"].unique())
    return worked_out(tab, ("filter options", form), [], make)


@dataclass(frozen=True)
class YearFigures:
    """What the dashboard draws from the 1:1s of one programme year and filter."""
    cumulative: pd.DataFrame              # date and running total (cumulative_by_day)
    leaders: int                          # potential leaders spotted
    breakdowns: dict[str, pd.DataFrame]   # column -> its counts(), as BREAKDOWNS says

    @property
    def empty(self) -> bool:
        return self.cumulative.empty


def year_figures(tab: Tab, form: Form, year: ProgrammeYear, as_of: dt.date, areas: Sequence[str] = (),
                 institutions: Sequence[str] = ()) -> YearFigures:
    """The 1:1s' figures for `year` up to `as_of`, in these areas and
    institutions (all when none are given). Worked out once per read of the
    tab for each year, day and filter: every viewer's page and every
    minute's refresh within a cache period draws them without counting again."""
    def make(_) -> YearFigures:
        mine = filtered(listening_frame(tab, form), year, as_of, areas, institutions)
        return YearFigures(cumulative_by_day(mine), int(mine["potential_leader"].sum()),
                           {column: counts(mine, column, top) for column, top in BREAKDOWNS.items()})
    return worked_out(tab, ("year figures", form, year, as_of, tuple(areas), tuple(institutions)), [], make)


def cumulative_by_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Date and running total of 1:1s."""
    daily = frame.groupby("date").size().sort_index()
    return pd.DataFrame({"date": daily.index, "total": daily.cumsum().to_numpy()})


def target_line(year: ProgrammeYear, target: int, profile: Sequence[float] = ()) -> pd.DataFrame:
    """Date and 1:1s expected by then: the pace the cards use, so chart and
    cards agree. The same for every refresh: made once (shared, not to be changed)."""
    return _target_line(year, target, tuple(profile))


@lru_cache(maxsize=64)
def _target_line(year: ProgrammeYear, target: int, profile: tuple[float, ...]) -> pd.DataFrame:
    days = pd.date_range(year.start, year.end, freq="D").date
    return pd.DataFrame({"date": days, "expected": [target * elapsed_fraction(year, d, profile) for d in days]})


def one_to_ones_metric(programme: Programme) -> Metric | None:
    return next((m for m in programme.metrics if m.id == ONE_TO_ONES), None)


def one_to_ones_target_line(programme: Programme, year: ProgrammeYear) -> pd.DataFrame | None:
    """The 1:1 metric's expected-by-date line for one programme year (None without a target)."""
    metric = one_to_ones_metric(programme)
    target = metric.targets[programme.years.index(year)] if metric else None
    return target_line(year, target, metric.profile) if target else None


def card_delta(figure: Figure) -> tuple[str, str]:
    """What a dashboard card says under its figure, and whether it is coloured:
    a year that has ended, how far from its target ("-8: missed"); a year
    still running, how far from the pace; otherwise its status in words."""
    if figure.status in FINISHED and figure.target is not None:
        return f"{figure.actual - figure.target:+d}: {STATUS_TEXT[figure.status]}", "normal"
    ahead = pace(figure)
    if ahead is not None:
        return f"{ahead:+d} {'ahead of' if ahead >= 0 else 'behind'} pace", "normal"
    return STATUS_TEXT[figure.status], "off"


def pace(figure: Figure) -> int | None:
    """How far ahead (+) or behind (-) the expected pace a figure is; None
    when it is not paced (scheduled, not started, no target)."""
    if figure.expected is None or figure.status not in ("green", "amber", "red"):
        return None
    return round(figure.actual - figure.expected)


def counts(frame: pd.DataFrame, column: str, top: int | None = None) -> pd.DataFrame:
    """How many 1:1s per value of `column` (issues: per category raised)."""
    values = frame[column].explode() if column == "issues" else frame[column]
    table = values.dropna().value_counts().rename_axis(column).reset_index(name="count")
    return table.head(top) if top else table


def signups_by_area(tab: Tab, form: Form, problems: list[CellProblem] | None = None) -> pd.DataFrame:
    """How many groups signed up for each area (each sign-up once)."""
    problems = [] if problems is None else problems
    keep = [i for i in rows_to_read(tab, form.aliases, [], problems) if not tab.blank(i)]
    areas = [_choice(p) for p in read_column(tab, form, "area", keep, problems)]
    return pd.Series(areas, dtype="object").value_counts().rename_axis("area").reset_index(name="count")
