"""Every figure a coordinator or a funder reads, to check that removing
personal data changed none of them: the funder report of every programme,
the dashboard's counts, the leader pipeline, each institution's activity,
events' turnout, forums' attendance, pledges' follow-ups, and the number of
rows the app cannot read."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..config import AppConfig
from ..counting.metrics import compute_report, read_attendance, read_events
from ..cycle.evaluation import review_events, read_evaluations
from ..cycle.forums import read_meetings
from ..cycle.institutions import activity
from ..cycle.leaders import STAGES, build_pipeline
from ..cycle.pledges import read_pledges
from ..data_quality import all_problems
from ..reporting.dashboard import counts, listening_frame, signups_by_area
from ..sheets import Tab

Figures = dict[str, Any]


def figures(config: AppConfig, tabs: Mapping[str, Tab], today: dt.date) -> Figures:
    """Name of a figure, in words -> its value."""
    found: Figures = {}
    for name, programme in config.programmes.items():
        report = compute_report(programme, tabs, config.forms, today)
        for f in report.figures:
            found[f"Funder report, {name}: {f.label} ({f.year})"] = (f.actual, f.target, f.percent, f.status, f.note)
        found[f"Funder report, {name}: rows left out"] = report.left_out
    listening = config.forms.get("listening")
    if listening is not None:
        frame = listening_frame(tabs.get(listening.tab, Tab(listening.tab)), listening)
        found["Dashboard: 1:1s"] = len(frame)
        found["Dashboard: potential leaders spotted"] = int(frame["potential_leader"].sum())
        for column in ("issues", "area", "institution"):
            found[f"Dashboard: 1:1s by {column}"] = dict(counts(frame, column).itertuples(index=False))
        found["Leader pipeline and member institutions"] = _people(config, tabs)
    signups = config.forms.get("cag_signup")
    if signups is not None:
        found["Dashboard: CAG sign-ups by area"] = dict(signups_by_area(
            tabs.get(signups.tab, Tab(signups.tab)), signups).itertuples(index=False))
    events = read_events(tabs, config.forms, [])
    attendance = read_attendance(tabs, config.forms, events, [])
    found["Events: turnout"] = {r.event.key: r.turnout for r in review_events(
        events, attendance, read_evaluations(tabs, config.forms, events, []), today)}
    if "forum_meeting" in config.forms:
        found["CAG forums: attendance"] = [(m.row, m.attendance) for m in read_meetings(
            tabs, config.forms["forum_meeting"], [])]
    if {"pledges", "pledge_updates"} <= set(config.forms):
        found["Pledge tracker: follow-up meetings"] = {p.id: p.follow_ups for p in read_pledges(tabs, config.forms, [])}
    found["Data quality: rows that cannot be read"] = len(all_problems(config, tabs, today))
    return found


def _people(config: AppConfig, tabs: Mapping[str, Tab]) -> dict[str, Any]:
    pipeline = build_pipeline(tabs, config.forms)
    people = {f"reached {STAGES[s].lower()}": pipeline.reached(s) for s in STAGES}
    people |= {"different people trained": pipeline.trained(), "people in the pipeline": len(pipeline.leaders),
               "potential leaders without a name": pipeline.unnamed_spotted}
    found = activity(tabs, config.forms, [])
    people["institutions"] = {key: (a.one_to_ones, a.leaders, len(a.turnout or ())) for key, a in found.items()}
    return people


def changed(before: Figures, after: Figures) -> list[str]:
    """The figures that differ, by name."""
    return [name for name in dict.fromkeys([*before, *after]) if before.get(name) != after.get(name)]
