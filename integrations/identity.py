"""Sign-in with an OpenID Connect provider (Google Workspace, Microsoft 365,
any other): the secrets file's `[auth]` section, as Streamlit's st.login
reads it, checked before anyone presses "Sign in".

Streamlit wants `redirect_uri` (the app's address + /oauth2callback) and
`cookie_secret` in [auth], and per provider `client_id`, `client_secret` and
`server_metadata_url`: either in [auth] itself (one provider) or in named
sections such as [auth.google] and [auth.microsoft]. A mistake is reported
naming the key and never its value (client_secret and cookie_secret are
secrets); while [auth] has a problem nobody is offered that sign-in, and the
rest of the app (volunteers' forms, passcodes) goes on working.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .google_transport import is_loopback

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
# Keys of [auth] itself besides a single provider's (Streamlit's own names).
SHARED_KEYS = ("redirect_uri", "cookie_secret", "expose_tokens", "client_kwargs")
CALLBACK = "/oauth2callback"
MIN_COOKIE_SECRET = 32
# How the button names a provider; others are named as their section is.
PROVIDER_LABELS = {"google": "Google", "microsoft": "Microsoft", "okta": "Okta", "auth0": "Auth0"}
DEFAULT_LABEL = "your organisation's account"
CLIENT_KWARGS_PROBLEM = '{where} client_kwargs: must be a table, e.g. {{ prompt = "select_account" }}'
HOW_TO_MAKE_A_SECRET = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


@dataclass(frozen=True)
class Provider:
    name: str | None     # what st.login takes; None for the one provider set in [auth] itself
    label: str


@dataclass(frozen=True)
class AuthSetup:
    """What [auth] offers, or why it offers nothing."""
    configured: bool = False                      # the secrets have an [auth] section
    providers: tuple[Provider, ...] = ()
    problems: tuple[str, ...] = ()
    cookie_secret: str = ""

    @property
    def usable(self) -> bool:
        return self.configured and bool(self.providers) and not self.problems


def _url_problem(key: str, value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if not text.startswith(("https://", "http://")):
        return f"{key}: must be an address starting with https://"
    if text.startswith("http://") and not is_loopback(text):
        return f"{key}: must start with https:// (plain http only on this machine, for tests)"
    return None


def _provider_problems(where: str, section: Mapping[str, Any]) -> list[str]:
    problems = [f"{where} {key}: is missing" for key in PROVIDER_KEYS
                if not (isinstance(section.get(key), str) and section[key].strip())]
    if "server_metadata_url" in section and not any(p.startswith(f"{where} server_metadata_url") for p in problems):
        problem = _url_problem(f"{where} server_metadata_url", section["server_metadata_url"])
        if problem:
            problems.append(problem)
        elif ".well-known/openid-configuration" not in section["server_metadata_url"]:
            problems.append(f"{where} server_metadata_url: must be the provider's discovery document, ending "
                            "in /.well-known/openid-configuration")
    if "client_kwargs" in section and not isinstance(section["client_kwargs"], Mapping):
        problems.append(CLIENT_KWARGS_PROBLEM.format(where=where))
    return problems


def read_auth(section: Any) -> AuthSetup:
    """The [auth] section (None when there is none) checked as st.login will use it."""
    if section is None:
        return AuthSetup()
    if not isinstance(section, Mapping):
        return AuthSetup(True, problems=("[auth]: must be a section of keys (redirect_uri, cookie_secret, "
                                         "client_id, client_secret, server_metadata_url)",))
    problems = []
    redirect = section.get("redirect_uri")
    if not (isinstance(redirect, str) and redirect.strip()):
        problems.append(f"[auth] redirect_uri: is missing (the app's address followed by {CALLBACK}, "
                        f"e.g. https://organising.example.org{CALLBACK})")
    elif problem := _url_problem("[auth] redirect_uri", redirect):
        problems.append(problem)
    elif not redirect.strip().endswith(CALLBACK):
        problems.append(f"[auth] redirect_uri: must end with {CALLBACK} (the app's address followed by {CALLBACK})")
    secret = section.get("cookie_secret")
    if not (isinstance(secret, str) and secret.strip()):
        problems.append(f"[auth] cookie_secret: is missing (make one with {HOW_TO_MAKE_A_SECRET})")
    elif len(secret) < MIN_COOKIE_SECRET:
        problems.append(f"[auth] cookie_secret: is too short: use at least {MIN_COOKIE_SECRET} random characters "
                        f"(make one with {HOW_TO_MAKE_A_SECRET})")

    providers = []
    if any(key in section for key in PROVIDER_KEYS):
        problems.extend(_provider_problems("[auth]", section))
        providers.append(Provider(None, DEFAULT_LABEL))
    elif "client_kwargs" in section and not isinstance(section["client_kwargs"], Mapping):
        problems.append(CLIENT_KWARGS_PROBLEM.format(where="[auth]"))
    for name, value in section.items():
        if name in SHARED_KEYS or name in PROVIDER_KEYS:
            continue
        where = f"[auth.{name}]"
        if not isinstance(value, Mapping):
            problems.append(f"[auth] {name}: is not a setting sign-in knows (a provider is a section such as "
                            "[auth.google])")
            continue
        if "_" in name:
            problems.append(f"{where}: a provider's name cannot contain _ (Streamlit's rule): rename the section")
            continue
        problems.extend(_provider_problems(where, value))
        providers.append(Provider(name, PROVIDER_LABELS.get(name.lower(), name)))
    if not providers:
        problems.append("[auth]: no identity provider: add client_id, client_secret and server_metadata_url "
                        "(or a section such as [auth.google] holding them)")
    return AuthSetup(True, tuple(providers), tuple(problems), secret if isinstance(secret, str) else "")
