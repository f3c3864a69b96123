"""Each submission once: the rows of a tab that count.

A tab may hold a submission twice (a row pasted again, a form sent twice
before the app checked its id): the first copy counts and every further copy
is listed, with the row of the first. A row without a submission id (typed
by hand, or from Google Forms) counts once, however like another it looks.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Mapping, Sequence

from ..cells import CellProblem, clean_text
from ..sheets import SUBMISSION_ID, Record, Tab


def _ids(tab: Tab) -> tuple[list[str], dict[str, int]]:
    """Each row's submission id, and the index of each id's first row."""
    def make() -> tuple[list[str], dict[str, int]]:
        cells = tab.cells(SUBMISSION_ID)
        try:
            sids = list(map(str.strip, cells))
        except TypeError:  # a cell that is not text (from a test or a pandas read)
            sids = [clean_text(c) for c in cells]
        # Built from the end, the dict keeps each id's first row.
        return sids, dict(zip(reversed(sids), range(len(sids) - 1, -1, -1)))
    return tab.derived(("submission ids",), make)


def _later_copies(tab: Tab) -> list[int]:
    """Indexes of the rows whose submission id an earlier row has."""
    def make() -> list[int]:
        sids, first = _ids(tab)
        return [i for i, (sid, f) in enumerate(zip(sids, map(first.__getitem__, sids))) if f != i and sid]
    return tab.derived(("later copies",), make)


def counted_rows(tab: Tab) -> list[int]:
    """Indexes of the rows that count: the first row of each submission id,
    and every row without one (blank rows too: a reader skips them)."""
    later = set(_later_copies(tab))
    return [i for i in range(len(tab.rows)) if i not in later] if later else list(range(len(tab.rows)))


def pick(cells: Sequence[str], indexes: Sequence[int]) -> list[str]:
    """cells[i] for each i in indexes (itemgetter does the loop in C)."""
    return list(itemgetter(*indexes)(cells)) if len(indexes) > 1 else [cells[i] for i in indexes]


def second_copies(tab: Tab) -> list[tuple[int, str, int]]:
    """(row index, submission id, sheet row of the first copy) for every
    non-blank row whose submission id an earlier row already has."""
    sids, first = _ids(tab)
    return tab.derived(("second copies",), lambda: [
        (i, sids[i], tab.sheet_row(first[sids[i]])) for i in _later_copies(tab) if not tab.blank(i)])


def data_rows(tab: Tab) -> int:
    """How many rows below the header hold anything."""
    return tab.derived(("data rows",), lambda: sum(not tab.blank(i) for i in range(len(tab.rows))))


def rows_to_read(tab: Tab, aliases: Mapping[str, Sequence[str]], needed: Sequence[str],
                 problems: list[CellProblem]) -> list[int]:
    """Indexes of the rows a reader reads: counted_rows, with every second
    copy of a submission listed; none when a needed column is missing
    (listed once, at the header, with how many rows it leaves out)."""
    missing = [c for c in needed if tab.exists and tab.column(c, aliases.get(c, ())) is None]
    for column in missing:
        problems.append(CellProblem(tab.name, 1, column, "", f"the column '{column}' is missing from the header, "
                                                             f"so none of the tab's {data_rows(tab)} rows can be read"))
    if missing or not tab.exists:
        return []
    for index, sid, first in second_copies(tab):
        problems.append(CellProblem(tab.name, tab.sheet_row(index), SUBMISSION_ID, sid,
                                    f"a second copy of submission {sid}, first at row {first}: counted once"))
    return counted_rows(tab)


def unique_records(tab: Tab, aliases: Mapping[str, Sequence[str]], needed: Sequence[str],
                   problems: list[CellProblem], columns: Sequence[str] | None = None
                   ) -> list[tuple[int, Mapping[str, str]]]:
    """(sheet row, record) for each non-blank counted row; a missing column is
    reported once. A record is the row itself seen as {column: cell} (a
    Record: no dict per row); with `columns`, a dict of only those, read
    column by column."""
    keep = rows_to_read(tab, aliases, needed, problems)
    if columns is None:
        where = tab.where(aliases)
        return [(tab.sheet_row(i), Record(where, tab.rows[i])) for i in keep if not tab.blank(i)]
    keep = [i for i in keep if not tab.blank(i)]
    picked = [pick(tab.cells(c, aliases.get(c, ())), keep) for c in columns]
    return [(tab.sheet_row(i), dict(zip(columns, cells))) for i, cells in zip(keep, zip(*picked))]
