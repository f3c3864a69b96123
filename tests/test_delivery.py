"""Delivering, with real receivers on 127.0.0.1: an SMTP server (aiosmtpd)
and an HTTP receiver. Faults: the mail server down then up, a webhook that
fails twice then answers, refusals, a sender killed in the middle of a batch,
two senders at once. Every delivery arrives, none twice (counted at the
receivers); a repeat after a crash carries the same key."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict

import pytest

from integrations.delivery import SetupLoader, open_ledger, record_saved
from integrations.mail import message_id
from integrations.sqlite_store import SQLiteStore
from integrations.stores import SQLITE_FILE
from organising.forms.submissions import submission_row
from organising.workflows.worker import Worker
from tests.conftest import REPO


class Clock:
    def __init__(self):
        self.now = time.time() + 1  # deliveries recorded by real time just after this are due

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def welcome(delivery: str = "") -> str:
    return f"""
{delivery}
workflows:
  - name: Welcome
    on: {{submitted: cag_signup}}
    actions:
      - email:
          to: "{{{{ email }}}}"
          subject: "Welcome {{{{ organisation }}}}"
          body: "Hello {{{{ contact_name }}}}"
          html: "<p>Hello {{{{ contact_name }}}}</p>"
"""


def hook(delivery: str = "timeout_seconds: 5") -> str:
    return f"""
delivery: {{{delivery}}}
workflows:
  - name: To the CRM
    on: {{submitted: cag_signup}}
    actions:
      - webhook: {{url: crm_hook, secret: crm_key, body: '{{"group": {{{{ organisation }}}}}}'}}
