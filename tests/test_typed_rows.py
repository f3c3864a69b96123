"""Rows typed into the sheet by hand set workflows off once: not while they are
half typed, and not again when someone puts a typo right. On the embedded
store and on Google Sheets (the fake, through real gspread), with a real
SMTP server on 127.0.0.1 counting the mails."""
from __future__ import annotations

from integrations.delivery import SetupLoader, open_ledger
from organising.sheets import SUBMISSION_ID
from organising.workflows.worker import Worker
from tests.test_delivery import Clock, welcome
from tests.test_store_contract import Sheet, sheet  # noqa: F401 - the fixture: both stores

HEADER = ["organisation", "contact_name", "email", "area", "what_we_do", "consent_to_contact", SUBMISSION_ID]
EARLIER = ["Old Group", "Di", "di@example.org", "bletchley", "Sport", "yes", "s-old"]


def look(worker: Worker, clock: Clock, minutes: float = 1) -> None:
    """A minute on, the worker looks at the tabs and sends what is due."""
    clock.advance(60 * minutes)
    worker.run_once()


def test_a_typed_row_welcomes_once_when_typed_in_full_and_not_again_when_corrected(
        app_config, sheet: Sheet, mail_server, workflows_env):
    workflows_env(welcome(), {"smtp": mail_server.secrets()})
    tab = app_config.forms["cag_signup"].tab
    sheet.type_in(tab, HEADER, [EARLIER])
    clock = Clock()
    worker = Worker(app_config, sheet.store, open_ledger(app_config), SetupLoader(app_config, sheet.store), clock)
    worker.run_once()  # the workflow starts watching: the rows already there are history

    typing = ["Hope Food Bank", "", "", "", "", "", ""]
    for column, cell in [(1, "Grace"), (2, "grace@example.org"), (3, "fishermead"), (5, "yes")]:
        typing[column] = cell  # the volunteer types a cell at a time; the worker looks in between
        sheet.type_in(tab, HEADER, [EARLIER, list(typing)])
        look(worker, clock)
    assert mail_server.mails == []
    look(worker, clock)  # it looked the same a minute later: typed in full
    [mail] = mail_server.mails
    assert mail.recipients == ["grace@example.org"] and mail.text.strip() == "Hello Grace"

    # The worker gave the row a submission id, so it stays the same row when edited.
    [old, typed] = sheet.records(tab)
    assert typed[SUBMISSION_ID] and typed["organisation"] == "Hope Food Bank" and old == dict(zip(HEADER, EARLIER))
    fixed = [typed[h] for h in HEADER]
    fixed[0] = "Hope Foodbank"  # a typo put right, and the sheet sorted
    sheet.type_in(tab, HEADER, [fixed, EARLIER])
    for _ in range(3):
        look(worker, clock)
    assert len(mail_server.mails) == 1 and len(open_ledger(app_config).deliveries()) == 1
