"""Who is who across tabs.

A person is matched by an id when a row has one (a `person_id` column a
coordinator may add), otherwise by their name and institution with case and
spacing ignored. Anything looser (initials, an institution spelled another
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

_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise_name(text: Any) -> str:
    """How names are matched across tabs: case and spacing do not matter."""
    return _normalised(text) if isinstance(text, str) else " ".join(clean_text(text).casefold().split())


@lru_cache(maxsize=65536)
def _normalised(text: str) -> str:
    # A sheet repeats the same names and institutions on thousands of rows.
    return " ".join(clean_text(text).casefold().split())


def person_key(name: str, institution: str, fallback: str, person_id: str = "") -> str:
    """The same person, however their name was spaced or capitalised; a row
    with a person id is that id; a row with no name is only itself."""
    if clean_text(person_id):
        return f"pid:{normalise_name(person_id)}"
    name = normalise_name(name)
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
        keep = person_key(record.get("keep_name", ""), record.get("keep_institution", ""), "")
        merge = person_key(record.get("merge_name", ""), record.get("merge_institution", ""), "")
        if keep.startswith("id:") or merge.startswith("id:"):
            column = "keep_name" if keep.startswith("id:") else "merge_name"
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
