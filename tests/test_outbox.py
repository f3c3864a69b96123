"""The local outbox: what waits survives a restart, leaves in order, once."""
import datetime as dt

from integrations.outbox import OUTBOX_FILE, Outbox


def test_waiting_submissions_survive_a_restart_and_leave_in_the_order_they_came(data_dir):
    outbox = Outbox(data_dir / OUTBOX_FILE)
    for n in range(5):
        outbox.put("Events", f"e{n}", {"title": f"event {n}"}, {"title": ["Event"]})
    outbox.put("Attendance", "a1", {"name": "Ann"}, {})
    reopened = Outbox(data_dir / OUTBOX_FILE)  # the server restarted
    assert reopened.tabs() == ["Events", "Attendance"]
    [batch] = list(reopened.batches("Events", 10))
    assert [e.submission_id for e in batch] == [f"e{n}" for n in range(5)]
    assert batch[0].record == {"title": "event 0"} and batch[0].aliases == {"title": ["Event"]}


def test_a_submission_waits_once_however_often_it_is_sent(data_dir):
    outbox = Outbox(data_dir / OUTBOX_FILE)
    assert outbox.put("Events", "e1", {"title": "Assembly"}, {})
    assert not outbox.put("Events", "e1", {"title": "Assembly"}, {})
    assert outbox.waiting() == 1 and outbox.waiting("Events") == 1 and outbox.waiting("Attendance") == 0


def test_batches_stop_when_the_caller_cannot_send_and_go_on_when_it_can(data_dir):
    outbox = Outbox(data_dir / OUTBOX_FILE)
    for n in range(5):
        outbox.put("Events", f"e{n}", {"title": str(n)}, {})
    batches = outbox.batches("Events", 2)
    first = next(batches)
    outbox.sent([e.id for e in first])
    second = next(batches)
    assert [e.submission_id for e in second] == ["e2", "e3"]
    assert next(batches, None) is None  # not marked sent: the rest waits behind it
    assert outbox.waiting() == 3


def test_coordinators_see_how_many_wait_since_when_and_why(data_dir):
    outbox = Outbox(data_dir / OUTBOX_FILE)
    assert outbox.summary().waiting == 0 and outbox.summary().oldest is None
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    outbox.put("Events", "e1", {"title": "Assembly"}, {})
    outbox.put("Attendance", "a1", {"name": "Ann"}, {})
    [entry] = next(outbox.batches("Events", 10))
    outbox.failed([entry.id], "Google's request quota is used up for the moment.")
    summary = outbox.summary()
    assert summary.waiting == 2 and summary.by_tab == {"Events": 1, "Attendance": 1}
    assert before <= summary.oldest <= dt.datetime.now(dt.timezone.utc)
    assert summary.problem == "Google's request quota is used up for the moment."
