"""What a workflow's templates can name, and working it out.

A template names the triggering submission's fields, or the documented
context variables below (docs/WORKFLOWS.md lists them with examples). Each
variable says how private it is, which decides where it may go:

- aggregate: counts and figures, safe for trustees;
- public: what the alliance says in public (pledges, events, forum dates);
- personal: names, contacts, stories, addresses: coordinators only, and the
  group itself; never by webhook or chat unless the workflow allows it.

Values are worked out only when a workflow names them: a welcome e-mail
that names next_forum reads the Events tab, one that does not, does not.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from ..cells import CellProblem, clean_text
from ..config import AppConfig
from ..counting.metrics import compute_report, dated_rows, read_attendance, read_events
from ..counting.rows import Cells
from ..cycle.campaigns import read_campaigns, read_power_holders
from ..cycle.evaluation import read_evaluations, review_events
from ..cycle.forums import (Meeting, Signup, forum_of, last_meeting_before, members, planned_meetings, read_meetings,
                            read_signups, upcoming_meeting)
from ..cycle.pledges import Pledge, read_pledges
from ..forms.spec import OTHER, Form
from ..reporting.dashboard import one_to_ones_metric
from ..reporting.reports import STATUS_TEXT
from ..sheets import SUBMITTED_AT, Tab

AGGREGATE, PUBLIC, PERSONAL = "aggregate", "public", "personal"
PRIVACY_ORDER = (AGGREGATE, PUBLIC, PERSONAL)
CONDITIONS = ("pledge_overdue", "evaluation_missing", "target_behind", "forum_tomorrow")


@dataclass(frozen=True)
class Variable:
    name: str
    privacy: str
    doc: str
    scalar: bool = False  # a number or text that `when` can test


COMMON = (
    Variable("alliance", AGGREGATE, "the alliance's name (alliance_name in config/settings.yaml)"),
    Variable("today", AGGREGATE, "today's date in the alliance's time zone, as 2026-12-07 (| date: Monday 7 December 2026)"),
    Variable("now", AGGREGATE, "the date and time in the alliance's time zone, as 2026-12-07 09:00"),
    Variable("workflow", AGGREGATE, "this workflow's name"),
    Variable("recipients", PERSONAL, "the addresses in the secrets file's [recipients] section: recipients.organiser …"),
)
_FORUM = (
    Variable("forum", PUBLIC, "the forum (the area) the row belongs to, as its label"),
    Variable("next_forum", PUBLIC, "the forum's next meeting on or after today: next_forum.date, .place, .title "
             "(a CAG meeting on the Events tab, else a week after its last meeting, place blank); none if unknown"),
    Variable("last_meeting", PUBLIC, "the forum's latest meeting before today: .date, .agenda, .minutes, "
             ".key_issues and .open_actions (lists of lines); none if there is none"),
    Variable("roster", PERSONAL, "the groups signed up to the forum: a list of .organisation, .contact_name, .email"),
)
SUBMISSION = (
    Variable("form", PUBLIC, "the form: form.id, form.title, form.tab"),
    Variable("labels", PUBLIC, "each choice question's answer as its label: labels.area is Fishermead "
             "(as private as the question)"),
)
SCHEDULE = (
    Variable("week", AGGREGATE, "the seven days up to today: week.start and week.end"),
    Variable("one_to_ones_this_week", AGGREGATE, "1:1s held in those seven days (conversation date)", scalar=True),
    Variable("new_signups_this_week", AGGREGATE, "CAG sign-ups made in those seven days", scalar=True),
    Variable("new_signups", PUBLIC, "those sign-ups: a list of .organisation and .forum"),
    Variable("overdue_pledges", PUBLIC, "pledges past their due date and not kept: a list of .power_holder, .ask, "
             ".due, .days_overdue, .status, .campaign"),
    Variable("overdue_pledge_count", AGGREGATE, "how many pledges are overdue", scalar=True),
    Variable("programmes", AGGREGATE, "each programme's current year: .name, .year, .one_to_ones (a figure) and "
             ".figures: each with .label, .target, .actual, .expected, .percent, .status, .status_text"),
    Variable("failed_deliveries", PERSONAL, "deliveries that failed for good in the last day: .workflow, "
             ".destination, .error, .when"),
    Variable("failed_count", AGGREGATE, "how many deliveries failed for good in the last day", scalar=True),
)
CONDITION = {
    "pledge_overdue": (
        Variable("pledge", PUBLIC, "the pledge: .power_holder, .ask, .due, .days_overdue, .status, .event, .campaign"),
        Variable("days_overdue", AGGREGATE, "days since it was due", scalar=True),
    ),
    "evaluation_missing": (
        Variable("event", PUBLIC, "the event: .title, .date, .type, .days_since"),
        Variable("days_since", AGGREGATE, "days since the event was held", scalar=True),
    ),
    "target_behind": (
        Variable("figure", AGGREGATE, "the figure: .programme, .label, .year, .target, .actual, .expected, "
                 ".percent, .status, .status_text"),
    ),
    "forum_tomorrow": _FORUM,
}


def common_variables() -> dict[str, Variable]:
    return {v.name: v for v in COMMON}


def submission_variables(form: Form) -> dict[str, Variable]:
    """The form's columns (as private as the form says), and the context a submission has."""
    personal = set(form.personal_columns)
    columns = [c for c in form.columns]
    found = {c: Variable(c, PERSONAL if c in personal else PUBLIC, "a column of the form", scalar=True)
             for c in columns}
    extra = SUBMISSION + (_FORUM if _has_forum(form) else ())
    return {**common_variables(), **found, **{v.name: v for v in extra}}


