"""The Team tab: which role a signed-in e-mail has.

Coordinators change the team on the Team page, which adds a row per change
and never rewrites one; the newest row for an e-mail (the lowest in the
sheet) applies, as with pledge updates. A team kept by hand in the sheet
works too, one row per person edited in place. Two active rows typed by hand
for one e-mail with different roles cannot be told apart: that is a
conflict, shown to coordinators with both sheet rows, and until it is fixed
the person has the default role (never the higher of the two).

A cell that cannot be read (a role that does not exist, an address without
an @, "maybe" in Active) is reported with its sheet row and its row is left
out. E-mails in `[team] coordinators` in the secrets file are coordinators
whatever the tab says, so an alliance can never lock itself out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..cells import CellProblem, clean_text
from ..counting.rows import form_rows
from ..forms.spec import Form
from ..sheets import SUBMISSION_ID, SUBMITTED_AT, SUBMITTED_BY, Tab

TEAM_FORM = "team"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(text: str) -> str:
    """How addresses are compared: trimmed, any case (Cora@Alliance.org is cora@alliance.org)."""
    return clean_text(text).casefold()


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(clean_text(text)))


@dataclass(frozen=True)
class Member:
    """One row of the Team tab, as read."""
    row: int
    email: str          # normalised
    name: str
    role: str
    active: bool
    by_app: bool        # written by the Team page (it has a submission id), not typed by hand
    changed_by: str = ""
    changed_at: str = ""


@dataclass(frozen=True)
class Conflict:
    """Active rows for one e-mail that give it different roles."""
    email: str
    rows: tuple[Member, ...]

    def __str__(self) -> str:
        where = " and ".join(f"row {m.row} ({m.role})" for m in self.rows)
        return (f"{self.email} is on the Team tab more than once with different roles: {where}. "
                "Change the role on the Team page, or delete the wrong row in the sheet; until then "
                "this person has the default role.")


@dataclass(frozen=True)
class Team:
    current: dict[str, Member] = field(default_factory=dict)   # e-mail -> the row that applies
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    coordinators: frozenset[str] = frozenset()                 # from the secrets file

    def role_of(self, email: str, default_role: str) -> str:
        """The role an e-mail signs in with ("" for none)."""
        email = normalise_email(email)
        if email in self.coordinators:
            return "coordinator"
        if email in self.conflicts:
            return default_role
        member = self.current.get(email)
        return member.role if member and member.active else default_role

    def members(self) -> list[Member]:
        """Everyone whose newest row is active, by e-mail."""
        return sorted((m for m in self.current.values() if m.active), key=lambda m: m.email)


def _read_rows(tabs: Mapping[str, Tab], form: Form, roles: Iterable[str],
               problems: list[CellProblem]) -> list[Member]:
    known = set(roles)
    rows = []
    for cells in form_rows(tabs, form, ["email", "role"], problems):
        before = len(problems)
        email = cells.text("email")
        if not email:
            cells.report("email", "the e-mail is blank")
        elif not is_email(email):
            cells.report("email", f"'{email}' is not an e-mail address")
        role = cells.read("role", required=True)
        if role and role not in known:
            cells.report("role", f"'{role}' is not a role the app has (it has {', '.join(sorted(known))})")
        active = cells.read("active")
        if len(problems) > before:
            cells.leave_out()  # a row with an unreadable cell never gives or takes a role
            continue
        rows.append(Member(cells.row, normalise_email(email), cells.text("name"), role,
                           active != "no",  # a blank Active is active: a hand-kept list often has no such column
                           bool(cells.text(SUBMISSION_ID)), cells.text(SUBMITTED_BY), cells.text(SUBMITTED_AT)))
    return rows


def read_team(tabs: Mapping[str, Tab], form: Form, roles: Iterable[str], problems: list[CellProblem],
              coordinators: Iterable[str] = ()) -> Team:
    """The team as the tab stands; conflicts and unreadable cells go to `problems`."""
    by_email: dict[str, list[Member]] = {}
    for member in _read_rows(tabs, form, roles, problems):
        by_email.setdefault(member.email, []).append(member)
    team = Team(coordinators=frozenset(normalise_email(e) for e in coordinators))
    for email, rows in by_email.items():
        # The last change made on the Team page, and whatever was typed below it.
        last_change = max((i for i, m in enumerate(rows) if m.by_app), default=0)
        open_rows = rows[last_change:]
        active = [m for m in open_rows if m.active]
        if len({m.role for m in active}) > 1:
            conflict = Conflict(email, tuple(active))
            team.conflicts[email] = conflict
            for m in active:
                problems.append(CellProblem(form.tab, m.row, "email", email, str(conflict)))
        team.current[email] = open_rows[-1]
    return team


def describe_change(before: Member | None, email: str, role: str, active: bool) -> str:
    """A role change in words, for the audit log."""
    if before is None or not before.active:
        return f"{email}: added as {role}" if active else f"{email}: recorded as not active"
    if not active:
        return f"{email}: removed (was {before.role})"
    if before.role != role:
        return f"{email}: {before.role} → {role}"
    return f"{email}: {role}, unchanged"
