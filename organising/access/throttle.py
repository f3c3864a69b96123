"""How fast passcodes may be guessed.

Two limits, both needed: a browser session gets a few free tries, then waits
before each next one, twice as long each time (a person who mistyped is
slowed a little; a script in one session crawls); and every session and app
process together get at most ROLE_GUESSES tries at one role's passcode per
ROLE_WINDOW (opening more sessions gains nothing). The second limit is kept
in a small shared file (integrations/access_ledger.py), so two app processes
share it too. While a passcode is throttled, people with an identity-provider
account still sign in with it.

Times are seconds since the epoch, passed in: tests use a fake clock.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass

FREE_TRIES = 5                # wrong passcodes a session may type before it waits
FIRST_WAIT_SECONDS = 30.0     # the wait after the FREE_TRIES-th wrong one; it doubles each time after
LONGEST_WAIT_SECONDS = 3600.0
ROLE_GUESSES = 20             # tries at one role's passcode, across every session and process …
ROLE_WINDOW_SECONDS = 15 * 60  # … per this many seconds


def passcode_matches(typed: str, expected: str) -> bool:
    """Compared in constant time, so the time taken says nothing about how
    much of a guess was right."""
    return hmac.compare_digest(typed.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class SessionTries:
    """One browser session's wrong passcodes so far."""
    failures: int = 0
    not_before: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds before this session may try again (0: now)."""
        return max(0.0, self.not_before - now)

    def failed(self, now: float) -> SessionTries:
        """After one more wrong passcode: from the FREE_TRIES-th on, a wait
        that doubles with each one."""
        failures = self.failures + 1
        if failures < FREE_TRIES:
            return SessionTries(failures)
        wait = min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_TRIES), LONGEST_WAIT_SECONDS)
        return SessionTries(failures, now + wait)


def wait_in_words(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minutes"
