"""Workflows as data: config/workflows.yaml (or the file ORGANISING_WORKFLOWS names).

    workflows:
      - name: Welcome a new CAG
        on: {submitted: cag_signup}          # or {schedule: "mon 09:00"}, {condition: pledge_overdue}
        when: "${consent_to_contact} = 'yes'"
        actions:
          - email: {to: "{{ email }}", subject: "Welcome", body: "…"}
          - webhook: {url: crm_hook, secret: crm_hook}
          - chat: {url: team_chat, text: "New group: {{ organisation }}"}
          - append: {tab: Follow-up, row: {group: "{{ organisation }}"}}

Everything is checked when the file loads: the trigger, `when` (the forms'
expression language), every template and the names it uses, and where
personal fields may go. Unlike a form, one wrong workflow does not stop the
app: it is listed with the reason (file, workflow, what is wrong), and the
others run. A workflow whose settings are missing from the secrets file (mail
server, a webhook's address or secret, a recipient) is not wrong: it waits,
and runs once they are there.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

import yaml

from ..cells import DateReader
from ..config import AppConfig
from ..forms.expressions import Expression, ExpressionError, parse_expression
from ..forms.spec import Form
from ..sheets import SUBMISSION_ID, SUBMITTED_AT, normalise_header
from .context import (AGGREGATE, CONDITIONS, PERSONAL, Variable, condition_variables, schedule_variables,
                      submission_variables)
from .schedules import ScheduleError, to_cron
from .templates import Template, TemplateProblem, compile_template

WORKFLOWS_ENV = "ORGANISING_WORKFLOWS"
ACTIONS = ("email", "webhook", "chat", "append")
ATTACHMENTS = ("report_pdf", "report_xlsx")
# Recipients who may read anything the app holds; `trustees` get aggregates only.
COORDINATORS = ("organiser", "coordinators")
TRUSTEES = "trustees"
_WORKFLOW_KEYS = {"name", "description", "on", "when", "actions", "enabled", "allow_personal"}
_ACTION_KEYS = {
    "email": ({"to"}, {"to", "cc", "bcc", "subject", "body", "html", "attach", "programme"}),
    "webhook": ({"url"}, {"url", "secret", "headers", "body"}),
    "chat": ({"url", "text"}, {"url", "text"}),
    "append": ({"tab", "row"}, {"tab", "row"}),
}
# The columns an appended row gets from the app: its id (made from the delivery's key) and when.
APPENDED_BY_APP = (SUBMISSION_ID, SUBMITTED_AT)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_HEADER = re.compile(r"^[A-Za-z0-9-]+$")
_RESERVED_HEADERS = {"content-type", "idempotency-key", "x-organising-signature", "content-length", "host"}


class WorkflowError(ValueError):
    """One workflow is wrong; the message says where and why."""


@dataclass(frozen=True)
class Trigger:
    kind: str                  # submitted, schedule, condition
    form: str = ""             # submitted: the form's id
    schedule: str = ""         # as written
    cron: str = ""
    condition: str = ""
    at: dt.time | None = None  # condition: not before this time of day
    statuses: tuple[str, ...] = ()  # target_behind: which statuses count

    @property
    def signature(self) -> str:
        """What the ledger's baseline is for: a changed trigger watches afresh."""
        return {"submitted": f"submitted {self.form}", "schedule": f"schedule {self.cron}",
                "condition": f"condition {self.condition} {','.join(self.statuses)}"}[self.kind]

    def describe(self) -> str:
        if self.kind == "submitted":
            return f"a {self.form} form is submitted (or its row appears in the sheet)"
        if self.kind == "schedule":
            return f"on schedule {self.schedule!r}"
        words = {"pledge_overdue": "a pledge is past its due date and not kept",
                 "evaluation_missing": "an event held over a week ago has no evaluation",
                 "target_behind": f"a target is {' or '.join(self.statuses)} against its pace",
                 "forum_tomorrow": "a forum meets tomorrow"}[self.condition]
        return words + (f", from {self.at:%H:%M}" if self.at else "")


@dataclass(frozen=True)
class Email:
    to: Template
    subject: Template
    body: Template
    cc: Template | None = None
    bcc: Template | None = None
    html: Template | None = None
    attach: tuple[str, ...] = ()
    programme: str = ""
    kind: str = "email"


@dataclass(frozen=True)
class Webhook:
    url: str            # an address, or the name of one in [webhook_secrets]
    secret: str = ""    # the name of the signing key in [webhook_secrets]
    headers: tuple[tuple[str, Template], ...] = ()
    body: Template | None = None  # None: the submission's fields as JSON
    kind: str = "webhook"


