"""Passcode guessing is slowed per browser session and capped per role across
every session and process (a fake clock: times are passed in)."""
import multiprocessing

from integrations.access_ledger import AccessLedger
from organising.access.throttle import (FIRST_WAIT_SECONDS, FREE_TRIES, ROLE_GUESSES, ROLE_WINDOW_SECONDS,
                                        SessionTries, passcode_matches, wait_in_words)

T0 = 1_800_000_000.0


def test_passcodes_are_compared_exactly_whatever_their_text():
    assert passcode_matches("c0de-Ünïcode", "c0de-Ünïcode")
    assert not passcode_matches("c0de", "c0de ") and not passcode_matches("", "c0de")


def test_a_session_waits_after_five_wrong_tries_doubling_each_time():
    tries, now, waits = SessionTries(), T0, []
    for _ in range(FREE_TRIES + 2):
        assert tries.wait(now) == 0
        tries = tries.failed(now)
        waits.append(tries.wait(now))
        now += tries.wait(now)
    assert waits == [0, 0, 0, 0, FIRST_WAIT_SECONDS, 2 * FIRST_WAIT_SECONDS, 4 * FIRST_WAIT_SECONDS]
    assert tries.wait(now - 1) == 1  # one second early is still refused


def test_waits_are_said_in_words():
    assert (wait_in_words(1), wait_in_words(30), wait_in_words(240)) == ("1 second", "30 seconds", "4 minutes")


def test_a_role_gets_twenty_guesses_per_quarter_hour_and_a_right_one_does_not_count(tmp_path):
    ledger = AccessLedger(tmp_path / "access.sqlite3")
    right = ledger.try_passcode("coordinator", T0)
    ledger.right_passcode(right)
    guesses = [ledger.try_passcode("coordinator", T0 + i) for i in range(ROLE_GUESSES)]
    assert all(g.allowed for g in guesses) and [g.last_allowed for g in guesses].count(True) == 1
    assert guesses[-1].last_allowed
    refused = ledger.try_passcode("coordinator", T0 + 100)
    assert not refused.allowed and refused.retry_at == T0 + ROLE_WINDOW_SECONDS
    assert ledger.try_passcode("trustee", T0 + 100).allowed           # each role has its own count
    assert not ledger.try_passcode("coordinator", T0 + ROLE_WINDOW_SECONDS - 1).allowed
    assert ledger.try_passcode("coordinator", T0 + ROLE_WINDOW_SECONDS).allowed  # the oldest guess has aged out


def _guess_many(path: str, start, count: int, allowed) -> None:
    ledger = AccessLedger(path)
    start.wait()
    allowed.put(sum(ledger.try_passcode("coordinator", T0).allowed for _ in range(count)))


def test_processes_guessing_at_once_share_the_limit(tmp_path):
    processes = 4
    path = str(tmp_path / "access.sqlite3")
    AccessLedger(path)
    context = multiprocessing.get_context("spawn")
    start, allowed = context.Event(), context.Queue()
    workers = [context.Process(target=_guess_many, args=(path, start, 15, allowed)) for _ in range(processes)]
    for w in workers:
        w.start()
    start.set()
    counts = [allowed.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert sum(counts) == ROLE_GUESSES


def test_a_sign_in_at_the_provider_is_new_once(tmp_path):
    ledger = AccessLedger(tmp_path / "access.sqlite3")
    assert ledger.first_sign_in("https://idp sub-1", T0)
    assert not AccessLedger(tmp_path / "access.sqlite3").first_sign_in("https://idp sub-1", T0)
    assert ledger.first_sign_in("https://idp sub-1", T0 + 3600)   # signed in again later


def test_the_app_key_is_made_once_and_kept(tmp_path):
    key = AccessLedger(tmp_path / "access.sqlite3").app_key()
    assert len(key) == 64 and AccessLedger(tmp_path / "access.sqlite3").app_key() == key
