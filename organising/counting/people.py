"""Who is who across tabs.

A person is matched by an id when a row has one (a `person_id` column a
coordinator may add, or a pseudonym the privacy tools wrote when they blanked
the name), otherwise by their name and institution with case and spacing
ignored; a name that is a pseudonym (anon-…) is that id. Anything looser (initials, an institution spelled another
way) is only offered as a possible duplicate: the same person counts as one
only after a coordinator records a merge in the "Person merges" tab, which
every count then honours. Nothing is ever merged silently.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..cells import CellProblem, clean_text
from ..forms.spec import Form
from ..sheets import Tab
from .unique import unique_records

PERSON_ID = "person_id"
# Where people are named, for counting them (and for blanking a name without
# changing a count), by form id: the forms' tabs may be called anything.
# Rows that are one person each: (name, institution).
PERSON_ROWS = {"attendance": ("attendee_name", "institution"),
               "listening": ("participant_name", "participant_institution"),
               "leader_role": ("person_name", "institution")}
# Cells listing several people, "Amina Adeyemi (St Aidan's), Ben Jones".
NAME_LISTS = {"evaluation": ("testimony_by", "chaired_by"), "forum_meeting": ("attendees",)}
# The form recording that two ways of writing a name are one person, and its
# two people as (name, institution) columns.
MERGE_FORM = "person_merge"
MERGE_NAMES = (("keep_name", "keep_institution"), ("merge_name", "merge_institution"))


@dataclass(frozen=True)
class NamedPlaces:
    """The same tables by tab name, for code that walks the tabs."""
    person_rows: dict[str, tuple[str, str]]
    name_lists: dict[str, tuple[str, ...]]
    merges_tab: str


def named_places(forms: Mapping[str, Form]) -> NamedPlaces:
    return NamedPlaces({forms[f].tab: columns for f, columns in PERSON_ROWS.items() if f in forms},
                       {forms[f].tab: columns for f, columns in NAME_LISTS.items() if f in forms},
                       forms[MERGE_FORM].tab)


# A random id standing for someone whose name was blanked: nothing in it comes from the person.
_PSEUDONYM = re.compile(r"^anon-[0-9a-f]{10}$")
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise_name(text: Any) -> str:
    """How names are matched across tabs: case and spacing do not matter."""
    return _normalised(text) if isinstance(text, str) else _folded(text)


def _folded(text: Any) -> str:
    return " ".join(clean_text(text).casefold().split())


@lru_cache(maxsize=65536)
def _normalised(text: str) -> str:
    # A sheet repeats the same names and institutions on thousands of rows.
    return _folded(text)


def is_pseudonym(text: Any) -> bool:
    # Not through normalise_name's cache: this is asked of every personal
    # cell (stories, contacts), each different, which would fill the cache
    # (14 MB at 100,000 1:1s) with texts never asked again.
    return bool(_PSEUDONYM.match(_folded(text)))


def person_key(name: str, institution: str, fallback: str, person_id: str = "") -> str:
    """The same person, however their name was spaced or capitalised; a row
    with a person id (or a pseudonym for a name) is that id; a row with no
    name is only itself."""
    if clean_text(person_id):
        return f"pid:{normalise_name(person_id)}"
    name = normalise_name(name)
    if _PSEUDONYM.match(name):
        return f"pid:{name}"
    return f"{name}|{normalise_name(institution)}" if name else f"id:{fallback}"


def _loose(text: str) -> str:
    """Spelling-proof form for spotting possible duplicates only: no
    punctuation, no "the", "st." and "saint" alike."""
    words = _PUNCTUATION.sub("", normalise_name(text).replace("saint ", "st ")).split()
    return " ".join(w for w in words if w != "the")


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    institution: str


@dataclass(frozen=True)
class PossibleDuplicate:
    keep: Person
    merge: Person
    reason: str


class People:
    """Person keys with coordinators' merges applied, and the name each key
    was first seen with (for showing, never for matching)."""

    def __init__(self) -> None:
        self._merges: dict[str, str] = {}
        self.seen: dict[str, Person] = {}

    def merge(self, keep: str, merge: str) -> None:
        """From now on `merge` is the same person as `keep`."""
        root, merged = self.resolve(keep), self.resolve(merge)
        if root != merged:  # joining two roots never makes a loop
            self._merges[merged] = root

    def resolve(self, key: str) -> str:
        visited = {key}
        while key in self._merges and self._merges[key] not in visited:
            key = self._merges[key]
            visited.add(key)
        return key

    def key(self, name: str, institution: str, fallback: str, person_id: str = "") -> str:
        raw = person_key(name, institution, fallback, person_id)
        if raw not in self.seen:
            self.seen[raw] = Person(raw, clean_text(name), clean_text(institution))
        return self.resolve(raw)

    def named(self, name: str, institution: str, fallback: str) -> str:
        """Someone named in a list rather than on a row of their own: with no
        institution given, the one person seen with that name (if only one)."""
        return (self.unique_by_name(name) if not institution else None) or self.key(name, institution, fallback)

    def unique_by_name(self, name: str) -> str | None:
        """The one person seen with this name, if only one (for lists of names
        typed without institutions)."""
        wanted = normalise_name(name)
        found = {self.resolve(k) for k, p in self.seen.items() if normalise_name(p.name) == wanted}
        return found.pop() if len(found) == 1 else None

    def written(self) -> dict[str, list[Person]]:
        """Each person (merges applied) -> every way they were written, in the
        order first seen: built once, for showing many people."""
        found: dict[str, list[Person]] = defaultdict(list)
        for raw, person in self.seen.items():
            found[self.resolve(raw)].append(person)
        return found

    def merged_names(self, key: str, written: Mapping[str, Sequence[Person]] | None = None) -> list[str]:
        """Every way a merged person was written, for showing what was merged
        (`written`: self.written(), when asking for many people)."""
        return sorted({f"{p.name} ({p.institution})" if p.institution else p.name
                       for p in (self.written() if written is None else written).get(key, ()) if p.name})


def read_merges(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> People:
    """People with the merges recorded in the person merge form's tab
    (applied in sheet order, each joining the two people's groups); a row
    without both names is reported, not applied."""
    tab = tabs.get(form.tab, Tab(form.tab))
    people = People()
    for row, record in unique_records(tab, form.aliases, [], problems):
        keep, merge = (person_key(record.get(name, ""), record.get(institution, ""), "")
                       for name, institution in MERGE_NAMES)
        if keep.startswith("id:") or merge.startswith("id:"):
            column = MERGE_NAMES[0][0] if keep.startswith("id:") else MERGE_NAMES[1][0]
            problems.append(CellProblem(form.tab, row, column, "", "a merge needs both names"))
            continue
        people.merge(keep, merge)
    return people


def _initials_match(short: Sequence[str], full: Sequence[str]) -> bool:
    """"A. Adeyemi" or "A Adeyemi" is possibly "Amina Adeyemi" (both as
    _loose words)."""
    return (len(short) == len(full) >= 2 and short != full and short[-1] == full[-1]
            and all(x == y or (len(x) == 1 and y.startswith(x)) for x, y in zip(short[:-1], full[:-1])))


def _similar(a: str, b: str) -> bool:
    """Two _loose spellings of one institution, possibly."""
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def possible_duplicates(people: Iterable[Person]) -> list[PossibleDuplicate]:
    """Pairs a coordinator may want to merge: the same name at an
    institution spelled differently (or not given), or initials for a first
    name at the same institution. The fuller spelling is offered as the one to keep.

    Both kinds share a surname, so only people with the same surname are
    compared, and institutions only when the names match: thousands of
    people take a moment, not minutes."""
    people = sorted(people, key=lambda p: (-len(p.name), -len(p.institution), p.key))
    by_surname: dict[str, list[tuple[int, list[str], str]]] = defaultdict(list)
    for i, person in enumerate(people):
        words = _loose(person.name).split()
        by_surname[words[-1] if words else ""].append((i, words, _loose(person.institution)))
    found = []
    for group in by_surname.values():
        for n, (i, keep_name, keep_place) in enumerate(group):
            for j, merge_name, merge_place in group[n + 1:]:
                keep, merge = people[i], people[j]
                if keep_name == merge_name:
                    if not merge.institution or not keep.institution:
                        reason = "same name, institution not given on one"
                    elif _similar(keep_place, merge_place):
                        reason = "same name, institution spelled differently"
                    else:
                        continue
                elif _initials_match(merge_name, keep_name) and _similar(keep_place, merge_place):
                    reason = "initials for the first name"
                else:
                    continue
                found.append((i, j, PossibleDuplicate(keep, merge, reason)))
    return [duplicate for *_, duplicate in sorted(found, key=lambda f: f[:2])]