"""


def saved(app_config, store, n: int = 0, **answers):
    """A CAG sign-up saved and its deliveries recorded, as the page does."""
    form = app_config.forms["cag_signup"]
    record = {"organisation": f"Group {n}", "contact_name": "Ann Adeyemi", "email": f"group{n}@example.org",
              "area": "fishermead", "what_we_do": "Food", "consent_to_contact": "yes", **answers}
    row = submission_row(form, record, f"s{n}", "Vic")
    store.append_row(form.tab, row, f"s{n}", form.aliases)
    return record_saved(app_config, store, form, row)


@pytest.fixture
def store(data_dir):
    return SQLiteStore(data_dir / SQLITE_FILE)


def worker(app_config, store, clock=time.time, owner=None) -> Worker:
    return Worker(app_config, store, open_ledger(app_config), SetupLoader(app_config, store), clock, owner)


# -- e-mail ------------------------------------------------------------------------------

def test_a_welcome_mail_arrives_once_with_its_text_html_and_a_stable_message_id(app_config, store, mail_server,
                                                                                workflows_env):
    workflows_env(welcome(), {"smtp": mail_server.secrets()})
    [key] = saved(app_config, store, organisation="<b>Food</b> Bank")
    sender = worker(app_config, store)
    assert sender.send().sent == 1 and sender.send().sent == 0
    [mail] = mail_server.mails
    assert mail.recipients == ["group0@example.org"] and mail.message["Subject"] == "Welcome <b>Food</b> Bank"
    assert mail.text.strip() == "Hello Ann Adeyemi" and mail.html.strip() == "<p>Hello Ann Adeyemi</p>"
    assert mail.message["Message-ID"] == message_id(key, "Alliance <organiser@alliance.example>")
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.state == "sent" and delivery.destination == "group0@example.org"


def test_mail_goes_over_starttls_with_a_login(app_config, store, workflows_env, tmp_path):
    from tests.receivers import MailServer
    server = MailServer(tls_folder=tmp_path).start()
    try:
        workflows_env(welcome(), {"smtp": server.secrets()})
        saved(app_config, store)
        assert worker(app_config, store).send().sent == 1
        assert len(server.mails) == 1 and server.mails[0].recipients == ["group0@example.org"]
    finally:
        server.stop()


def test_mail_server_down_then_up_the_mail_waits_and_arrives_once_with_the_same_message_id(
        app_config, store, mail_server, workflows_env):
    workflows_env(welcome(), {"smtp": mail_server.secrets()})
    clock = Clock()
    [key] = saved(app_config, store)
    mail_server.stop()
    sender = worker(app_config, store, clock)
    assert sender.send().retrying == 1
    [waiting] = open_ledger(app_config).deliveries()
    assert waiting.state == "due" and waiting.attempts == 1 and "could not be reached" in waiting.last_error
    assert waiting.next_attempt_at == pytest.approx(clock.now + 60)
    mail_server.start()
    assert sender.send().sent == 0  # not before its time
    clock.advance(61)
    assert sender.send().sent == 1
    [mail] = mail_server.mails
    assert mail.message["Message-ID"] == message_id(key, "Alliance <organiser@alliance.example>")


def to_four(delivery: str = "") -> str:
    """The welcome to the group, another To address, one in Cc and one in Bcc."""
    return welcome(delivery).replace('to: "{{ email }}"', 'to: "{{ email }}, bob@example.org"\n'
                                     '          cc: carol@example.org\n          bcc: dan@example.org')


def test_an_address_the_mail_server_refuses_is_named_in_the_log_and_the_others_get_the_mail_once(
        app_config, store, workflows_env):
    from tests.receivers import MailServer
    server = MailServer(refuse={"bob@example.org": "550 5.1.1 no such mailbox"}).start()
    try:
        workflows_env(to_four(), {"smtp": server.secrets()})
        clock = Clock()
        saved(app_config, store)
        sender = worker(app_config, store, clock)
        assert sender.send().sent == 1
        clock.advance(6 * 3600)  # past every retry's wait: nothing is due again
        assert sender.send().sent == 0
        [mail] = server.mails
        assert mail.recipients == ["group0@example.org", "carol@example.org", "dan@example.org"]
    finally:
        server.stop()
    note = "sent to 3 of 4 addresses; refused: bob@example.org (550 5.1.1 no such mailbox)"
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.state == "sent" and delivery.attempts == 1 and delivery.last_error == note
    listed = subprocess.run([sys.executable, "-m", "organising", "deliveries"], cwd=REPO, env=dict(os.environ),
                            capture_output=True, text=True, timeout=120).stdout
    assert listed.splitlines()[0].endswith("\tstate\tattempts\tproblem")
    assert listed.splitlines()[1].endswith(f"\tsent\t1\t{note}")


def test_when_the_mail_server_refuses_every_address_the_delivery_fails_at_once_saying_why(
        app_config, store, workflows_env):
    from tests.receivers import MailServer
    refusals = {a: "550 5.1.1 no such mailbox" for a in
                ("group0@example.org", "bob@example.org", "carol@example.org", "dan@example.org")}
    server = MailServer(refuse=refusals).start()
    try:
        workflows_env(to_four(), {"smtp": server.secrets()})
        saved(app_config, store)
        assert worker(app_config, store).send().failed == 1
        assert server.mails == []
    finally:
        server.stop()
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.state == "failed" and delivery.attempts == 1
    assert delivery.last_error.startswith("the mail server refused every address: group0@example.org "
                                          "(550 5.1.1 no such mailbox), bob@example.org (550")


# -- webhooks ------------------------------------------------------------------------------

def secrets_for(receiver) -> dict:
    return {"webhook_secrets": {"crm_hook": f"{receiver.url}/hook", "crm_key": "shared-key"}}


def test_a_webhook_that_fails_twice_then_answers_gets_one_delivery_under_one_key(app_config, store, receiver,
                                                                                workflows_env):
    workflows_env(hook("timeout_seconds: 2"), secrets_for(receiver))
    receiver.script = [500, (5.0, 200)]  # a server error, then an answer that comes too late
    clock = Clock()
    saved(app_config, store, organisation='Food "Bank" =1+1')
    sender = worker(app_config, store, clock)
    assert sender.send().retrying == 1
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.last_error.startswith("answered 500")
    clock.advance(61)
    assert sender.send().retrying == 1
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.last_error == "no answer within 2 s" and delivery.next_attempt_at == pytest.approx(clock.now + 600)
    clock.advance(601)
    assert sender.send().sent == 1
    time.sleep(3.5)  # the late answer to the second try is written by now
    assert len(receiver.requests) == 3
    assert {r.key for r in receiver.requests} == {receiver.requests[0].key}  # the same Idempotency-Key each time
    assert {r.body for r in receiver.requests} == {receiver.requests[0].body}
    assert receiver.requests[0].json == {"group": 'Food "Bank" =1+1'}
    expected = "sha256=" + hmac.new(b"shared-key", receiver.requests[0].body, hashlib.sha256).hexdigest()
    assert receiver.requests[0].headers["X-Organising-Signature"] == expected


@pytest.mark.parametrize("status, state", [(404, "failed"), (400, "failed"), (429, "due"), (408, "due"),
                                           (503, "due")])
def test_a_refusal_fails_at_once_and_a_busy_or_broken_server_is_tried_again(app_config, store, receiver,
                                                                            workflows_env, status, state):
    workflows_env(hook(), secrets_for(receiver))
    receiver.script = [status]
    saved(app_config, store)
    worker(app_config, store).send()
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.state == state and delivery.last_error.startswith(f"answered {status}")


def test_after_four_failed_tries_a_delivery_has_failed_and_a_retry_sends_it(app_config, store, receiver,
                                                                           workflows_env):
    workflows_env(hook(), secrets_for(receiver))
    receiver.script = [500, 500, 500, 500]
    clock = Clock()
    saved(app_config, store)
    sender = worker(app_config, store, clock)
    for wait in (0, 60, 600, 6000):
        clock.advance(wait + 1)
        sender.send()
    ledger = open_ledger(app_config)
    [delivery] = ledger.deliveries()
    assert delivery.state == "failed" and delivery.attempts == 4
    assert ledger.retry() == 1
    assert sender.send().sent == 1 and len(receiver.accepted()) == 1


def test_a_host_that_cannot_be_reached_is_retried_with_the_reason_in_plain_words(app_config, store, workflows_env):
    from tests.browser import free_port
    workflows_env(hook(), {"webhook_secrets": {"crm_hook": f"http://127.0.0.1:{free_port()}/x", "crm_key": "k"}})
    saved(app_config, store)
    worker(app_config, store).send()
    [delivery] = open_ledger(app_config).deliveries()
    assert delivery.state == "due" and delivery.last_error == "could not be reached (the connection was refused)"


# -- the follow-up tab ---------------------------------------------------------------------------

def test_a_row_appended_by_a_workflow_lands_once_raw_even_if_sent_again(app_config, store, workflows_env):
    workflows_env("""
