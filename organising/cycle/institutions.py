"""The register of member institutions, and what each one does in the
alliance: 1:1s its people held or gave, potential leaders spotted among
its people, and its turnout at events.

Names are matched normalised (case and spacing do not matter), so "St
Aidan's church " on a sign-in sheet is St Aidan's Church on the register.
Names found in the activity but not on the register are listed, so a
coordinator can add the institution or fix the spelling.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from ..forms.spec import Form
from ..counting.metrics import Forms, read_events, sign_ins
from ..cells import CellProblem, clean_text
from ..counting.people import normalise_name, read_merges
from ..counting.rows import form_rows
from ..sheets import Tab, worked_out


@dataclass(frozen=True)
class Institution:
    row: int
    name: str
    type: str
    area: str
    lead_contact: str
    joined: dt.date | None
    dues: str


def read_register(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> list[Institution]:
    """The register, one entry per name; a blank or repeated name is reported."""
    register: list[Institution] = []
    first_row: dict[str, int] = {}
    for cells in form_rows(tabs, form, ["name"], problems):
        name = cells.text("name")
        if not name:
            cells.report("name", "the institution has no name")
            continue
        key = normalise_name(name)
        if key in first_row:
            cells.report("name", f"'{name}' is already on the register (row {first_row[key]})")
            continue
        first_row[key] = cells.row
        register.append(Institution(
            cells.row, name, cells.read("institution_type") or "", cells.read("area") or cells.text("area"),
            cells.text("lead_contact"), cells.read("joined_date"), cells.read("dues_status") or "",
        ))
    return register


@dataclass
class _Activity:
    spellings: Counter
    one_to_ones: int = 0
    leaders: int = 0
    turnout: set | None = None


def activity(tabs: Mapping[str, Tab], forms: Forms, problems: list[CellProblem]) -> dict[str, _Activity]:
    """Normalised institution name -> its 1:1s, potential leaders and the
    distinct (event, person) pairs it brought: events and people matched as
    the funder figures match them (merges and person ids honoured, a
    sign-in matching no event reported, not counted). Worked out once per
    shared read (shared: do not change it)."""
    return worked_out(tabs, ("activity", *forms.values()), problems, lambda found: _activity(tabs, forms, found))


def _activity(tabs: Mapping[str, Tab], forms: Forms, problems: list[CellProblem]) -> dict[str, _Activity]:
    found: dict[str, _Activity] = defaultdict(lambda: _Activity(Counter(), turnout=set()))
    for cells in form_rows(tabs, forms["listening"], [], problems):
        names = {normalise_name(cells.text(c)): cells.text(c)
                 for c in ("listener_institution", "participant_institution") if cells.text(c)}
        for key, name in names.items():
            found[key].spellings[name] += 1
            found[key].one_to_ones += 1
        theirs = normalise_name(cells.text("participant_institution"))
        if theirs and cells.read("potential_leader") == "yes":
            found[theirs].leaders += 1
    people = read_merges(tabs, forms["person_merge"], problems)
    events = read_events(tabs, forms, problems)
    for record, event, person in sign_ins(tabs, forms, events, problems, people):
        name = clean_text(record.get("institution"))
        if name:
            found[normalise_name(name)].spellings[name] += 1
            found[normalise_name(name)].turnout.add((event, person))
    return dict(found)  # shared: reading a missing name must not add it


def register_table(register: list[Institution], found: Mapping[str, _Activity]) -> pd.DataFrame:
    """The register with each institution's 1:1s, potential leaders and turnout."""
    rows = []
    for inst in register:
        act = found.get(normalise_name(inst.name))
        rows.append({"Institution": inst.name, "Type": inst.type, "Area": inst.area, "Lead contact": inst.lead_contact,
                     "Joined": inst.joined, "Dues": inst.dues, "1:1s": act.one_to_ones if act else 0,
                     "Potential leaders": act.leaders if act else 0,
                     "Turnout": len(act.turnout) if act else 0, "Sheet row": inst.row})
    return pd.DataFrame(rows, columns=["Institution", "1:1s", "Potential leaders", "Turnout", "Type", "Area", "Dues",
                                       "Lead contact", "Joined", "Sheet row"])


def not_on_register(register: list[Institution], found: Mapping[str, _Activity]) -> pd.DataFrame:
    """Institutions named in 1:1s or at sign-in that the register lacks,
    most active first, under their most common spelling."""
    known = {normalise_name(i.name) for i in register}
    rows = [{"Name in the records": act.spellings.most_common(1)[0][0], "1:1s": act.one_to_ones,
             "Potential leaders": act.leaders, "Turnout": len(act.turnout)}
            for key, act in found.items() if key not in known]
    table = pd.DataFrame(rows, columns=["Name in the records", "1:1s", "Potential leaders", "Turnout"])
    return table.sort_values(["1:1s", "Turnout", "Name in the records"], ascending=[False, False, True],
                             ignore_index=True)
