"""Removing personal cells without changing a count: the plan, checked
before anything is written, and writing it.

People are counted as distinct by name and institution (or a person_id;
coordinators' merges join spellings). Blanking a name naively would make
one person many, or many one. So before a name goes, everyone it belongs to
(merges and spellings resolved exactly as the counts resolve them) gets a
pseudonym: a random id with nothing of the person in it, written in the
person_id column of their rows, or in place of their name in a list. Where
some of a person's rows keep their name (a purge removes only old rows), a
row in the Person merges tab joins that name to the pseudonym, so they still
count once.

The plan is then tried on a copy of the tabs: every figure is worked out
before and after (privacy/figures.py) and any that would change is named.
Only the plan's own cells are written, each checked at write time to be the
cell that was read (Store.edit_cells).

A plan also reaches what the workflows keep (privacy/deliveries.py): the
deliveries whose content goes (those not sent yet are cancelled first, so
nothing naming the person goes out while the cells are written), and the
rows without a submission id that it edits: a workflow knows such a row by
its content, so the row as it will be is marked as seen first, and no
workflow takes the edited row for a new one.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from ..cells import clean_text
from ..config import AppConfig
from ..counting.people import (MERGE_FORM, MERGE_NAMES, PERSON_ID, People, is_pseudonym, named_places,
                               normalise_name, person_key, read_merges)
from ..cycle.leaders import split_names
from ..forms.submissions import new_submission_id, submission_row
from ..sheets import SUBMISSION_ID, WAITING, CellEdit, EditResult, Store, Tab
from ..workflows.planner import row_keys
from . import audit
from .deliveries import ERASED, DeliveryChange, WorkflowData, expired_reason, forget
from .figures import changed, figures
from .personal import FILLED, NAME, NAMES, PERSON, REMOVED, PersonalColumn, cell, personal_columns

LINK_REASON = "Kept counting as one person when their older records were pseudonymised"
ID_WRITTEN = "pseudonymous person id written"


def new_pseudonym(taken: Iterable[str] = ()) -> str:
    """A random id for someone whose name is removed: not derived from anything."""
    taken = set(taken)
    while True:
        made = f"anon-{secrets.token_hex(5)}"
        if f"pid:{made}" not in taken:
            return made


@dataclass(frozen=True)
class Entry:
    """A name in a cell: where it is, and the institution typed beside it."""
    name: str
    institution: str
    start: int
    end: int


def entries(text: str) -> list[Entry]:
    """The names in a cell listing people, as the counts read them
    (split_names), each with its place in the cell."""
    found, at = [], 0
    for name, institution in split_names(text).value:
        start = text.find(name, at)
        if start < 0:  # cannot happen: split_names returns pieces of the text
            continue
        at = start + len(name)
        found.append(Entry(name, institution, start, at))
    return found


@dataclass(frozen=True, slots=True)  # slots: a purge of a long tab holds 100,000 of them
class Removal:
    """A personal cell to remove: all of it, or only some names in it."""
    tab: str
    index: int                      # the row in the tab (or in the waiting submissions)
    column: PersonalColumn
    col: int
    names: frozenset[str] | None = None  # normalised names to remove from a list; None: the whole cell


@dataclass(frozen=True)
class Mention:
    """Someone counted: a row of one person, or the n-th name in a list
    (a name replaced by a pseudonym keeps its place, so n stays)."""
    tab: str
    index: int
    col: int
    n: int
    name: str = field(compare=False)
    institution: str = field(compare=False)
    entry: Entry | None = field(default=None, compare=False)  # None for a row of one person


@dataclass
class Reading:
    """Who is who in the tabs, resolved as the counts resolve them."""
    people: People
    keys: dict[Mention, str]        # each mention -> its raw person key

    def group(self, mention: Mention) -> str:
        return self.people.resolve(self.keys[mention])


def read_people(config: AppConfig, tabs: Mapping[str, Tab]) -> Reading:
    """Every counted mention of a person, keyed as the funder figures and the
    leader pipeline key them: rows of one person first, then the names in
    evaluations, which are matched against them."""
    people = read_merges(tabs, config.forms[MERGE_FORM], [])
    places = named_places(config.forms)
    keys: dict[Mention, str] = {}
    for name in places.person_rows:
        tab = tabs.get(name, Tab(name))
        for mention, person_id, sid in _person_rows(config, tab):
            keys[mention] = people.key(mention.name, mention.institution, sid or f"{name}:{mention.index}", person_id)
    evaluations = config.forms["evaluation"].tab  # other lists (forum attendees) are counted, not matched
    tab = tabs.get(evaluations, Tab(evaluations))
    for column in places.name_lists.get(evaluations, ()):
        for mention in _listed(config, tab, column):
            keys[mention] = people.named(mention.name, mention.institution,
                                         f"{tab.name}:{mention.index}:{mention.name}")
    return Reading(people, keys)


def _person_rows(config: AppConfig, tab: Tab) -> Iterable[tuple[Mention, str, str]]:
    person_rows = named_places(config.forms).person_rows
    if not tab.exists or tab.name not in person_rows:
        return
    aliases = config.aliases.get(tab.name, {})
    name, institution = person_rows[tab.name]
    col = tab.column(name, aliases.get(name, ()))
    if col is None:
        return
    names, places = tab.cells(name, aliases.get(name, ())), tab.cells(institution, aliases.get(institution, ()))
    ids, sids = tab.cells(PERSON_ID), tab.cells(SUBMISSION_ID)
    for i in range(len(tab.rows)):
        if not tab.blank(i):
            yield Mention(tab.name, i, col, 0, clean_text(names[i]), clean_text(places[i])), ids[i], clean_text(sids[i])


def _listed(config: AppConfig, tab: Tab, column: str) -> Iterable[Mention]:
    aliases = config.aliases.get(tab.name, {}).get(column, ())
    col = tab.column(column, aliases)
    if col is None:
        return
    for i, text in enumerate(tab.cells(column, aliases)):
        for n, e in enumerate(entries(str(text))):
            yield Mention(tab.name, i, col, n, e.name, e.institution, e)


@dataclass(frozen=True)
class Change:
    edit: CellEdit
    what: str      # in words, for the preview


@dataclass
class Plan:
    purpose: str                        # the audit action: "purge" or "erasure"
    changes: list[Change] = field(default_factory=list)
    id_columns: list[str] = field(default_factory=list)   # tabs given a person_id column first
    links: list[dict[str, str]] = field(default_factory=list)  # Person merges rows keeping people counted once
    changed_figures: list[str] = field(default_factory=list)
    deliveries: list[DeliveryChange] = field(default_factory=list)  # delivery log entries whose content goes
    seen: list[tuple[str, str]] = field(default_factory=list)  # (workflow, row key) of edited rows, as they will be

    @property
    def empty(self) -> bool:
        return not self.changes and not self.deliveries

    @property
    def removed(self) -> list[Change]:
        """The changes that remove personal data (not the person ids written)."""
        return [c for c in self.changes if c.what != ID_WRITTEN]

    @property
    def rows(self) -> int:
        return len({(c.edit.tab, c.edit.row, c.edit.submission_id) for c in self.changes})

    @property
    def tabs(self) -> list[str]:
        return list(dict.fromkeys(c.edit.tab for c in self.changes))

    def summary(self) -> str:
        """What the plan does, in numbers only (what the audit log keeps)."""
        cancelled = sum(c.cancels for c in self.deliveries)
        return (f"{len(self.removed)} personal cells in {self.rows} rows of {len(self.tabs)} tabs"
                + (f"; {len(self.links)} Person merges rows added" if self.links else "")
                + (f"; the contents of {len(self.deliveries)} deliveries removed from the delivery log"
                   + (f" ({cancelled} not sent yet, cancelled)" if cancelled else "") if self.deliveries else ""))

    def preview(self) -> list[dict[str, object]]:
        """One line per cell, for a coordinator to check before anything is written."""
        return [{"Tab": c.edit.tab, "Sheet row": c.edit.row or "waiting to be sent", "Column": c.edit.column,
                 "Now": c.edit.before, "Becomes": c.edit.after, "What": c.what} for c in self.changes]


class Planner:
    """Builds a plan from the cells to remove (see Plan and the module docstring)."""

    def __init__(self, config: AppConfig, tabs: Mapping[str, Tab], waiting: Mapping[str, Tab] | None = None,
                 data: WorkflowData | None = None):
        self.config, self.tabs, self.waiting = config, tabs, waiting or {}
        self.data = data or WorkflowData()
        self.places = named_places(config.forms)
        self.columns = personal_columns(config, self.data.appended)
        self.reading = read_people(config, tabs)
        self.pseudonyms: dict[str, str] = {}       # person (resolved key) -> pseudonym
        self.loose: dict[str, str] = {}            # a listed name matching nobody -> pseudonym
        self._taken = {k for k in self.reading.keys.values() if k.startswith("pid:anon-")}
        for mention, key in self.reading.keys.items():  # someone pseudonymised before keeps their pseudonym
            if is_pseudonym(key[4:]) and key.startswith("pid:"):
                self.pseudonyms.setdefault(self.reading.people.resolve(key), key[4:])

    # -- who stands for whom ---------------------------------------------------

    def pseudonym(self, group: str) -> str:
        if group not in self.pseudonyms:
            self.pseudonyms[group] = new_pseudonym(self._taken)
            self._taken.add(f"pid:{self.pseudonyms[group]}")
        return self.pseudonyms[group]

    def _pseudonym_for_name(self, mention: Mention) -> str:
        people, name = self.reading.people, mention.name
        if mention in self.reading.keys:
            return self.pseudonym(self.reading.group(mention))
        if mention.tab in (self.places.merges_tab, *self.places.person_rows):  # a merge's name, or a waiting row of one person
            return self.pseudonym(people.resolve(person_key(name, mention.institution, "")))
        found = people.unique_by_name(name)
        if found is not None:
            return self.pseudonym(found)
        key = normalise_name(name)
        if key not in self.loose:
            self.loose[key] = new_pseudonym(self._taken)
            self._taken.add(f"pid:{self.loose[key]}")
        return self.loose[key]

    # -- the plan ----------------------------------------------------------------

    def plan(self, purpose: str, removals: Iterable[Removal], today: dt.date) -> Plan:
        plan = Plan(purpose)
        wanted = _combined(removals)
        removed_mentions = set()
        for (tab_name, index, col), (column, names) in wanted.items():
            tab = self.waiting[tab_name] if index < 0 else self.tabs[tab_name]
            removed_mentions |= self._change(plan, tab, index, col, column, names)
        self._link(plan, removed_mentions)
        after = simulated(self.tabs, plan, self.places.merges_tab)
        plan.seen = self._seen(plan, after)
        before = figures(self.config, self.tabs, today)
        plan.changed_figures = changed(before, figures(self.config, after, today))
        return plan

    def _seen(self, plan: Plan, after: Mapping[str, Tab]) -> list[tuple[str, str]]:
        """The keys the edited rows without a submission id will have, for each
        workflow watching their tab (see the module docstring)."""
        edited: dict[str, set[int]] = defaultdict(set)
        for change in plan.changes:
            edit = change.edit
            if not edit.submission_id and edit.row != WAITING and edit.tab in self.data.watching:
                edited[edit.tab].add(edit.row - 2)
        seen = []
        for tab, indexes in edited.items():
            keys = {index: key for key, index in row_keys(after[tab]).items()}
            seen += [(workflow, keys[i]) for i in sorted(indexes) if i in keys for workflow in self.data.watching[tab]]
        return seen

    def _change(self, plan: Plan, tab: Tab, index: int, col: int, column: PersonalColumn,
                names: frozenset[str] | None) -> set[Mention]:
        row = row_of(tab, index)
        text = cell(row, col)
        if not clean_text(text) or text == REMOVED or is_pseudonym(text):
            return set()
        edit = _editor(tab, index, row)
        removed: set[Mention] = set()
        if column.kind == PERSON:
            mention = Mention(tab.name, index, col, 0, clean_text(text), self.institution(tab, row))
            plan.changes.append(Change(edit(tab.header[col], text, ""), "name blanked"))
            id_col = tab.column(PERSON_ID)
            if id_col is None or not clean_text(cell(row, id_col)):
                self._write_id(plan, tab, row, edit, self._pseudonym_for_name(mention))
            removed.add(mention)
            return removed
        if column.kind == NAMES:
            found = self.names_in(tab, row, column, text)
            gone = [e for e in found if (names is None or normalise_name(e.name) in names) and not is_pseudonym(e.name)]
            if not gone:
                return set()
            after = text
            for n, e in sorted(((found.index(e), e) for e in gone), key=lambda pair: -pair[1].start):
                mention = Mention(tab.name, index, col, n, e.name, e.institution, e)
                after = after[:e.start] + self._pseudonym_for_name(mention) + after[e.end:]
                removed.add(mention)
            plan.changes.append(Change(edit(tab.header[col], text, after), "name replaced by a pseudonym"))
            return removed
        after, what = (REMOVED, "marked as removed") if column.kind == FILLED else (
            "", "name blanked" if column.kind == NAME else "blanked")
        plan.changes.append(Change(edit(tab.header[col], text, after), what))
        return removed

    def institution(self, tab: Tab, row: Sequence[str], column: PersonalColumn | None = None) -> str:
        """The institution on a row of one person, or beside a name on a row
        a workflow appended ("" for other tabs)."""
        if column is not None and column.institution:
            col = tab.column(column.institution)
            return clean_text(cell(row, col)) if col is not None else ""
        if tab.name not in self.places.person_rows:
            return ""
        institution = self.places.person_rows[tab.name][1]
        col = tab.column(institution, self.config.aliases.get(tab.name, {}).get(institution, ()))
        return clean_text(cell(row, col)) if col is not None else ""

    def names_in(self, tab: Tab, row: Sequence[str], column: PersonalColumn, text: str) -> list[Entry]:
        """The names in a cell of names: a list, or one of a merge's two."""
        if tab.name != self.places.merges_tab:
            return entries(text)
        # A merge names one person per cell, with the institution in the next column.
        institution = dict(MERGE_NAMES)[column.name]
        i = tab.column(institution, self.config.aliases.get(tab.name, {}).get(institution, ()))
        start = len(text) - len(text.lstrip())
        return [Entry(text.strip(), clean_text(cell(row, i)) if i is not None else "", start, start + len(text.strip()))]

    def _write_id(self, plan: Plan, tab: Tab, row: Sequence[str], edit: Callable[[str, str, str], CellEdit],
                  pseudonym: str) -> None:
        col = tab.column(PERSON_ID)
        if col is None and tab.name not in plan.id_columns and tab.name in self.tabs:
            plan.id_columns.append(tab.name)
        plan.changes.append(Change(edit(tab.header[col] if col is not None else PERSON_ID,
                                        cell(row, col) if col is not None else "", pseudonym), ID_WRITTEN))

    def _link(self, plan: Plan, removed: set[Mention]) -> None:
        """Join each name still standing for a pseudonymised person to their
        pseudonym, where the plan would otherwise split them."""
        after = read_people(self.config, simulated(self.tabs, plan, self.places.merges_tab))
        done = set()
        for mention, key in self.reading.keys.items():
            group = self.reading.people.resolve(key)
            if mention in removed or group not in self.pseudonyms or not mention.name or mention not in after.keys:
                continue
            pseudonym = f"pid:{self.pseudonyms[group]}"
            if after.group(mention) == after.people.resolve(pseudonym):
                continue
            if mention.entry is None and key.startswith("pid:"):
                continue  # a row with its own person id is counted by it: a merge cannot join it
            raw = person_key(mention.name, mention.institution, "")
            if is_pseudonym(mention.name) or raw in done:
                continue
            done.add(raw)
            plan.links.append({MERGE_NAMES[0][0]: self.pseudonyms[group], MERGE_NAMES[0][1]: "",
                               MERGE_NAMES[1][0]: mention.name, MERGE_NAMES[1][1]: mention.institution,
                               "reason": LINK_REASON})


