"""The worker: reads the tabs for what triggered a workflow, and sends.

It runs inside the app's server (one thread per server process) and as
`python -m organising worker` for a deployment that prefers a process of its
own or cron (`worker --once`). Any number may run against one data folder:
the ledger's leases make sure one of them reads the tabs at a time, and each
delivery is taken by one sender. Whoever reads the tabs also does the
housekeeping it is given (removing what deliveries sent once past the
delivery log's retention, privacy/deliveries.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from ..config import AppConfig
from ..sheets import Store, Tab
from .context import Sources
from .ledger import Ledger
from .planner import ScanReport, id_stamps, scan
from .sender import Channel, SendReport, send_due
from .spec import DeliverySettings, WorkflowSet

_log = logging.getLogger(__name__)
SCAN_LEASE = "scan"


@dataclass(frozen=True)
class Setup:
    """What the worker needs from outside the domain, reloaded when the files change."""
    workflows: WorkflowSet
    recipients: Mapping[str, Any]
    channels: Mapping[str, Channel]


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    def __init__(self, config: AppConfig, store: Store, ledger: Ledger, setup: Callable[[], Setup],
                 clock: Callable[[], float] = time.time, owner: str | None = None,
                 housekeeping: Callable[[Setup, float], Any] | None = None,
                 tabs: Callable[[], Mapping[str, Tab]] | None = None):
        self.config = config
        # Inside the app's server, the pages' shared read: no copy of the tabs of its own.
        self.tabs = tabs or (lambda: store.read_tabs(config.tabs))
        self.housekeeping = housekeeping
        self.store = store
        self.ledger = ledger
        self.setup = setup
        self.clock = clock
        self.owner = owner or owner_name()
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.last_scan: float | None = None
        self.last_error = ""

    def sources(self, setup: Setup) -> Sources:
        now = dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc)
        tz = ZoneInfo(self.config.settings.timezone)

        def failed() -> list[dict[str, str]]:
            return [{"workflow": d.workflow, "destination": d.destination, "error": d.last_error,
                     "when": dt.datetime.fromtimestamp(d.next_attempt_at, tz).strftime("%Y-%m-%d %H:%M")}
                    for d in self.ledger.failed_since(now.timestamp() - 86400) if not d.test]

        return Sources(self.config, self.tabs, now, setup.recipients, failed)

    def scan(self) -> ScanReport | None:
        """Look for what triggered a workflow; None when another worker is looking."""
        setup = self.setup()
        lease = max(3 * setup.workflows.delivery.scan_seconds, 60.0)
        if not self.ledger.hold(SCAN_LEASE, self.owner, lease, self.clock()):
            return None
        report = scan(setup.workflows, self.ledger, self.sources(setup), self.ledger.switches())
        self.give_ids(setup.workflows, report)
        self.last_scan = self.clock()
        if self.housekeeping is not None:
            try:
                self.housekeeping(setup, self.clock())
            except Exception as exc:  # noqa: BLE001 - it is tried again at the next look; sending goes on
                self.last_error = f"housekeeping: {exc.__class__.__name__}: {exc}"
                _log.exception("the worker's housekeeping failed; trying again at the next look at the tabs")
        return report

    def send(self, limit: int | None = None) -> SendReport:
        setup = self.setup()
        return send_due(self.ledger, setup.channels, self.owner, setup.workflows.delivery, self.clock, limit,
                        self.stopping.is_set)

    def give_ids(self, workflows: WorkflowSet, report: ScanReport) -> None:
        """Write a submission id into each row typed without one that every
        workflow has now seen; a row changed meanwhile keeps its content key
        and is given one at a later look."""
        edits, seen = id_stamps(workflows, report.typed_rows)
        if not edits:
            return
        self.ledger.record([], seen)
        try:
            self.store.edit_cells(edits)
        except Exception as exc:  # noqa: BLE001 - the rows stay known by their content; tried at the next look
            self.last_error = f"giving typed rows a submission id: {exc.__class__.__name__}: {exc}"
            _log.exception("typed rows could not be given a submission id; trying again at the next look")

    def run_once(self) -> tuple[ScanReport | None, SendReport]:
        """Look once, send everything due now, and let go of the scan."""
        try:
            return self.scan(), self.send()
        finally:
            self.ledger.release(SCAN_LEASE, self.owner)

    def run(self) -> None:
        """Until stop(): look at the tabs every scan_seconds, and send what is
        due every send_seconds, or at once when woken (a submission was saved)."""
        next_scan = 0.0
        try:
            while not self.stopping.is_set():
                delivery = DeliverySettings()
                try:
                    delivery = self.setup().workflows.delivery
                    if time.monotonic() >= next_scan:
                        next_scan = time.monotonic() + delivery.scan_seconds
                        self.scan()
                    self.send()
                    self.last_error = ""
                except Exception as exc:  # noqa: BLE001 - the worker must outlive any one failure
                    self.last_error = f"{exc.__class__.__name__}: {exc}"
                    _log.exception("the workflow worker failed; trying again shortly")
                self.wake.wait(delivery.send_seconds)
                self.wake.clear()
        finally:
            self.ledger.release(SCAN_LEASE, self.owner)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="workflow-worker", daemon=True)
        thread.start()
        return thread

    def nudge(self) -> None:
        """Something was just recorded: send now rather than at the next round."""
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
