"""Reading hand-typed cells honestly.

Each reader takes any cell and returns Parsed(value, problem): a value when
the cell can be read without guessing, a short reason for a coordinator when
it cannot, and (None, None) for a blank cell. They never raise: a messy
sheet is reported row by row, never a crash.

Every select cell goes through a ChoiceReader (built once per field) and
every date through a DateReader (built once from the alliance's locale and
time zone): one reader of each kind, so every page reads a cell the same way.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol, Sequence
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_date_format, get_day_names, get_month_names

SHEETS_EPOCH = dt.date(1899, 12, 30)  # day 0 of a Google Sheets date serial
_SERIAL_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_ENGLISH_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_ENGLISH_WEEKDAYS = {"mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs",
                     "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday"}
# A time of day after a date, as Google Forms writes its Timestamp and Sheets
# shows a date-time cell ("08/06/2021 14:03:22"), with am/pm or fractions of a second.
_TIME = r"(?:[\s,]+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?" \
        r"\s*(?P<half>[ap]\.?m\.?)?)?"
_NUMERIC_DATE = re.compile(r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})\.?" + _TIME + "$")
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
                       r"(?:[t\s](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
                       r"\s?(?P<offset>z|[+\-]\d{2}(?::?\d{2})?)?)?$")
_ORDINAL = r"(?:st|nd|rd|th)?"
_NAMED_DATE = re.compile(
    r"(?:(?P<weekday>[^\W\d_]+)\.?,?\s+)?"
    r"(?:(?P<day1>\d{1,2})" + _ORDINAL + r"(?:\s+of)?[\s\-./]+(?P<month1>[^\W\d_]+)\.?,?"
    r"|(?P<month2>[^\W\d_]+)\.?[\s\-./]+(?P<day2>\d{1,2})" + _ORDINAL + r",?)"
    r"[\s\-./]+(?P<year>\d{4}|\d{2})" + _TIME + "$")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
# An e-mail address anywhere in a text (a contact cell, a message, a mail server's answer).
ADDRESS_IN_TEXT = re.compile(r"[^@\s<>,;:'\"()\[\]]+@[^@\s<>,;:'\"()\[\]]+\.[^@\s<>,;:'\"()\[\]]*[^@\s<>,;:'\"()\[\].]")
_APPROXIMATE = re.compile(r"^(?:approx\.?|approximately|about|around|roughly|circa|c\.|ca\.?|~|est\.?)\s*")
# How a select_multiple cell separates its answers (Google Forms writes ", ").
_SEPARATORS = re.compile(r"[,;\n]")
_NOT_A_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)  # slots: readers keep one per distinct cell, 100,000s of them
class Parsed:
    value: Any = None
    problem: str | None = None
    approximate: bool = False
    other: str = ""  # the answer typed in a select's place for "Other" (as Google Forms writes it)

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
    # True: the row is left out of what its reader counts. False: the row still
    # counts and only this cell is ignored (a campaign with an unreadable status).
    left_out: bool = True

    def __str__(self) -> str:
        return f"{self.tab} row {self.row}, column '{self.column}': {self.reason}"


# What a person cannot see: controls (NUL…), format characters (zero-width
# space, byte-order mark, word joiner…) and every kind of space and line
# separator. At the ends of a cell or an answer they are nothing, so a cell
# holding only them is blank, as it looks.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_ASCII_INVISIBLE = "".join(map(chr, [*range(0x21), 0x7F]))


def _strip_invisible(text: str) -> str:
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]) in _INVISIBLE:
        start += 1
    while end > start and unicodedata.category(text[end - 1]) in _INVISIBLE:
        end -= 1
    return text[start:end]


def clean_text(cell: Any) -> str:
    """The cell as text, ends trimmed of anything invisible and non-breaking
    spaces made plain."""
    if type(cell) is str and cell.isascii():  # the usual cell, on the hot path: no spaces to make plain
        return cell.strip(_ASCII_INVISIBLE)
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    try:
        text = cell if isinstance(cell, str) else str(cell)
    except Exception:  # an object whose str() fails is still not a crash
        return ""
    return _strip_invisible(text.replace("\u00a0", " ").replace("\u202f", " "))


def _blank(cell: Any) -> bool:
    """Empty, spaces, or a NaN (how a blank cell can arrive from pandas)."""
    if isinstance(cell, (str, float)) or cell is None:
        return clean_text(cell) == ""
    return False


def _shown(cell: Any) -> str:
    text = clean_text(cell)
    return text if len(text) <= 40 else text[:37] + "…"


def distinct_reads(cells: Sequence[str], read) -> dict[str, Any]:
    """{cell: read(cell)} for each distinct cell of a column: a sheet repeats
    the same dates, areas and names across thousands of rows."""
    return {text: read(text) for text in set(cells)}


def read_once(seen: dict[str, Parsed], cell: Any, read: Callable[[Any], Parsed]) -> Parsed:
    """read(cell), remembered in `seen` for a text cell: a sheet repeats the
    same few hundred dates and a dozen answers across thousands of rows, so
    a reader reads each distinct text once for the life of the process
    (what it reads never changes; `seen` is emptied when it grows past
    100,000 texts)."""
    if type(cell) is not str:
        return read(cell)
    found = seen.get(cell)
    if found is None:
        if len(seen) > 100_000:
            seen.clear()
        found = seen[cell] = read(cell)
    return found


def read_each_distinct(cells: Sequence[Any], read) -> list:
    """read(cell) for every cell, calling read once per distinct cell. When
    every cell reads as itself (a column of clean text), the list of cells
    itself: no copy of it."""
    try:
        once = distinct_reads(cells, read)
    except TypeError:  # an unhashable cell (a list from a test or a pandas read)
        return [read(cell) for cell in cells]
    if type(cells) is list and all(value is cell for cell, value in once.items()):
        return cells
    return list(map(once.__getitem__, cells))


# ---- dates ------------------------------------------------------------------------

def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # 00-69 are this century (a pledge due in 2035), 70-99 the last
        year += 2000 if year < 70 else 1900
    return year


def _date_order(locale: str) -> str:
    """"dmy", "mdy" or "ymd": the order of a short date in the locale
    (en_GB 08/06/2021, en_US 6/8/21, en_CA 2021-06-08)."""
    pattern = get_date_format("short", locale=locale).pattern
    letters = [ch for ch in pattern if ch in "dMy"]
    order = "".join(dict.fromkeys(letters)).lower()
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def _words(names: Iterable[str]) -> set[str]:
    return {n.casefold().rstrip(".") for n in names if n}


@dataclass(frozen=True)
class DateReader:
    """Reads a date cell the way the alliance's sheet shows it.

    Accepted: day/month/year with `/`, `.` or `-` (in the order of the
    alliance's locale, never guessed row by row) and two- or four-digit years;
    the same with a time of day (Google Forms' Timestamp, a Sheets date-time);
    ISO 8601 (2021-06-08, 2021-06-08T14:03:22+01:00: a time with an offset is
    the date in the alliance's time zone); month names in English or the
    locale's language (8 June 2021, June 8, 2021, 08-Jun-21, Tue 8 June 2021);
    Sheets serial numbers, with a fraction for the time; dates and date-times
    from a workbook. Anything else, and impossible dates, are problems.
    """
    locale: str = "en_GB"
    timezone: str = "Europe/London"
    order: str = field(init=False, compare=False)
    zone: ZoneInfo = field(init=False, compare=False, repr=False)
    months: dict = field(init=False, compare=False, repr=False)
    weekdays: frozenset = field(init=False, compare=False, repr=False)
    _seen: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        months = dict(_ENGLISH_MONTHS)
        weekdays = set(_ENGLISH_WEEKDAYS)
        language = Locale.parse(self.locale)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=language).items():
                    months.setdefault(name.casefold().rstrip("."), number)
                weekdays |= _words(get_day_names(width, context, locale=language).values())
        object.__setattr__(self, "order", _date_order(self.locale))
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "weekdays", frozenset(weekdays))
        object.__setattr__(self, "_seen", {})

    @property
    def example(self) -> str:
        """8 June 2021 written in the locale's order, for messages and docs."""
        return {"dmy": "8/6/2021", "mdy": "6/8/2021", "ymd": "2021-06-08"}[self.order]

    def read(self, cell: Any) -> Parsed:
        return read_once(self._seen, cell, self._read)

    def column(self, cells: Sequence[Any]) -> list[Parsed]:
        """read() of every cell of a column, each distinct cell read once
        and not remembered past the column: a column of time stamps, one
        per row, would fill the reader's memory for the life of the process."""
        return read_each_distinct(cells, self._read)

    def _read(self, cell: Any) -> Parsed:
        if _blank(cell):
            return Parsed()
        if isinstance(cell, dt.datetime):
            try:
                return Parsed(cell.astimezone(self.zone).date() if cell.tzinfo else cell.date())
            except (ValueError, OverflowError):  # pandas' NaT is a datetime that has no date
                return Parsed()
        if isinstance(cell, dt.date):
            return Parsed(cell)
        if isinstance(cell, bool):
            return Parsed(problem=f"'{cell}' is not a date")
        if isinstance(cell, (int, float)):
            return _serial(cell, cell)
        text = clean_text(cell).casefold()
        if not text:
            return Parsed()
        if _SERIAL.fullmatch(text):
            return _serial(float(text), cell)
        for read in (self._iso, self._numeric, self._named):
            found = read(text, cell)
            if found is not None:
                return found
        return Parsed(problem=f"'{_shown(cell)}' is not a date (type it as {self.example} or 8 June 2021)")

    def _iso(self, text: str, cell: Any) -> Parsed | None:
        m = _ISO_DATE.match(text)
        if not m:
            return None
        if not m["offset"]:
            return _make_date(int(m["year"]), int(m["month"]), int(m["day"]), cell, _time_ok(m["time"]))
        try:
            moment = dt.datetime.fromisoformat(
                f"{int(m['year']):04d}-{int(m['month']):02d}-{int(m['day']):02d}T{m['time']}{m['offset'].upper()}")
        except ValueError:
            return Parsed(problem=f"'{_shown(cell)}' is not a real date and time")
        return Parsed(moment.astimezone(self.zone).date())

    def _numeric(self, text: str, cell: Any) -> Parsed | None:
        m = _NUMERIC_DATE.match(text)
        if not m:
            return None
        a, b, c = m["a"], m["b"], m["c"]
        if len(a) == 4 and len(c) <= 2:  # 2021/06/08: the year first is never ambiguous
            year, month, day = a, b, c
        elif len(a) > 2 or len(c) not in (2, 4) or self.order == "ymd":
            return Parsed(problem=f"'{_shown(cell)}' is not a date (type it as {self.example} or 8 June 2021)")
        elif self.order == "mdy":
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
        return _make_date(_year(year), int(month), int(day), cell, _clock_ok(m))

    def _named(self, text: str, cell: Any) -> Parsed | None:
        m = _NAMED_DATE.match(text)
        if not m:
            return None
        month = self.months.get(m["month1"] or m["month2"])
        if month is None or (m["weekday"] and m["weekday"] not in self.weekdays):
            return None
        if m["month2"] and len(m["year"]) == 2:  # "June 8 21": is 21 the day or the year?
            return None
        return _make_date(_year(m["year"]), month, int(m["day1"] or m["day2"]), cell, _clock_ok(m))


def _time_ok(text: str | None) -> bool:
    if not text:
        return True
    parts = [int(float(p)) for p in text.split(":")]
    return parts[0] < 24 and all(p < 60 for p in parts[1:])


def _clock_ok(m: re.Match) -> bool:
    """Whether the time of day after a date is a real one (it does not change the date)."""
    if m["hour"] is None:
        return True
    hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"] or 0)
    highest = 12 if m["half"] else 23
    return (1 if m["half"] else 0) <= hour <= highest and minute < 60 and second < 60


def _make_date(year: int, month: int, day: int, cell: Any, clock_ok: bool = True) -> Parsed:
    try:
        day = dt.date(year, month, day)
    except ValueError:
        return Parsed(problem=f"'{_shown(cell)}' is not a real date")
    return Parsed(day) if clock_ok else Parsed(problem=f"'{_shown(cell)}' is not a real time of day")


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


# ---- counts -----------------------------------------------------------------------

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


# ---- choices ----------------------------------------------------------------------

class Choice(Protocol):
    name: str
    label: str
    aliases: tuple[str, ...]


def choice_key(text: str) -> str:
    """How typed choices are compared: case, spacing and punctuation do not
    matter ("Partly kept", "partly-kept", "PARTLY_KEPT", "Coffee Hall & Beanhill"
    = coffee_hall_beanhill). A symbol alone ("✓") is kept as it is."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("’", "")
    return " ".join(_NOT_A_WORD.sub(" ", folded).split()) or "".join(folded.split())


class ChoiceReader:
    """Reads a select cell: each answer by the choice's name, its label or
    one of its aliases, in any case, with extra spaces or punctuation.

    Built once per field. A select_multiple cell is split at commas,
    semicolons and line breaks, but a label that itself holds a comma is
    matched whole first. With `other` (the form's "Other" choice), an answer
    that is no choice is that Other, typed in place, as Google Forms writes
    it; without, it is a problem naming the choices it could have been.
    """

    def __init__(self, choices: Sequence[Choice], multiple: bool = False, other: str | None = None):
        self.choices = tuple(choices)
        self.multiple = multiple
        self.other = other
        self._name: dict[str, str] = {}
        widest = 0
        for choice in self.choices:
            for text in getattr(choice, "typed_as", (choice.name, choice.label)):
                self._name.setdefault(choice_key(text), choice.name)
                widest = max(widest, len(_SEPARATORS.findall(text)))
        self._pieces = widest + 1  # a label with two commas spans three pieces of a split cell
        self._order = {c.name: i for i, c in enumerate(self.choices)}
        self._labels = {c.name: c.label for c in self.choices}
        self._seen: dict[str, Parsed] = {}

    def read(self, cell: Any) -> Parsed:
        """A choice name (select_one) or a tuple of them (select_multiple);
        a select_multiple cell with an unknown answer still gives the others."""
        return read_once(self._seen, cell, self._read)

    def _read(self, cell: Any) -> Parsed:
        text = clean_text(cell)
        if not text:
            return Parsed()
        if not self.multiple:
            name = self._name.get(choice_key(text))
            if name is not None:
                return Parsed(name)
            if not self.other:
                return Parsed(problem=self._unknown([text]))
            return Parsed(self.other, self._typo([text]), other=text)
        pieces = _SEPARATORS.split(text)
        names: list[str] = []
        unknown: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(min(len(pieces), i + self._pieces), i, -1):
                name = self._name.get(choice_key(",".join(pieces[i:j])))
                if name is not None:
                    names.append(name)
                    i = j
                    break
            else:
                if pieces[i].strip():
                    unknown.append(clean_text(pieces[i]))
                i += 1
        if unknown and self.other:
            names.append(self.other)
        value = tuple(sorted(set(names), key=self._order.__getitem__)) or None
        if unknown and not self.other:
            return Parsed(value, problem=self._unknown(unknown))
        return Parsed(value, self._typo(unknown), other=", ".join(unknown))

    def column(self, cells: Sequence[Any]) -> list[Parsed]:
        """read() of every cell of a column, each distinct cell read once."""
        return read_each_distinct(cells, self.read)

    def label(self, name: str) -> str:
        return self._labels.get(name, name)

    def _guesses(self, typed: Sequence[str]) -> list[str]:
        """Labels of the choices these answers look like a misspelling of."""
        guesses = []
        for text in typed:
            close = difflib.get_close_matches(choice_key(text), list(self._name), n=1, cutoff=0.8)
            if close and self._labels[self._name[close[0]]] not in guesses:
                guesses.append(self._labels[self._name[close[0]]])
        return guesses

    def _unknown(self, typed: Sequence[str]) -> str:
        shown = ", ".join(f"'{_shown(t)}'" for t in typed)
        guesses = self._guesses(typed)
        guess = f" (did you mean {' or '.join(guesses)}?)" if guesses else ""
        return f"{shown} {'is' if len(typed) == 1 else 'are'} not one of: {', '.join(self._labels.values())}{guess}"

    def _typo(self, typed: Sequence[str]) -> str | None:
        """An Other answer that looks like a misspelt choice is read as Other
        but listed, so a coordinator can correct it."""
        guesses = self._guesses(typed)
        if not guesses:
            return None
        shown = ", ".join(f"'{_shown(t)}'" for t in typed)
        return f"{shown} is read as Other: did you mean {' or '.join(guesses)}?"
