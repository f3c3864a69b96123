"""Which columns of a tab a workflow appends to are personal, and whose:
worked out from the workflows file, never listed by hand.

A workflow's `append` action fills each column of its row from a template.
A column is personal when its template names a personal variable of the
workflow's trigger (a field its form marks `personal: true`, such a field's
label, `submitted_by`, a forum's roster, the recipients). A column filled
with exactly one personal field of the form (`{{ participant_name }}`)
plays that field's part: a person's name is found as on the form's row, at
the institution in the column filled with the form's institution field; a
contact or story (`about:`) goes with the column holding whose it is; a
list of names keeps pseudonyms in place of names. Any other personal column
is a text of its own, blanked when it names the person. The column filled
with a date field of the form dates a row without submitted_at (rows
appended before the app wrote it).

A workflow that is not in the file any more (or cannot be read) says
nothing here: its tab is then searched for mentions only (docs/PRIVACY.md).
"""
from __future__ import annotations

import re

from ..config import AppConfig
from ..counting.people import PERSON_ROWS
from ..workflows.context import PERSONAL
from ..workflows.spec import Append, WorkflowSet, carried
from ..workflows.templates import Template
from .personal import NAME, PERSON, TEXT, AppendedTab, PersonalColumn, form_columns

_ONE_VARIABLE = re.compile(r"\s*\{\{\s*([A-Za-z_]\w*)\s*\}\}\s*")


def copied(template: Template) -> str:
    """The variable a template is exactly (`{{ contact }}`), or ""."""
    found = _ONE_VARIABLE.fullmatch(template.source)
    return found[1] if found else ""


def appended_tabs(config: AppConfig, workflows: WorkflowSet) -> tuple[AppendedTab, ...]:
    """Every tab the workflows append to, with its personal columns (the
    first workflow to name a column decides what it is)."""
    found: dict[str, AppendedTab] = {}
    for workflow in workflows.workflows:
        form = config.forms.get(workflow.trigger.form) if workflow.trigger.kind == "submitted" else None
        fields = {c.name: c for c in form_columns(form)} if form else {}
        dates = {f.name for f in form.fields if f.type == "date"} if form else set()
        for action in workflow.actions:
            if not isinstance(action, Append):
                continue
            copies = {copied(t): column for column, t in reversed(action.row) if copied(t)}  # field -> column
            columns = []
            for column, template in action.row:
                personal = [n.removeprefix("labels.") for n, privacy in
                            carried(template, workflow.variables, form).items() if privacy == PERSONAL]
                if personal:
                    columns.append(_column(action.tab, column, personal, copied(template), fields, copies, form))
            before = found.get(action.tab, AppendedTab(action.tab, (), ()))
            date = next((column for field, column in copies.items() if field in dates), "")
            dated = (date, form.dates) if date and not before.date_column else (before.date_column, before.dates)
            known = {c.name for c in before.columns}
            found[action.tab] = AppendedTab(action.tab, (*before.workflows, workflow.name),
                                            (*before.columns, *(c for c in columns if c.name not in known)), *dated)
    return tuple(found.values())


def _column(tab: str, column: str, personal: list[str], exact: str, fields: dict[str, PersonalColumn],
            copies: dict[str, str], form) -> PersonalColumn:
    source = fields.get(personal[0]) if len(personal) == 1 else None
    if source is None:
        return PersonalColumn(tab, column, (), column, TEXT, "text")
    # Whose it is: the column holding the person it is about, when the row has one.
    group = column if source.group == source.name else copies.get(source.group, column)
    if exact != source.name:  # the field inside other words: a text of its own kind
        return PersonalColumn(tab, column, (), group, TEXT, "text")
    if source.kind == PERSON:
        return PersonalColumn(tab, column, (), group, NAME, source.type,
                              copies.get(PERSON_ROWS[form.id][1], ""))
    return PersonalColumn(tab, column, (), group, source.kind, source.type)
