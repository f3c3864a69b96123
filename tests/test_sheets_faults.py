"""Google misbehaving, through the fake API server: quota storms, server
errors, answers lost after the write was applied, expired tokens, and a
whole outage. Nothing is lost and nothing lands twice."""
from __future__ import annotations

import time

import pytest

from integrations.google_sheets import SheetsUnavailable

EVENTS = ["title", "submission_id"]


@pytest.fixture
def events_key(fake_sheets) -> str:
    return fake_sheets.create_spreadsheet("Alliance", {"Events": [EVENTS]})


def command_line_store(fake, key: str, sleep=time.sleep, **settings):
    """The store as the command line opens it: no outbox, so every request uses the whole retry budget."""
    from integrations.google_sheets import GoogleSheetsStore, sheets_settings

    from .conftest import sheets_secrets
    return GoogleSheetsStore(sheets_settings(sheets_secrets(fake, key, **settings)), sleep=sleep)


def titles(fake, key: str, tab: str = "Events") -> list[str]:
    return [row[0] for row in fake.values(key, tab)[1:] if row]


def test_a_429_storm_is_waited_out_with_growing_jittered_pauses(fake_sheets, events_key):
    waits = []
    store = command_line_store(fake_sheets, events_key, sleep=waits.append, backoff_seconds=0.1,
                               backoff_max_seconds=0.3)
    fake_sheets.fail_next(4, status=429, path=":append")
    result = store.append_row("Events", {"title": "Assembly"}, "e1")
    assert result.stored and not result.queued
    assert titles(fake_sheets, events_key) == ["Assembly"]
    assert fake_sheets.count("values_append") == 5
    caps = [0.1, 0.2, 0.3, 0.3]  # doubling, capped
    assert len(waits) == 4 and all(cap / 2 <= wait <= cap for wait, cap in zip(waits, caps))


def test_quota_used_up_beyond_the_retry_budget_parks_the_submission_in_the_outbox(fake_sheets, open_sheets,
                                                                                 events_key):
    store = open_sheets(events_key, max_attempts=3)
    fake_sheets.fail_next(3, status=429, path=":append")
    result = store.append_row("Events", {"title": "Assembly"}, "e1")
    assert result.queued
    assert titles(fake_sheets, events_key) == [] and store.outbox.waiting() == 1
    assert "quota" in store.outbox.summary().problem
    assert store.drain() == 1
    assert titles(fake_sheets, events_key) == ["Assembly"] and store.outbox.waiting() == 0


def test_server_errors_on_reads_and_writes_are_retried(fake_sheets, events_key):
    store = command_line_store(fake_sheets, events_key)
    fake_sheets.fail_next(2, status=503, path=":append")
    assert store.append_row("Events", {"title": "Assembly"}, "e1").stored
    fake_sheets.fail_next(2, status=500, path="values:batchGet")
    assert store.read_tabs(["Events"])["Events"].rows == [["Assembly", "e1"]]
    assert titles(fake_sheets, events_key) == ["Assembly"]


@pytest.mark.parametrize("fault", ["timeout", "dropped connection"])
def test_an_append_applied_but_unanswered_is_not_appended_again(fake_sheets, open_sheets, events_key, fault):
    store = open_sheets(events_key, timeout_seconds=1)
    if fault == "timeout":
        fake_sheets.delay_next(1, seconds=2.5, path=":append")
    else:
        fake_sheets.drop_after_apply(1, path=":append")
    result = store.append_row("Events", {"title": "Assembly"}, "e1")
    assert result.stored and not result.queued
    assert fake_sheets.count("values_append") == 1  # it landed the first time: looked, not sent again
    assert titles(fake_sheets, events_key) == ["Assembly"]


def test_an_expired_token_is_refreshed_without_the_volunteer_noticing(fake_sheets, open_sheets, events_key):
    store = open_sheets(events_key)
    store.append_row("Events", {"title": "Assembly"}, "e1")
    tokens = fake_sheets.count("token")
    fake_sheets.expire_tokens()
    assert store.append_row("Events", {"title": "Workshop"}, "e2").stored
    assert fake_sheets.count("token") == tokens + 1
    assert titles(fake_sheets, events_key) == ["Assembly", "Workshop"]


