"""Benchmark: what workflows cost a submission, and how fast they deliver.

1. A CAG sign-up saved as the page saves it (the embedded store holding the
   demo alliance), timed three ways in the same run: with no workflow; with
   the shipped workflows and mail set up (the welcome is recorded in the
   ledger for the background sender, as the app does); and the naive way,
   sending the welcome mail synchronously in the save path to an SMTP server
   on 127.0.0.1 (aiosmtpd).
2. 1,000 queued webhook deliveries sent to an HTTP receiver on 127.0.0.1:
   the app's sender (lease, send, mark sent, one by one) against a bare
   requests.Session loop posting the same bodies with no ledger (the floor
   any sender pays), and against sending synchronously in the save path
   (1,000 submissions, each saved and POSTed in line).

Run from the repository root (about a minute):

    python3 benchmarks/workflows.py [--submissions 200] [--deliveries 1000]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WELCOME_ONLY = """
delivery: {timeout_seconds: 10}
workflows:
  - name: Welcome
    on: {submitted: cag_signup}
    actions:
      - email: {to: "{{ email }}", subject: "Welcome {{ organisation }}", body: "Next: {{ next_forum }}"}
"""
HOOK = """
delivery: {timeout_seconds: 10}
workflows:
  - name: Hook
    on: {submitted: cag_signup}
    actions: [{webhook: {url: hook, body: '{"group": {{ organisation }}}'}}]
