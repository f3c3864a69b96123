"""Reading hand-typed cells honestly.

Each parser takes any cell and returns Parsed(value, problem): a value when
the cell can be read without guessing, a short reason for a coordinator when
it cannot, and (None, None) for a blank cell. They never raise: a messy
sheet is reported row by row, never a crash.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

SHEETS_EPOCH = dt.date(1899, 12, 30)  # day 0 of a Google Sheets date serial
_SERIAL_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_DAY_MONTH_YEAR = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?$", re.IGNORECASE)
_YES = {"yes", "y", "true", "1", "✓", "✔", "☑", "x", "ticked", "yes please"}
_NO = {"no", "n", "false", "0", "✗", "✘", "☐", "none"}
# An e-mail address anywhere in a text (a contact cell, a message, a mail server's answer).
ADDRESS_IN_TEXT = re.compile(r"[^@\s<>,;:'\"()\[\]]+@[^@\s<>,;:'\"()\[\]]+\.[^@\s<>,;:'\"()\[\]]*[^@\s<>,;:'\"()\[\].]")
_APPROXIMATE = re.compile(r"^(?:approx\.?|approximately|about|around|roughly|circa|c\.|ca\.?|~|est\.?)\s*")


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    problem: str | None = None
    approximate: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class CellProblem:
    tab: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.tab} row {self.row}, column '{self.column}': {self.reason}"


def clean_text(cell: Any) -> str:
    """The cell as text, ends trimmed and non-breaking spaces made plain."""
    if type(cell) is str and cell.isascii():  # the usual cell, on the hot path: no spaces to make plain
        return cell.strip()
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    try:
        text = cell if isinstance(cell, str) else str(cell)
    except Exception:  # an object whose str() fails is still not a crash
        return ""
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


def _blank(cell: Any) -> bool:
    """Empty, spaces, or a NaN (how a blank cell can arrive from pandas)."""
    if isinstance(cell, (str, float)) or cell is None:
        return clean_text(cell) == ""
    return False


def _shown(cell: Any) -> str:
    text = clean_text(cell)
    return text if len(text) <= 40 else text[:37] + "…"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # 00-69 are this century, 70-99 the last, as Sheets does
        year += 2000 if year < 70 else 1900
    return year


def _make_date(year: int, month: int, day: int, cell: Any) -> Parsed:
    try:
        return Parsed(dt.date(year, month, day))
    except ValueError:
        return Parsed(problem=f"'{_shown(cell)}' is not a real date")


def parse_date(cell: Any) -> Parsed:
    """A date typed the UK way (day first), ISO, with a month name, or a
    Sheets serial number."""
    if type(cell) is str:
        # A sheet repeats the same few hundred dates across thousands of rows.
        return _parse_date_text(cell)
    return _parse_date(cell)


@lru_cache(maxsize=65_536)
def _parse_date_text(cell: str) -> Parsed:
    return _parse_date(cell)


def _parse_date(cell: Any) -> Parsed:
    if _blank(cell):
        return Parsed()
    if isinstance(cell, dt.datetime):
        return Parsed(cell.date())
    if isinstance(cell, dt.date):
        return Parsed(cell)
    if isinstance(cell, bool):
        return Parsed(problem=f"'{cell}' is not a date")
    if isinstance(cell, (int, float)):
        return _serial(cell, cell)
    text = clean_text(cell).lower()
    if not text:
        return Parsed()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial(float(text), cell)
    if m := _ISO_DATE.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), cell)
    if m := _NUMERIC_DATE.match(text):
        return _make_date(_year(m[4]), int(m[3]), int(m[1]), cell)
    if m := _DAY_MONTH_YEAR.match(text):
        if m[2] in _MONTHS:
            return _make_date(_year(m[3]), _MONTHS[m[2]], int(m[1]), cell)
    if m := _MONTH_DAY_YEAR.match(text):
        if m[1] in _MONTHS:
            return _make_date(int(m[3]), _MONTHS[m[1]], int(m[2]), cell)
    return Parsed(problem=f"'{_shown(cell)}' is not a date (type it as 8/6/2021 or 8 June 2021)")


def _serial(number: float, cell: Any) -> Parsed:
    if not math.isfinite(number):
        return Parsed(problem=f"'{_shown(cell)}' is not a date")
    try:
        day = SHEETS_EPOCH + dt.timedelta(days=int(number))
    except OverflowError:
        day = None
    if day is None or not _SERIAL_RANGE[0] <= day <= _SERIAL_RANGE[1]:
        return Parsed(problem=f"'{_shown(cell)}' is a number, not a date")
    return Parsed(day)


def parse_yes_no(cell: Any) -> Parsed:
    """Yes or no as people tick it: Yes, y, TRUE, ✓, x (a ticked box)…"""
    if _blank(cell):
        return Parsed()
    if isinstance(cell, bool):
        return Parsed(cell)
    text = clean_text(cell).lower().rstrip(".!")
    if not text:
        return Parsed()
    if text in _YES:
        return Parsed(True)
    if text in _NO:
        return Parsed(False)
    return Parsed(problem=f"'{_shown(cell)}' is not yes or no")


def parse_count(cell: Any) -> Parsed:
    """A head count: 40, 1,200, approx 40, 40+ (approximate ones are flagged)."""
    if _blank(cell):
        return Parsed()
    if isinstance(cell, bool):
        return Parsed(problem=f"'{cell}' is not a number")
    if isinstance(cell, (int, float)):
        if not math.isfinite(cell) or cell != int(cell):
            return Parsed(problem=f"'{_shown(cell)}' is not a whole number")
        return Parsed(problem=f"'{_shown(cell)}' is negative") if cell < 0 else Parsed(int(cell))
    text = clean_text(cell).lower()
    if not text:
        return Parsed()
    approximate = bool(_APPROXIMATE.match(text)) or text.endswith("+")
    core = _APPROXIMATE.sub("", text).rstrip("+").strip().replace(",", "")
    if re.fullmatch(r"\d+\s*[-–to]+\s*\d+", core):
        return Parsed(problem=f"'{_shown(cell)}' is a range: type one number")
    if core.startswith("-") and re.fullmatch(r"-\d+(?:\.0+)?", core):
        return Parsed(problem=f"'{_shown(cell)}' is negative")
    if m := re.fullmatch(r"(\d+)(?:\.0+)?", core):
        return Parsed(int(m[1]), approximate=approximate)
    if re.fullmatch(r"\d*\.\d+", core):
        return Parsed(problem=f"'{_shown(cell)}' is not a whole number")
    return Parsed(problem=f"'{_shown(cell)}' is not a number")


def _choice_key(text: str) -> str:
    return " ".join(re.sub(r"['’]", "", text.casefold()).replace("_", " ").replace("-", " ").split())


def parse_choice(cell: Any, choices) -> Parsed:
    """A choice typed by hand: its name or its label, in any case, with
    spaces, underscores or hyphens alike ("Partly kept", "partly-kept",
    "PARTLY_KEPT"). `choices` have .name and .label (a form's choices)."""
    if _blank(cell):
        return Parsed()
    wanted = _choice_key(clean_text(cell))
    for choice in choices:
        if wanted in (_choice_key(choice.name), _choice_key(choice.label)):
            return Parsed(choice.name)
    return Parsed(problem=f"'{_shown(cell)}' is not one of: {', '.join(c.label for c in choices)}")
