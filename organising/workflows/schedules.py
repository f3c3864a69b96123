"""When a scheduled workflow runs, in the alliance's time zone.

A schedule is written the way people say it, or as cron:

    daily 09:00        every day
    mon 09:00          every Monday (mon,thu 09:00: Mondays and Thursdays)
    weekdays 08:30     Monday to Friday
    1st 09:00          the 1st of every month (15th 18:00, 28th 07:00 …)
    0 9 * * 1          cron: minute hour day-of-month month day-of-week

Each is turned into cron and read by croniter in the alliance's time zone,
so 09:00 stays 09:00 across the change to and from summer time.
"""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from croniter import croniter

_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")  # cron's numbering
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MONTH_DAY = re.compile(r"^([1-9]|[12]\d|3[01])(st|nd|rd|th)$")
EXAMPLES = '"daily 09:00", "mon 09:00", "mon,thu 18:30", "weekdays 08:30", "1st 09:00" or cron such as "0 9 * * 1"'


class ScheduleError(ValueError):
    pass


def _day(word: str) -> int:
    """A day's number in cron: its name, or the first three letters or more of it."""
    found = [i for i, name in enumerate(_DAYS) if len(word) >= 3 and name.startswith(word)]
    if not found:
        raise ScheduleError(f"{word!r} is not a day of the week")
    return found[0]


def to_cron(text: str) -> str:
    """The schedule as a cron expression; ScheduleError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ScheduleError(f"a schedule is text such as {EXAMPLES}")
    words = text.strip().lower().split()
    if len(words) == 5:
        if not croniter.is_valid(" ".join(words)):
            raise ScheduleError(f"{text!r} is not a valid cron expression")
        return " ".join(words)
    if len(words) == 1:
        words = ["daily", *words]
    if len(words) != 2:
        raise ScheduleError(f"{text!r} is not a schedule such as {EXAMPLES}")
    when, time = words
    clock = _TIME.match(time)
    if not clock:
        raise ScheduleError(f"{time!r} is not a time such as 09:00 (24-hour clock)")
    minute, hour = int(clock[2]), int(clock[1])
    if when in ("daily", "day", "everyday"):
        return f"{minute} {hour} * * *"
    if when in ("weekdays", "weekday"):
        return f"{minute} {hour} * * 1-5"
    month_day = _MONTH_DAY.match(when)
    if month_day:
        return f"{minute} {hour} {int(month_day[1])} * *"
    try:
        days = sorted({_day(w) for w in when.split(",") if w})
    except ScheduleError as exc:
        raise ScheduleError(f"{text!r}: {exc}; write a schedule such as {EXAMPLES}") from None
    return f"{minute} {hour} * * {','.join(map(str, days))}"


def latest(cron: str, timezone: str, now: dt.datetime) -> dt.datetime:
    """The most recent time the schedule came round, at or before `now` (aware)."""
    local = now.astimezone(ZoneInfo(timezone)) + dt.timedelta(seconds=1)
    return croniter(cron, local).get_prev(dt.datetime)


def following(cron: str, timezone: str, now: dt.datetime) -> dt.datetime:
    """The next time the schedule comes round after `now`."""
    return croniter(cron, now.astimezone(ZoneInfo(timezone))).get_next(dt.datetime)