def _combined(removals: Iterable[Removal]) -> dict[tuple[str, int, int], tuple[PersonalColumn, frozenset[str] | None]]:
    """One removal per cell: all of it wins over some names in it."""
    found: dict[tuple[str, int, int], tuple[PersonalColumn, frozenset[str] | None]] = {}
    for r in removals:
        key = (r.tab, r.index, r.col)
        if key in found:
            names = found[key][1]
            r_names = None if names is None or r.names is None else names | r.names
            found[key] = (r.column, r_names)
        else:
            found[key] = (r.column, r.names)
    return found


def _editor(tab: Tab, index: int, row: Sequence[str]) -> Callable[[str, str, str], CellEdit]:
    """Edits of this row, naming it as it was read. A waiting submission has
    a negative index (-1 is the first waiting one)."""
    sid = clean_text(cell(row, tab.column(SUBMISSION_ID))) if tab.column(SUBMISSION_ID) is not None else ""
    sheet_row = WAITING if index < 0 else tab.sheet_row(index)
    cells = () if sid else tuple(str(c) for c in row)
    return lambda column, before, after: CellEdit(tab.name, sheet_row, column, before, after, sid, cells)


def simulated(tabs: Mapping[str, Tab], plan: Plan, merges_tab: str) -> dict[str, Tab]:
    """The tabs as they will be once the plan is written."""
    out = {name: Tab(name, list(tab.header), [list(r) for r in tab.rows]) for name, tab in tabs.items()}
    for name in plan.id_columns:
        if name in out and out[name].column(PERSON_ID) is None:
            out[name].header.append(PERSON_ID)
    for change in plan.changes:
        edit = change.edit
        if edit.row == WAITING or edit.tab not in out:
            continue
        tab = out[edit.tab]
        col = tab.column(edit.column)
        row = tab.rows[edit.row - 2]
        row.extend([""] * (col + 1 - len(row)))
        row[col] = edit.after
    if plan.links:
        tab = out.setdefault(merges_tab, Tab(merges_tab))
        for name in [*(n for pair in MERGE_NAMES for n in pair), "reason"]:
            if tab.column(name) is None:
                tab.header.append(name)
        for link in plan.links:
            tab.rows.append([link.get(h, "") for h in tab.header])
    return {name: Tab(t.name, t.header, t.rows) for name, t in out.items()}  # fresh: nothing worked out yet


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    results: list[EditResult]
    changed_figures: list[str]        # figures that changed after all (read back from the store)
    sent_meanwhile: list[int] = field(default_factory=list)  # deliveries to cancel that were sent before it

    @property
    def done(self) -> list[EditResult]:
        return [r for r in self.results if r.done]

    @property
    def not_done(self) -> list[EditResult]:
        return [r for r in self.results if not r.done]


