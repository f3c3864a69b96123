"""A group signs up on the page; its welcome arrives once at a real mail
server; the coordinator sees it delivered on the Workflows page."""
from __future__ import annotations

import time

import pytest

from .browser import chromium_page, open_as, require_chromium, running_app, screenshot, wait_for_run_to_end
from .test_browser import fill_cag_signup

pytestmark = pytest.mark.browser

WELCOME = """
delivery: {send_seconds: 0.5}
workflows:
  - name: Welcome a new CAG
    on: {submitted: cag_signup}
    when: "${consent_to_contact} = 'yes'"
    actions:
      - email: {to: "{{ email }}", subject: "Welcome to the {{ forum }} forum, {{ organisation }}",
                body: "Dear {{ contact_name }}, thank you for signing {{ organisation }} up."}
"""


def test_a_group_signs_up_gets_one_welcome_and_the_coordinator_sees_it_delivered(tmp_path, mail_server,
                                                                                  workflows_env):
    require_chromium()
    workflows_env(WELCOME, {"smtp": mail_server.secrets()})
    with running_app({"ORGANISING_DATA_DIR": str(tmp_path / "data")}, tmp_path / "app.log") as url, \
            chromium_page(width=1200, height=1400) as page:
        page.goto(f"{url}/cag_signup")
        fill_cag_signup(page, "Food Bank")
        deadline = time.monotonic() + 30
        while not mail_server.mails and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # time for a second copy to arrive, were one sent
        [mail] = mail_server.mails
        assert mail.recipients == ["ann@example.org"]
        assert mail.message["Subject"] == "Welcome to the Fishermead forum, Food Bank"
        open_as(page, url, "Coordinator", "Cora", "Workflows")
        page.get_by_text("1 delivered").wait_for()
        wait_for_run_to_end(page)
        assert page.get_by_test_id("stException").count() == 0
        screenshot(page, tmp_path, "workflows-page.png")
    assert len(mail_server.mails) == 1
