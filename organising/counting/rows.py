"""Reading the rows of a form's tab: each submission once, each cell read as
its field says (a select through its choices, a date through the alliance's
date reader, a whole number as a count), each cell that cannot be read
reported with its sheet row, never a crash."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..forms.spec import Form
from .unique import rows_to_read
from ..cells import CellProblem, Parsed, clean_text, read_each_distinct
from .people import normalise_name
from ..sheets import SUBMISSION_ID, Record, Tab


class FormColumns:
    """A form's tab read column by column: each column's cells read as the
    form reads them, each distinct cell once, and kept on the tab
    (Tab.derived) for every reader, page and viewer of that read."""

    def __init__(self, tab: Tab, form: Form):
        self.tab = tab
        self.form = form
        self.where = tab.where(form.aliases)

    def read(self, column: str) -> list[Parsed]:
        """Every row's cell of `column`, read by the form's reader for it."""
        i, reader = self.where.get(column), self.form.reader(column)
        return self.tab.derived(("read", i, reader), lambda: read_each_distinct(self.tab.cells_at(i), reader))

    def text(self, column: str) -> list[str]:
        """Every row's cell of `column` as clean text."""
        i = self.where.get(column)
        return self.tab.derived(("text", i), lambda: read_each_distinct(self.tab.cells_at(i), clean_text))


@dataclass
class Cells:
    """One row of a form's tab, read cell by cell; problems go to a shared list."""
    form: Form
    row: int
    record: Mapping[str, str]
    problems: list[CellProblem]
    # The row's tab read column by column, and the row's index in it: reads
    # then come from there rather than cell by cell.
    columns: FormColumns | None = None
    index: int = 0
    _first: int = field(init=False, repr=False)  # where this row's problems start in the list

    def __post_init__(self) -> None:
        self._first = len(self.problems)

    @property
    def tab(self) -> str:
        return self.form.tab

    @property
    def id(self) -> str:
        """The row's submission id, or its sheet row for a row typed by hand."""
        return clean_text(self.record.get(SUBMISSION_ID)) or f"row {self.row}"

    def text(self, column: str) -> str:
        if self.columns is not None:
            return self.columns.text(column)[self.index]
        return clean_text(self.record.get(column))

    def read(self, column: str, required: bool = False) -> Any:
        """The cell as its field reads it (a choice name, a date, a count,
        text), or None. A cell that cannot be read, or is blank and
        `required`, is listed: when required, as leaving the row out (the
        caller then skips the row); otherwise as a cell the row goes on without."""
        return self._reported(column, self._parsed(column), required)

    def parse(self, column: str, parser: Callable[..., Parsed], *args: Any, required: bool = False) -> Any:
        """The cell read by `parser`, reported as read() reports."""
        return self._reported(column, parser(self.record.get(column), *args), required)

    def _parsed(self, column: str) -> Parsed:
        if self.columns is not None:
            return self.columns.read(column)[self.index]
        return self.form.reader(column)(self.record.get(column))

    def _reported(self, column: str, parsed: Parsed, required: bool) -> Any:
        if parsed.problem:  # a required cell that gives nothing leaves the row out
            self.report(column, parsed.problem, left_out=required and parsed.value is None)
        elif required and parsed.value is None:
            self.report(column, f"the {column.replace('_', ' ')} is blank")
        return parsed.value

    def other(self, column: str) -> str:
        """What was given for "Other" in a select: its follow-up column, or the
        answer typed in the select's place (as Google Forms writes it)."""
        return self.text(f"{column}_other") or self._parsed(column).other

    def linked(self, id_column: str, label_column: str, labels: Mapping[str, str], what: str) -> str:
        """The id of the row this one refers to on another tab: by its id,
        or, for a row typed by hand, by its name (`labels`: id -> name).
        Reported (as a cell the row goes on without) when it matches nothing."""
        if self.text(id_column) in labels:
            return self.text(id_column)
        typed = normalise_name(self.text(label_column))
        found = next((key for key, label in labels.items() if normalise_name(label) == typed), "") if typed else ""
        if not found and (typed or self.text(id_column)):
            self.report(label_column if typed else id_column, f"matches no {what} on its tab", left_out=False)
        return found

    def report(self, column: str, reason: str, left_out: bool = True) -> None:
        """List this cell; `left_out`: the row is left out of what its reader counts."""
        self.problems.append(CellProblem(self.tab, self.row, column, self.text(column), reason, left_out))

    @property
    def reported(self) -> bool:
        """Whether any cell of this row has been listed."""
        return len(self.problems) > self._first

    def leave_out(self) -> None:
        """The row is left out after all: what was listed about it says so."""
        for i in range(self._first, len(self.problems)):
            if not self.problems[i].left_out:
                self.problems[i] = replace(self.problems[i], left_out=True)


def form_rows(tabs: Mapping[str, Tab], form: Form, needed: Sequence[str],
              problems: list[CellProblem]) -> Iterator[Cells]:
    """Every non-blank row of the form's tab, once per submission id (a second
    copy is listed), in sheet order (so a later row is a later word)."""
    tab = tabs.get(form.tab, Tab(form.tab))
    columns = FormColumns(tab, form)
    for index in rows_to_read(tab, form.aliases, needed, problems):
        if not tab.blank(index):
            yield Cells(form, tab.sheet_row(index), Record(columns.where, tab.rows[index]), problems, columns, index)
