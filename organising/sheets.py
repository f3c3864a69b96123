"""Worksheet-shaped data: the shape every store speaks.

A tab is a header row and rows of cell text, exactly as a person sees it in a
spreadsheet. Row numbers are the sheet's own (the header is row 1), so a
problem can be reported as "row 17" and found by a coordinator.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Callable, Iterator, Mapping, Protocol, Sequence

# Columns the app adds to every submission.
SUBMISSION_ID = "submission_id"
SUBMITTED_AT = "submitted_at"
SUBMITTED_BY = "submitted_by"
FORM_VERSION = "form_version"
META_COLUMNS = (SUBMISSION_ID, SUBMITTED_AT, SUBMITTED_BY, FORM_VERSION)

# A Google Sheets cell holds at most this many characters.
CELL_LIMIT = 50_000


def normalise_header(text: str) -> str:
    """How headers are compared: trimmed, case-insensitive, inner spaces and
    underscores alike ("Submission ID" matches "submission_id")."""
    return " ".join(str(text).replace("_", " ").split()).casefold()


def column_index(header: Sequence[str], name: str, aliases: Sequence[str] = ()) -> int | None:
    """Position of column `name` (or one of its aliases) in `header`; the first
    match wins so a person's duplicate column further right is left alone."""
    wanted = {normalise_header(name), *(normalise_header(a) for a in aliases)}
    for i, cell in enumerate(header):
        if normalise_header(cell) in wanted:
            return i
    return None


def missing_columns(header: Sequence[str], names: Sequence[str],
                    aliases: Mapping[str, Sequence[str]]) -> list[str]:
    """Those of `names` the header has under no accepted name, in order, once each."""
    return [n for n in dict.fromkeys(names) if column_index(header, n, aliases.get(n, ())) is None]


def row_cells(width: int, where: Mapping[str, int], record: Mapping[str, str], submission_id: str) -> list[str]:
    """A submission as the cells of a new row `width` wide: each value, and
    the submission id, at its column's position in `where`."""
    cells = [""] * width
    for name, value in {**record, SUBMISSION_ID: submission_id}.items():
        cells[where[name]] = str(value)
    return cells


def column_letter(index: int) -> str:
    """The sheet's letter for the column at `index` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def one_copy_each(rows: list[list[str]], texts: dict[str, str] | None = None) -> list[list[str]]:
    """The rows with each distinct cell text held once in memory (`texts`
    remembers them; pass one dict for every tab of a read). A sheet repeats
    its dates, names, areas and answers down thousands of rows: a store's
    read keeps a quarter of the memory this way."""
    keep = (texts if texts is not None else {}).setdefault
    return [list(map(keep, row, row)) for row in rows]


class KeepsWorkedOut:
    """Something read once and never changed (a tab, a read of tabs), that
    keeps what is worked out from it: the dashboard, the funder figures and
    Data quality work out the same things on every refresh."""
    _derived: dict

    def derived(self, key: tuple, make: Callable[[], Any]) -> Any:
        """make(), worked out once per key."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]


def kept(source: Any, key: tuple, make: Callable[[], Any]) -> Any:
    """make(), kept with `source` when it keeps what is worked out from it
    (else made each time)."""
    return source.derived(key, make) if isinstance(source, KeepsWorkedOut) else make()


