"""What the Workflows page and the command line show: each workflow and how
it stands, the delivery log, and a dry run in words."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace
from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo

import pandas as pd

from ..sheets import Tab
from .context import Sources
from .ledger import Delivery, Ledger, Planned, WorkflowCounts
from .planner import condition_plan, recent_rows, schedule_plan, submission_plan, thing_choices
from .schedules import following, latest
from .spec import Workflow, WorkflowSet

STATE_TEXT = {"due": "waiting to be sent", "sent": "delivered", "failed": "failed", "cancelled": "cancelled, not sent"}


def status(workflow: Workflow, switches: Mapping[str, bool]) -> str:
    if not switches.get(workflow.name, workflow.enabled):
        return "off"
    return workflow.waiting or "on"


def local_time(timestamp: float | None, tz: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(timestamp, tz).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def overview(workflows: WorkflowSet, counts: Mapping[str, WorkflowCounts], switches: Mapping[str, bool],
             timezone: str, now: dt.datetime) -> pd.DataFrame:
    tz = ZoneInfo(timezone)
    rows = []
    for w in workflows.workflows:
        c = counts.get(w.name, WorkflowCounts())
        trigger = w.trigger.describe()
        if w.trigger.kind == "schedule":
            trigger += f" (next {following(w.trigger.cron, timezone, now):%a %d %b %H:%M})"
        rows.append({"Workflow": w.name, "Starts when": trigger, "Status": status(w, switches),
                     "Last run": local_time(c.last_created_at, tz), "Waiting": c.due or 0, "Delivered": c.sent or 0,
                     "Failed": c.failed or 0})
    return pd.DataFrame(rows, columns=["Workflow", "Starts when", "Status", "Last run", "Waiting", "Delivered",
                                       "Failed"])


def delivery_log(deliveries: Sequence[Delivery], timezone: str) -> pd.DataFrame:
    tz = ZoneInfo(timezone)
    return pd.DataFrame([{
        "Id": d.id, "When": local_time(d.created_at, tz), "Workflow": d.workflow, "What": d.kind, "To": d.destination,
        "Status": STATE_TEXT[d.state] + (" (test)" if d.test else ""), "Tries": d.attempts,
        "Next try": local_time(d.next_attempt_at, tz) if d.state == "due" and d.attempts else "",
        "Sent": local_time(d.sent_at, tz), "Problem": d.last_error, "Triggered by": d.trigger,
    } for d in deliveries], columns=["Id", "When", "Workflow", "What", "To", "Status", "Tries", "Next try", "Sent",
                                     "Problem", "Triggered by"])


# -- dry runs and tests ------------------------------------------------------------------

def choices(workflow: Workflow, sources: Sources, limit: int = 50) -> list[tuple[str, Any]]:
    """What a dry run can be made for: (label, choice). Past rows of the form
    (newest first, by sheet row: no cell text, which is the person's), the
    schedule's last time, or what the condition holds for now."""
    trigger = workflow.trigger
    if trigger.kind == "submitted":
        form = sources.config.forms[trigger.form]
        tab = sources.tabs.get(form.tab, Tab(form.tab))
        return [(f"{form.tab}, sheet row {row}" + (" (typed in the sheet)" if key.startswith("content") else ""),
                 (key, record)) for key, row, record in recent_rows(tab, form, limit)]
    if trigger.kind == "schedule":
        at = latest(trigger.cron, sources.config.settings.timezone, sources.now)
        return [(f"as if it ran now (last due {at:%a %d %b %H:%M})", at)]
    return [(thing.label, thing) for thing in thing_choices(workflow, sources)]


def dry_run(workflow: Workflow, choice: Any, sources: Sources, test: str = "") -> list[Planned]:
    """Exactly what the workflow would send for that choice, without sending
    (an empty list: `when` does not hold)."""
    trigger = workflow.trigger
    if trigger.kind == "submitted":
        key, record = choice
        return submission_plan(workflow, sources.config.forms[trigger.form], record, key, sources, test)
    if trigger.kind == "schedule":
        return schedule_plan(workflow, choice, sources, test)
    return condition_plan(workflow, choice, sources, test)


def send_test(workflow: Workflow, choice: Any, sources: Sources, ledger: Ledger, test_address: str) -> list[str]:
    """Record a test of the workflow: its e-mails go to `test_address` only
    (subject marked [Test]), webhooks and chat posts to their own address
    marked X-Organising-Test; rows are not appended. Returns the keys."""
    planned = []
    for p in dry_run(workflow, choice, sources, test=uuid.uuid4().hex[:12]):
        if p.kind == "append":
            continue
        if p.kind == "email" and not p.error:
            p = replace(p, payload={**p.payload, "to": [test_address], "cc": [], "bcc": []}, destination=test_address)
        planned.append(p)
    return ledger.record(planned)


def as_text(planned: Planned) -> str:
    """A planned delivery as the receiver would get it, for reading on the page."""
    p = planned.payload
    if planned.error:
        return f"Would not be sent: {planned.error}"
    if planned.kind == "email":
        lines = [f"To: {', '.join(p['to'])}"]
        lines += [f"Cc: {', '.join(p['cc'])}"] if p["cc"] else []
        lines += [f"Bcc: {', '.join(p['bcc'])}"] if p["bcc"] else []
        lines += [f"Subject: {p['subject']}"]
        lines += [f"Attached: {a['kind'].replace('_', ' ')} ({a['programme']}, as of {a['as_of']})" for a in p["attach"]]
        lines += ["", p["text"]]
        if p["html"]:
            lines += ["", "--- HTML part ---", p["html"]]
        return "\n".join(lines)
    if planned.kind in ("webhook", "chat"):
        headers = "".join(f"{k}: {v}\n" for k, v in p.get("headers", {}).items())
        signed = "X-Organising-Signature: sha256=… (signed with " + p["secret"] + ")\n" if p.get("secret") else ""
        return (f"POST {planned.destination}\n{headers}{signed}\n"
                + json.dumps(json.loads(p["body"]), indent=2, ensure_ascii=False))
    return f"Append to the {p['tab']} tab:\n" + "\n".join(f"{k}: {v}" for k, v in p["row"].items())
