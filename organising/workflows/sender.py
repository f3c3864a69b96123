"""Sending what is due: at least once, made exactly once in effect.

A sender claims a few due deliveries under a lease, renews the lease just
before each send (so it never sends one it no longer holds), and records
each outcome as soon as it knows it. A delivery is only marked sent after
the mail server or webhook accepted it, so a sender that dies in between
leaves it due: another sends it again, with the same key, the same
Idempotency-Key header and the same e-mail Message-ID, so a receiver can
tell the two apart from two different deliveries.

Failures are retried after 1, 10 and 100 minutes (delivery.retry_after_minutes
in the workflows file), then the delivery has failed; a refusal that will not
change by waiting (an HTTP 4xx other than 408 and 429, a mail server refusing
every address) fails at once. A coordinator can retry failed ones. An e-mail
the server took for some addresses and refused for others is sent: those
accepted have it, so it is not sent again; the refused ones are named in the
log.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol

from .ledger import Delivery, Ledger
from .spec import DeliverySettings

_log = logging.getLogger(__name__)
BATCH = 10


class DeliveryFailed(Exception):
    """One attempt failed; `permanent` when trying again cannot help."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class Channel(Protocol):
    def send(self, delivery: Delivery) -> str | None:
        """Deliver it, or raise DeliveryFailed saying why in plain words. A
        note in plain words when it was delivered only in part (an e-mail some
        of whose addresses the server refused), kept in the delivery log."""


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry later, {self.failed} failed"


def retry_at(delivery: Delivery, settings: DeliverySettings, permanent: bool, now: float) -> float | None:
    """When to try again after this failed attempt; None: it has failed."""
    failures = delivery.attempts + 1
    if permanent or failures > len(settings.retry_after):
        return None
    return now + settings.retry_after[failures - 1]


def send_due(ledger: Ledger, channels: Mapping[str, Channel], owner: str, settings: DeliverySettings,
             clock: Callable[[], float] = time.time, limit: int | None = None,
             stop: Callable[[], bool] = lambda: False) -> SendReport:
    """Send what is due now, a batch at a time, until nothing is (or `limit` were tried)."""
    report = SendReport()
    tried = 0
    while not stop() and (limit is None or tried < limit):
        batch = ledger.claim(owner, min(BATCH, limit - tried) if limit else BATCH, settings.lease_seconds, clock())
        if not batch:
            break
        for delivery in batch:
            tried += 1
            if stop() or not ledger.renew(delivery.id, owner, settings.lease_seconds, clock()):
                continue  # lost to another sender, or stopping: the lease runs out and it is taken again
            _send_one(ledger, channels, delivery, settings, clock, report)
    return report


def _send_one(ledger: Ledger, channels: Mapping[str, Channel], delivery: Delivery, settings: DeliverySettings,
              clock: Callable[[], float], report: SendReport) -> None:
    channel = channels.get(delivery.kind)
    try:
        if channel is None:
            raise DeliveryFailed(f"nothing can send {delivery.kind} deliveries here: its settings are missing "
                                 "from the secrets file")
        note = channel.send(delivery)
    except DeliveryFailed as exc:
        reason, permanent = str(exc), exc.permanent
    except Exception as exc:  # noqa: BLE001 - one delivery's surprise must not stop the others
        _log.exception("delivery %s failed unexpectedly", delivery.key)
        reason, permanent = f"an unexpected error: {exc.__class__.__name__}: {exc}", False
    else:
        ledger.sent(delivery.id, clock(), note or "")
        report.sent += 1
        return
    when = retry_at(delivery, settings, permanent, clock())
    ledger.attempt_failed(delivery.id, reason, when, clock())
    if when is None:
        report.failed += 1
    else:
        report.retrying += 1
