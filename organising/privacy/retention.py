"""Retention: personal data is kept `retention_months` (config/settings.yaml),
then blanked by the purge; the rows stay, so every figure stays.

A row's age is its submitted_at, or for a row typed by hand without one,
the form's first date. A row whose age cannot be read is never purged: it is
counted apart, so a coordinator can date it. A merge of two spellings is
kept while the person has any record left; once none is, its names go too.
Tabs workflows append to are purged the same way, and what deliveries sent
goes after the delivery log's own, shorter retention (privacy/deliveries.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from ..cells import clean_text
from ..config import AppConfig
from ..counting.people import MERGE_NAMES, is_pseudonym, person_key
from ..sheets import Tab, worked_out
from ..workflows.ledger import Delivery
from .deliveries import DeliveryChange, WorkflowData, past_retention
from .personal import NAMES, REMOVED, cell, located, personal_columns, row_dates
from .plan import Plan, Planner, Removal, entries


def alliance_today(config: AppConfig) -> dt.date:
    """Today in the alliance's time zone (settings), wherever the server is."""
    return dt.datetime.now(ZoneInfo(config.settings.timezone)).date()


def cutoff(months: int, today: dt.date) -> dt.date:
    """Rows recorded before this day are past retention."""
    return today - relativedelta(months=months)


def holds_personal_data(text: str, kind: str) -> bool:
    """Whether a personal cell still holds something of a person (a
    pseudonym or the removed mark is nothing of them)."""
    text = clean_text(text)
    if not text or text == REMOVED:
        return False
    if kind == NAMES:
        return any(not is_pseudonym(e.name) for e in entries(text)) or not entries(text)
    return not is_pseudonym(text)


@dataclass
class RetentionStatus:
    months: int
    cutoff: dt.date
    past: dict[str, int] = field(default_factory=dict)          # tab -> rows with personal data past retention
    undated: dict[str, list[int]] = field(default_factory=dict)  # tab -> sheet rows with personal data and no date
    delivery_days: int = 0                                        # how long the delivery log keeps what was sent
    deliveries: list[Delivery] = field(default_factory=list)     # deliveries whose content is past that

    @property
    def rows_past(self) -> int:
        return sum(self.past.values())

    @property
    def anything(self) -> bool:
        """Whether the purge has something to remove."""
        return bool(self.rows_past or self.deliveries)


def retention_status(config: AppConfig, tabs: Mapping[str, Tab], today: dt.date,
                     data: WorkflowData | None = None, removals: list[Removal] | None = None) -> RetentionStatus:
    """How many rows hold personal data past retention, tab by tab (the
    forms' and those workflows append to), and the deliveries whose content
    is past the delivery log's retention. `removals`, when given, gets the
    cells the purge would blank: worked out then, not kept with the read
    (one per personal cell, for a page that shows only the counts)."""
    data = data or WorkflowData()
    status = RetentionStatus(config.settings.retention_months, cutoff(config.settings.retention_months, today),
                             delivery_days=data.retention_days, deliveries=past_retention(data))
    if removals is None:
        # The rows are looked at once per shared read (the day's cutoff is in the key); the deliveries each time.
        past, undated = worked_out(tabs, ("retention", status.cutoff, *config.forms.values(), *data.appended),
                                   [], lambda _: _rows_past(config, tabs, status.cutoff, data, []))
    else:
        past, undated = _rows_past(config, tabs, status.cutoff, data, removals)
    status.past = dict(past)
    status.undated = {tab: list(rows) for tab, rows in undated.items()}
    return status


def _rows_past(config: AppConfig, tabs: Mapping[str, Tab], before: dt.date, data: WorkflowData,
               removals: list[Removal]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Rows past retention and undated rows holding personal data, by tab;
    the cells to blank are added to `removals`."""
    past: dict[str, int] = {}
    undated: dict[str, list[int]] = {}
    columns = personal_columns(config, data.appended)
    for form in (*config.forms.values(), *data.appended):
        tab = tabs.get(form.tab, Tab(form.tab))
        where = located(tab, columns[form.tab])
        days = row_dates(tab, form)
        for i, row in enumerate(tab.rows):
            held = [(c, col) for c, col in where if holds_personal_data(cell(row, col), c.kind)]
            if not held:
                continue
            day = days[i]
            if day is None:
                undated.setdefault(tab.name, []).append(tab.sheet_row(i))
            elif day < before:
                past[tab.name] = past.get(tab.name, 0) + 1
                removals += [Removal(tab.name, i, c, col) for c, col in held]
    return past, undated


def plan_purge(config: AppConfig, tabs: Mapping[str, Tab], today: dt.date,
               data: WorkflowData | None = None) -> tuple[Plan, RetentionStatus]:
    """The purge of everything past retention, checked against every figure.
    `tabs` holds the forms' tabs and those the workflows append to."""
    data = data or WorkflowData()
    removals: list[Removal] = []
    status = retention_status(config, tabs, today, data, removals)
    planner = Planner(config, {**{name: Tab(name) for name in data.tabs}, **tabs}, data=data)
    removals += _merges_of_no_one(planner, tabs, removals)
    plan = planner.plan("purge", removals, today)
    plan.deliveries = [DeliveryChange(d) for d in status.deliveries]
    return plan, status


def _merges_of_no_one(planner: Planner, tabs: Mapping[str, Tab], removals: list[Removal]) -> list[Removal]:
    """The names in merges of people who will have no record left."""
    going = {(r.tab, r.index, r.col) for r in removals}
    reading = planner.reading
    left = {reading.group(m) for m in reading.keys if (m.tab, m.index, m.col) not in going and m.name}
    merges = planner.places.merges_tab
    tab = tabs.get(merges, Tab(merges))
    where = dict((c.name, (c, col)) for c, col in located(tab, planner.columns.get(merges, [])))
    found = []
    for i, row in enumerate(tab.rows):
        for name, institution in MERGE_NAMES:
            if name not in where or (merges, i, where[name][1]) in going:
                continue
            column, col = where[name]
            text = cell(row, col)
            place = tab.column(institution)
            key = person_key(text, cell(row, place) if place is not None else "", "")
            if holds_personal_data(text, NAMES) and reading.people.resolve(key) not in left:
                found.append(Removal(merges, i, column, col))
    return found