workflows:
  - name: Follow up
    on: {submitted: cag_signup}
    actions: [{append: {tab: Follow-up, row: {group: "{{ organisation }}"}}}]
""", {})
    saved(app_config, store, organisation='=IMPORTXML("http://x")')
    sender = worker(app_config, store)
    assert sender.send().sent == 1
    ledger = open_ledger(app_config)
    [delivery] = ledger.deliveries()
    ledger.attempt_failed(delivery.id, "pretend the answer was lost", retry_at=0)  # due again
    assert sender.send().sent == 1
    tab = store.read_tabs(["Follow-up"])["Follow-up"]
    assert [r["group"] for _, r in tab.records()] == ['=IMPORTXML("http://x")']


def test_the_funder_report_goes_to_trustees_as_a_pdf_with_no_personal_data(app_config, store, mail_server,
                                                                          workflows_env):
    from pypdf import PdfReader
    import io
    from organising.tools.demo import load_demo
    from organising.workflows.planner import scan
    from tests.privacy import leaked
    load_demo(store, app_config.forms)
    workflows_env("""
workflows:
  - name: Funder report
    on: {schedule: "daily 00:00"}
    actions:
      - email: {to: "{{ recipients.trustees }}", subject: "Report", attach: report_pdf,
                programme: "Riverside Citizens Alliance (demo)",
                body: "{% for p in programmes %}{% for f in p.figures %}{{ f.label }}: {{ f.actual }}\\n{% endfor %}{% endfor %}"}
