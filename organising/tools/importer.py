"""Importing an .xlsx download of the alliance's Google Sheet.

Each worksheet whose name matches a form's tab becomes that tab, cell by cell
as a person sees it: headers as typed (the app matches them by name and
alias when it reads), blank rows kept so row numbers stay the sheet's, and
columns the forms do not know kept as extra columns. What cannot be placed is
reported, never guessed:

- a worksheet no form writes to is not imported (it is listed);
- a row without a submission id is kept as typed, without an invented id:
  an id made from the row's contents would merge two separate hand-typed rows
  that look alike, and one made from the row number would change as soon as
  someone inserts a row. Each such row counts once, as any row does;
- dates that the workbook holds as dates are written as ISO text
  (2021-06-08): unambiguous to every reader, whatever its locale, and sorted
  correctly as text; a date typed as text stays as typed;
- a formula cell keeps the value the sheet last showed; a formula with no
  saved value (a file never opened in a spreadsheet) keeps its formula text
  and is reported.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Protocol, Sequence

from ..forms.spec import Form
from ..sheets import SUBMISSION_ID, Tab, column_index, normalise_header

# Characters Excel forbids in a worksheet name (so "1:1s" may arrive as
# "1_1s"), and the separators people vary.
_TAB_NOISE = re.compile(r"[:\\/?*\[\]_\-\s]+")


class TabStore(Protocol):
    def put_tab(self, tab: Tab) -> None: ...


class WorkbookError(Exception):
    """The file cannot be read as a workbook at all."""


@dataclass
class TabImport:
    """What happened to one worksheet."""
    sheet: str                      # the worksheet's name in the file
    tab: str | None = None          # the app's tab it became; None if not imported
    rows: int = 0                   # non-blank data rows
    blank_rows: int = 0             # blank rows kept between them
    extra_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    without_id: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A line for the tab, then one indented line per thing worth knowing."""
        if self.tab is None:
            return f"'{self.sheet}': not imported: " + "; ".join(self.problems)
        notes = []
        if self.blank_rows:
            notes.append(f"{plural(self.blank_rows, 'blank row')} kept, so row numbers match the sheet")
        if self.extra_columns:
            notes.append("extra columns kept: " + ", ".join(f"'{c}'" for c in self.extra_columns))
        if self.missing_columns:
            notes.append("no column for " + ", ".join(self.missing_columns))
        if self.without_id:
            notes.append(f"{plural(self.without_id, 'row')} without a submission id, kept as typed")
        named = self.tab if normalise_header(self.sheet) == normalise_header(self.tab) else \
            f"{self.tab} (from '{self.sheet}')"
        return "\n".join([f"{named}: {plural(self.rows, 'row')}", *(f"  - {n}" for n in notes + self.problems)])


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def tab_key(name: str) -> str:
    """How worksheet names are compared: trimmed, case-insensitive, ignoring
    the characters Excel forbids and separators ("1:1s" = "1_1S" = "1-1s")."""
    return _TAB_NOISE.sub("", str(name)).casefold()


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: numbers without a trailing .0,
    dates as ISO, TRUE/FALSE as Sheets shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _known_columns(form: Form) -> set[str]:
    return {normalise_header(n) for n in [*form.columns, *(a for alts in form.aliases.values() for a in alts)]}


def sheet_to_tab(name: str, values: Iterable[Sequence[Any]], formulas: Iterable[Sequence[Any]],
                 form: Form) -> tuple[Tab, TabImport]:
    """One worksheet (cell values and, alongside, the formulas) as the form's tab."""
    result = TabImport(sheet=name, tab=form.tab)
    grid: list[list[str]] = []
    for number, (row, raw) in enumerate(zip(values, formulas), start=1):
        cells = [cell_text(v) for v in row]
        for column, (value, formula) in enumerate(zip(row, raw), start=1):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                cells[column - 1] = formula
                result.problems.append(f"row {number} column {column}: a formula with no saved value; "
                                       f"kept its text {formula[:40]!r}")
        while cells and cells[-1] == "":
            cells.pop()
        grid.append(cells)
    while grid and not grid[-1]:
        grid.pop()
    header, rows = (grid[0], grid[1:]) if grid else ([], [])
    known = _known_columns(form)
    result.extra_columns = [h for h in header if h.strip() and normalise_header(h) not in known]
    # Columns every row needs (not the ones asked only sometimes).
    result.missing_columns = [f.name for f in form.fields if f.stored and f.required and f.relevant is None
                              and f.other_of is None and column_index(header, f.name, form.aliases.get(f.name, ()))
                              is None]
    id_column = column_index(header, SUBMISSION_ID)
    unnamed = 0
    for row in rows:
        if not any(c.strip() for c in row):
            result.blank_rows += 1
            continue
        result.rows += 1
        if id_column is None or id_column >= len(row) or not row[id_column].strip():
            result.without_id += 1
        unnamed += any(c.strip() for c in row[len(header):])
    if unnamed:
        result.problems.append(f"{plural(unnamed, 'row')} with cells right of the last header: kept, with no "
                               "column name")
    return Tab(form.tab, header, rows), result


def read_workbook(source: str | Path | BinaryIO,
                  forms: Mapping[str, Form]) -> Iterator[tuple[Tab | None, TabImport]]:
    """Worksheet by worksheet: the tab it becomes (None if it cannot be placed) and what happened."""
    from openpyxl import load_workbook
    try:
        shown = load_workbook(source, read_only=True, data_only=True)
        if hasattr(source, "seek"):
            source.seek(0)
        typed = load_workbook(source, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(f"cannot read {getattr(source, 'name', source)} as an .xlsx workbook: {exc}") from None
    try:
        yield from _worksheets(shown, typed, forms)
    finally:
        shown.close()
        typed.close()


def _worksheets(shown, typed, forms: Mapping[str, Form]) -> Iterator[tuple[Tab | None, TabImport]]:
    by_key = {tab_key(f.tab): f for f in forms.values()}
    placed: dict[str, str] = {}
    for name in shown.sheetnames:
        form = by_key.get(tab_key(name))
        if not hasattr(shown[name], "iter_rows"):
            yield None, TabImport(name, problems=["it is a chart, not a worksheet"])
        elif form is None:
            yield None, TabImport(name, problems=["no form writes a tab of that name (expected one of: "
                                                  + ", ".join(f.tab for f in forms.values()) + ")"])
        elif form.tab in placed:
            yield None, TabImport(name, problems=[f"'{placed[form.tab]}' was already imported as {form.tab}"])
        else:
            tab, result = sheet_to_tab(name, shown[name].iter_rows(values_only=True),
                                       typed[name].iter_rows(values_only=True), form)
            if tab.header:
                placed[form.tab] = name
                yield tab, result
            else:
                yield None, TabImport(name, problems=["it is empty (the header belongs in row 1)"])


def import_workbook(store: TabStore, source: str | Path | BinaryIO, forms: Mapping[str, Form],
                    progress: Callable[[TabImport], None] | None = None) -> list[TabImport]:
    """Replace each matched tab in the store with the workbook's worksheet,
    one worksheet at a time (progress is told after each)."""
    results = []
    for tab, result in read_workbook(source, forms):
        if tab is not None:
            store.put_tab(tab)
        results.append(result)
        if progress:
            progress(result)
    return results
