"""python -m organising privacy …: retention status, purge, erasure and
subject access from the command line (a cron job can purge every month).
Nothing is blanked without --yes: without it a command shows what it would
do. Who ran it goes in the audit log (--by, or the computer's user name).
Each command reaches what the workflows keep too: the tabs they append to
and the delivery log (privacy/deliveries.py)."""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import Callable

from ..config import AppConfig
from ..sheets import Store
from . import audit
from .access import subject_access
from .deliveries import WorkflowData, preview
from .erasure import plan_erasure
from .personal import waiting_tabs
from .plan import Outcome, Plan, carry_out
from .retention import alliance_today, plan_purge
from .search import Query

OpenStore = Callable[[AppConfig], Store]
OpenWorkflowData = Callable[[AppConfig, Store], WorkflowData]


def add_parser(commands: argparse._SubParsersAction, run: Callable[[argparse.Namespace], int]) -> None:
    privacy = commands.add_parser("privacy", help="residents' personal data: retention, purge, erasure, access")
    actions = privacy.add_subparsers(dest="action", required=True)
    actions.add_parser("status", help="how many rows hold personal data past retention_months, tab by tab")
    purge = actions.add_parser("purge", help="blank personal data older than retention_months; rows and figures stay")
    forget = actions.add_parser("forget", help="erase a person from every tab; rows and figures stay")
    access = actions.add_parser("access", help="everything held about a person, as one .xlsx to send them")
    for parser in (forget, access):
        parser.add_argument("--name", action="append", default=[], help="their name (repeat for other spellings)")
        parser.add_argument("--institution", default="", help="their institution, to tell apart people of one name")
        parser.add_argument("--email", action="append", default=[], help="their e-mail address")
        parser.add_argument("--phone", action="append", default=[], help="their phone number")
    for parser in (purge, forget):
        parser.add_argument("--yes", action="store_true", help="blank the cells (without it, only show them)")
        parser.add_argument("--even-if-figures-change", action="store_true",
                            help="go ahead even when a figure would change (they are named first)")
    access.add_argument("--output", required=True, help="the .xlsx file to write")
    for parser in (purge, forget, access):
        parser.add_argument("--by", default=f"{getpass.getuser()} (command line)",
                            help="who is doing this, for the audit log")
    privacy.set_defaults(run=run)


def run(args: argparse.Namespace, config: AppConfig, open_store: OpenStore, open_data: OpenWorkflowData) -> int:
    store = open_store(config)
    return {"status": _status, "purge": _purge, "forget": _forget, "access": _access}[args.action](
        args, config, store, open_data(config, store), alliance_today(config))


def _status(args, config: AppConfig, store: Store, data: WorkflowData, today: dt.date) -> int:
    plan, status = plan_purge(config, store.read_tabs([*config.tabs, *data.tabs]), today, data)
    print(f"Personal data is kept {status.months} months: rows recorded before {status.cutoff:%d %B %Y} are past it.")
    for tab, rows in status.past.items():
        print(f"  {tab}: {rows} rows")
    print(f"{status.rows_past} rows hold personal data past retention" + (
        f"; `python3 -m organising privacy purge --yes` blanks {len(plan.removed)} cells." if status.rows_past else "."))
    print(f"The delivery log keeps what each delivery sent {status.delivery_days} days: "
          f"{len(status.deliveries)} deliveries hold content older than that"
          + (" (the workflow sender removes it at its next look, or `privacy purge --yes`)." if status.deliveries
             else "."))
    for tab, rows in status.undated.items():
        print(f"  {tab}: {len(rows)} rows hold personal data but no date the app can read (sheet rows "
              f"{', '.join(map(str, rows[:10]))}{'…' if len(rows) > 10 else ''}); they are never purged until dated.")
    return 0


def _go_ahead(args, plan: Plan) -> bool:
    """Whether to write the plan; says why not."""
    if plan.changed_figures:
        print("These figures would change:", file=sys.stderr)
        for name in plan.changed_figures:
            print(f"  {name}", file=sys.stderr)
        if not args.even_if_figures_change:
            print("Nothing was changed. Run again with --even-if-figures-change to go ahead anyway.", file=sys.stderr)
            return False
    if not args.yes:
        print(f"Nothing was changed. Run again with --yes to blank {len(plan.removed)} cells.")
        return False
    return True


