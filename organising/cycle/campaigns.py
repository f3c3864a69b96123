"""Campaigns with SMART goals, and the power analysis behind each: who
can say yes, what they care about, and how well we know them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from ..forms.spec import Form
from ..cells import CellProblem
from ..counting.rows import form_rows
from ..sheets import Tab

SMART = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass(frozen=True)
class Campaign:
    id: str
    row: int
    title: str
    issue: str
    goal: dict[str, str]         # the five SMART fields as typed
    deadline: dt.date | None     # time-bound, read
    team: str
    approved_at: str
    status: str

    @property
    def missing(self) -> list[str]:
        """SMART fields left blank (a row typed straight into the sheet)."""
        return [part for part in SMART if not self.goal[part]]


def read_campaigns(tabs: Mapping[str, Tab], form: Form, problems: list[CellProblem]) -> list[Campaign]:
    campaigns = []
    for cells in form_rows(tabs, form, ["title"], problems):
        if not cells.text("title"):
            cells.report("title", "the campaign has no name")
            continue
        campaigns.append(Campaign(
            cells.id, cells.row, cells.text("title"),
            cells.read("issue") or cells.text("issue"),
            {part: cells.text(part) for part in SMART},
            cells.read("time_bound"),
            cells.text("team"), cells.text("approved_at"),
            cells.read("status") or "",
        ))
    return campaigns


@dataclass(frozen=True)
class PowerHolder:
    id: str
    row: int
    name: str
    role: str
    organisation: str
    campaign_id: str
    interests: str
    relationship: str
    meetings: int | None

    @property
    def label(self) -> str:
        return f"{self.name}, {self.role} ({self.organisation})"


def read_power_holders(tabs: Mapping[str, Tab], form: Form, campaigns: list[Campaign],
                       problems: list[CellProblem]) -> list[PowerHolder]:
    titles = {c.id: c.title for c in campaigns}
    holders = []
    for cells in form_rows(tabs, form, ["name"], problems):
        if not cells.text("name"):
            cells.report("name", "the power-holder has no name")
            continue
        holders.append(PowerHolder(
            cells.id, cells.row, cells.text("name"), cells.text("role"), cells.text("organisation"),
            cells.linked("campaign_id", "campaign", titles, "campaign"), cells.text("interests"),
            cells.read("relationship") or "", cells.read("meetings_held"),
        ))
    return holders


def campaign_table(campaigns: list[Campaign], holders: list[PowerHolder], as_of: dt.date) -> pd.DataFrame:
    """One line per campaign: its goal, deadline, status and power-holders."""
    rows = []
    for c in campaigns:
        mine = [h.name for h in holders if h.campaign_id == c.id]
        rows.append({"Campaign": c.title, "Issue": c.issue, "Specific": c.goal["specific"],
                     "Measurable": c.goal["measurable"], "Won by": c.deadline,
                     "Days left": (c.deadline - as_of).days if c.deadline else None, "Status": c.status,
                     "Approved at": c.approved_at, "Power-holders": ", ".join(mine),
                     "SMART parts missing": ", ".join(c.missing), "Sheet row": c.row})
    return pd.DataFrame(rows, columns=["Campaign", "Status", "Won by", "Days left", "Issue", "Power-holders",
                                       "Approved at", "Specific", "Measurable", "SMART parts missing", "Sheet row"]).astype({"Days left": "Int64"})


def power_table(holders: list[PowerHolder], campaigns: list[Campaign]) -> pd.DataFrame:
    """The power analysis: one line per power-holder, by campaign."""
    titles = {c.id: c.title for c in campaigns}
    rows = [{"Campaign": titles.get(h.campaign_id, "(no campaign)"), "Power-holder": h.name, "Role": h.role,
             "Organisation": h.organisation, "Cares about": h.interests, "Relationship": h.relationship,
             "Meetings held": h.meetings, "Sheet row": h.row} for h in holders]
    table = pd.DataFrame(rows, columns=["Campaign", "Power-holder", "Role", "Organisation", "Cares about",
                                        "Relationship", "Meetings held", "Sheet row"])
    return table.sort_values(["Campaign", "Power-holder"], ignore_index=True)