def schedule_variables() -> dict[str, Variable]:
    return {**common_variables(), **{v.name: v for v in SCHEDULE}}


def condition_variables(condition: str) -> dict[str, Variable]:
    return {**common_variables(), **{v.name: v for v in CONDITION[condition]}}


def _has_forum(form: Form) -> bool:
    return any(f.name == "area" and f.choices for f in form.fields)


# -- working values out -------------------------------------------------------------

class Sources:
    """What the context is worked out from, each read once: the tabs (read
    only when a variable needs them), the configuration, the time."""

    def __init__(self, config: AppConfig, tabs: Callable[[], Mapping[str, Tab]], now: dt.datetime,
                 recipients: Mapping[str, Any] | None = None,
                 failed: Callable[[], Sequence[Mapping[str, str]]] = lambda: ()):
        self.config = config
        self._tabs = tabs
        self.now = now.astimezone(ZoneInfo(config.settings.timezone))
        self.recipients = dict(recipients or {})
        self._failed = failed
        self.problems: list[CellProblem] = []  # rows the readers could not use: they are the pages' to report

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @cached_property
    def tabs(self) -> Mapping[str, Tab]:
        return self._tabs()

    def form(self, form_id: str) -> Form | None:
        return self.config.forms.get(form_id)

    def _derived(self, form: Form, what: str, make: Callable[[], Any]) -> Any:
        """Worked out once per read of the form's tab (the page's shared read
        serves every submission until the next read)."""
        return self.tabs.get(form.tab, Tab(form.tab)).derived(("workflows", what, form.id), make)

    @cached_property
    def meetings(self) -> list[Meeting]:
        form = self.form("forum_meeting")
        return self._derived(form, "meetings", lambda: read_meetings(self.tabs, form, [])) if form else []

    @cached_property
    def planned_meetings(self) -> list:
        events = self.form("events")
        return self._derived(events, "planned", lambda: planned_meetings(self.tabs, events)) if events else []

    @cached_property
    def signups(self) -> list[Signup]:
        form = self.form("cag_signup")
        return self._derived(form, "signups", lambda: read_signups(self.tabs, form, [])) if form else []

    @cached_property
    def pledges(self) -> list[Pledge]:
        if not {"pledges", "pledge_updates"} <= set(self.config.forms):
            return []
        return read_pledges(self.tabs, self.config.forms, [])

    @cached_property
    def campaign_of_holder(self) -> dict[str, str]:
        """A power-holder's id and label -> the title of their campaign."""
        campaigns_form, holders_form = self.form("campaigns"), self.form("power_holders")
        if not campaigns_form or not holders_form:
            return {}
        campaigns = read_campaigns(self.tabs, campaigns_form, [])
        titles = {c.id: c.title for c in campaigns}
        found = {}
        for holder in read_power_holders(self.tabs, holders_form, campaigns, []):
            title = titles.get(holder.campaign_id, "")
            found[holder.id] = found[holder.label] = title
        return found

    def pledge(self, p: Pledge) -> dict[str, Any]:
        return {"power_holder": p.power_holder, "ask": p.ask, "due": _iso(p.due), "event": p.event,
                "days_overdue": (self.today - p.due).days if p.due else None, "status": p.status,
                "campaign": self.campaign_of_holder.get(p.power_holder, "")}

    @cached_property
    def overdue(self) -> list[Pledge]:
        return [p for p in self.pledges if p.state(self.today) == "overdue"]

    @cached_property
    def programmes(self) -> list[dict[str, Any]]:
        found = []
        for programme in self.config.programmes.values():
            year = next((y for y in programme.years if y.holds(self.today)), None)
            if year is None:
                continue
            report = compute_report(programme, self.tabs, self.config.forms, self.today)
            figures = [_figure(programme.name, f) for f in report.figures if f.year == year.label]
            metric = one_to_ones_metric(programme)
            found.append({"name": programme.name, "year": year.label, "figures": figures,
                          "one_to_ones": next((f for f in figures if metric and f["metric"] == metric.id), None)})
        return found

    def forum_context(self, forum: str, names: set[str], from_day: dt.date) -> dict[str, Any]:
        """The forum variables among `names`, for the forum `forum` (an area's name)."""
        signups, events = self.form("cag_signup"), self.form("events")  # noqa: F841 - events: the area labels
        out: dict[str, Any] = {}
        if "forum" in names:
            areas = {c.name: c.label for f in (signups, events) if f for c in f.field("area").choices}
            out["forum"] = areas.get(forum, forum)
        if "next_forum" in names:
            upcoming = upcoming_meeting(self.planned_meetings, self.meetings, forum, from_day)
            out["next_forum"] = None if upcoming is None else {
                "date": upcoming.date.isoformat(), "place": upcoming.place, "title": upcoming.title}
        if "last_meeting" in names:
            last = last_meeting_before(self.meetings, forum, from_day)
            out["last_meeting"] = None if last is None else {
                "date": last.date.isoformat(), "agenda": last.agenda, "minutes": last.minutes,
                "key_issues": list(last.key_issues), "open_actions": [a.text for a in last.open_actions]}
        if "roster" in names:
            out["roster"] = [{"organisation": clean_text(s.record.get("organisation")),
                              "contact_name": clean_text(s.record.get("contact_name")),
                              "email": clean_text(s.record.get("email"))} for s in members(self.signups, forum)]
        return out

    def common(self, workflow: str) -> dict[str, Any]:
        return {"alliance": self.config.settings.alliance_name, "today": self.today.isoformat(),
                "now": self.now.strftime("%Y-%m-%d %H:%M"), "workflow": workflow, "recipients": self.recipients}


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _figure(programme: str, f) -> dict[str, Any]:
    return {"programme": programme, "metric": f.metric, "label": f.label, "year": f.year, "target": f.target,
            "actual": f.actual, "expected": f.expected, "percent": f.percent, "status": f.status,
            "status_text": STATUS_TEXT.get(f.status, f.status)}


