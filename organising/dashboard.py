"""What the coordinator dashboard shows, computed from the tabs with pandas.

One pass turns the 1:1s tab into a typed frame (unreadable dates are left
out; Data quality lists them); everything else is a group-by on it.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Sequence

import pandas as pd

from .metrics import elapsed_fraction
from .parsing import clean_text, parse_date, parse_yes_no
from .sheets import SUBMISSION_ID, Tab
from .targets import Metric, Programme, ProgrammeYear

ONE_TO_ONES = "one_to_ones"  # the metric id whose pace the cumulative chart draws
LISTENING_COLUMNS = ["conversation_date", "participant_area", "listener", "listener_institution",
                     "issue_categories", "potential_leader"]


def listening_frame(tab: Tab, aliases: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """One row per readable 1:1: date, area, institution, listener, issues, leader."""
    records = []
    seen = set()
    for _, record in tab.records(aliases):
        sid = clean_text(record.get(SUBMISSION_ID))
        day = parse_date(record.get("conversation_date")).value
        if day is None or (sid and sid in seen):
            continue
        seen.add(sid)
        records.append({
            "date": day,
            "area": clean_text(record.get("participant_area")) or "(not given)",
            "institution": clean_text(record.get("listener_institution")) or "(not given)",
            "listener": clean_text(record.get("listener")) or "(not given)",
            "issues": [i.strip() for i in clean_text(record.get("issue_categories")).replace(";", ",").split(",")
                       if i.strip()],
            "potential_leader": parse_yes_no(record.get("potential_leader")).value is True,
        })
    return pd.DataFrame(records, columns=["date", "area", "institution", "listener", "issues", "potential_leader"])


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


def counts(frame: pd.DataFrame, column: str, top: int | None = None) -> pd.DataFrame:
    """How many 1:1s per value of `column` (issues: per category raised)."""
    values = frame[column].explode() if column == "issues" else frame[column]
    table = values.dropna().value_counts().rename_axis(column).reset_index(name="count")
    return table.head(top) if top else table


def signups_by_area(tab: Tab, aliases: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    areas = [clean_text(record.get("area")) or "(not given)" for _, record in tab.records(aliases)]
    return pd.Series(areas, dtype="object").value_counts().rename_axis("area").reset_index(name="count")
