"""Which cells of which tab hold personal data, whose, and how each is
removed without changing a count.

The forms say what is personal (`personal: true`) and whose it is
(`about:`); counting/people.py says where people are counted. Together
they give each personal column one way of being removed:

- a name on a row of one person (who signed in, who was listened to, who
  took a role) is blanked and the row gets the person's pseudonymous
  `person_id`, so they still count once;
- a name in a list (testimony, chairs, forum attendees) or in a merge is
  replaced by the person's pseudonym, so the list still counts them;
- a cell counted when filled in (a pledge's follow-up meeting) keeps a
  mark saying it was removed, so it still counts;
- a person's name on a row no count reads (a tab a workflow appends to)
  is blanked, and found like a name on a row of one person;
- anything else (stories, contacts, who submitted) is blanked.

Tabs a workflow appends to (`append` actions, such as the Leader follow-up
tab) are not a form's: which of their columns are personal, and whose, is
worked out from the workflow (privacy/appended.py) as an AppendedTab.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..cells import DateReader
from ..config import AppConfig
from ..counting.people import MERGE_FORM, MERGE_NAMES, NAME_LISTS, PERSON_ROWS
from ..cycle.pledges import FOLLOW_UP_MEETING
from ..forms.spec import Form
from ..sheets import SUBMITTED_AT, Tab

# What a removed cell that is counted when filled in says instead.
REMOVED = "(removed for privacy)"
PERSON, NAMES, FILLED, NAME, TEXT = "person", "names", "filled", "name", "text"


@dataclass(frozen=True)
class PersonalColumn:
    tab: str
    name: str                  # the form's column
    aliases: tuple[str, ...]
    group: str                 # the column naming whose it is (itself for a name or contact of its own)
    kind: str                  # PERSON, NAMES, FILLED, NAME or TEXT (see the module docstring)
    type: str                  # the field's type ("text" for submitted_by)
    institution: str = ""      # NAME: the column holding the institution beside the name, if any


@dataclass(frozen=True)
class AppendedTab:
    """A tab workflows append to: its personal columns, and the column
    dating a row that has no submitted_at (one naming the trigger's date),
    read as the trigger's form reads its dates."""
    tab: str
    workflows: tuple[str, ...]
    columns: tuple[PersonalColumn, ...]
    date_column: str = ""
    dates: DateReader = DateReader()


def _kind(form: Form, column: str) -> str:
    if PERSON_ROWS.get(form.id, ("",))[0] == column:
        return PERSON
    if column in NAME_LISTS.get(form.id, ()) or (form.id == MERGE_FORM and column in dict(MERGE_NAMES)):
        return NAMES
    if form.id == "pledge_updates" and column == FOLLOW_UP_MEETING:
        return FILLED
    return TEXT


def form_columns(form: Form) -> list[PersonalColumn]:
    """The form's personal columns, each with whose it is and how it is removed."""
    fields = {f.name: f for f in form.fields}
    found = []
    for column in form.personal_columns:
        f = fields.get(column)
        found.append(PersonalColumn(form.tab, column, f.aliases if f else (), (f.about if f else "") or column,
                                    _kind(form, column), f.type if f else "text"))
    return found


def personal_columns(config: AppConfig, appended: Sequence[AppendedTab] = ()) -> dict[str, list[PersonalColumn]]:
    """Tab -> its personal columns, for every form's tab and every tab a workflow appends to."""
    found = {a.tab: list(a.columns) for a in appended}
    return found | {form.tab: form_columns(form) for form in config.forms.values()}


def located(tab: Tab, columns: Sequence[PersonalColumn]) -> list[tuple[PersonalColumn, int]]:
    """The personal columns the tab has, with where each is (name or alias)."""
    found = []
    for column in columns:
        index = tab.column(column.name, column.aliases)
        if index is not None:
            found.append((column, index))
    return found


def cell(row: Sequence[str], index: int) -> str:
    return str(row[index]) if index < len(row) else ""


def row_dates(tab: Tab, form: Form | AppendedTab) -> list[dt.date | None]:
    """When each row was recorded: its submitted_at, or for a row typed by
    hand without one, the form's first date (the conversation, the event);
    for a row a workflow appended before it wrote submitted_at, the column
    holding the trigger's date. Each column is read whole, each distinct
    cell once (a time stamp per row is no text to remember)."""
    aliases = form.aliases.get(SUBMITTED_AT, ()) if isinstance(form, Form) else ()
    sent = form.dates.column(tab.cells(SUBMITTED_AT, aliases))
    if isinstance(form, AppendedTab):
        typed = form.dates.column(tab.cells(form.date_column)) if form.date_column else None
    else:
        first = next((f for f in form.fields if f.type == "date"), None)
        typed = form.dates.column(tab.cells(first.name, first.aliases)) if first else None
    return [s.value if s.value is not None or typed is None else typed[i].value for i, s in enumerate(sent)]


def waiting_tabs(waiting: Mapping[str, Sequence[Mapping[str, str]]]) -> dict[str, Tab]:
    """Submissions waiting to be sent, as tabs (header: every answer given),
    so they are searched and edited like the rows of the sheet."""
    tabs = {}
    for name, records in waiting.items():
        header = list(dict.fromkeys(k for record in records for k in record))
        tabs[name] = Tab(name, header, [[str(r.get(h, "")) for h in header] for r in records])
    return tabs
