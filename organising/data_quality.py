"""Every row the app could not use, from every tab it reads, in one list.

Each page reads its tabs with its own reader and shows what it could not
read on that page. Here every reader runs once over the same tabs and their
problems are gathered: the same cell with the same reason is listed once,
however many readers met it, with what it is left out of. Only the rows
left out of the funder figures are the ones the dashboard's and the funder
report's "rows could not be read" count.

Rows are conserved: every row of a tab that holds anything is either
counted by every page that reads it, or left out of some page and listed
here with its sheet row and why (a second copy of a submission, a date or
a choice nobody can read, a missing column). tab_counts gives, per tab,
rows read = counted + listed; tests/test_conservation.py checks it against
what each reader actually counted, on generated messy sheets.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import pandas as pd

from .cycle.campaigns import read_campaigns, read_power_holders
from .config import AppConfig
from .cycle.evaluation import read_evaluations
from .cycle.forums import read_meetings, read_signups
from .cycle.institutions import activity, read_register
from .cycle.leaders import build_pipeline
from .counting.metrics import compute_report, read_attendance, read_events, rows_left_out
from .counting.unique import data_rows
from .cells import CellProblem
from .cycle.pledges import read_pledges
from .cycle.priorities import latest_scores, read_mentions
from .reporting.dashboard import listening_frame, signups_by_area
from .sheets import Tab

FUNDER_FIGURES = "Funder figures"
PROBLEM_COLUMNS = ["Tab", "Sheet row", "Column", "Cell", "Reason"]
LEFT_OUT_OF = "Left out of"

Tabs = Mapping[str, Tab]


@dataclass(frozen=True)
class Unreadable(CellProblem):
    """A cell no reader could use, and what its row is left out of (nothing
    when every reader that met it still counts the row without this cell)."""
    left_out_of: tuple[str, ...] = ()


IGNORED = "nothing: the row counts without this cell"


def _funder_figures(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    for programme in config.programmes.values():  # programmes may count different tabs
        problems.extend(compute_report(programme, tabs, config.forms, today).problems)


def _dashboard(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    listening, signups = config.forms["listening"], config.forms["cag_signup"]
    listening_frame(tabs.get(listening.tab, Tab(listening.tab)), listening, problems)
    signups_by_area(tabs.get(signups.tab, Tab(signups.tab)), signups, problems)


def _institutions(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_register(tabs, config.forms["institutions"], problems)
    activity(tabs, config.forms, problems)


def _priorities(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_mentions(tabs, config.forms["listening"], problems)
    latest_scores(tabs, config.forms["issue_scores"], problems)


def _campaigns(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    campaigns = read_campaigns(tabs, config.forms["campaigns"], problems)
    read_power_holders(tabs, config.forms["power_holders"], campaigns, problems)


def _pledges(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_pledges(tabs, config.forms, problems)


def _events(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    events = read_events(tabs, config.forms, problems)
    read_evaluations(tabs, config.forms, events, problems)
    read_attendance(tabs, config.forms, events, problems)


def _forums(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    read_meetings(tabs, config.forms["forum_meeting"], problems)
    read_signups(tabs, config.forms["cag_signup"], problems)


def _leaders(config: AppConfig, tabs: Tabs, today: dt.date, problems: list[CellProblem]) -> None:
    problems.extend(build_pipeline(tabs, config.forms).problems)


# What each reader feeds, named as a coordinator finds it in the menu.
READERS: dict[str, Callable[[AppConfig, Tabs, dt.date, list[CellProblem]], None]] = {
    FUNDER_FIGURES: _funder_figures,
    "Dashboard": _dashboard,
    "Member institutions": _institutions,
    "Priorities": _priorities,
    "Campaigns and power analysis": _campaigns,
    "Pledges": _pledges,
    "Events": _events,
    "CAG forums": _forums,
    "Leader pipeline": _leaders,
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
            if p.left_out and name not in readers[key]:
                readers[key].append(name)
    gathered = [Unreadable(p.tab, p.row, p.column, p.value, p.reason, bool(readers[key]), tuple(readers[key]))
                for key, p in found.items()]
    return sorted(gathered, key=lambda p: (p.tab.casefold(), p.row))


@dataclass(frozen=True)
class TabCount:
    """What became of one tab's rows."""
    tab: str
    read: int      # rows below the header holding anything
    counted: int   # rows every page that reads the tab counts
    listed: int    # rows left out of some page, each listed with why
    ignored: int   # counted rows with a cell left unread (listed too; the rest of the row counts)


def tab_counts(config: AppConfig, tabs: Tabs, problems: Sequence[Unreadable]) -> list[TabCount]:
    """Rows read, counted and listed for every tab the app reads: read is
    always counted + listed."""
    counts = []
    for name in config.tabs:
        mine = [p for p in problems if p.tab == name]
        read = data_rows(tabs.get(name, Tab(name)))
        left_out = {p.row for p in mine if p.left_out}
        ignored = {p.row for p in mine if p.row > 1} - left_out
        if 1 in left_out:  # a missing column leaves every row out
            counts.append(TabCount(name, read, 0, read, 0))
        else:
            counts.append(TabCount(name, read, read - len(left_out), len(left_out), len(ignored)))
    return counts


COUNT_COLUMNS = {"tab": "Tab", "read": "Rows read", "counted": "Counted", "listed": "Left out (listed below)",
                 "ignored": "Counted with a cell ignored"}


def counts_table(counts: Sequence[TabCount]) -> pd.DataFrame:
    return pd.DataFrame([vars(c) for c in counts], columns=list(COUNT_COLUMNS)).rename(columns=COUNT_COLUMNS)


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
    return problems_table(problems).assign(**{LEFT_OUT_OF: [", ".join(p.left_out_of) or IGNORED for p in problems]})
