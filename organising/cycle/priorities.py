"""From listening to priorities: the issues raised across all 1:1s rolled
up by category (and area), the coordinators' scores, and the shortlist for
the Issues Workshop.

A 1:1 that raises two issues counts once for each. Scores are append-only:
the newest row for an issue (and area) is its score, and a row whose score
cannot be read is reported and never replaces a good one.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from array import array
from dataclasses import dataclass, fields
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..forms.spec import OTHER, Form
from ..cells import CellProblem, Parsed, parse_count
from ..counting.rows import form_rows
from ..sheets import KeepsWorkedOut, Tab, kept, worked_out

ALL_AREAS = ""
SCORE_COLUMNS = ("lives_affected", "depth", "winnability")


@dataclass(frozen=True, slots=True)
class Mention:
    """One 1:1, as far as its issues go: no names or contact details."""
    row: int
    date: dt.date | None
    area: str
    issues: tuple[str, ...]
    people_affected: int | None
    depth: str | None
    said: str
    ideas: str


_FIELDS = tuple(f.name for f in fields(Mention))


class Mentions(Sequence[Mention], KeepsWorkedOut):
    """The mentions from one read of the tab, held column by column (a list
    per field, the rows as machine integers: an object per 1:1 took twice
    the memory), each made a Mention when asked for; and the rollups of them
    (kept)."""

    def __init__(self) -> None:
        self._columns: dict[str, Any] = {name: array("q") if name == "row" else [] for name in _FIELDS}
        self._derived = {}

    def append(self, mention: Mention) -> None:
        for name, column in self._columns.items():
            column.append(getattr(mention, name))

    def column(self, name: str) -> Sequence[Any]:
        """Every mention's `name` (a field of Mention), in order."""
        return self._columns[name]

    def __len__(self) -> int:
        return len(self._columns["row"])

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        return Mention(*(column[k] for column in self._columns.values()))