@dataclass(frozen=True)
class Tab(KeepsWorkedOut):
    name: str
    header: list[str] = field(default_factory=list)
    # Data rows below the header, blank rows kept so indexes map to sheet rows.
    rows: list[list[str]] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.header)

    @staticmethod
    def sheet_row(index: int) -> int:
        """Sheet row number of rows[index] (header is row 1)."""
        return index + 2

    def column(self, name: str, aliases: Sequence[str] = ()) -> int | None:
        return column_index(self.header, name, aliases)

    def records(self, aliases: Mapping[str, Sequence[str]] | None = None) -> list[tuple[int, dict[str, str]]]:
        """(sheet row, {header: cell}) for every non-blank row. Keys are the
        header as typed, plus canonical names for any aliased column."""
        where = self.where(aliases)
        return [(self.sheet_row(i), dict(Record(where, self.rows[i]))) for i in range(len(self.rows))
                if not self.blank(i)]

    def where(self, aliases: Mapping[str, Sequence[str]] | None = None) -> dict[str, int]:
        """{column: position} for a Record: the header as typed (of two
        columns headed alike, the right one), plus the canonical name of
        every aliased column found."""
        aliases = aliases or {}
        key = tuple((name, tuple(alts)) for name, alts in aliases.items())

        def make() -> dict[str, int]:
            where = {h: i for i, h in enumerate(self.header) if h}
            for name, alts in aliases.items():
                i = self.column(name, alts)
                if i is not None:
                    where[name] = i
            return where
        return self.derived(("where", key), make)

    # What has been worked out from this tab (columns, rows that count).
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    def cells(self, name: str, aliases: Sequence[str] = ()) -> list[str]:
        """One column's cell for every row, blank rows included (so cells[i]
        is at sheet_row(i)); "" where the row is short or the column missing.
        The fast way to read a long tab: no dict per row, as records() makes.
        Taken out anew each time (a few milliseconds at 100,000 rows), not
        kept: what is read from it is kept instead."""
        return self.cells_at(self.column(name, aliases))

    def cells_at(self, i: int | None) -> list[str]:
        """cells() of the column at position i (None: a missing column)."""
        if i is None:
            return [""] * len(self.rows)
        try:
            return list(map(itemgetter(i), self.rows))  # the loop in C, for the usual tab
        except IndexError:  # a row shorter than the header
            return [row[i] if i < len(row) else "" for row in self.rows]

    def blank(self, index: int) -> bool:
        """Whether rows[index] has nothing in it but spaces."""
        return self.derived(("blank",), self._blank_rows)[index]

    def _blank_rows(self) -> list[bool]:
        try:
            return [not "".join(row).strip() for row in self.rows]
        except TypeError:  # a cell that is not text (from a test or a pandas read)
            return [not any(str(c).strip() for c in row) for row in self.rows]


class Record(Mapping[str, str]):
    """One row of a tab as {column: cell} (Tab.where's columns), read from
    the row itself: a reader of a long tab makes no dict per row. A cell
    past the row's end is ""."""
    __slots__ = ("_where", "_row")

    def __init__(self, where: Mapping[str, int], row: Sequence[str]):
        self._where = where
        self._row = row

    def __getitem__(self, column: str) -> str:
        i = self._where[column]
        return self._row[i] if i < len(self._row) else ""

    def get(self, column: str, default: Any = None) -> Any:
        i = self._where.get(column)
        if i is None:
            return default
        return self._row[i] if i < len(self._row) else ""

    def __contains__(self, column: object) -> bool:
        return column in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __repr__(self) -> str:
        return f"Record({dict(self)!r})"


class Tabs(Mapping[str, Tab], KeepsWorkedOut):
    """One read of several tabs, shared read-only by every page and viewer
    until the next read (the app's shared read). What is worked out from
    them is kept here (worked_out), as Tab.derived keeps what is worked out
    from one tab: the dashboard, the funder report and Data quality count
    the same rows once per read, not once per page or viewer."""

    def __init__(self, tabs: Mapping[str, Tab]):
        self._tabs = dict(tabs)
        self._derived: dict = {}

    def __getitem__(self, name: str) -> Tab:
        return self._tabs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tabs)

    def __len__(self) -> int:
        return len(self._tabs)


def worked_out(source: Tab | Mapping[str, Tab], key: tuple, problems: list, make: Callable[[list], Any]) -> Any:
    """make(found), which adds what it could not read to `found`: once per
    read when `source` is a Tab or a Tabs (kept with it), else (a plain
    mapping of tabs) each time. Either way `found` is added to `problems` on
    every call, as if made anew. What it gives is shared: the caller must
    not change it."""
    def run() -> tuple[list, Any]:
        found: list = []
        return found, make(found)
    found, value = kept(source, key, run)
    problems.extend(found)
    return value


class StoreUnavailable(Exception):
    """The store cannot be read or written just now (Google down, out of
    quota, access refused); the message says why in plain words."""


@dataclass(frozen=True)
class AppendResult:
    tab: str
    submission_id: str
    stored: bool          # False when that submission id was already there
    queued: bool = False  # True when parked in a local outbox to send later


class AppendsOneAsMany:
    """append_row for a store whose append_rows does the work."""

    def append_row(self, tab: str, record: Mapping[str, str], submission_id: str,
                   aliases: Mapping[str, Sequence[str]] | None = None) -> AppendResult:
        return self.append_rows(tab, [(submission_id, record)], aliases)[0]


@dataclass(frozen=True)
class CellEdit:
    """One cell of a row already in a tab, to be changed (the privacy tools
    blank personal cells and write a pseudonymous person id; nothing else
    changes a row). The row is named as it was read, because people sort and
    edit the sheet in between: by its submission id when it has one (wherever
    that row is now), otherwise by every cell of the row as read. The cell is
    changed only if it still holds `before`."""
    tab: str
    row: int          # the sheet row it was read at; WAITING: a submission not yet sent to the sheet
    column: str       # the header cell of its column, as read
    before: str       # the cell as read
    after: str        # what to write ("" blanks it)
    submission_id: str = ""
    row_cells: tuple[str, ...] = ()  # the whole row as read, for a row without a submission id


