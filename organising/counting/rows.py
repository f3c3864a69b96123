"""Reading the rows of a form's tab for the campaign pages: each submission
once, each cell that cannot be read reported with its sheet row, never a
crash."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..forms.spec import Form
from .metrics import unique_records
from ..cells import CellProblem, Parsed, clean_text
from .people import normalise_name
from ..sheets import SUBMISSION_ID, Tab


@dataclass(frozen=True)
class Cells:
    """One row of a tab, read cell by cell; problems go to a shared list."""
    tab: str
    row: int
    record: Mapping[str, str]
    problems: list[CellProblem]

    @property
    def id(self) -> str:
        """The row's submission id, or its sheet row for a row typed by hand."""
        return clean_text(self.record.get(SUBMISSION_ID)) or f"row {self.row}"

    def text(self, column: str) -> str:
        return clean_text(self.record.get(column))

    def parse(self, column: str, parser: Callable[..., Parsed], *args: Any, required: bool = False) -> Any:
        """The parsed cell, or None (reported) when it cannot be read, or is
        blank and required."""
        parsed = parser(self.record.get(column), *args)
        if parsed.problem:
            self.report(column, parsed.problem)
        elif required and parsed.value is None:
            self.report(column, f"the {column.replace('_', ' ')} is blank")
        return parsed.value

    def linked(self, id_column: str, label_column: str, labels: Mapping[str, str], what: str) -> str:
        """The id of the row this one refers to on another tab: by its id,
        or, for a row typed by hand, by its name (`labels`: id -> name).
        Reported when it matches nothing."""
        if self.text(id_column) in labels:
            return self.text(id_column)
        typed = normalise_name(self.text(label_column))
        found = next((key for key, label in labels.items() if normalise_name(label) == typed), "") if typed else ""
        if not found and (typed or self.text(id_column)):
            self.report(label_column, f"matches no {what} on its tab")
        return found

    def report(self, column: str, reason: str) -> None:
        self.problems.append(CellProblem(self.tab, self.row, column, self.text(column), reason))


def form_rows(tabs: Mapping[str, Tab], form: Form, needed: Sequence[str],
              problems: list[CellProblem]) -> Iterator[Cells]:
    """Every non-blank row of the form's tab, once per submission id, in
    sheet order (so a later row is a later word)."""
    tab = tabs.get(form.tab, Tab(form.tab))
    for row, record in unique_records(tab, form.aliases, needed, problems):
        yield Cells(form.tab, row, record, problems)