def row_values(form: Form, record: Mapping[str, str]) -> dict[str, str]:
    """A row's cells by column name, as typed, ends trimmed; a select or a
    tick typed by hand ("Yes", "Fishermead", "✓") read as the app stores it:
    the choice's name (an answer typed in Other's place as Other, with its text
    in the follow-up column), yes or no."""
    values = {c: clean_text(record.get(c)) for c in form.columns}
    for f in form.fields:
        if not values.get(f.name) or not (f.type == "select_one" and f.choices or f.type in ("consent",
                                                                                            "acknowledge")):
            continue
        read = form.reader(f.name)(values[f.name])
        if read.value == OTHER and read.other:
            values[f"{f.name}_other"] = values.get(f"{f.name}_other") or read.other
        values[f.name] = read.value or values[f.name]
    return values


def _labels(form: Form, values: Mapping[str, str]) -> dict[str, str]:
    labels = {}
    for f in form.fields:
        if not f.is_select:
            continue
        names = {c.name: c.label for c in f.choices}
        picked = [p.strip() for p in values.get(f.name, "").split(",")] if f.type == "select_multiple" \
            else [values.get(f.name, "")]
        labels[f.name] = ", ".join(names.get(p, p) for p in picked if p)
        if f.label_column and values.get(f.label_column):
            labels[f.name] = values[f.label_column]
    return labels


def submission_context(form: Form, values: Mapping[str, str], sources: Sources, workflow: str,
                       names: set[str]) -> dict[str, Any]:
    """The context of a submission (`values` from row_values), with only the variables named worked out."""
    context = {**sources.common(workflow), **values, "form": {"id": form.id, "title": form.title, "tab": form.tab}}
    if "labels" in names:
        context["labels"] = _labels(form, values)
    forum_names = names & {v.name for v in _FORUM}
    if forum_names and _has_forum(form):
        forum = forum_of(Cells(form, 0, values, []))
        context.update(sources.forum_context(forum, forum_names, sources.today))
    return context