WAITING = 0  # CellEdit.row of a submission still waiting in an outbox


@dataclass(frozen=True)
class EditResult:
    edit: CellEdit
    row: int | None   # the sheet row written (WAITING: in the outbox); None when not made
    problem: str = ""  # why not, in words a coordinator can act on

    @property
    def done(self) -> bool:
        return self.row is not None


def _trimmed(cells: Sequence[str]) -> list[str]:
    cells = [str(c) for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def place_edit(tab: Tab, edit: CellEdit) -> tuple[int | None, int | None, str]:
    """Where `edit` goes in the tab as it is now: (row index, column index,
    problem). The row is found by its submission id, or, without one, it
    must be the row read (the same cells) at the sheet row read or, if it
    moved, the one row elsewhere with exactly those cells."""
    column = tab.column(edit.column)
    if column is None:
        return None, None, f"the column '{edit.column}' is no longer in the header"
    if edit.submission_id:
        ids = tab.cells(SUBMISSION_ID)
        found = [i for i, sid in enumerate(ids) if str(sid).strip() == edit.submission_id]
        if len(found) > 1:
            found = [i for i in found if tab.sheet_row(i) == edit.row] or found
        if not found:
            return None, column, "the row is no longer in the tab"
        if len(found) > 1:
            return None, column, f"submission id {edit.submission_id} is on {len(found)} rows"
        index = found[0]
    else:
        wanted = _trimmed(edit.row_cells)
        same = [i for i, row in enumerate(tab.rows) if _trimmed(row) == wanted]
        planned = edit.row - 2
        index = planned if planned in same else same[0] if len(same) == 1 else None
        if index is None:
            return None, column, ("the row was changed or moved since it was read" if not same
                                  else "the row was moved, and other rows hold the same cells")
    row = tab.rows[index]
    if (row[column] if column < len(row) else "") != edit.before:
        return index, column, "the cell was changed since it was read"
    return index, column, ""


def edited_row(row: Sequence[str], column: int, value: str) -> list[str]:
    """The row with one cell set, widened if the row was shorter."""
    cells = list(row) + [""] * max(0, column + 1 - len(row))
    cells[column] = value
    return cells


class Store(Protocol):
    """What the app needs of a spreadsheet. Implementations: SQLite
    (embedded default) and Google Sheets."""

    def read_tabs(self, names: Sequence[str]) -> dict[str, Tab]:
        """Read several tabs in one call. A tab that does not exist comes back
        as an empty Tab (exists is False). Raises StoreUnavailable when the
        store cannot be read and there is no earlier copy to give."""

    def append_row(self, tab: str, record: Mapping[str, str], submission_id: str,
                   aliases: Mapping[str, Sequence[str]] | None = None) -> AppendResult:
        """Append one row. `record` maps column names to cell text; columns are
        placed by matching the tab's header (name or alias). Missing columns
        are added at the end of the header. The submission id goes in the
        `submission_id` column; appending an id already present stores
        nothing and returns stored=False. A store with an outbox returns
        queued=True when the row waits there to be sent."""

    def append_rows(self, tab: str, items: Sequence[tuple[str, Mapping[str, str]]],
                    aliases: Mapping[str, Sequence[str]] | None = None) -> list[AppendResult]:
        """Append many (submission id, record) rows in one transaction or API
        call, with the same rules as append_row (used by demo and import)."""

    def ensure_tab(self, tab: str, headers: Sequence[str],
                   aliases: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        """Create the tab if needed and append any missing headers at the end.
        Never renames, reorders or removes a column. Returns headers added."""

    def tab_names(self) -> list[str]:
        """Names of the tabs that exist."""

    def edit_cells(self, edits: Sequence[CellEdit]) -> list[EditResult]:
        """Change cells of rows already in the tabs, as one write per store
        (one transaction; one values.batchUpdate with RAW input), each only
        where place_edit finds its row and the cell still holds `before`;
        the others come back with the problem, nothing written for them. An
        edit of a submission that has not reached the sheet yet (row
        WAITING, or an id not found in the tab) changes it where it waits.
        A column must exist: add it first with ensure_tab. Rows are never
        added, removed or moved."""

    def waiting_rows(self) -> dict[str, list[dict[str, str]]]:
        """Submissions accepted but not yet in their tab (a Google Sheet's
        outbox), by tab, each as {column: cell} with its submission_id;
        empty for a store that writes at once."""
