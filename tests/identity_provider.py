"""A real OpenID Connect provider on 127.0.0.1 for the sign-in tests: the
certified npm package `oidc-provider` (tests/oidc, installed by
`npm ci --prefix tests/oidc`), run by Node.js. Its login page takes any
login: the login typed is the person's e-mail address."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser import free_port, serving

FOLDER = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "organising-test"
CLIENT_SECRET = "test-client-s3cret"


def require_provider() -> None:
    """A missing provider skips on a developer's machine but fails CI."""
    if not shutil.which("node"):
        problem = "Node.js is missing (apt-get install -y nodejs npm)"
    elif not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        problem = "the test identity provider is not installed (npm ci --prefix tests/oidc)"
    else:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"sign-in tests must run in CI: {problem}")
    pytest.skip(problem)


@contextmanager
def identity_provider(redirect_uri: str, log: Path) -> Iterator[str]:
    """Run the provider for an app whose callback is `redirect_uri`; yield
    its issuer URL (its discovery document is below it)."""
    require_provider()
    issuer = f"http://127.0.0.1:{free_port()}"
    command = ["node", str(FOLDER / "provider.mjs"), issuer.rsplit(":", 1)[1], CLIENT_ID, CLIENT_SECRET, redirect_uri]
    with serving(command, f"{issuer}/.well-known/openid-configuration", log, "the identity provider"):
        yield issuer


def sign_in_at_provider(page, email: str) -> None:
    """On the provider's login page (after pressing the app's sign-in
    button): sign in as `email`."""
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
