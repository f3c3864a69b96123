"""A tab as a table a coordinator can read, with the sheet's own row numbers."""
from __future__ import annotations

import csv
import io
import math
import re
from typing import Any, Iterable, Sequence

import pandas as pd

from ..sheets import Tab, column_letter

SHEET_ROW = "Sheet row"


def display_header(header: list[str]) -> list[str]:
    """Header cells made unique and non-blank, as a table needs them:
    a blank header shows as its column letter, a repeat gets (2), (3)…"""
    seen: dict[str, int] = {}
    out = []
    for i, cell in enumerate(header):
        name = str(cell).strip() or f"(column {column_letter(i)})"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def filled_rows(tab: Tab) -> list[int]:
    """Indexes of the rows that hold anything, in sheet order."""
    return tab.derived(("filled rows",), lambda: [i for i in range(len(tab.rows)) if not tab.blank(i)])


def table_rows(tab: Tab, newest_first: bool = False, start: int = 0, count: int | None = None) -> pd.DataFrame:
    """The tab's non-blank rows, cells as typed, each with its sheet row:
    every one, or `count` of them from the `start`-th (in the order asked
    for: the sheet's, or newest first)."""
    header = display_header(tab.header)
    width = tab.derived(("width",), lambda: max([len(header), *(len(r) for r in tab.rows)]))
    header += [f"(column {column_letter(i)})" for i in range(len(header), width)]
    filled = filled_rows(tab)
    order = filled[::-1] if newest_first else filled
    data = [[Tab.sheet_row(i), *(list(map(str, tab.rows[i])) + [""] * (width - len(tab.rows[i])))]
            for i in order[start:None if count is None else start + count]]
    return pd.DataFrame(data, columns=[SHEET_ROW, *header])


# A cell a spreadsheet would run as a formula when it opens a CSV: `=`, `@`,
# or `+`/`-` not followed by a plain number (a typed "-1" stays a number).
_RUNS_AS_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![\d.,]+$))")


def spreadsheet_safe(cell: Any) -> Any:
    """A cell as a spreadsheet will show it, never run it: text that would
    start a formula gets a leading apostrophe, as Sheets and Excel do."""
    return f"'{cell}" if isinstance(cell, str) and _RUNS_AS_FORMULA.match(cell) else cell


def _csv_cell(cell: Any) -> Any:
    if cell is None or cell is pd.NA or cell is pd.NaT or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    return spreadsheet_safe(cell)


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV that every spreadsheet opens as exactly these rows and
    cells; every export writes through here. The csv module quotes a cell
    holding a comma, a quote or a character of the line terminator, so the
    terminator is CRLF (RFC 4180): a cell with a bare carriage return is
    quoted too, and stays one cell of one row. Cells that would run as
    formulas are kept as text; blanks (None, NaN) are empty cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(c) for c in header])
    writer.writerows([_csv_cell(c) for c in row] for row in rows)
    return out.getvalue()


def csv_download(frame: pd.DataFrame) -> bytes:
    """A table as CSV for people to open in Excel or Sheets, with a
    byte-order mark that tells Excel it is UTF-8 (so "crèche" is not garbled)."""
    return csv_text(list(frame.columns), frame.itertuples(index=False, name=None)).encode("utf-8-sig")
