"""python -m organising privacy …, run as a coordinator or a cron job runs it."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import openpyxl

from organising.privacy.audit import AUDIT_TAB, read_audit

from .conftest import REPO

REPORT = ["report", "--programme", "Riverside Citizens Alliance (demo)", "--format", "json"]


def organising(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "organising", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)


def test_the_purge_command_shows_first_blanks_with_yes_and_the_report_is_the_same(sqlite_store, app_config):
    assert organising("demo").returncode == 0
    before = organising(*REPORT)
    assert before.returncode == 0, before.stderr
    status = organising("privacy", "status")
    assert status.returncode == 0 and "rows hold personal data past retention" in status.stdout
    shown = organising("privacy", "purge")
    assert shown.returncode == 0 and "Nothing was changed. Run again with --yes" in shown.stdout
    assert organising(*REPORT).stdout == before.stdout
    assert not sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB].exists  # showing is not purging
    done = organising("privacy", "purge", "--yes", "--by", "Cron job")
    assert done.returncode == 0, done.stderr
    assert "\nDone: " in done.stdout and "personal cells" in done.stdout
    assert organising(*REPORT).stdout == before.stdout  # funder report before == after
    assert "0 rows hold personal data past retention." in organising("privacy", "status").stdout
    [entry] = read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])
    assert (entry.who, entry.action) == ("Cron job", "purge")


def test_forget_and_access_find_a_person_by_e_mail(sqlite_store, tmp_path):
    sqlite_store.append_row("CAG sign-ups", {"organisation": "Food Bank", "contact_name": "Grace Obi",
                                             "email": "grace.obi@example.org"}, "c1")
    sqlite_store.append_row("1:1s", {"conversation_date": "2026-10-01", "participant_name": "Grace Obi",
                                     "contact": "grace.obi@example.org", "what_they_said": "Mould"}, "s1")
    wrong = organising("privacy", "forget", "--email", "grace")
    assert wrong.returncode == 2 and "is not an e-mail address" in wrong.stderr
    output = tmp_path / "grace.xlsx"
    access = organising("privacy", "access", "--email", "grace.obi@example.org", "--output", str(output))
    assert access.returncode == 0 and access.stdout.strip() == f"Wrote 2 rows from 2 tabs to {output}."
    assert openpyxl.load_workbook(io.BytesIO(output.read_bytes())).sheetnames == [
        "About this export", "CAG sign-ups", "1-1s"]
    shown = organising("privacy", "forget", "--email", "grace.obi@example.org")
    assert "1:1s, sheet row 2, participant_name: name blanked" in shown.stdout
    assert "CAG sign-ups, sheet row 2, email: blanked" in shown.stdout
    done = organising("privacy", "forget", "--email", "grace.obi@example.org", "--yes")
    assert done.returncode == 0, done.stderr
    rows = sqlite_store.read_tabs(["1:1s", "CAG sign-ups"])
    assert "Grace" not in str(rows["1:1s"].rows) + str(rows["CAG sign-ups"].rows)
    assert [e.action for e in read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB])] == [
        "erasure", "access_request"]
    assert organising("privacy", "forget", "--name", "Grace Obi").returncode == 1  # nobody left to find
