"""Putting the workflows together with what lies outside the domain: the
secrets file (mail server, webhook addresses and keys, recipients), the
senders that reach the network, and the ledger in the data folder. The app's
server and the command line both start here, so they run the same code."""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any, Callable, Mapping

from organising.config import AppConfig
from organising.forms.spec import ConfigError
from organising.forms.spec import Form
from organising.privacy.deliveries import WorkflowData, purge_payloads, workflow_data
from organising.sheets import Store, Tab
from organising.workflows.channels import AppendChannel, report_attachment
from organising.workflows.context import Sources
from organising.workflows.ledger import LEDGER_FILE, Ledger
from organising.workflows.planner import record_rows, record_submission
from organising.workflows.spec import Problem, WorkflowSet, load_workflows, workflows_path
from organising.workflows.worker import Setup, Worker

from .mail import MailChannel, smtp_settings
from .stores import load_secrets, secrets_path
from .webhooks import WebhookChannel


def open_ledger(config: AppConfig) -> Ledger:
    return Ledger(config.settings.data_dir / LEDGER_FILE)


def recipients(secrets: Mapping[str, Any]) -> dict[str, str]:
    """[recipients] as templates see them: a list of addresses becomes "a@x, b@y"."""
    section = secrets.get("recipients")
    if not isinstance(section, Mapping):
        return {}
    return {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in section.items()}


def _mtime(path: Path) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


class SetupLoader:
    """The workflows, recipients and senders, loaded again when the workflows
    file or the secrets file changes (a coordinator's fix shows without a restart)."""

    def __init__(self, config: AppConfig, store: Store):
        self.config = config
        self.store = store
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._setup: Setup | None = None

    @property
    def path(self) -> Path:
        return workflows_path(self.config.config_dir)

    def __call__(self) -> Setup:
        stamp = (str(self.path), _mtime(self.path), str(secrets_path()), _mtime(secrets_path()))
        with self._lock:
            if self._setup is None or stamp != self._stamp:
                self._setup, self._stamp = self._load(), stamp
            return self._setup

    def _load(self) -> Setup:
        try:
            secrets = load_secrets()
        except ConfigError as exc:
            problem = Problem(str(secrets_path()), "", f"the secrets file cannot be read, so no workflow runs: {exc}")
            return Setup(WorkflowSet(problems=(problem,), path=str(self.path)), {}, {})
        workflows = load_workflows(self.path, self.config, secrets)
        channels: dict[str, Any] = {"append": AppendChannel(self.store)}
        hooks = secrets.get("webhook_secrets") if isinstance(secrets.get("webhook_secrets"), Mapping) else {}
        channels["webhook"] = channels["chat"] = WebhookChannel(hooks, workflows.delivery.timeout_seconds)
        try:
            smtp = smtp_settings(secrets)
        except ConfigError as exc:
            workflows = WorkflowSet(workflows.workflows, (*workflows.problems, Problem(str(secrets_path()), "",
                                                                                      str(exc))),
                                    workflows.delivery, workflows.path)
            smtp = None
        if smtp is not None:
            tabs = lambda: self.store.read_tabs(self.config.tabs)  # noqa: E731
            channels["email"] = MailChannel(smtp, workflows.delivery.timeout_seconds,
                                            lambda spec: report_attachment(self.config, tabs, spec))
        return Setup(workflows, recipients(secrets), channels)


# Who the audit log names when the worker removes what deliveries sent, past retention.
WORKER_NAME = "the workflow sender (delivery log retention)"


def data_for(config: AppConfig, setup: Setup, ledger: Ledger) -> WorkflowData:
    """What the privacy tools need of the workflows, from a loaded setup."""
    return workflow_data(config, setup.workflows, ledger, setup.recipients)


def workflow_records(config: AppConfig, store: Store) -> WorkflowData:
    """The same, loaded afresh (the command line, the Privacy page)."""
    return data_for(config, SetupLoader(config, store)(), open_ledger(config))


def make_worker(config: AppConfig, store: Store, ledger: Ledger | None = None,
                tabs: Callable[[], Mapping[str, Tab]] | None = None, setup: SetupLoader | None = None) -> Worker:
    """`tabs`: how the worker reads the tabs (the app's server passes its
    shared read); by default one read of the store per look. `setup`: the
    loader of the workflows it shares with the pages, if any."""
    ledger = ledger or open_ledger(config)

    def housekeeping(setup: Setup, now: float) -> None:
        purge_payloads(data_for(config, setup, ledger), store, WORKER_NAME, now)

    return Worker(config, store, ledger, setup or SetupLoader(config, store), housekeeping=housekeeping, tabs=tabs)


def sources_for(config: AppConfig, store: Store, setup: Setup,
                tabs: Callable[[], Mapping[str, Tab]] | None = None) -> Sources:
    """Where a submission's context is worked out from: `tabs` (the page's
    shared read) or else one read of the store, made only if a workflow needs it."""
    now = dt.datetime.now(dt.timezone.utc)
    return Sources(config, tabs or (lambda: store.read_tabs(config.tabs)), now, setup.recipients)


def record_saved(config: AppConfig, store: Store, form: Form, row: Mapping[str, str],
                 tabs: Callable[[], Mapping[str, Tab]] | None = None, setup: Setup | None = None,
                 ledger: Ledger | None = None) -> list[str]:
    """Record the deliveries a just-saved submission triggers (the page and
    `python -m organising submit`); returns their keys. Should this fail, the
    worker's scan of the tabs records them when it meets the row."""
    setup = setup or SetupLoader(config, store)()
    return record_submission(setup.workflows, ledger or open_ledger(config), form, row,
                             sources_for(config, store, setup, tabs))


def loaded_in_bulk(config: AppConfig, store: Store, run: bool) -> int:
    """Rows just loaded in bulk (demo data, an import): without `run` no
    workflow fires for them (an old sheet moved into the app must not welcome
    every group again); with it, they run as new submissions. Returns the
    deliveries recorded."""
    setup, ledger = SetupLoader(config, store)(), open_ledger(config)
    tabs = store.read_tabs(config.tabs)
    sources = sources_for(config, store, setup, lambda: tabs)
    return sum(record_rows(setup.workflows, ledger, form, tabs[form.tab], sources, run)
               for form in config.forms.values() if setup.workflows.watching(form.id) and form.tab in tabs)
