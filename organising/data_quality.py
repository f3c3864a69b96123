"""Every row the app could not use, from every tab it reads, in one list.

Each page reads its tabs with its own reader and shows what it could not
read on that page. Here every reader runs once over the same tabs and their
problems are gathered: the same cell with the same reason is listed once,
however many readers met it, with what it is left out of. Only the rows
left out of the funder figures are the ones the dashboard's and the funder
report's "rows could not be read" count.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import pandas as pd

from .access.team import TEAM_FORM, read_team
from .cycle.campaigns import read_campaigns, read_power_holders
from .config import ROLES, AppConfig
from .cycle.evaluation import read_evaluations
from .cycle.forums import read_meetings
from .cycle.institutions import activity, read_register
from .cycle.leaders import build_pipeline
from .counting.metrics import compute_report, read_attendance, read_events, rows_left_out
from .cells import CellProblem
from .cycle.pledges import read_pledges
from .cycle.priorities import latest_scores, read_mentions
from .sheets import Tab

FUNDER_FIGURES = "Funder figures"
PROBLEM_COLUMNS = ["Tab", "Sheet row", "Column", "Cell", "Reason"]
LEFT_OUT_OF = "Left out of"

Tabs = Mapping[str, Tab]


@dataclass(frozen=True)
class Unreadable(CellProblem):
    """A cell no reader could use, and what its row is left out of."""
    left_out_of: tuple[str, ...] = ()


def _funder_figures(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    for programme in config.programmes.values():  # programmes may count different tabs
        problems.extend(compute_report(programme, tabs, config.aliases, today).problems)


def _institutions(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_register(tabs, config.forms["institutions"], problems)
    activity(tabs, config.forms["listening"], config.aliases, problems)


def _priorities(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_mentions(tabs, config.forms["listening"], problems)
    latest_scores(tabs, config.forms["issue_scores"], problems)


def _campaigns(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    campaigns = read_campaigns(tabs, config.forms["campaigns"], problems)
    read_power_holders(tabs, config.forms["power_holders"], campaigns, problems)


def _pledges(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_pledges(tabs, config.forms, problems)


def _events(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    events = read_events(tabs, config.aliases, problems)
    read_evaluations(tabs, config.aliases, events, problems)
    read_attendance(tabs, config.aliases, events, problems)


def _forums(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_meetings(tabs, config.forms["forum_meeting"], problems)


def _leaders(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    problems.extend(build_pipeline(tabs, config.aliases, config.forms["leader_role"]).problems)


def _team(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_team(tabs, config.forms[TEAM_FORM], ROLES, problems)


# What each reader feeds, named as a coordinator finds it in the menu.
READERS: dict[str, Callable[[AppConfig, Tabs, dt.date, list[CellProblem]], None]] = {
    FUNDER_FIGURES: _funder_figures,
    "Member institutions": _institutions,
    "Priorities": _priorities,
    "Campaigns and power analysis": _campaigns,
    "Pledges": _pledges,
    "Events": _events,
    "CAG forums": _forums,
    "Leader pipeline": _leaders,
    "Sign-in roles (Team)": _team,
}


def all_problems(config: AppConfig, tabs: Tabs, today: dt.date) -> list[Unreadable]:
    """Every cell any reader could not use: each tab, row, column and
    reason once, sorted by tab and then sheet row."""
    found: dict[tuple[str, int, str, str], CellProblem] = {}
    readers: dict[tuple[str, int, str, str], list[str]] = defaultdict(list)
    for name, read in READERS.items():
        problems: list[CellProblem] = []
        read(config, tabs, today, problems)
        for p in problems:
            key = (p.tab, p.row, p.column, p.reason)
            found.setdefault(key, p)
            if name not in readers[key]:
                readers[key].append(name)
    gathered = [Unreadable(p.tab, p.row, p.column, p.value, p.reason, tuple(readers[key]))
                for key, p in found.items()]
    return sorted(gathered, key=lambda p: (p.tab.casefold(), p.row))


def funder_rows_left_out(problems: Sequence[Unreadable]) -> int:
    """Rows the funder figures left out: the count the dashboard and the
    funder report give."""
    return rows_left_out([p for p in problems if FUNDER_FIGURES in p.left_out_of])


def rows_by_tab(problems: Sequence[CellProblem]) -> dict[str, int]:
    """Tab -> how many of its sheet rows have a problem (the header counts
    as a row), in the order of `problems`."""
    rows: dict[str, set[int]] = {}
    for p in problems:
        rows.setdefault(p.tab, set()).add(p.row)
    return {tab: len(found) for tab, found in rows.items()}


def problems_table(problems: Sequence[CellProblem]) -> pd.DataFrame:
    """One line per unreadable cell, as every page shows them."""
    return pd.DataFrame([[p.tab, p.row, p.column, p.value, p.reason] for p in problems], columns=PROBLEM_COLUMNS)


def quality_table(problems: Sequence[Unreadable]) -> pd.DataFrame:
    """problems_table with what each row is left out of."""
    return problems_table(problems).assign(**{LEFT_OUT_OF: [", ".join(p.left_out_of) for p in problems]})
