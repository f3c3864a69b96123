"""Finding a person across every tab: by name (and institution), e-mail or
phone, for erasure and for a subject access request.

A name matches a cell that is that name (case and spacing ignored), a name
in a list, or, for a name of two words or more, the name inside a longer
text. An e-mail or a phone number matches wherever it is written (a phone
by its digits, +44 or 0). Whoever the counts hold to be the same person (a
coordinator's merge, another spelling) is found with them: in a row of
theirs, their name, their contacts and their story (`about:`) go; in a
list, only their name. A cell that mentions them inside someone else's
story, or in a column no form knows, is listed for the coordinator to read,
not blanked. Tabs workflows append to are searched as the forms' tabs are;
what the delivery log sent is searched for every name, e-mail and phone
number of theirs that the search found (privacy/deliveries.py).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping

from ..cells import ADDRESS_IN_TEXT, clean_text
from ..counting.people import normalise_name, person_key
from ..sheets import SUBMITTED_BY, Tab
from .personal import NAME, NAMES, PERSON, PersonalColumn, cell, located
from .plan import Entry, Mention, Planner, Removal, row_of, tab_index
from .retention import holds_personal_data

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s().\-]{5,}\d")


def _digits(text: str) -> str:
    """A phone number's digits, +44 and 0044 written as the 0 they stand for."""
    digits = re.sub(r"\D", "", text)
    return "0" + digits[4:] if digits.startswith("0044") else "0" + digits[2:] if digits.startswith("44") else digits


@dataclass(frozen=True)
class Query:
    names: tuple[str, ...] = ()
    institution: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @staticmethod
    def of(names: str = "", institution: str = "", emails: str = "", phones: str = "") -> "Query":
        """From what a coordinator typed: several of each separated by ; or new lines."""
        def split(text: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(p.strip() for p in re.split(r"[;\n]", text or "") if p.strip()))
        return Query(split(names), (institution or "").strip(), split(emails), split(phones))

    @property
    def problem(self) -> str:
        """What is wrong with the search, in words; "" when it can run."""
        if not (self.names or self.emails or self.phones):
            return "Give a name, an e-mail address or a phone number to look for."
        bad = [e for e in self.emails if not _EMAIL.match(e)]
        if bad:
            return f"{bad[0]!r} is not an e-mail address like name@example.org."
        short = [p for p in self.phones if len(_digits(p)) < 7]
        if short:
            return f"{short[0]!r} is not a phone number (it needs at least 7 digits)."
        if any(len(normalise_name(n)) < 2 for n in self.names):
            return "A name needs at least two letters."
        return ""


class Matcher:
    def __init__(self, query: Query):
        self.query = query
        self.names = {normalise_name(n) for n in query.names}
        self.institution = normalise_name(query.institution)
        self._phrases = [re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, n.split())) + r"(?!\w)", re.IGNORECASE)
                         for n in self.names if len(n.split()) > 1]
        self._emails = [re.compile(r"(?<![\w.+\-])" + re.escape(e) + r"(?![\w\-])", re.IGNORECASE)
                        for e in query.emails]
        self._phones = {_digits(p) for p in query.phones}

    def is_name(self, name: str, institution: str = "") -> bool:
        """The cell (or a name in a list) is one of the names, at the institution if one is given."""
        return normalise_name(name) in self.names and (
            not self.institution or not clean_text(institution) or normalise_name(institution) == self.institution)

    def contact_in(self, text: str) -> bool:
        return any(e.search(text) for e in self._emails) or bool(
            self._phones and {_digits(m) for m in _PHONE_IN_TEXT.findall(text)} & self._phones)

    def anywhere_in(self, text: str) -> bool:
        """A mention anywhere in a text: the name, an e-mail, a phone."""
        return self.is_name(text) or any(p.search(text) for p in self._phrases) or self.contact_in(text)


@dataclass
class Found:
    removals: list[Removal] = field(default_factory=list)
    # Cells naming them that erasure leaves: (tab, row index, column header).
    mentions: list[tuple[str, int, str]] = field(default_factory=list)
    # Names written where they were found, to search for too.
    names: list[str] = field(default_factory=list)
    # The query with every name, e-mail and phone in the cells found: what the delivery log is searched for.
    everything: Query = field(default_factory=Query)

    def rows(self) -> dict[str, list[int]]:
        """Tab -> the row indexes holding something about them, in sheet order."""
        found: dict[str, set[int]] = defaultdict(set)
        for r in self.removals:
            found[r.tab].add(r.index)
        for tab, index, _ in self.mentions:
            found[tab].add(index)
        return {tab: sorted(indexes, key=lambda i: (i < 0, abs(i))) for tab, indexes in found.items()}