@dataclass(frozen=True)
class Chat:
    url: str
    text: Template
    kind: str = "chat"


@dataclass(frozen=True)
class Append:
    tab: str
    row: tuple[tuple[str, Template], ...]
    kind: str = "append"


Action = Email | Webhook | Chat | Append


@dataclass(frozen=True)
class Workflow:
    name: str
    trigger: Trigger
    actions: tuple[Action, ...]
    variables: Mapping[str, Variable]
    names: frozenset[str]            # the context variables its templates and `when` name
    when: Expression | None = None
    description: str = ""
    enabled: bool = True             # as the file says; a coordinator's switch overrides it
    allow_personal: bool = False
    waiting: str = ""                # why it cannot run yet (settings missing), in plain words
    path: str = ""


@dataclass(frozen=True)
class Problem:
    path: str
    workflow: str   # its name, or "#3" for the third; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"workflow '{self.workflow}': " if self.workflow else ""
        return f"{self.path}: {where}{self.message}"


@dataclass(frozen=True)
class DeliverySettings:
    retry_after: tuple[float, ...] = (60.0, 600.0, 6000.0)  # seconds after the 1st, 2nd, 3rd failed attempt
    lease_seconds: float = 300.0     # how long a sender holds what it took before another may take it over
    timeout_seconds: float = 10.0    # per request to a mail server or webhook
    scan_seconds: float = 60.0       # how often the tabs are read for rows that came without the app
    send_seconds: float = 5.0        # how often the sender looks for what is due
    # How long a row typed without the app (no submission id) must look the same before it fires:
    # people type a row a cell at a time. With a look every scan_seconds, it fires at the first look
    # at least this long after it was first seen as it is.
    settle_seconds: float = 30.0
    # Days the delivery log keeps what a delivery sent (e-mails name residents); then it is removed,
    # keeping the delivery's key, state and times, so it is never sent again (docs/PRIVACY.md).
    payload_retention_days: int = 30


@dataclass(frozen=True)
class WorkflowSet:
    workflows: tuple[Workflow, ...] = ()
    problems: tuple[Problem, ...] = ()
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    path: str = ""

    def get(self, name: str) -> Workflow | None:
        return next((w for w in self.workflows if w.name == name), None)

    def watching(self, form_id: str) -> list[Workflow]:
        return [w for w in self.workflows if w.trigger.kind == "submitted" and w.trigger.form == form_id]


def workflows_path(config_dir: Path) -> Path:
    return Path(os.environ.get(WORKFLOWS_ENV) or config_dir / "workflows.yaml")


# -- loading ------------------------------------------------------------------------------

