"""What the coordinator dashboard shows, computed from the tabs with pandas.

One pass turns the 1:1s tab into a typed frame (unreadable dates are left
out; Data quality lists them); everything else is a group-by on it.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Sequence

import pandas as pd

from ..counting.metrics import Figure, dated_rows, elapsed_fraction, pick, read_each_distinct
from ..cells import clean_text, parse_yes_no
from ..sheets import Tab
from ..counting.targets import Metric, Programme, ProgrammeYear

ONE_TO_ONES = "one_to_ones"  # the metric id whose pace the cumulative chart draws
LISTENING_COLUMNS = ["conversation_date", "participant_area", "listener", "listener_institution",
                     "issue_categories", "potential_leader"]


def listening_frame(tab: Tab, aliases: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """One row per readable 1:1 (counted once per submission id, as in the
    funder figures): date, area, institution, listener, issues, leader."""
    dated = dated_rows(tab, "conversation_date", aliases, [])  # unreadable ones are on Data quality
    keep = [i for i, _ in dated]
    column = {c: tab.cells(c, aliases.get(c, ())) for c in LISTENING_COLUMNS[1:]}
    cells = {c: pick(column[c], keep) for c in LISTENING_COLUMNS[1:]}
    frame = {
        "date": [day for _, day in dated],
        "issues": read_each_distinct(cells["issue_categories"], lambda c: [
            i.strip() for i in clean_text(c).replace(";", ",").split(",") if i.strip()]),
        "potential_leader": read_each_distinct(cells["potential_leader"], lambda c: parse_yes_no(c).value is True),
    }
    for name, source in (("area", "participant_area"), ("institution", "listener_institution"),
                         ("listener", "listener")):
        frame[name] = read_each_distinct(cells[source], lambda c: clean_text(c) or "(not given)")
    return pd.DataFrame(frame, columns=["date", "area", "institution", "listener", "issues", "potential_leader"])


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


def cumulative_by_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Date and running total of 1:1s."""
    daily = frame.groupby("date").size().sort_index()
    return pd.DataFrame({"date": daily.index, "total": daily.cumsum().to_numpy()})


def target_line(year: ProgrammeYear, target: int, profile: Sequence[float] = ()) -> pd.DataFrame:
    """Date and 1:1s expected by then: the pace the cards use, so chart and cards agree."""
    days = pd.date_range(year.start, year.end, freq="D").date
    return pd.DataFrame({"date": days, "expected": [target * elapsed_fraction(year, d, profile) for d in days]})


def one_to_ones_metric(programme: Programme) -> Metric | None:
    return next((m for m in programme.metrics if m.id == ONE_TO_ONES), None)


def one_to_ones_target_line(programme: Programme, year: ProgrammeYear) -> pd.DataFrame | None:
    """The 1:1 metric's expected-by-date line for one programme year (None without a target)."""
    metric = one_to_ones_metric(programme)
    target = metric.targets[programme.years.index(year)] if metric else None
    return target_line(year, target, metric.profile) if target else None


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


def signups_by_area(tab: Tab, aliases: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    areas = [clean_text(record.get("area")) or "(not given)" for _, record in tab.records(aliases)]
    return pd.Series(areas, dtype="object").value_counts().rename_axis("area").reset_index(name="count")