def _report(outcome: Outcome) -> int:
    print(f"Done: {outcome.plan.summary()}.")
    if outcome.sent_meanwhile:
        print(f"  sent before it could be cancelled (its content is removed): deliveries "
              f"{', '.join(map(str, outcome.sent_meanwhile))}", file=sys.stderr)
    for result in outcome.not_done:
        edit = result.edit
        print(f"  not changed: {edit.tab} row {edit.row or '(waiting)'}, {edit.column}: {result.problem}",
              file=sys.stderr)
    if outcome.not_done:
        print("Run the command again to see what is left.", file=sys.stderr)
    for name in outcome.changed_figures:
        print(f"  changed: {name}", file=sys.stderr)
    return 1 if outcome.not_done else 0


def _purge(args, config: AppConfig, store: Store, data: WorkflowData, today: dt.date) -> int:
    plan, status = plan_purge(config, store.read_tabs([*config.tabs, *data.tabs]), today, data)
    if plan.empty:
        print(f"Nothing to purge: no personal data was recorded before {status.cutoff:%d %B %Y}, and the delivery "
              f"log holds nothing sent more than {status.delivery_days} days ago.")
        return 0
    print(f"{status.rows_past} rows recorded before {status.cutoff:%d %B %Y} hold personal data, and "
          f"{len(status.deliveries)} deliveries what they sent more than {status.delivery_days} days ago: "
          f"{plan.summary()}.")
    if not _go_ahead(args, plan):
        return 1 if plan.changed_figures else 0
    return _report(carry_out(store, config, plan, args.by, today, progress=lambda s: print(f"{s}…", file=sys.stderr),
                             data=data))


def _query(args) -> Query | None:
    query = Query.of("\n".join(args.name), args.institution, "\n".join(args.email), "\n".join(args.phone))
    if query.problem:
        print(query.problem, file=sys.stderr)
        return None
    return query


def _forget(args, config: AppConfig, store: Store, data: WorkflowData, today: dt.date) -> int:
    query = _query(args)
    if query is None:
        return 2
    tabs = store.read_tabs(store.tab_names())
    plan, found = plan_erasure(config, tabs, waiting_tabs(store.waiting_rows()), query, today, data)
    if plan.empty:
        print("Nobody matches that in any tab or in the delivery log: nothing to erase.")
        return 1
    for line in plan.preview():
        print(f"  {line['Tab']}, sheet row {line['Sheet row']}, {line['Column']}: {line['What']}")
    for line in preview(plan.deliveries, config.settings.timezone):
        print(f"  delivery log, delivery {line['Delivery']} ({line['Workflow']}, {line['What']} made {line['Made']}, "
              f"{line['Status']}): {line['Becomes']}")
    for tab, index, column in found.mentions:
        row = f"sheet row {tabs[tab].sheet_row(index)}" if index >= 0 else "waiting to be sent"
        print(f"  mentioned, not erased (someone else's words, or a column no form knows): {tab}, {row}, {column}")
    if found.names:
        print(f"Names on these rows you may also want to erase: {'; '.join(found.names)} (add --name).")
    if not _go_ahead(args, plan):
        return 1 if plan.changed_figures else 0
    return _report(carry_out(store, config, plan, args.by, today, progress=lambda s: print(f"{s}…", file=sys.stderr),
                             data=data))


def _access(args, config: AppConfig, store: Store, data: WorkflowData, today: dt.date) -> int:
    query = _query(args)
    if query is None:
        return 2
    export = subject_access(config, store.read_tabs(store.tab_names()), waiting_tabs(store.waiting_rows()), query,
                            today, data)
    if not export.found:
        print("Nobody matches that in any tab: no file written.")
        return 1
    Path(args.output).write_bytes(export.workbook)
    audit.record(store, args.by, "access_request", export.summary)
    print(f"Wrote {export.summary} to {args.output}.")
    return 0