def load_workflows(path: Path, config: AppConfig, secrets: Mapping[str, Any]) -> WorkflowSet:
    """Every workflow of the file that is right, and a Problem for each that is not."""
    if not path.exists():
        return WorkflowSet(path=str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        return WorkflowSet(problems=(Problem(str(path), "", f"is not valid YAML: {exc}"),), path=str(path))
    except OSError as exc:
        return WorkflowSet(problems=(Problem(str(path), "", f"cannot be read: {exc.strerror}"),), path=str(path))
    if not isinstance(raw, dict) or not isinstance(raw.get("workflows", []), list):
        return WorkflowSet(problems=(Problem(str(path), "", "expected a top-level 'workflows:' list"),),
                           path=str(path))
    problems: list[Problem] = []
    unknown = sorted(set(raw) - {"workflows", "delivery"})
    if unknown:
        problems.append(Problem(str(path), "", f"unknown top-level key(s) {', '.join(unknown)}; "
                                               "allowed: workflows, delivery"))
    try:
        delivery = _delivery(raw.get("delivery") or {})
    except WorkflowError as exc:
        problems.append(Problem(str(path), "", f"delivery: {exc}"))
        delivery = DeliverySettings()
    workflows: list[Workflow] = []
    for number, item in enumerate(raw.get("workflows") or [], start=1):
        label = str(item["name"]) if isinstance(item, dict) and item.get("name") else f"#{number}"
        try:
            workflow = _workflow(item, config, secrets, str(path))
            if any(w.name == workflow.name for w in workflows):
                raise WorkflowError("the name is used by another workflow: give each its own")
        except WorkflowError as exc:
            problems.append(Problem(str(path), label, str(exc)))
            continue
        except (TypeError, ValueError, AttributeError) as exc:  # a shape no check foresaw: still only this one
            problems.append(Problem(str(path), label, f"cannot be read ({exc.__class__.__name__}: {exc})"))
            continue
        workflows.append(workflow)
    return WorkflowSet(tuple(workflows), tuple(problems), delivery, str(path))


def _delivery(raw: Any) -> DeliverySettings:
    if not isinstance(raw, dict):
        raise WorkflowError("expected keys such as retry_after_minutes and timeout_seconds")
    allowed = {"retry_after_minutes", "lease_seconds", "timeout_seconds", "scan_seconds", "send_seconds",
               "settle_seconds", "payload_retention_days"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise WorkflowError(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")

    def number(key: str, default: float, low: float, high: float) -> float:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise WorkflowError(f"{key}: must be a number from {low:g} to {high:g}")
        return float(value)

    retry = raw.get("retry_after_minutes", [1, 10, 100])
    if not isinstance(retry, list) or not all(isinstance(m, (int, float)) and not isinstance(m, bool) and m > 0
                                              for m in retry) or len(retry) > 10:
        raise WorkflowError("retry_after_minutes: a list of minutes such as [1, 10, 100]")
    days = raw.get("payload_retention_days", DeliverySettings.payload_retention_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
        raise WorkflowError(f"payload_retention_days: a whole number of days from 1 to 3650 (how long the "
                            f"delivery log keeps what was sent), not {days!r}")
    settings = DeliverySettings(
        retry_after=tuple(60.0 * m for m in retry), lease_seconds=number("lease_seconds", 300, 0.5, 3600),
        timeout_seconds=number("timeout_seconds", 10, 0.1, 120), scan_seconds=number("scan_seconds", 60, 0.1, 86400),
        send_seconds=number("send_seconds", 5, 0.05, 3600),
        settle_seconds=number("settle_seconds", DeliverySettings.settle_seconds, 0, 86400),
        payload_retention_days=days)
    if settings.lease_seconds < 2 * settings.timeout_seconds:
        # A send outlasting its lease could be taken over and sent twice.
        raise WorkflowError("lease_seconds must be at least twice timeout_seconds")
    return settings


def _workflow(raw: Any, config: AppConfig, secrets: Mapping[str, Any], path: str) -> Workflow:
    if not isinstance(raw, dict):
        raise WorkflowError("each workflow is a mapping with name, on and actions")
    # YAML 1.1 reads a bare `on:` key as true; it can only have meant the trigger.
    raw = {("on" if key is True else str(key)): value for key, value in raw.items()}
    unknown = sorted(set(raw) - _WORKFLOW_KEYS)
    if unknown:
        raise WorkflowError(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_WORKFLOW_KEYS))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise WorkflowError("'name' is missing")
    for key in ("enabled", "allow_personal"):
        if key in raw and not isinstance(raw[key], bool):
            raise WorkflowError(f"'{key}' must be true or false")
    trigger = _trigger(raw.get("on"), config)
    form = config.forms.get(trigger.form) if trigger.kind == "submitted" else None
    variables = (submission_variables(form) if form else schedule_variables() if trigger.kind == "schedule"
                 else condition_variables(trigger.condition))
    when = _when(raw.get("when"), variables, form) if raw.get("when") is not None else None
    dates = config.dates
    raw_actions = raw.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        raise WorkflowError("'actions' must be a non-empty list, e.g. [{email: {to: …, subject: …, body: …}}]")
    actions = tuple(_action(item, number, dates, config) for number, item in enumerate(raw_actions, start=1))
    allow_personal = bool(raw.get("allow_personal", False))
    names: set[str] = set(when.references) if when else set()
    for number, action in enumerate(actions, start=1):
        where = f"actions[{number}] {action.kind}"
        for part, template in _templates(action):
            unknown_names = sorted(template.names - set(variables))
            if unknown_names:
                raise WorkflowError(f"{where} {part}: {_unknown(unknown_names, variables, form, trigger)}")
            _check_attributes(template, variables, form, f"{where} {part}")
            names |= template.names
        _check_privacy(action, variables, form, allow_personal, where)
    if any(isinstance(a, Webhook) and a.body is None for a in actions):
        names |= {n for n, v in variables.items() if v.privacy != PERSONAL or allow_personal}
    return Workflow(name.strip(), trigger, actions, variables, frozenset(names), when,
                    str(raw.get("description") or "").strip(), raw.get("enabled", True), allow_personal,
                    _waiting(actions, secrets), path)


def _trigger(raw: Any, config: AppConfig) -> Trigger:
    example = 'e.g. {submitted: cag_signup}, {schedule: "mon 09:00"} or {condition: pledge_overdue}'
    if not isinstance(raw, dict):
        raise WorkflowError(f"'on' is missing: say what starts the workflow, {example}")
    kinds = [k for k in ("submitted", "schedule", "condition") if k in raw]
    if len(kinds) != 1:
        raise WorkflowError(f"'on' needs exactly one of submitted, schedule or condition, {example}")
    kind = kinds[0]
    allowed = {kind} | ({"at", "status"} if kind == "condition" else set())
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise WorkflowError(f"on: unknown key(s) {', '.join(unknown)}; allowed with {kind}: "
                            f"{', '.join(sorted(allowed))}")
    if kind == "submitted":
        form = str(raw["submitted"])
        if form not in config.forms:
            raise WorkflowError(f"on: no form has the id {form!r} (the forms: {', '.join(config.forms)})")
        return Trigger("submitted", form=form)
    if kind == "schedule":
        try:
            return Trigger("schedule", schedule=str(raw["schedule"]), cron=to_cron(raw["schedule"]))
        except ScheduleError as exc:
            raise WorkflowError(f"on: schedule: {exc}") from None
    condition = str(raw["condition"])
    if condition not in CONDITIONS:
        raise WorkflowError(f"on: condition {condition!r} is not one the app computes ({', '.join(CONDITIONS)})")
    at = None
    if raw.get("at") is not None:
        clock = _TIME.match(str(raw["at"]))
        if not clock:
            raise WorkflowError(f"on: at: {raw['at']!r} is not a time of day such as 09:00")
        at = dt.time(int(clock[1]), int(clock[2]))
    statuses: tuple[str, ...] = ()
    if condition == "target_behind":
        given = raw.get("status", ["red"])
        given = [given] if isinstance(given, str) else given
        if not isinstance(given, list) or not given or not set(given) <= {"red", "amber"}:
            raise WorkflowError("on: status: red, amber, or [amber, red]")
        statuses = tuple(sorted(set(given)))
    elif "status" in raw:
        raise WorkflowError("on: status applies to the target_behind condition only")
    return Trigger("condition", condition=condition, at=at, statuses=statuses)


def _when(raw: Any, variables: Mapping[str, Variable], form: Form | None) -> Expression:
    try:
        expression = parse_expression(raw)
    except ExpressionError as exc:
        raise WorkflowError(f"when: {exc}") from None
    if expression.uses_dot:
        raise WorkflowError("when: cannot use '.', refer to a field as ${name}")
    testable = sorted(n for n, v in variables.items() if v.scalar)
    missing = sorted(expression.references - set(testable))
    if missing:
        what = f"a field of the {form.id} form" if form else "a variable this trigger has"
        raise WorkflowError(f"when: {', '.join('${' + m + '}' for m in missing)} is not {what} "
                            f"(it can test: {', '.join(testable) or 'nothing'})")
    return expression


def _template(raw: Any, kind: str, dates: DateReader, where: str) -> Template:
    try:
        return compile_template(raw if not isinstance(raw, (int, float)) or isinstance(raw, bool) else str(raw),
                                kind, dates)
    except TemplateProblem as exc:
        raise WorkflowError(f"{where}: {exc}") from None


def _url(raw: Any, where: str) -> str:
    text = str(raw or "").strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise WorkflowError(f"{where}: url {text!r} is not an http(s) address")
        return text
    if not re.match(r"^[A-Za-z0-9_\-]+$", text):
        raise WorkflowError(f"{where}: url is an address (https://…) or the name of one in the secrets file's "
                            f"[webhook_secrets] section: got {text!r}")
    return text


def _action(raw: Any, number: int, dates: DateReader, config: AppConfig) -> Action:
    where = f"actions[{number}]"
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in ACTIONS:
        raise WorkflowError(f"{where}: each action is one of {', '.join(ACTIONS)}, e.g. "
                            "{email: {to: …, subject: …, body: …}}")
    kind, spec = next(iter(raw.items()))
    where = f"{where} {kind}"
    needed, allowed = _ACTION_KEYS[kind]
    if not isinstance(spec, dict):
        raise WorkflowError(f"{where}: expected its settings ({', '.join(sorted(allowed))})")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise WorkflowError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
    lacking = sorted(needed - set(spec))
    if kind == "email":
        lacking += [k for k in ("subject",) if k not in spec] + ([] if "body" in spec or "html" in spec else ["body"])
    if lacking:
        raise WorkflowError(f"{where}: '{lacking[0]}' is missing")

    def template(key: str, flavour: str = "text") -> Template | None:
        return _template(spec[key], flavour, dates, f"{where} {key}") if spec.get(key) is not None else None

    if kind == "email":
        attach = spec.get("attach") or []
        attach = [attach] if isinstance(attach, str) else attach
        if not isinstance(attach, list) or not set(attach) <= set(ATTACHMENTS):
            raise WorkflowError(f"{where}: attach: {', '.join(ATTACHMENTS)} (or a list of them)")
        programme = str(spec.get("programme") or "")
        if attach and not (programme or config.programmes):
            raise WorkflowError(f"{where}: attach: there is no programme in targets.yaml to report on")
        if programme and programme not in config.programmes:
            raise WorkflowError(f"{where}: programme: {programme!r} is not in targets.yaml "
                                f"({', '.join(config.programmes)})")
        return Email(template("to"), template("subject"), template("body") or _template("", "text", dates, where),
                     template("cc"), template("bcc"), template("html", "html"), tuple(attach), programme)
    if kind == "webhook":
        headers = spec.get("headers") or {}
        if not isinstance(headers, dict):
            raise WorkflowError(f"{where}: headers: a mapping of header name to value")
        for header in headers:
            if not _HEADER.match(str(header)) or str(header).lower() in _RESERVED_HEADERS:
                raise WorkflowError(f"{where}: headers: {header!r} cannot be set (the app sets "
                                    "Content-Type, Idempotency-Key and X-Organising-Signature itself)")
        secret = str(spec.get("secret") or "")
        if secret and not re.match(r"^[A-Za-z0-9_\-]+$", secret):
            raise WorkflowError(f"{where}: secret is the name of a key in the secrets file's [webhook_secrets], "
                                "never the key itself")
        return Webhook(_url(spec["url"], where), secret,
                       tuple((str(h), _template(v, "text", dates, f"{where} headers {h}")) for h, v in headers.items()),
                       template("body", "json"))
    if kind == "chat":
        return Chat(_url(spec["url"], where), template("text", "chat"))
    tab = str(spec.get("tab") or "").strip()
    if not tab:
        raise WorkflowError(f"{where}: 'tab' is missing")
    if tab.casefold() in {f.tab.casefold() for f in config.forms.values()}:
        raise WorkflowError(f"{where}: tab {tab!r} is a form's tab; append to a tab of its own (a follow-up "
                            "list), so a workflow can never set off itself or another")
    row = spec.get("row")
    if not isinstance(row, dict) or not row:
        raise WorkflowError(f"{where}: row maps each column to its value, e.g. {{group: '{{{{ organisation }}}}'}}")
    written = [str(c) for c in row if normalise_header(str(c)) in {normalise_header(c) for c in APPENDED_BY_APP}]
    if written:
        raise WorkflowError(f"{where}: row: the app writes {written[0]!r} itself (every appended row gets "
                            f"{' and '.join(APPENDED_BY_APP)}, as a form's row does); use another column name")
    return Append(tab, tuple((str(c), _template(v, "text", dates, f"{where} row {c}")) for c, v in row.items()))


def _templates(action: Action) -> list[tuple[str, Template]]:
    if isinstance(action, Email):
        parts = [("to", action.to), ("cc", action.cc), ("bcc", action.bcc), ("subject", action.subject),
                 ("body", action.body), ("html", action.html)]
    elif isinstance(action, Webhook):
        parts = [*((f"headers {h}", t) for h, t in action.headers), ("body", action.body)]
    elif isinstance(action, Chat):
        parts = [("text", action.text)]
    else:
        parts = [(f"row {c}", t) for c, t in action.row]
    return [(part, t) for part, t in parts if t is not None]


def _unknown(names: Sequence[str], variables: Mapping[str, Variable], form: Form | None, trigger: Trigger) -> str:
    shown = ", ".join("{{ " + n + " }}" for n in names)
    if form is not None:
        fields = ", ".join(c for c in form.columns)
        context = ", ".join(n for n in variables if n not in form.columns)
        return (f"{shown} is not a field of the {form.id} form ({form.path}) nor a context variable; "
                f"its fields: {fields}; context: {context}")
    return f"{shown} is not a variable of this trigger ({trigger.signature}); it has: {', '.join(variables)}"


def _check_attributes(template: Template, variables: Mapping[str, Variable], form: Form | None, where: str) -> None:
    for variable, attribute in template.attributes:
        if variable == "labels" and form is not None:
            selects = [f.name for f in form.fields if f.is_select]
            if attribute not in selects:
                raise WorkflowError(f"{where}: labels.{attribute}: {attribute!r} is not a choice question of the "
                                    f"{form.id} form (its choice questions: {', '.join(selects)})")


def _recipients(template: Template | None) -> set[str]:
    return set() if template is None else {a for v, a in template.attributes if v == "recipients"}


def carried(template: Template, variables: Mapping[str, Variable], form: Form | None) -> dict[str, str]:
    """Each name the template carries into a message, with how private it is."""
    found = {n: variables[n].privacy for n in template.names if n != "labels"}
    if "labels" in template.names and form is not None:
        personal = set(form.personal_columns)
        picked = {a for v, a in template.attributes if v == "labels"}
        for f in form.fields:  # labels.area carries the area; labels used whole carries every answer
            if f.is_select and (not picked or f.name in picked):
                found[f"labels.{f.name}"] = PERSONAL if f.name in personal else variables["labels"].privacy
    return found


def _check_privacy(action: Action, variables: Mapping[str, Variable], form: Form | None, allow_personal: bool,
                   where: str) -> None:
    content = [t for part, t in _templates(action) if part not in ("to", "cc", "bcc")]
    carried_names: dict[str, str] = {}
    for template in content:
        carried_names.update(carried(template, variables, form))
    personal = sorted(n for n, p in carried_names.items() if p == PERSONAL)
    if isinstance(action, Append):
        return  # another tab of the coordinators' own sheet
    if isinstance(action, (Webhook, Chat)):
        if personal and not allow_personal:
            raise WorkflowError(f"{where}: names personal data ({', '.join(personal)}): it never leaves the app by "
                                f"{action.kind} unless the workflow says allow_personal: true")
        return
    addressed = _recipients(action.to) | _recipients(action.cc) | _recipients(action.bcc)
    if TRUSTEES in addressed:
        beyond = sorted(n for n, p in carried_names.items() if p != AGGREGATE)
        if beyond:
            raise WorkflowError(f"{where}: goes to trustees, who get aggregates only; {', '.join(beyond)} is not "
                                "an aggregate (use figures such as programmes, or attach: report_pdf)")
        return
    address_names = set().union(*(t.names for t in (action.to, action.cc, action.bcc) if t is not None))
    if address_names <= {"recipients"} and addressed <= set(COORDINATORS):
        return  # coordinators may read everything the app holds
    if not personal or allow_personal:
        return
    own = {f.name for f in form.fields if f.type == "email"} if form is not None else set()
    to_submitter = (action.to.names <= own and action.to.names and not (action.cc and action.cc.names - {"recipients"})
                    and not (action.bcc and action.bcc.names - {"recipients"}) and addressed <= set(COORDINATORS))
    if to_submitter:
        beyond = [n for n in personal if form is None or n.removeprefix("labels.") not in form.columns]
        if not beyond:
            return  # a group's own answers, sent back to the address it gave
        personal = beyond
    raise WorkflowError(f"{where}: names personal data ({', '.join(personal)}) in a message to others than "
                        "coordinators (recipients.organiser, recipients.coordinators) or the person who gave it; "
                        "say allow_personal: true if they may have it")


def _waiting(actions: Sequence[Action], secrets: Mapping[str, Any]) -> str:
    """Why the workflow cannot run yet, or ""."""
    missing = []
    if any(isinstance(a, Email) for a in actions) and not isinstance(secrets.get("smtp"), Mapping):
        missing.append("mail settings ([smtp] in the secrets file)")
    hooks = secrets.get("webhook_secrets") if isinstance(secrets.get("webhook_secrets"), Mapping) else {}
    recipients = secrets.get("recipients") if isinstance(secrets.get("recipients"), Mapping) else {}
    for action in actions:
        if isinstance(action, (Webhook, Chat)) and "://" not in action.url and action.url not in hooks:
            missing.append(f"the address {action.url!r} in [webhook_secrets]")
        if isinstance(action, Webhook) and action.secret and action.secret not in hooks:
            missing.append(f"the signing key {action.secret!r} in [webhook_secrets]")
        if isinstance(action, Email):
            for name in sorted(_recipients(action.to) | _recipients(action.cc) | _recipients(action.bcc)):
                if not recipients.get(name):
                    missing.append(f"recipients.{name} in [recipients]")
    return "waiting for " + ", ".join(dict.fromkeys(missing)) if missing else ""
