"""Two processes writing to one Google Sheet from one data folder (the app and
`python -m organising worker`, or two app servers): the id check and the
append are one step across processes, so no submission lands twice."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO, sheets_secrets, toml_text

WRITER = """
import sys
from organising.config import load_config
from integrations.stores import open_store
store = open_store(load_config().settings, with_outbox=False)
sys.stdin.readline()  # both start appending together
for n in range(int(sys.argv[1])):
    store.append_row("Events", {"title": f"event {n}"}, f"e{n}")
"""


def test_two_processes_appending_the_same_submissions_land_each_once(fake_sheets, tmp_path):
    key = fake_sheets.create_spreadsheet("Alliance", {"Events": [["title", "submission_id"]]})
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(toml_text(sheets_secrets(fake_sheets, key)), encoding="utf-8")
    env = {**os.environ, "ORGANISING_STORE": "google_sheets", "ORGANISING_SECRETS": str(secrets),
           "ORGANISING_DATA_DIR": str(tmp_path / "data")}
    # Slow id checks widen the gap between looking and appending, where an unlocked pair both append.
    fake_sheets.delay_next(40, seconds=0.05, path="values:batchGet")
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, "20"], cwd=REPO, env=env, stdin=subprocess.PIPE,
                                stderr=subprocess.PIPE) for _ in range(2)]
    for writer in writers:
        writer.stdin.write(b"go\n")
        writer.stdin.flush()
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()
    ids = [row[1] for row in fake_sheets.values(key, "Events")[1:]]
    assert sorted(ids) == sorted(f"e{n}" for n in range(20))  # each once