"""


def _environment(folder: Path, workflows: str, secrets: str) -> None:
    (folder / "workflows.yaml").write_text(workflows, encoding="utf-8")
    (folder / "secrets.toml").write_text(secrets, encoding="utf-8")
    os.environ["ORGANISING_WORKFLOWS"] = str(folder / "workflows.yaml")
    os.environ["ORGANISING_SECRETS"] = str(folder / "secrets.toml")


def _record(n: int) -> dict[str, str]:
    return {"organisation": f"Group {n}", "contact_name": "Ann", "email": f"g{n}@example.org", "area": "fishermead",
            "what_we_do": "Food", "consent_to_contact": "yes"}


def median_ms(times: list[float]) -> str:
    return f"{1000 * statistics.median(times):.2f}"


def submissions(count: int) -> None:
    from integrations.delivery import SetupLoader, open_ledger, record_saved
    from integrations.mail import MailChannel, smtp_settings
    from integrations.sqlite_store import SQLiteStore
    from integrations.stores import SQLITE_FILE
    from organising.config import load_config
    from organising.forms.submissions import new_submission_id, submission_row
    from organising.tools.demo import load_demo
    from organising.workflows.ledger import Planned
    from organising.workflows.planner import plan, submission_plan
    from tests.receivers import MailServer

    server = MailServer().start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["ORGANISING_DATA_DIR"] = str(folder / "data")
        config = load_config()
        form = config.forms["cag_signup"]
        store = SQLiteStore(config.settings.data_dir / SQLITE_FILE)
        load_demo(store, config.forms)
        tabs = store.read_tabs(config.tabs)  # the page's shared read, already in its cache
        smtp = "\n".join(f"{k} = {v!r}".replace("'", '"').replace("True", "true").replace("False", "false")
                         for k, v in server.secrets().items())
        _environment(folder, WELCOME_ONLY, f"[smtp]\n{smtp}\n")
        setup, ledger = SetupLoader(config, store)(), open_ledger(config)
        mailer = MailChannel(smtp_settings({"smtp": server.secrets()}), 10, lambda spec: ("", "", b""))

        def save(n: int, then) -> float:
            sid = new_submission_id()
            start = time.perf_counter()
            row = submission_row(form, _record(n), sid, "bench")
            store.append_row(form.tab, row, sid, form.aliases)
            then(row)
            return time.perf_counter() - start

        def synchronously(row) -> None:
            from organising.workflows.context import row_values
            [planned] = submission_plan(setup.workflows.workflows[0], form, row, "id " + row["submission_id"],
                                        _sources(config, store, setup, tabs))
            from organising.workflows.ledger import Delivery
            mailer.send(Delivery(0, planned.key, "", "", 1, "email", "", dict(planned.payload), "due", 0, 0, 0,
                                 None, "", False))

        results = {}
        for name, then in (("no workflow", lambda row: None),
                           ("workflows on (recorded, sent in the background)",
                            lambda row: record_saved(config, store, form, row, lambda: tabs, setup, ledger)),
                           ("naive: mail sent in the save path", synchronously)):
            for n in range(10):  # warm up
                save(n, then)
            results[name] = [save(n, then) for n in range(count)]
        server.stop()
    base = statistics.median(results["no workflow"])
    print(f"Saving a CAG sign-up (embedded store holding the demo alliance), median of {count}, milliseconds:\n")
    print("| how | median ms | p90 ms | added to a save |")
    print("|---|---:|---:|---:|")
    for name, times in results.items():
        p90 = sorted(times)[int(0.9 * len(times))]
        print(f"| {name} | {median_ms(times)} | {1000 * p90:.2f} | {1000 * (statistics.median(times) - base):+.2f} |")
    del Planned, plan


def _sources(config, store, setup, tabs):
    from integrations.delivery import sources_for
    return sources_for(config, store, setup, lambda: tabs)


def deliveries(count: int) -> None:
    import requests

    from integrations.delivery import SetupLoader, open_ledger, record_saved
    from integrations.sqlite_store import SQLiteStore
    from integrations.stores import SQLITE_FILE
    from organising.config import load_config
    from organising.forms.submissions import new_submission_id, submission_row
    from organising.workflows.worker import Worker
    from tests.receivers import Receiver

    receiver = Receiver()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["ORGANISING_DATA_DIR"] = str(folder / "data")
        _environment(folder, HOOK, f'[webhook_secrets]\nhook = "{receiver.url}/hook"\n')
        config = load_config()
        form = config.forms["cag_signup"]
        store = SQLiteStore(config.settings.data_dir / SQLITE_FILE)
        setup, ledger = SetupLoader(config, store)(), open_ledger(config)
        rows = []
        for n in range(count):
            sid = new_submission_id()
            rows.append(submission_row(form, _record(n), sid, "bench"))
            store.append_row(form.tab, rows[-1], sid, form.aliases)
            record_saved(config, store, form, rows[-1], lambda: {}, setup, ledger)
        worker = Worker(config, store, ledger, SetupLoader(config, store))
        start = time.perf_counter()
        report = worker.send()
        app = time.perf_counter() - start
        assert report.sent == count and len(receiver.accepted()) == count, report
        bodies = [d.payload["body"].encode() for d in ledger.deliveries(limit=count)]
        session = requests.Session()
        session.trust_env = False
        start = time.perf_counter()
        for body in bodies:
            session.post(f"{receiver.url}/hook", data=body, headers={"Content-Type": "application/json"}, timeout=10)
        bare = time.perf_counter() - start
        # Naive: each submission saved and its webhook POSTed before the volunteer sees "saved".
        start = time.perf_counter()
        for n in range(count):
            sid = new_submission_id()
            row = submission_row(form, _record(n), sid, "bench")
            store.append_row(form.tab, row, sid, form.aliases)
            session.post(f"{receiver.url}/hook", data=f'{{"group": "{row["organisation"]}"}}'.encode(),
                         headers={"Content-Type": "application/json"}, timeout=10)
        naive = time.perf_counter() - start
    receiver.close()
    print(f"\n{count:,} webhook deliveries to an HTTP receiver on 127.0.0.1:\n")
    print("| how | seconds | deliveries per second |")
    print("|---|---:|---:|")
    print(f"| app's sender (ledger, lease, mark sent each) | {app:.2f} | {count / app:,.0f} |")
    print(f"| bare requests loop, no ledger | {bare:.2f} | {count / bare:,.0f} |")
    print(f"| naive: saved and POSTed in the save path | {naive:.2f} | {count / naive:,.0f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--deliveries", type=int, default=1000)
    args = parser.parse_args(argv)
    submissions(args.submissions)
    deliveries(args.deliveries)
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
