"""A subject access request: everything the alliance holds about a person,
from every tab, as one .xlsx a coordinator can send them (the law allows a
month). Every column of every row that names them (by name, e-mail or
phone, in a list of names, or as another spelling a coordinator merged),
the submissions still waiting to be sent, the rows workflows appended about
them, what the audit log records of them, and what the workflows sent to or
about them that the delivery log still holds; each sheet says where a row
is, so they can ask for a correction. Cells are written as text: a story
starting with "=" is never a formula.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..config import AppConfig
from ..counting.records import display_header
from ..reporting.reports import as_typed
from ..sheets import Tab
from ..workflows.overview import STATE_TEXT
from .deliveries import WorkflowData, naming, sent_text, when
from .erasure import search_every_tab
from .plan import row_of
from .search import Matcher, Query

ABOUT_SHEET = "About this export"
DELIVERIES_SHEET = "Sent by the workflows"


@dataclass(frozen=True)
class AccessExport:
    workbook: bytes
    rows: int
    tabs: int
    deliveries: int = 0

    @property
    def found(self) -> bool:
        return bool(self.rows or self.deliveries)

    @property
    def summary(self) -> str:
        """What the audit log keeps: how much, never whose."""
        return f"{self.rows} rows from {self.tabs} tabs" + (
            f" and {self.deliveries} deliveries the workflows sent" if self.deliveries else "")


def _sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet title Excel accepts (no : / ? * [ ], 31 characters), unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "Tab"
    title, n = base, 2
    while title.casefold() in taken:
        title, n = f"{base[:28]} ({n})", n + 1
    taken.add(title.casefold())
    return title


def _text(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def subject_access(config: AppConfig, tabs: Mapping[str, Tab], waiting: Mapping[str, Tab], query: Query,
                   today: dt.date, data: WorkflowData | None = None) -> AccessExport:
    """The workbook for the person `query` finds. `tabs` is every tab the
    store has (the forms' and any other), `waiting` the submissions not yet
    sent, `data` what the workflows keep (the tabs they append to, the delivery log)."""
    data = data or WorkflowData()
    _, found = search_every_tab(config, tabs, waiting, query, data)
    sent = naming(data, Matcher(found.everything).anywhere_in)
    where_found: dict[tuple[str, int], list[str]] = {}
    for r in found.removals:
        where_found.setdefault((r.tab, r.index), []).append(r.column.name)
    for tab_name, index, column in found.mentions:
        where_found.setdefault((tab_name, index), []).append(column)

    book = Workbook()
    about = book.active
    about.title = ABOUT_SHEET
    rows = found.rows()
    searched = "; ".join([*query.names, *([f"institution {query.institution}"] if query.institution else []),
                          *query.emails, *query.phones])
    lines = [
        f"Everything {config.settings.alliance_name} holds about the person searched for, on {today:%d %B %Y}.",
        f"Searched for: {searched}.",
        "",
        f"{sum(len(i) for i in rows.values())} rows in {len(rows)} tabs name this person. Each of the other sheets "
        "is one tab of the alliance's records: 'Sheet row' is where the row is in the spreadsheet ('waiting to be "
        "sent' for a submission not yet in it), and 'Found in' the columns that name them.",
        *([f"{len(sent)} messages the app sent (e-mails, rows added to a follow-up list, posts to other "
           f"systems) name them: the sheet '{DELIVERIES_SHEET}' holds what each said. The app keeps what it sent "
           f"{data.retention_days} days."] if sent else []),
        "Names, contacts and stories are seen by the alliance's organisers (coordinators) only; trustees and "
        "funders see counts, never names.",
        f"Personal data is kept {config.settings.retention_months} months and then removed; the counts stay.",
        "You may ask the organisers to correct anything here, to erase it, to stop using it, or object to its "
        "use: reply to the person who sent you this file.",
    ]
    for line in lines:
        about.append([line])
    about["A1"].font = Font(bold=True, size=13)
    about.column_dimensions["A"].width = 120
    titles = {ABOUT_SHEET.casefold()}
    for tab_name, indexes in rows.items():
        sheet = book.create_sheet(_sheet_title(tab_name, titles))
        tab, pending = tabs.get(tab_name, Tab(tab_name)), waiting.get(tab_name, Tab(tab_name))
        width = max([len(tab.header), *(len(row_of(tab, i)) for i in indexes if i >= 0)])
        header = display_header([*tab.header, *[""] * (width - len(tab.header))])
        extra = [h for h in pending.header if tab.column(h) is None]  # answers a waiting submission adds
        sheet.append(["Sheet row", *(_text(h) for h in [*header, *extra]), "Found in"])
        for c in sheet[1]:
            c.font = Font(bold=True)
        for index in indexes:
            if index < 0:
                answers = dict(zip(pending.header, row_of(pending, index)))
                at = {i: h for h, i in ((h, tab.column(h)) for h in pending.header) if i is not None}
                cells = [answers.get(at[i], "") if i in at else "" for i in range(width)] + \
                    [answers.get(h, "") for h in extra]
            else:
                row = row_of(tab, index)
                cells = [*row, *[""] * (width - len(row) + len(extra))]
            found_in = ", ".join(dict.fromkeys(where_found.get((tab_name, index), [])))
            sheet.append(["waiting to be sent" if index < 0 else tab.sheet_row(index), *map(_text, cells),
                          _text(found_in)])
        as_typed(sheet)
    if sent:
        sheet = book.create_sheet(_sheet_title(DELIVERIES_SHEET, titles))
        sheet.append(["Delivery", "Made", "Workflow", "What", "To", "Status", "Sent", "What it sent"])
        for c in sheet[1]:
            c.font = Font(bold=True)
        timezone = config.settings.timezone
        for d in sent:
            sheet.append([d.id, when(d.created_at, timezone), *map(_text, (d.workflow, d.kind, d.destination,
                                                                          STATE_TEXT[d.state])),
                          when(d.sent_at, timezone), _text(sent_text(d))])
        as_typed(sheet)
    out = io.BytesIO()
    book.save(out)
    return AccessExport(out.getvalue(), sum(len(i) for i in rows.values()), len(rows), len(sent))
