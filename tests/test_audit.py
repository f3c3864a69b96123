"""The audit log: appended, never changed, read newest first."""
import datetime as dt

import pytest

from organising.privacy.audit import AUDIT_TAB, read_audit, record
from organising.sheets import Tab

NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.timezone.utc)


def test_entries_are_appended_and_read_newest_first(sqlite_store):
    record(sqlite_store, "Sam Okafor <sam@example.org>", "sign_in", "as coordinator", NOON)
    record(sqlite_store, "passcode: coordinator", "sign_in_failed", "wrong passcode", NOON + dt.timedelta(minutes=1))
    entries = read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert [(e.row, e.who, e.what, e.detail) for e in entries] == [
        (3, "passcode: coordinator", "failed to sign in", "wrong passcode"),
        (2, "Sam Okafor <sam@example.org>", "signed in", "as coordinator")]
    assert entries[1].at == NOON


def test_an_unknown_action_is_refused_before_anything_is_written(sqlite_store):
    with pytest.raises(ValueError, match="unknown audit action 'tea_break'"):
        record(sqlite_store, "Sam", "tea_break")
    assert not sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB].exists


def test_a_row_typed_by_hand_is_shown_as_typed():
    tab = Tab(AUDIT_TAB, ["at", "who", "action", "detail"], [["yesterday", "Ann", "tidied up", ""], []])
    (entry,) = read_audit(tab)
    assert (entry.row, entry.at, entry.what) == (2, None, "tidied up")