def schedule_context(sources: Sources, workflow: str, names: set[str]) -> dict[str, Any]:
    context = sources.common(workflow)
    start = sources.today - dt.timedelta(days=6)
    if "week" in names:
        context["week"] = {"start": start.isoformat(), "end": sources.today.isoformat()}
    listening = sources.form("listening")
    if "one_to_ones_this_week" in names:
        tab = sources.tabs.get(listening.tab, Tab(listening.tab)) if listening else Tab("")
        days = dated_rows(tab, listening, "conversation_date", []) if listening else []
        context["one_to_ones_this_week"] = sum(start <= day <= sources.today for _, day in days)
    if names & {"new_signups", "new_signups_this_week"}:
        signups = _new_signups(sources, start)
        context["new_signups"], context["new_signups_this_week"] = signups, len(signups)
    if names & {"overdue_pledges", "overdue_pledge_count"}:
        context["overdue_pledges"] = [sources.pledge(p) for p in sources.overdue]
        context["overdue_pledge_count"] = len(sources.overdue)
    if "programmes" in names:
        context["programmes"] = sources.programmes
    if names & {"failed_deliveries", "failed_count"}:
        failed = list(sources._failed())
        context["failed_deliveries"], context["failed_count"] = failed, len(failed)
    return context


def _new_signups(sources: Sources, start: dt.date) -> list[dict[str, str]]:
    form = sources.form("cag_signup")
    if form is None:
        return []
    found = []
    labels = {c.name: c.label for c in form.field("area").choices}
    for signup in sources.signups:
        made = form.dates.read(signup.record.get(SUBMITTED_AT)).value
        if made is not None and start <= made <= sources.today:
            found.append({"organisation": clean_text(signup.record.get("organisation")),
                          "forum": labels.get(signup.forum, signup.forum)})
    return found


@dataclass(frozen=True)
class Thing:
    """Something a condition holds for, once per state: `key` is what the
    ledger remembers (a pledge and its due date), `context` its variables."""
    key: str
    label: str
    context: dict[str, Any]


def condition_things(condition: str, options: Mapping[str, Any], sources: Sources, workflow: str,
                     names: set[str]) -> list[Thing]:
    common = sources.common(workflow)
    if condition == "pledge_overdue":
        return [Thing(f"pledge {p.id} due {_iso(p.due)}", f"pledge {p.id} overdue since {_iso(p.due)}",
                      {**common, "pledge": sources.pledge(p), "days_overdue": (sources.today - p.due).days})
                for p in sources.overdue]
    if condition == "evaluation_missing":
        problems: list[CellProblem] = []
        forms = sources.config.forms
        events = read_events(sources.tabs, forms, problems)
        reviews = review_events(events, read_attendance(sources.tabs, forms, events, problems),
                                read_evaluations(sources.tabs, forms, events, problems), sources.today)
        return [Thing(f"event {r.event.key}", f"{r.event.title} ({_iso(r.event.date)}) has no evaluation",
                      {**common, "days_since": (sources.today - r.event.date).days,
                       "event": {"title": r.event.title, "date": _iso(r.event.date), "type": r.event.type,
                                 "days_since": (sources.today - r.event.date).days}})
                for r in reviews if r.status == "overdue"]
    if condition == "target_behind":
        wanted = set(options.get("status") or ("red",))
        return [Thing(f"{p['name']} / {f['metric']} / {f['year']} / {f['status']}",
                      f"{f['label']} ({p['name']}, {f['year']}) is {f['status_text']}", {**common, "figure": f})
                for p in sources.programmes for f in p["figures"] if f["status"] in wanted]
    if condition == "forum_tomorrow":
        tomorrow = sources.today + dt.timedelta(days=1)
        forums = {s.forum for s in sources.signups} | {m.forum for m in sources.meetings}
        found = []
        for forum in sorted(f for f in forums if f):
            context = sources.forum_context(forum, names | {"next_forum"}, tomorrow)
            upcoming = context["next_forum"]
            if upcoming and upcoming["date"] == tomorrow.isoformat():
                found.append(Thing(f"forum {forum} meets {tomorrow.isoformat()}",
                                   f"the {context.get('forum', forum)} forum meets on {tomorrow.isoformat()}",
                                   {**common, **context}))
        return found
    raise ValueError(f"unknown condition {condition!r}")