def carry_out(store: Store, config: AppConfig, plan: Plan, who: str, today: dt.date,
              progress: Callable[[str], None] | None = None, data: WorkflowData | None = None) -> Outcome:
    """Write the plan: the deliveries' contents (cancelling those not sent),
    the edited rows marked as seen by the workflows, person_id columns, then
    the merges keeping people counted once (harmless before the names go),
    then the cells; then log it (numbers only, never who it was about) and
    read the figures back. `data` reaches the delivery log the plan changes."""
    say = progress or (lambda _: None)
    data = data or WorkflowData()
    if (plan.deliveries or plan.seen) and data.ledger is None:
        raise ValueError("the plan changes the delivery log: give the WorkflowData it was planned with")
    sent_meanwhile = []
    if plan.deliveries:
        say(f"Removing the contents of {len(plan.deliveries)} deliveries from the delivery log")
        reason = ERASED if plan.purpose == "erasure" else expired_reason(data.retention_days)
        states = forget(data, plan.deliveries, reason)
        sent_meanwhile = [c.delivery.id for c in plan.deliveries if c.cancels and states.get(c.delivery.id) == "sent"]
    if plan.seen:
        data.ledger.record([], plan.seen)
    before = figures(config, store.read_tabs(list(config.tabs)), today)
    for tab in plan.id_columns:
        say(f"Adding a {PERSON_ID} column to {tab}")
        store.ensure_tab(tab, [PERSON_ID])
    if plan.links:
        form = config.forms[MERGE_FORM]
        say(f"Recording {len(plan.links)} rows in {form.tab}")
        store.append_rows(form.tab, [(sid, submission_row(form, link, sid, who)) for sid, link in
                                       ((new_submission_id(), link) for link in plan.links)], form.aliases)
    say(f"Changing {len(plan.changes)} cells")
    results = store.edit_cells([c.edit for c in plan.changes])
    skipped = sum(not r.done for r in results)
    audit.record(store, who, plan.purpose, plan.summary() + (f"; {skipped} not changed (the row had changed)"
                                                             if skipped else ""))
    say("Checking every figure")
    after = figures(config, store.read_tabs(list(config.tabs)), today)
    return Outcome(plan, results, changed(before, after), sent_meanwhile)


def tab_index(tabs: Mapping[str, Tab], waiting: Mapping[str, Tab]) -> dict[str, list[tuple[int, Tab]]]:
    """Every row to search, per tab: (index, tab) for the sheet's rows, and
    negative indexes (-1, -2, …) for the submissions still waiting."""
    found: dict[str, list[tuple[int, Tab]]] = defaultdict(list)
    for name, tab in tabs.items():
        found[name] += [(i, tab) for i in range(len(tab.rows)) if not tab.blank(i)]
    for name, tab in waiting.items():
        found[name] += [(-(i + 1), tab) for i in range(len(tab.rows))]
    return found


def row_of(tab: Tab, index: int) -> list[str]:
    return tab.rows[-index - 1] if index < 0 else tab.rows[index]
