"""Erasure ("forget this person"): everything about them blanked in every
tab (the forms' and those workflows append to), in the store and the Google
Sheet and the submissions still waiting to be sent, the rows kept and every
figure unchanged (see plan.py); and what the delivery log holds of what was
sent naming them removed, what was not sent yet cancelled
(deliveries.py). The coordinator sees each cell and delivery first and
confirms; the audit log records that an erasure happened and how many
cells it blanked, never whose."""
from __future__ import annotations

import datetime as dt
from typing import Mapping

from ..config import AppConfig
from ..sheets import Tab
from .deliveries import DeliveryChange, WorkflowData, naming
from .plan import Plan, Planner
from .search import Found, Matcher, Query, find


def search_every_tab(config: AppConfig, tabs: Mapping[str, Tab], waiting: Mapping[str, Tab], query: Query,
             data: WorkflowData) -> tuple[Planner, Found]:
    """The person in every tab: the forms' and those workflows append to are
    searched for what to remove; the others (the audit log, a tab kept by
    hand) for mentions only."""
    known = {name: tabs.get(name, Tab(name)) for name in (*config.tabs, *data.tabs)}
    planner = Planner(config, known, waiting, data)
    return planner, find(planner, query, {name: tab for name, tab in tabs.items() if name not in known})


def plan_erasure(config: AppConfig, tabs: Mapping[str, Tab], waiting: Mapping[str, Tab], query: Query,
                 today: dt.date, data: WorkflowData | None = None) -> tuple[Plan, Found]:
    """What erasing the person would change, checked against every figure:
    their cells, and the deliveries naming them (with `data`, what the
    workflows keep)."""
    data = data or WorkflowData()
    planner, found = search_every_tab(config, tabs, waiting, query, data)
    plan = planner.plan("erasure", found.removals, today)
    plan.deliveries = [DeliveryChange(d) for d in naming(data, Matcher(found.everything).anywhere_in)]
    return plan, found