""", {"smtp": mail_server.secrets(), "recipients": {"trustees": ["t1@example.org", "t2@example.org"]}})
    clock = Clock()
    sender = worker(app_config, store, clock)
    sender.scan()  # first seen: from now on
    clock.advance(86400)
    assert sender.scan().recorded == 1 and sender.send().sent == 1
    [mail] = mail_server.mails
    assert mail.recipients == ["t1@example.org", "t2@example.org"] and "1:1" in mail.text
    [pdf] = [p for p in mail.message.iter_attachments()]
    assert pdf.get_filename().startswith("Riverside Citizens Alliance (demo) funder report")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert not leaked(text + mail.text, store)


# -- two senders, and a sender killed -----------------------------------------------------------

def many(app_config, store, count: int) -> None:
    for n in range(count):
        saved(app_config, store, n)


def arrivals(receiver) -> dict[str, list]:
    by_key = defaultdict(list)
    for request in receiver.accepted():
        by_key[request.key].append(request.body)
    return by_key


def test_two_senders_at_once_deliver_everything_and_nothing_twice(app_config, store, receiver, workflows_env):
    workflows_env(hook(), secrets_for(receiver))
    receiver.delay = 0.01
    many(app_config, store, 40)
    senders = [worker(app_config, store, owner=f"sender {n}") for n in (1, 2)]
    threads = [threading.Thread(target=s.send) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_key = arrivals(receiver)
    assert len(by_key) == 40 and all(len(bodies) == 1 for bodies in by_key.values())
    assert len(receiver.requests) == 40


def process_env(data_dir, files) -> dict:
    """The environment a worker process needs: this test's data folder, workflows and secrets."""
    path, secrets = files
    return {**os.environ, "ORGANISING_DATA_DIR": str(data_dir), "ORGANISING_WORKFLOWS": str(path),
            "ORGANISING_SECRETS": str(secrets)}


def worker_process(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "organising", "worker", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


FAST = "timeout_seconds: 2, lease_seconds: 4, send_seconds: 0.1, scan_seconds: 3600, retry_after_minutes: [0.01, 0.01, 0.01]"


def until_all_sent(app_config, count: int, *workers: subprocess.Popen) -> None:
    """Wait until the ledger holds `count` deliveries, all sent; then stop the workers."""
    ledger, deadline = open_ledger(app_config), time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            states = [d.state for d in ledger.deliveries(limit=1000)]
            if len(states) == count and set(states) == {"sent"}:
                return
            assert all(w.poll() is None for w in workers), [w.stderr.read().decode() for w in workers]
            time.sleep(0.1)
        raise AssertionError(f"not all sent: {sorted(states)}")
    finally:
        for process in workers:
            process.terminate()
            process.wait(timeout=30)


def test_a_sender_killed_mid_batch_is_taken_over_and_every_delivery_arrives(app_config, store, receiver,
                                                                            workflows_env, data_dir):
    env = process_env(data_dir, workflows_env(hook(FAST), secrets_for(receiver)))
    receiver.delay = 0.1
    many(app_config, store, 30)
    first = worker_process(env)
    deadline = time.monotonic() + 60
    while len(receiver.requests) < 8 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)  # in the middle of a batch of ten
    first.wait()
    assert 8 <= len(receiver.requests) < 30
    until_all_sent(app_config, 30, worker_process(env))  # takes over once the dead sender's lease runs out
    by_key = arrivals(receiver)
    assert len(by_key) == 30  # every delivery arrived
    # What arrived twice (the one being sent when the sender died) came with the same key and body.
    assert all(len(set(bodies)) == 1 for bodies in by_key.values())


def test_two_worker_processes_at_once_send_each_delivery_once(app_config, store, receiver, workflows_env, data_dir):
    env = process_env(data_dir, workflows_env(hook(FAST), secrets_for(receiver)))
    receiver.delay = 0.02
    many(app_config, store, 40)
    until_all_sent(app_config, 40, worker_process(env), worker_process(env))
    by_key = arrivals(receiver)
    assert len(by_key) == 40 and len(receiver.accepted()) == 40