def find(planner: Planner, query: Query, other_tabs: Mapping[str, Tab] | None = None) -> Found:
    """Everything about the person in the forms' tabs (and the submissions
    waiting to be sent); `other_tabs` (tabs no form writes: the audit log,
    a tab people keep by hand) are searched for mentions only."""
    match = Matcher(query)
    found = Found()
    groups: dict[tuple[str, int], set[str]] = defaultdict(set)   # row -> the columns of whose data goes
    listed: dict[tuple[str, int, int], set[str]] = defaultdict(set)  # list cell -> names going
    people = set()
    for tab_name, rows in tab_index(planner.tabs, planner.waiting).items():
        for index, tab in rows:
            where = located(tab, planner.columns.get(tab_name, []))
            row = row_of(tab, index)
            for column, col in where:
                text = cell(row, col)
                if not holds_personal_data(text, column.kind):
                    continue
                if column.kind == NAMES:
                    for n, e in enumerate(planner.names_in(tab, row, column, text)):
                        if match.is_name(e.name, e.institution) or match.contact_in(e.name):
                            listed[(tab_name, index, col)].add(normalise_name(e.name))
                            people |= _group(planner, tab_name, index, col, n, e)
                elif _matches(match, column, text, planner.institution(tab, row, column)):
                    groups[(tab_name, index)].add(column.group)
    # Whoever the counts hold to be them: every row and name of theirs.
    reading = planner.reading
    for mention, key in reading.keys.items():
        if mention.entry is None and (mention.tab, mention.index) in groups and \
                planner.places.person_rows[mention.tab][0] in groups[(mention.tab, mention.index)]:
            people.add(reading.people.resolve(key))
    for mention, key in reading.keys.items():
        if reading.people.resolve(key) in people and mention.name:
            if mention.entry is None:
                groups[(mention.tab, mention.index)].add(planner.places.person_rows[mention.tab][0])
            else:
                listed[(mention.tab, mention.index, mention.col)].add(normalise_name(mention.name))
    _merges(planner, people, listed)
    _removals(planner, groups, listed, found)
    found.everything = _everything(planner, query, found)
    found.names = [n for n in found.names if normalise_name(n) not in match.names]
    _mentions(planner, match, found, other_tabs or {})
    return found


def _matches(match: Matcher, column: PersonalColumn, text: str, institution: str) -> bool:
    if column.group != column.name:  # a story or contact of someone named elsewhere on the row
        return match.contact_in(text)
    if column.kind in (PERSON, NAME):
        return match.is_name(text, institution) or match.contact_in(text)
    return match.anywhere_in(text)


def _names_someone(column: PersonalColumn) -> bool:
    """A cell of the column is a person's name (or a group's contact name)."""
    return column.kind in (PERSON, NAME) or (column.group == column.name and column.type == "text"
                                             and column.name != SUBMITTED_BY)


def _everything(planner: Planner, query: Query, found: Found) -> Query:
    """The query with the names, e-mail addresses and phone numbers in the
    cells found (another spelling, the contact given beside a name)."""
    names, texts = list(query.names), []
    for r in found.removals:
        tab = planner.waiting[r.tab] if r.index < 0 else planner.tabs[r.tab]
        row = row_of(tab, r.index)
        text = cell(row, r.col)
        if r.names is not None:
            names += [e.name for e in planner.names_in(tab, row, r.column, text) if normalise_name(e.name) in r.names]
        elif _names_someone(r.column):
            names.append(clean_text(text))
        texts.append(text)
    emails = [*query.emails, *(a for t in texts for a in ADDRESS_IN_TEXT.findall(t))]
    # A number in a story is a phone only if it reads as a UK one (a date such as 2021-06-08 is not).
    phones = [*query.phones, *(p for t in texts for p in _PHONE_IN_TEXT.findall(t)
                               if _digits(p).startswith("0") and 10 <= len(_digits(p)) <= 11)]
    return Query(_unique(names), "", _unique(emails), _unique(phones))


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _group(planner: Planner, tab: str, index: int, col: int, n: int, e: Entry) -> set[str]:
    """The person a name in a list or a merge is, as the counts hold."""
    reading = planner.reading
    mention = Mention(tab, index, col, n, e.name, e.institution, e)
    if mention in reading.keys:
        return {reading.group(mention)}
    if tab == planner.places.merges_tab:
        return {reading.people.resolve(person_key(e.name, e.institution, ""))}
    return set()


def _merges(planner: Planner, people: set[str], listed: dict[tuple[str, int, int], set[str]]) -> None:
    """A merge joining their spellings names them twice: both names go."""
    merges = planner.places.merges_tab
    tab = planner.tabs.get(merges, Tab(merges))
    where = [(c, col) for c, col in located(tab, planner.columns.get(merges, [])) if c.kind == NAMES]
    for i, row in enumerate(tab.rows):
        for column, col in where:
            for n, e in enumerate(planner.names_in(tab, row, column, cell(row, col))):
                if _group(planner, merges, i, col, n, e) & people:
                    listed[(merges, i, col)].add(normalise_name(e.name))


def _removals(planner: Planner, groups: Mapping[tuple[str, int], set[str]],
              listed: Mapping[tuple[str, int, int], set[str]], found: Found) -> None:
    names: dict[str, str] = {}
    for (tab_name, index), whose in groups.items():
        tab = planner.waiting[tab_name] if index < 0 else planner.tabs[tab_name]
        row = row_of(tab, index)
        for column, col in located(tab, planner.columns.get(tab_name, [])):
            if column.group in whose and holds_personal_data(cell(row, col), column.kind):
                found.removals.append(Removal(tab_name, index, column, col))
                if _names_someone(column):
                    names.setdefault(normalise_name(cell(row, col)), clean_text(cell(row, col)))
    for (tab_name, index, col), gone in listed.items():
        tab = planner.waiting[tab_name] if index < 0 else planner.tabs[tab_name]
        column = next(c for c, at in located(tab, planner.columns.get(tab_name, [])) if at == col)
        found.removals.append(Removal(tab_name, index, column, col, frozenset(gone)))
    found.names = sorted(names.values(), key=str.casefold)


def _mentions(planner: Planner, match: Matcher, found: Found, other_tabs: Mapping[str, Tab]) -> None:
    going = {(r.tab, r.index, r.col) for r in found.removals}
    for tab_name, rows in tab_index({**planner.tabs, **other_tabs}, planner.waiting).items():
        for index, tab in rows:
            for col, text in enumerate(row_of(tab, index)):
                if (tab_name, index, col) not in going and col < len(tab.header) and match.anywhere_in(str(text)):
                    found.mentions.append((tab_name, index, str(tab.header[col])))
