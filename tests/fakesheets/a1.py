"""A1 notation as the Sheets API reads and writes it."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


class RangeError(ValueError):
    """The range cannot be parsed (Google: 400 "Unable to parse range: ...")."""


@dataclass(frozen=True)
class CellRange:
    """1-based, inclusive bounds; None means open (to the grid's edge)."""

    start_row: int
    start_col: int
    end_row: int | None
    end_col: int | None
    has_cells: bool  # False when the range named the whole sheet

    def single_cell(self) -> bool:
        return self.has_cells and (self.end_row, self.end_col) == (self.start_row, self.start_col)


def column_letters(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def quote_title(title: str) -> str:
    """Google quotes a title unless it is a plain word that cannot be read as a cell."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_title(text: str) -> tuple[str | None, str | None]:
    """('Title' or None, cells or None) from "'My tab'!A1:B", "Tab!A1", "A1:B2" or "Tab"."""
    if text.startswith("'"):
        i, title = 1, ""
        while i < len(text):
            if text[i] == "'":
                if text[i + 1:i + 2] == "'":
                    title, i = title + "'", i + 2
                    continue
                rest = text[i + 1:]
                if rest == "":
                    return title, None
                if rest.startswith("!"):
                    return title, rest[1:]
                raise RangeError(text)
            title, i = title + text[i], i + 1
        raise RangeError(text)
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def parse_cells(cells: str) -> CellRange:
    parts = cells.split(":")
    if len(parts) > 2:
        raise RangeError(cells)
    matches = [_CELL.match(part) for part in parts]
    if not all(m and (m.group(1) or m.group(2)) for m in matches):
        raise RangeError(cells)
    (c1, r1), (c2, r2) = matches[0].groups(), matches[-1].groups()
    if len(parts) == 1 and not (c1 and r1):
        raise RangeError(cells)
    start_row, start_col = int(r1 or 1), column_number(c1) if c1 else 1
    end_row = int(r2) if r2 else None
    end_col = column_number(c2) if c2 else None
    # Google accepts reversed corners ("B2:A1") and normalises them.
    if end_row is not None and end_row < start_row:
        start_row, end_row = end_row, start_row
    if end_col is not None and end_col < start_col:
        start_col, end_col = end_col, start_col
    if start_row < 1:
        raise RangeError(cells)
    return CellRange(start_row, start_col, end_row, end_col, True)


def a1(title: str, top: int, left: int, bottom: int, right: int) -> str:
    start = f"{column_letters(left)}{top}"
    end = f"{column_letters(right)}{bottom}"
    return f"{quote_title(title)}!{start}" + ("" if start == end else f":{end}")