def read_mentions(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> Mentions:
    """Each 1:1 that raised an issue; one whose issues cannot be read is
    listed. Worked out once per read of the tab (the list is shared)."""
    return worked_out(tabs.get(form.tab, Tab(form.tab)), ("mentions", form), problems,
                      lambda found: _read_mentions(tabs, form, found))


def _read_mentions(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> Mentions:
    mentions = Mentions()
    for cells in form_rows(tabs, form, ["issue_categories"], problems):
        named = cells.read("issue_categories", required=True) or ()
        other = cells.other("issue_categories")
        # The tuple read from the cell, shared by every row alike, unless an Other answer is spelt out.
        issues = named if type(named) is tuple and OTHER not in named else \
            tuple(f"{OTHER}: {other}" if issue == OTHER and other else issue for issue in named)
        if not issues:
            cells.leave_out()
            continue
        mentions.append(Mention(
            cells.row, cells.read("conversation_date"),
            cells.read("participant_area") or cells.text("participant_area"),
            issues, cells.read("people_affected"), cells.read("impact_depth"),
            cells.text("what_they_said"), cells.text("ideas"),
        ))
    return mentions


def _exploded(mentions: Mentions, depths: list[str], by_area: bool) -> pd.DataFrame:
    """One line per (1:1, issue raised), built column by column: the issue,
    area and depth as categories (a code per line, not a text), people
    affected as a number, and whether an idea was given."""
    raised = mentions.column("issues")
    line = np.repeat(np.arange(len(mentions)), list(map(len, raised)))  # each line's 1:1
    area = pd.Categorical(mentions.column("area") if by_area else [ALL_AREAS] * len(mentions))
    affected = pd.to_numeric(pd.Series(mentions.column("people_affected"), dtype=object), errors="coerce")
    return pd.DataFrame({"issue": pd.Categorical([issue for issues in raised for issue in issues]),
                         "area": area.take(line),
                         "people_affected": affected.to_numpy()[line],
                         "depth": pd.Categorical(mentions.column("depth"), categories=depths).take(line),
                         "idea": np.array([idea != "" for idea in mentions.column("ideas")], bool)[line]})


def rollup(mentions: Mentions, depths: list[str], by_area: bool = False) -> pd.DataFrame:
    """Per issue (and area): 1:1s raising it, people affected (sum and
    median of the estimates given), 1:1s at each depth of impact, and how
    many gave an idea. Most-raised first. Kept with the mentions of a read
    (the table is shared: do not change it)."""
    return kept(mentions, ("rollup", tuple(depths), by_area), lambda: _rollup(mentions, depths, by_area))


def _rollup(mentions: Mentions, depths: list[str], by_area: bool) -> pd.DataFrame:
    frame = _exploded(mentions, depths, by_area)
    keys = ["issue", "area"]
    groups = frame.groupby(keys, observed=True)
    table = groups.size().rename("1:1s").to_frame()
    table["People affected (sum)"] = groups["people_affected"].sum(min_count=1)
    table["People affected (median)"] = groups["people_affected"].median()
    by_depth = frame.groupby([*keys, "depth"], observed=True).size().unstack("depth", fill_value=0)
    table = table.join(by_depth.reindex(columns=depths, fill_value=0)).fillna({depth: 0 for depth in depths})
    table = table.astype({depth: int for depth in depths})
    table["Ideas"] = groups["idea"].sum()
    table = table.reset_index().astype({"issue": str, "area": str})
    return table.sort_values(["1:1s", "issue", "area"], ascending=[False, True, True], ignore_index=True)


def raising(mentions: Mentions, issue: str, area: str = ALL_AREAS) -> list[int]:
    """The positions of the mentions raising `issue` (in `area`, unless all
    areas). Kept with the mentions of a read: the page's area choices, ideas
    and stories all ask it (the list is shared: do not change it)."""
    return kept(mentions, ("raising", issue, area), lambda: [
        k for k, (issues, place) in enumerate(zip(mentions.column("issues"), mentions.column("area")))
        if issue in issues and area in (ALL_AREAS, place)])


def ideas(mentions: Mentions, issue: str, area: str = ALL_AREAS) -> pd.DataFrame:
    """The ideas people gave for an issue, each once, with how often."""
    given = mentions.column("ideas")
    found = Counter(given[k] for k in raising(mentions, issue, area) if given[k])
    return pd.DataFrame(found.most_common(), columns=["Idea", "Times given"])


def stories(mentions: Mentions, issue: str, area: str = ALL_AREAS) -> pd.DataFrame:
    """What people said about an issue, newest first, without names: for
    coordinators preparing the Issues Workshop, never for trustees."""
    dates, rows = mentions.column("date"), mentions.column("row")
    picked = sorted(raising(mentions, issue, area), key=lambda k: (dates[k] or dt.date.min, rows[k]), reverse=True)
    shown = {"Date": "date", "Area": "area", "What they said": "said", "Their ideas": "ideas",
             "People affected": "people_affected", "Depth": "depth", "Sheet row": "row"}
    return pd.DataFrame({title: [mentions.column(name)[k] for k in picked] for title, name in shown.items()},
                        columns=list(shown))


@dataclass(frozen=True)
class Score:
    row: int
    issue: str
    area: str
    lives_affected: int
    depth: int
    winnability: int
    shortlisted: bool
    reason: str

    @property
    def total(self) -> int:
        return self.lives_affected + self.depth + self.winnability


def _parse_score(cell) -> Parsed:
    parsed = parse_count(cell)
    if parsed.value is not None and not 1 <= parsed.value <= 5:
        return Parsed(problem=f"'{parsed.value}' is not a score from 1 to 5")
    return parsed


def latest_scores(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> dict[tuple[str, str], Score]:
    """(issue, area) -> its newest readable score; area "" is all areas."""
    scores: dict[tuple[str, str], Score] = {}
    for cells in form_rows(tabs, form, ["issue"], problems):
        issue = cells.read("issue", required=True)
        area = cells.read("area") or ALL_AREAS
        numbers = {column: cells.parse(column, _parse_score, required=True) for column in SCORE_COLUMNS}
        shortlisted = cells.read("shortlisted")
        if cells.reported:  # a row with any unreadable cell never replaces a good score
            cells.leave_out()
            continue
        scores[(issue, area)] = Score(cells.row, issue, area, **numbers, shortlisted=shortlisted == "yes",
                                      reason=cells.text("reason"))
    return scores


def with_scores(table: pd.DataFrame, scores: Mapping[tuple[str, str], Score]) -> pd.DataFrame:
    """The rollup with each row's score (blank where unscored), best first."""
    table = table.copy()
    found = [scores.get((i, a)) for i, a in zip(table["issue"], table["area"])]
    table["Lives"] = [s.lives_affected if s else None for s in found]
    table["Depth"] = [s.depth if s else None for s in found]
    table["Winnability"] = [s.winnability if s else None for s in found]
    table["Score"] = [s.total if s else None for s in found]
    table["Shortlisted"] = [bool(s and s.shortlisted) for s in found]
    return table.sort_values(["Score", "1:1s"], ascending=False, na_position="last", ignore_index=True)


def shortlist(mentions: Mentions, depths: list[str], scores: Mapping[tuple[str, str], Score]) -> pd.DataFrame:
    """Issues shortlisted for the Issues Workshop, highest score first."""
    both = pd.concat([rollup(mentions, depths), rollup(mentions, depths, by_area=True)], ignore_index=True)
    scored = with_scores(both, scores)
    return scored[scored["Shortlisted"]].drop(columns="Shortlisted").reset_index(drop=True)
