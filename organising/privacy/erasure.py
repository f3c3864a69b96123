"""Erasure ("forget this person"): everything about them blanked in every
tab, in the store and the Google Sheet and the submissions still waiting to
be sent, the rows kept and every figure unchanged (see plan.py). The
coordinator sees each cell first (tab, sheet row, column) and confirms; the
audit log records that an erasure happened and how many cells it blanked,
never whose."""
from __future__ import annotations

import datetime as dt
from typing import Mapping

from ..config import AppConfig
from ..sheets import Tab
from .plan import Plan, Planner
from .search import Found, Query, find


def plan_erasure(config: AppConfig, tabs: Mapping[str, Tab], waiting: Mapping[str, Tab], query: Query,
                 today: dt.date) -> tuple[Plan, Found]:
    """What erasing the person would change, checked against every figure.
    `tabs` may hold tabs no form writes (the audit log, a tab kept by hand):
    where they name the person it is listed, not changed."""
    form_tabs = {name: tabs.get(name, Tab(name)) for name in config.tabs}
    planner = Planner(config, form_tabs, waiting)
    found = find(planner, query, {name: tab for name, tab in tabs.items() if name not in form_tabs})
    return planner.plan("erasure", found.removals, today), found
