"""What the workflows keep about people, within reach of the privacy tools:
the tabs they append to (privacy/appended.py) and the delivery log
(deliveries.sqlite3), which holds what each delivery sent: an e-mail to the
organiser can name a resident, a welcome goes to a group's contact.

- Retention: what a delivery sent is kept `payload_retention_days` (the
  workflows file's delivery section, 30 by default) after it was sent, or
  last failed; then it is removed. The worker does this by itself, and
  `python -m organising privacy purge` with the rest of the purge.
- Erasure: the deliveries naming the person (their name, e-mail or phone
  anywhere in what was sent, to whom, or in the error) lose what they sent
  at once; one not sent yet is cancelled, so a welcome to someone who asked
  to be forgotten never goes out.
- Subject access: those deliveries, with what they sent, are in the export.

The delivery itself stays in the log: its key (so it is never recorded or
sent again), workflow, state and times, and where it went in words, the
alliance's own addresses named and others only counted
(workflows/planner.py, without_content).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from ..config import AppConfig
from ..sheets import Store
from ..workflows.ledger import Delivery, Ledger, Planned
from ..workflows.overview import STATE_TEXT, as_text, local_time
from ..workflows.planner import without_content
from ..workflows.spec import DeliverySettings, WorkflowSet
from . import audit
from .appended import appended_tabs
from .personal import AppendedTab

DAY = 86400.0
ERASED = "cancelled: it named someone whose data was erased"


@dataclass(frozen=True)
class WorkflowData:
    """What the privacy tools need to reach what the workflows keep."""
    appended: tuple[AppendedTab, ...] = ()
    ledger: Ledger | None = None
    retention_days: int = DeliverySettings.payload_retention_days
    staff: frozenset[str] = frozenset()      # the alliance's own addresses ([recipients]): named in the log for good
    watching: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # a form's tab -> workflows it triggers

    @property
    def tabs(self) -> tuple[str, ...]:
        """The tabs the workflows append to."""
        return tuple(a.tab for a in self.appended)


def workflow_data(config: AppConfig, workflows: WorkflowSet, ledger: Ledger | None,
                  recipients: Mapping[str, str]) -> WorkflowData:
    """From the loaded workflows, the delivery log and [recipients] (each a
    list of addresses separated by commas)."""
    staff = frozenset(a.strip().casefold() for value in recipients.values() for a in str(value).split(",")
                      if a.strip())
    watching: dict[str, tuple[str, ...]] = {}
    for workflow in workflows.workflows:
        form = config.forms.get(workflow.trigger.form) if workflow.trigger.kind == "submitted" else None
        if form is not None:
            watching[form.tab] = (*watching.get(form.tab, ()), workflow.name)
    return WorkflowData(appended_tabs(config, workflows), ledger, workflows.delivery.payload_retention_days, staff,
                        watching)


def expired_reason(days: int) -> str:
    return f"not sent; what it would have sent was removed after {days} days (payload_retention_days)"


@dataclass(frozen=True)
class DeliveryChange:
    """A delivery whose content goes; `cancels` when it was not sent (due or failed) when read."""
    delivery: Delivery

    @property
    def cancels(self) -> bool:
        return self.delivery.state in ("due", "failed")

    @property
    def what(self) -> str:
        return "not sent yet: cancelled, and its content removed" if self.cancels else "its content removed"


def past_retention(data: WorkflowData, now: float | None = None) -> list[Delivery]:
    """Deliveries sent (or last failed) longer ago than the retention allows, still holding their content."""
    if data.ledger is None:
        return []
    return data.ledger.past_retention((time.time() if now is None else now) - data.retention_days * DAY)


def _texts(value: Any) -> Iterable[str]:
    """Every string inside a payload (JSON: strings, lists, mappings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def naming(data: WorkflowData, matches: Callable[[str], bool]) -> list[Delivery]:
    """The deliveries still holding content that mention someone: in what
    they sent, to whom, or the error they met."""
    if data.ledger is None:
        return []
    return [d for d in data.ledger.holding_content()
            if any(matches(text) for text in (d.destination, d.last_error, *_texts(d.payload)))]


def forget(data: WorkflowData, changes: Sequence[DeliveryChange], reason: str,
           now: float | None = None) -> dict[int, str]:
    """Remove what the deliveries sent (cancelling those not sent, with `reason`);
    returns each one's state afterwards."""
    if not changes:
        return {}
    if data.ledger is None:
        raise ValueError("the plan changes the delivery log, but none was given")
    kept = [(c.delivery.id, *without_content(c.delivery, data.staff)) for c in changes]
    return data.ledger.forget(kept, reason, now)


def purge_payloads(data: WorkflowData, store: Store, who: str, now: float | None = None) -> int:
    """What the worker runs: remove what deliveries sent once past retention,
    logged in the audit log first (how many, never whose); returns how many."""
    old = past_retention(data, now)
    if not old:
        return 0
    audit.record(store, who, "purge", f"{len(old)} deliveries' contents older than {data.retention_days} days "
                                      "removed from the delivery log")
    forget(data, [DeliveryChange(d) for d in old], expired_reason(data.retention_days), now)
    return len(old)


def when(timestamp: float | None, timezone: str) -> str:
    """A moment in the alliance's time zone, as the Workflows page shows it."""
    return local_time(timestamp, ZoneInfo(timezone))


def sent_text(delivery: Delivery) -> str:
    """What a delivery sent, as its receiver got it (or why nothing was)."""
    if not delivery.payload:
        return f"Nothing was sent: {delivery.last_error}"
    return as_text(Planned(delivery.key, delivery.workflow, delivery.trigger, delivery.action, delivery.kind,
                           delivery.destination, delivery.payload))


def preview(changes: Sequence[DeliveryChange], timezone: str) -> list[dict[str, object]]:
    """One line per delivery, for a coordinator to check before its content goes."""
    return [{"Delivery": c.delivery.id, "Made": when(c.delivery.created_at, timezone), "Workflow": c.delivery.workflow,
             "What": c.delivery.kind, "To": c.delivery.destination, "Status": STATE_TEXT[c.delivery.state],
             "Becomes": c.what} for c in changes]
