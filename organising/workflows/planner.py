"""What deliveries a trigger makes, and recording them.

A submission's deliveries are recorded by whoever saved it, right after the
store took it (the page, `python -m organising submit`, an import with
--run-workflows), and the worker's scan of the tabs records those of any row
it has not seen: a row typed into the Google Sheet or written by Google
Forms, or one whose saver stopped before recording. Both give a delivery the
same key, so it is recorded once.

A row is known by its submission id. A row without one (typed by hand, or by
Google Forms) is known by its content: its non-blank cells by column name
(case, spacing and column order do not matter), and which of several rows
with exactly that content it is. Sorting, inserting or deleting other rows
changes nothing. Such a row fires once it has stopped changing (`settled`): it
may be half typed; then the worker writes a submission id into it
(`id_stamps`), so an edit later does not make it a new row.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Collection, Mapping, Sequence

from ..cells import ADDRESS_IN_TEXT, clean_text
from ..forms.spec import Form
from ..forms.submissions import new_submission_id, utc_stamp
from ..sheets import SUBMISSION_ID, SUBMITTED_AT, CellEdit, Tab, normalise_header
from .context import (PERSONAL, Sources, condition_things, row_values, schedule_context, submission_context)
from .ledger import Delivery, Ledger, Planned
from .schedules import latest
from .spec import Append, Chat, Email, Webhook, Workflow, WorkflowSet
from .templates import TemplateProblem

_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_SPLIT = re.compile(r"[,;\s]+")


class PlanProblem(ValueError):
    """A delivery cannot be made as configured (no address, a body that is not JSON)."""


# -- knowing a row ---------------------------------------------------------------------

CONTENT = "content "  # the start of the key of a row known by its content


def id_key(submission_id: str) -> str:
    return f"id {submission_id.strip()}"


def row_keys(tab: Tab) -> dict[str, int]:
    """{key: row index} for each non-blank row, in the tab's order, each key
    once, at its first row (a pasted duplicate of a submission is the same
    submission). The worker asks this of every watched tab at every look: one
    dict, not a tuple per row, is a third of the memory at 100,000 rows."""
    id_column = tab.column(SUBMISSION_ID)
    named = [(normalise_header(h), i) for i, h in enumerate(tab.header) if str(h).strip()]
    found, copies = {}, {}
    for index, row in enumerate(tab.rows):
        if tab.blank(index):
            continue
        sid = clean_text(row[id_column]) if id_column is not None and id_column < len(row) else ""
        if sid:
            key = id_key(sid)
        else:
            cells = sorted((name, clean_text(row[i])) for name, i in named if i < len(row) and clean_text(row[i]))
            digest = hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()[:32]
            copies[digest] = copies.get(digest, 0) + 1
            key = f"{CONTENT}{digest} #{copies[digest]}"
        found.setdefault(key, index)
    return found


# -- rendering one trigger's deliveries --------------------------------------------------------

def delivery_key(workflow: str, trigger: str, action: int) -> str:
    return f"{workflow} | {trigger} | {action}"


def _addresses(text: str, where: str) -> list[str]:
    found = [a for a in _SPLIT.split(text.strip()) if a]
    wrong = [a for a in found if not _ADDRESS.match(a)]
    if wrong:
        raise PlanProblem(f"{where}: {wrong[0]!r} is not an e-mail address")
    return list(dict.fromkeys(found))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _host(url: str) -> str:
    if "://" not in url:
        return f"[webhook_secrets] {url}"
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0].rsplit('@', 1)[-1]}"


def default_data(workflow: Workflow, context: Mapping[str, Any]) -> dict[str, Any]:
    """What a webhook without a body sends: the trigger's values, personal
    ones left out unless the workflow allows them."""
    return {name: context[name] for name, variable in workflow.variables.items()
            if name in context and name not in ("recipients", "workflow")
            and (variable.privacy != PERSONAL or workflow.allow_personal)}


def render(workflow: Workflow, number: int, context: Mapping[str, Any], trigger_words: str,
           sources: Sources, key: str) -> tuple[str, dict[str, Any]]:
    """(destination in words, payload) of one action; PlanProblem or TemplateProblem when it cannot be made."""
    action = workflow.actions[number - 1]
    if isinstance(action, Email):
        to = _addresses(action.to.render(context), "to")
        cc = _addresses(action.cc.render(context), "cc") if action.cc else []
        bcc = _addresses(action.bcc.render(context), "bcc") if action.bcc else []
        if not to and not bcc:
            raise PlanProblem("to: no address to send to (the template gave nothing)")
        programme = action.programme or next(iter(sources.config.programmes), "")
        others = len(cc) + len(bcc)
        destination = ", ".join(to) + (f" and {others} more" if others and to else f"{others} in bcc" if others else "")
        return destination, {
            "to": to, "cc": cc, "bcc": bcc, "subject": _one_line(action.subject.render(context)),
            "text": action.body.render(context), "html": action.html.render(context) if action.html else "",
            "attach": [{"kind": a, "programme": programme, "as_of": sources.today.isoformat()} for a in action.attach]}
    if isinstance(action, Webhook):
        if action.body is None:
            body = json.dumps({"workflow": workflow.name, "trigger": trigger_words,
                               "data": default_data(workflow, context)}, ensure_ascii=False, default=str)
        else:
            body = action.body.render(context)
            try:
                json.loads(body)
            except ValueError as exc:
                raise PlanProblem(f"body: the template did not give JSON ({exc})") from None
        headers = {}
        for name, template in action.headers:
            value = template.render(context)
            if "\n" in value or "\r" in value:
                raise PlanProblem(f"headers {name}: a header value cannot hold a line break")
            headers[name] = value
        return _host(action.url), {"url": action.url, "secret": action.secret, "headers": headers, "body": body}
    if isinstance(action, Chat):
        return _host(action.url), {"url": action.url,
                                   "body": json.dumps({"text": action.text.render(context)}, ensure_ascii=False)}
    assert isinstance(action, Append)
    # Dated like a form's row, so the retention purge can age it (docs/PRIVACY.md).
    row = {**{column: template.render(context) for column, template in action.row},
           SUBMITTED_AT: utc_stamp(sources.now)}
    # The row's own id comes from the delivery's key: a retry finds it there and appends nothing.
    return f"tab {action.tab}", {"tab": action.tab, "row": row,
                                 "submission_id": "wf-" + hashlib.sha256(key.encode()).hexdigest()[:32]}


_QUOTED = re.compile(r"'[^'\n]*'")


def without_content(delivery: Delivery, staff: Collection[str]) -> tuple[str, dict[str, Any], str]:
    """What the delivery log keeps of a delivery once what it sent is removed:
    (destination in words, payload, last error). The alliance's own addresses
    (`staff`: those in [recipients]) are still named, others only counted;
    no subject, text, body or row is kept; the error loses any address or
    quoted value in it. Webhooks, chat and tabs keep where they went (a name
    or address from the configuration, never a resident's)."""
    ours = {a.casefold() for a in staff}
    p = delivery.payload

    def kept(addresses: Sequence[str]) -> list[str]:
        return [a for a in addresses if a.casefold() in ours]

    error = ADDRESS_IN_TEXT.sub(lambda m: m[0] if m[0].casefold() in ours else "(an address)", delivery.last_error)
    error = _QUOTED.sub("'…'", error)
    if delivery.kind == "email" and p:
        everyone = [*p.get("to", []), *p.get("cc", []), *p.get("bcc", [])]
        others = len(everyone) - len(kept(everyone))
        words = [*dict.fromkeys(kept(everyone)), *([f"{others} other address{'es' if others != 1 else ''}"]
                                                   if others else [])]
        return ", ".join(words), {"to": kept(p.get("to", [])), "cc": kept(p.get("cc", [])),
                                  "bcc": kept(p.get("bcc", [])), "subject": "", "text": "", "html": "",
                                  "attach": p.get("attach", [])}, error
    if delivery.kind in ("webhook", "chat") and p:
        return delivery.destination, {"url": p.get("url", ""), "secret": p.get("secret", ""), "headers": {},
                                      "body": ""}, error
    if delivery.kind == "append" and p:
        return delivery.destination, {"tab": p.get("tab", ""), "row": {},
                                      "submission_id": p.get("submission_id", "")}, error
    return delivery.destination, {}, error


def plan(workflow: Workflow, trigger: str, trigger_words: str, context: Mapping[str, Any], sources: Sources,
         test: str = "") -> list[Planned]:
    """Every action's delivery for one trigger. An action that cannot be made
    is planned all the same, with its reason, and is recorded as failed.
    `test` (an id) makes test deliveries with keys of their own."""
    out = []
    for number, action in enumerate(workflow.actions, start=1):
        key = delivery_key(workflow.name, f"test {test} {trigger}" if test else trigger, number)
        try:
            destination, payload = render(workflow, number, context, trigger_words, sources, key)
            error = ""
        except (PlanProblem, TemplateProblem) as exc:
            destination, payload, error = "(not sent)", {}, f"actions[{number}] {action.kind} {exc}"
        out.append(Planned(key, workflow.name, trigger_words, number, action.kind, destination, payload, error,
                           bool(test)))
    return out


# -- triggers ------------------------------------------------------------------------------

def runnable(workflow: Workflow, switches: Mapping[str, bool]) -> bool:
    """On (the coordinator's switch, else the file) and not waiting for settings."""
    return switches.get(workflow.name, workflow.enabled) and not workflow.waiting


def submission_plan(workflow: Workflow, form: Form, record: Mapping[str, str], row_key: str,
                    sources: Sources, test: str = "") -> list[Planned]:
    """The deliveries of one row of the form's tab (none when `when` does not hold)."""
    values = row_values(form, record)
    if workflow.when is not None and not workflow.when.holds(values, today=sources.today):
        return []
    context = submission_context(form, values, sources, workflow.name, set(workflow.names))
    sid = values.get(SUBMISSION_ID) or row_key
    words = f"{form.id} submission {sid}" if values.get(SUBMISSION_ID) else f"{form.id} row typed in the sheet"
    return plan(workflow, f"{form.id} {row_key}", words, context, sources, test)


def record_submission(workflows: WorkflowSet, ledger: Ledger, form: Form, record: Mapping[str, str],
                      sources: Sources, switches: Mapping[str, bool] | None = None) -> list[str]:
    """Record what a just-saved submission triggers (the page, the command line,
    an import); returns the delivery keys newly recorded."""
    row_key = id_key(str(record[SUBMISSION_ID]))
    switches = ledger.switches() if switches is None else switches
    planned, seen = [], []
    for workflow in workflows.watching(form.id):
        seen.append((workflow.name, row_key))
        if runnable(workflow, switches):
            planned += submission_plan(workflow, form, record, row_key, sources)
    return ledger.record(planned, seen) if seen else []


@dataclass
class ScanReport:
    recorded: int = 0          # deliveries newly recorded
    baselined: list[str] | None = None  # workflows seen for the first time
    # Rows known by their content, in a tab with a submission_id column, that every
    # workflow watching their form has now seen, (form id, tab, row index): they
    # can be given a submission id.
    typed_rows: list[tuple[str, Tab, int]] = field(default_factory=list)


def schedule_plan(workflow: Workflow, occurrence: dt.datetime, sources: Sources, test: str = "") -> list[Planned]:
    context = schedule_context(sources, workflow.name, set(workflow.names))
    if workflow.when is not None and not workflow.when.holds(context, today=sources.today):
        return []
    stamp = occurrence.strftime("%Y-%m-%d %H:%M")
    return plan(workflow, f"schedule {stamp}", f"schedule {stamp}", context, sources, test)


def condition_plan(workflow: Workflow, thing, sources: Sources, test: str = "") -> list[Planned]:
    if workflow.when is not None and not workflow.when.holds(thing.context, today=sources.today):
        return []
    return plan(workflow, thing.key, thing.label, thing.context, sources, test)


def scan(workflows: WorkflowSet, ledger: Ledger, sources: Sources, switches: Mapping[str, bool]) -> ScanReport:
    """Record what every workflow's trigger has made since it was last looked at."""
    report = ScanReport(baselined=[])
    now = sources.now.timestamp()
    keyed: dict[str, dict[str, int]] = {}
    # (form id, row index) of each row known by its content, in a tab with a
    # submission_id column: its tab, and the workflows that have seen it.
    typed_seen_by: dict[tuple[str, int], tuple[Tab, set[str]]] = {}
    for workflow in workflows.workflows:
        trigger = workflow.trigger
        since = ledger.watching_since(workflow.name, trigger.signature)
        if trigger.kind == "schedule":
            occurrence = latest(trigger.cron, sources.config.settings.timezone, sources.now)
            if since is None:
                ledger.start_watching(workflow.name, trigger.signature, (), now)
                report.baselined.append(workflow.name)
                continue
            thing = f"schedule {occurrence.isoformat()}"
            if occurrence.timestamp() <= since or not ledger.unseen(workflow.name, [thing]):
                continue
            planned = schedule_plan(workflow, occurrence, sources) if runnable(workflow, switches) else []
            report.recorded += len(ledger.record(planned, [(workflow.name, thing)]))
            continue
        if trigger.kind == "submitted":
            form = sources.config.forms[trigger.form]
            tab = sources.tabs.get(form.tab, Tab(form.tab))
            if form.tab not in keyed:
                keyed[form.tab] = row_keys(tab)
            items = keyed[form.tab]
        else:
            if since is not None and trigger.at and sources.now.time() < trigger.at:
                continue
            things = {t.key: t for t in condition_things(trigger.condition, {"status": trigger.statuses}, sources,
                                                         workflow.name, set(workflow.names))}
            items = things
        if since is None:
            ledger.start_watching(workflow.name, trigger.signature, list(items), now)
            report.baselined.append(workflow.name)
            unseen = []
        else:
            unseen = ledger.unseen(workflow.name, items)
        if trigger.kind == "submitted":
            fire = settled(ledger, form.tab, unseen, now, workflows.delivery.settle_seconds)
            settling = set(unseen) - set(fire)
            if tab.column(SUBMISSION_ID) is not None:  # else (a Google Forms tab) it stays known by content
                for key, index in items.items():
                    if key.startswith(CONTENT) and key not in settling:
                        typed_seen_by.setdefault((form.id, index), (tab, set()))[1].add(workflow.name)
            unseen = fire
        for key in unseen:
            planned = []
            if runnable(workflow, switches):
                if trigger.kind == "submitted":
                    record = _record(tab, items[key], form)
                    planned = submission_plan(workflow, form, record, key, sources)
                else:
                    planned = condition_plan(workflow, items[key], sources)
            report.recorded += len(ledger.record(planned, [(workflow.name, key)]))
    report.typed_rows = [(form_id, tab, index) for (form_id, index), (tab, seen_by) in typed_seen_by.items()
                         if seen_by >= {w.name for w in workflows.watching(form_id)}]
    return report


def id_stamps(workflows: WorkflowSet, typed_rows: Sequence[tuple[str, Tab, int]]
              ) -> tuple[list[CellEdit], list[tuple[str, str]]]:
    """A new submission id for each row typed without one (`ScanReport.typed_rows`), so that a later edit of the row (a typo put right) is the same
    row, not a new one that fires its workflows again; and the new ids' keys,
    seen by the workflows that saw the row, to be recorded before the ids are
    written (a crash in between then fires nothing twice)."""
    edits, seen = [], []
    for form_id, tab, index in typed_rows:
        column = tab.column(SUBMISSION_ID)
        row, submission_id = tab.rows[index], new_submission_id()
        edits.append(CellEdit(tab.name, tab.sheet_row(index), tab.header[column],
                              row[column] if column < len(row) else "", submission_id, row_cells=tuple(row)))
        seen += [(w.name, id_key(submission_id)) for w in workflows.watching(form_id)]
    return edits, seen


def settled(ledger: Ledger, tab: str, keys: list[str], now: float, settle_seconds: float) -> list[str]:
    """Those of `keys` whose rows may fire now. A row with a submission id was
    written whole (by the app, or Google Forms with one); a row known by its
    content may be half typed, a cell at a time, so it fires once it has
    looked the same for `settle_seconds` (until then each look sees new
    content, and each half-typed state would fire)."""
    typed = [k for k in keys if k.startswith(CONTENT)]
    if not typed:
        return keys
    first_seen = ledger.first_seen([f"{tab} | {k}" for k in typed], now)
    return [k for k in keys if not k.startswith(CONTENT) or now - first_seen[f"{tab} | {k}"] >= settle_seconds]


def _record(tab: Tab, index: int, form: Form) -> dict[str, str]:
    """One row as {column: cell}, by the form's column names (aliases honoured)."""
    row = tab.rows[index]
    out = {h: (row[i] if i < len(row) else "") for i, h in enumerate(tab.header) if h}
    for column in form.columns:
        i = tab.column(column, form.aliases.get(column, ()))
        if i is not None:
            out[column] = row[i] if i < len(row) else ""
    return out


def recent_rows(tab: Tab, form: Form, limit: int = 50) -> list[tuple[str, int, dict[str, str]]]:
    """(key, sheet row, record) of the tab's last rows, newest first: what a dry run can choose from."""
    return [(key, tab.sheet_row(index), _record(tab, index, form))
            for key, index in reversed(list(row_keys(tab).items())[-limit:])]


def record_rows(workflows: WorkflowSet, ledger: Ledger, form: Form, tab: Tab, sources: Sources,
                run: bool) -> int:
    """Rows loaded in bulk (demo data, an import): with `run`, each row no
    workflow has seen yet triggers its workflows as a submission would; without,
    they count as already there and no workflow fires for them. Returns the
    deliveries recorded."""
    recorded = 0
    switches = ledger.switches()
    keys = row_keys(tab)
    for workflow in workflows.watching(form.id):
        unseen = ledger.unseen(workflow.name, keys)
        wanted = set(unseen)
        planned = []
        if run and runnable(workflow, switches):
            for key, index in keys.items():
                if key in wanted:
                    planned += submission_plan(workflow, form, _record(tab, index, form), key, sources)
        recorded += len(ledger.record(planned, [(workflow.name, key) for key in unseen]))
    return recorded


def thing_choices(workflow: Workflow, sources: Sources) -> Sequence:
    """What a dry run of a condition workflow can show: the things it holds for now."""
    trigger = workflow.trigger
    return condition_things(trigger.condition, {"status": trigger.statuses}, sources, workflow.name,
                            set(workflow.names))