def test_the_outbox_drains_by_itself_after_an_outage_each_submission_once_in_order(fake_sheets, open_sheets):
    key = fake_sheets.create_spreadsheet("Alliance", {"Events": [EVENTS], "Attendance": [["name", "submission_id"]]})
    store = open_sheets(key, drain_seconds=0.2, max_attempts=2)
    store.append_row("Events", {"title": "before"}, "e0")
    fake_sheets.down(True)
    results = [store.append_row("Events", {"title": f"event {n}"}, f"e{n}") for n in range(1, 7)]
    results += [store.append_row("Attendance", {"name": f"person {n}"}, f"a{n}") for n in range(1, 5)]
    results.append(store.append_row("Events", {"title": "event 1"}, "e1"))  # a volunteer's second tap
    assert all(r.queued for r in results) and store.outbox.waiting() == 10
    with pytest.raises(SheetsUnavailable):
        store.read_tabs(["Events"])
    # Google answers again, but the first send's answer is lost after it was applied.
    fake_sheets.drop_after_apply(1, path=":append")
    fake_sheets.down(False)
    deadline = time.monotonic() + 20
    while store.outbox.waiting() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.outbox.waiting() == 0
    assert titles(fake_sheets, key) == ["before", *(f"event {n}" for n in range(1, 7))]
    assert titles(fake_sheets, key, "Attendance") == [f"person {n}" for n in range(1, 5)]


def test_a_submission_never_overtakes_earlier_ones_waiting_for_the_same_tab(fake_sheets, open_sheets, events_key):
    store = open_sheets(events_key, max_attempts=1)
    fake_sheets.fail_next(1, status=503, path=":append")
    assert store.append_row("Events", {"title": "first"}, "e1").queued
    fake_sheets.fail_next(1, status=503, path=":append")  # the next try to send "first" fails too
    assert store.append_row("Events", {"title": "second"}, "e2").queued
    assert store.drain() == 2  # Google is back
    assert store.append_row("Events", {"title": "third"}, "e3").stored
    assert titles(fake_sheets, events_key) == ["first", "second", "third"]


def test_when_a_lost_answer_cannot_even_be_checked_the_outbox_checks_before_sending(fake_sheets, open_sheets,
                                                                                  events_key):
    store = open_sheets(events_key, max_attempts=2)
    store.read_tabs(["Events"])
    fake_sheets.drop_after_apply(1, path=":append")
    fake_sheets.fail_next(2, status=503, path="values:batchGet")  # the look afterwards fails too
    assert store.append_row("Events", {"title": "Assembly"}, "e1").queued  # not appended again blindly
    assert store.drain() == 1
    assert titles(fake_sheets, events_key) == ["Assembly"] and fake_sheets.count("values_append") == 1


def test_two_servers_sharing_one_outbox_send_each_waiting_submission_once(fake_sheets, open_sheets, events_key):
    import threading
    first, second = open_sheets(events_key), open_sheets(events_key)  # e.g. two app processes, one data folder
    for store in (first, second):
        store.read_tabs(["Events"])
    for n in range(1, 4):
        first.outbox.put("Events", f"e{n}", {"title": f"event {n}"}, {})
    # Slow answers to the id checks: without a lock across processes both senders find nothing sent yet.
    fake_sheets.delay_next(2, seconds=1, path="values:batchGet")
    senders = [threading.Thread(target=store.drain) for store in (first, second)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    first.drain(), second.drain()
    assert titles(fake_sheets, events_key) == ["event 1", "event 2", "event 3"]
    assert first.outbox.waiting() == 0


def sheet_requests(fake) -> int:
    return len([e for e in fake.log if e.kind != "token"])


def test_while_google_is_down_viewers_and_volunteers_wait_for_one_quick_try_only(fake_sheets, open_sheets,
                                                                               events_key):
    waits = []
    store = open_sheets(events_key, sleep=waits.append)  # five attempts per request for the background sender
    first = store.read_tabs(["Events"])
    fake_sheets.down(True)
    fake_sheets.clear_log()
    assert store.read_tabs(["Events"]) == first  # the last copy, after one try
    assert sheet_requests(fake_sheets) == 1 and store.unavailable is not None
    fake_sheets.clear_log()
    assert store.append_row("Events", {"title": "Assembly"}, "e1").queued  # the volunteer is not kept waiting
    assert sheet_requests(fake_sheets) == 1 and waits == []
    fake_sheets.clear_log()
    assert store.drain() == 0  # the background sender does use its whole budget
    assert sheet_requests(fake_sheets) == 5


def test_with_nothing_read_yet_a_read_fails_after_one_try(fake_sheets, open_sheets, events_key):
    store = open_sheets(events_key)
    fake_sheets.down(True)
    with pytest.raises(SheetsUnavailable):
        store.read_tabs(["Events"])
    assert sheet_requests(fake_sheets) == 1


def test_while_google_is_down_a_read_tries_to_send_the_outbox_once_not_once_per_tab(fake_sheets, open_sheets,
                                                                                   events_key):
    store = open_sheets(events_key)
    first = store.read_tabs(["Events"])
    for tab in ("Events", "Attendance", "CAG sign-ups"):
        store.outbox.put(tab, f"{tab}-1", {"name": "Ann"}, {})
    fake_sheets.down(True)
    fake_sheets.clear_log()
    assert store.read_tabs(["Events"]) == first
    assert sheet_requests(fake_sheets) == 2  # one try to send, one to read
    assert store.outbox.waiting() == 3
