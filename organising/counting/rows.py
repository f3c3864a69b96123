"""Reading the rows of a form's tab: each submission once, each cell read as
its field says (a select through its choices, a date through the alliance's
date reader, a whole number as a count), each cell that cannot be read
reported with its sheet row, never a crash."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..forms.spec import Form
from .unique import unique_records
from ..cells import CellProblem, Parsed, clean_text
from .people import normalise_name
from ..sheets import SUBMISSION_ID, Tab


@dataclass
class Cells:
    """One row of a form's tab, read cell by cell; problems go to a shared list."""
    form: Form
    row: int
    record: Mapping[str, str]
    problems: list[CellProblem]
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
        return clean_text(self.record.get(column))

    def read(self, column: str, required: bool = False) -> Any:
        """The cell as its field reads it (a choice name, a date, a count,
        text), or None. A cell that cannot be read, or is blank and
        `required`, is listed: when required, as leaving the row out (the
        caller then skips the row); otherwise as a cell the row goes on without."""
        return self.parse(column, self.form.reader(column), required=required)

    def parse(self, column: str, parser: Callable[..., Parsed], *args: Any, required: bool = False) -> Any:
        """The cell read by `parser`, reported as read() reports."""
        parsed = parser(self.record.get(column), *args)
        if parsed.problem:  # a required cell that gives nothing leaves the row out
            self.report(column, parsed.problem, left_out=required and parsed.value is None)
        elif required and parsed.value is None:
            self.report(column, f"the {column.replace('_', ' ')} is blank")
        return parsed.value

    def other(self, column: str) -> str:
        """What was given for "Other" in a select: its follow-up column, or the
        answer typed in the select's place (as Google Forms writes it)."""
        return self.text(f"{column}_other") or self.form.reader(column)(self.record.get(column)).other

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
    for row, record in unique_records(tab, form.aliases, needed, problems):
        yield Cells(form, row, record, problems)
