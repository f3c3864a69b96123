"""The deliveries that stay inside the app: a row appended to another tab,
and the funder report attached to an e-mail."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from ..config import AppConfig
from ..counting.metrics import compute_report
from ..reporting.pdf_report import as_pdf
from ..reporting.reports import as_xlsx
from ..sheets import Store, StoreUnavailable, Tab
from .ledger import Delivery
from .sender import DeliveryFailed


class AppendChannel:
    """Appends a row to a follow-up tab through the store: RAW, so a value
    that looks like a formula stays text, and under a submission id made from
    the delivery's key, so a retry finds it there and appends nothing."""

    def __init__(self, store: Store):
        self.store = store

    def send(self, delivery: Delivery) -> None:
        payload = delivery.payload
        try:
            self.store.append_row(payload["tab"], payload["row"], payload["submission_id"])
        except StoreUnavailable as exc:
            raise DeliveryFailed(f"the sheet could not take the row: {exc}") from None


def report_attachment(config: AppConfig, tabs: Callable[[], Mapping[str, Tab]],
                      spec: Mapping[str, Any]) -> tuple[str, str, bytes]:
    """The funder report (aggregates only) as the file an e-mail attaches."""
    programme = config.programmes.get(spec["programme"])
    if programme is None:
        raise DeliveryFailed(f"there is no programme {spec['programme']!r} in targets.yaml to report on",
                             permanent=True)
    as_of = dt.date.fromisoformat(spec["as_of"])
    read = tabs()
    report = compute_report(programme, read, config.forms, as_of)
    stem = f"{programme.name} funder report {as_of.isoformat()}"
    if spec["kind"] == "report_xlsx":
        return f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx(report)
    return f"{stem}.pdf", "application/pdf", as_pdf(report, programme, read, config.forms)
