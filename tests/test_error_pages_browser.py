"""No error page shows a stack trace or a secret: an unexpected exception in
the app (the `client.showErrorDetails = "none"` setting), and an identity
provider that cannot be reached while signing in. In their own module: the
sign-in tests' app holds the browser lock for the whole of theirs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import chromium_page, free_port, require_chromium, running_app
from tests.conftest import toml_text
from tests.identity_provider import CLIENT_SECRET
from tests.test_sign_in_browser import COOKIE_SECRET, SIGN_IN, auth_section

pytestmark = pytest.mark.browser

BOOM = '''import streamlit as st
st.write("before the error")
raise RuntimeError("the client_secret is {secret}")
'''


def test_an_unexpected_error_shows_no_trace_no_message_and_no_secret(tmp_path):
    require_chromium()
    script = Path(__file__).resolve().parent.parent / f".boom_{tmp_path.name}.py"  # beside the app: its config applies
    script.write_text(BOOM.format(secret=CLIENT_SECRET), encoding="utf-8")
    try:
        with running_app({}, tmp_path / "app.log", script=script.name) as url, chromium_page() as page:
            page.goto(url)
            error = page.locator('[data-testid="stException"]')
            error.wait_for()
            text = page.locator("body").inner_text()
            assert CLIENT_SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
            assert 'File "' not in text
    finally:
        script.unlink()


def test_a_provider_that_cannot_be_reached_gives_a_plain_error_page(tmp_path):
    require_chromium()
    app_port, dead = free_port(), free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(toml_text({"auth": auth_section(app_port, f"http://127.0.0.1:{dead}/.well-known/openid-configuration")}),
                       encoding="utf-8")
    env = {"ORGANISING_DATA_DIR": str(tmp_path / "data"), "ORGANISING_SECRETS": str(secrets)}
    with running_app(env, tmp_path / "app.log", port=app_port, args=["--secrets.files", str(secrets)]) as url, \
            chromium_page() as page:
        page.goto(url)
        page.get_by_role("button", name=SIGN_IN).click()
        page.wait_for_url(re.compile(r"/auth/login"))
        text = page.locator("body").inner_text()
        assert text.strip() == "Authentication error"
        assert CLIENT_SECRET not in text and COOKIE_SECRET not in text
