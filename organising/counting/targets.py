"""Funder targets as configuration (config/targets.yaml), checked at start-up.

A mistake raises ConfigError naming the file and the key, e.g.
"config/targets.yaml: programmes[0].metrics[2].targets: 3 years but 2 targets".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..forms.spec import ConfigError

COUNTS = ("rows", "attendance", "distinct_people")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class ProgrammeYear:
    label: str        # "2021-22"
    start: dt.date    # first day
    end: dt.date      # last day

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    count: str
    targets: tuple[int | None, ...]   # one per programme year
    total: int | None = None
    source: str = ""
    date_column: str = ""
    event_types: tuple[str, ...] = ()
    profile: tuple[float, ...] = ()   # twelve monthly weights from the year start; empty = linear


@dataclass(frozen=True)
class Programme:
    name: str
    years: tuple[ProgrammeYear, ...]
    metrics: tuple[Metric, ...]
    green: float
    amber: float

    def year(self, label: str) -> ProgrammeYear:
        for year in self.years:
            if year.label == label:
                return year
        raise KeyError(f"{self.name} has no programme year {label!r} "
                       f"(its years: {', '.join(y.label for y in self.years)})")


def _year(start_year: int, month: int, day: int) -> ProgrammeYear:
    start = dt.date(start_year, month, day)
    end = dt.date(start_year + 1, month, day) - dt.timedelta(days=1)
    return ProgrammeYear(f"{start_year}-{str(start_year + 1)[2:]}", start, end)


def _fail(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: {key}: {problem}")


def _whole(value: Any, path: Path, key: str, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(path, key, f"must be a whole number of 0 or more, got {value!r}")
    return value


def _years(raw: Any, start: tuple[int, int], today: dt.date, path: Path, key: str) -> tuple[ProgrammeYear, ...]:
    month, day = start
    if isinstance(raw, dict) and set(raw) == {"last"}:
        count = _whole(raw["last"], path, f"{key}.last")
        current = today.year if (today.month, today.day) >= (month, day) else today.year - 1
        return tuple(_year(y, month, day) for y in range(current - count + 1, current + 1))
    if not isinstance(raw, list) or not raw:
        raise _fail(path, key, "give a list such as [2020-21, 2021-22] or {last: 3}")
    years = []
    for i, label in enumerate(raw):
        m = _YEAR.match(str(label))
        if not m or (int(m[1]) + 1) % 100 != int(m[2]):
            raise _fail(path, f"{key}[{i}]", f"{label!r} is not a programme year like 2021-22")
        years.append(_year(int(m[1]), month, day))
    return tuple(years)


def _metric(raw: Any, n_years: int, profiles: dict, path: Path, key: str) -> Metric:
    if not isinstance(raw, dict):
        raise _fail(path, key, "each metric is a mapping with id, label, count and targets")
    allowed = {"id", "label", "count", "source", "date_column", "event_types", "targets", "total", "profile"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(path, f"{key}.{unknown[0]}", f"unknown key; allowed: {', '.join(sorted(allowed))}")
    for required in ("id", "label", "count"):
        if not str(raw.get(required) or "").strip():
            raise _fail(path, f"{key}.{required}", "is missing")
    count = raw["count"]
    if count not in COUNTS:
        raise _fail(path, f"{key}.count", f"{count!r} is not one of {', '.join(COUNTS)}")
    if count == "rows" and not (raw.get("source") and raw.get("date_column")):
        raise _fail(path, f"{key}.source", "a count of rows needs source (the tab) and date_column")
    if count != "rows" and not raw.get("event_types"):
        raise _fail(path, f"{key}.event_types", f"a count of {count} needs the event types it counts")
    targets = raw.get("targets", [None] * n_years)
    if not isinstance(targets, list) or len(targets) != n_years:
        raise _fail(path, f"{key}.targets", f"{n_years} programme years but "
                                            f"{len(targets) if isinstance(targets, list) else 'no list of'} targets")
    profile = raw.get("profile")
    if profile is not None and profile not in profiles:
        raise _fail(path, f"{key}.profile", f"{profile!r} is not defined under profiles")
    return Metric(
        id=str(raw["id"]), label=str(raw["label"]), count=count,
        targets=tuple(_whole(t, path, f"{key}.targets[{i}]", allow_none=True) for i, t in enumerate(targets)),
        total=_whole(raw.get("total"), path, f"{key}.total", allow_none=True),
        source=str(raw.get("source") or ""), date_column=str(raw.get("date_column") or ""),
        event_types=tuple(raw.get("event_types") or ()), profile=profiles.get(profile, ()),
    )


def load_programmes(path: Path, today: dt.date | None = None) -> dict[str, Programme]:
    today = today or dt.date.today()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("programmes"), list) or not raw["programmes"]:
        raise _fail(path, "programmes", "give a list of programmes")
    thresholds = raw.get("status_thresholds", {"green": 0.9, "amber": 0.7})
    green, amber = thresholds.get("green"), thresholds.get("amber")
    if not all(isinstance(v, (int, float)) for v in (green, amber)) or not 0 < amber <= green:
        raise _fail(path, "status_thresholds", "green and amber are fractions with 0 < amber <= green")
    profiles = {}
    for name, weights in (raw.get("profiles") or {}).items():
        if (not isinstance(weights, list) or len(weights) != 12
                or not all(isinstance(w, (int, float)) and w >= 0 for w in weights) or not sum(weights)):
            raise _fail(path, f"profiles.{name}", "give twelve monthly weights (0 or more), year start first")
        profiles[name] = tuple(float(w) for w in weights)
    programmes: dict[str, Programme] = {}
    for p, item in enumerate(raw["programmes"]):
        key = f"programmes[{p}]"
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise _fail(path, f"{key}.name", "is missing")
        start = str(item.get("year_start", "09-01"))
        m = re.fullmatch(r"(\d{2})-(\d{2})", start)
        try:
            dt.date(2001, int(m[1]), int(m[2])) if m else None
        except ValueError:
            m = None
        if not m:
            raise _fail(path, f"{key}.year_start", f"{start!r} is not a month-day like 09-01")
        years = _years(item.get("years"), (int(m[1]), int(m[2])), today, path, f"{key}.years")
        metrics_raw = item.get("metrics")
        if not isinstance(metrics_raw, list) or not metrics_raw:
            raise _fail(path, f"{key}.metrics", "give a list of metrics")
        metrics = tuple(_metric(x, len(years), profiles, path, f"{key}.metrics[{i}]") for i, x in enumerate(metrics_raw))
        ids = [x.id for x in metrics]
        if len(set(ids)) != len(ids):
            raise _fail(path, f"{key}.metrics", f"metric ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
        programmes[str(item["name"])] = Programme(str(item["name"]), years, metrics, float(green), float(amber))
    return programmes
