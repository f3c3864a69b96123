"""Who is using the app, and the checks every page makes before it shows
anything. Pages can be opened by deep link without the router, so each page
calls require_role itself."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from integrations.stores import load_secrets
from organising.config import ROLES, AppConfig, ConfigError, load_config

ROLE_LABELS = {"volunteer": "Volunteer", "coordinator": "Coordinator", "trustee": "Trustee"}


@dataclass(frozen=True)
class User:
    name: str
    role: str


@st.cache_resource(show_spinner=False)
def _config() -> AppConfig:
    return load_config()


def config() -> AppConfig:
    """The checked configuration; a broken config stops every page with the
    message naming the file, the key and the problem."""
    try:
        return _config()
    except ConfigError as exc:
        st.error(f"The app's configuration has a problem, so nothing can be shown or saved.\n\n"
                 f"**{exc}**\n\nFix the file and reload the page.")
        st.stop()


def _streamlit_passcodes() -> dict:
    try:
        return dict(st.secrets.get("passcodes", {}))
    except FileNotFoundError:
        return {}


def passcodes() -> dict[str, str]:
    """Passcodes per role: [passcodes] in the secrets file the Google Sheet's
    settings come from (ORGANISING_SECRETS, or .streamlit/secrets.toml), so
    the two never disagree; secrets given to Streamlit another way (Community
    Cloud's Settings → Secrets) only when that file has none."""
    try:
        found = load_secrets().get("passcodes") or _streamlit_passcodes()
    except ConfigError as exc:  # never open a protected role because its passcode cannot be read
        st.error(f"The app's secrets cannot be read, so nobody can sign in.\n\n**{exc}**")
        st.stop()
    return {role: str(code) for role, code in dict(found).items() if role in ROLES and str(code)}


def current_user() -> User | None:
    user = st.session_state.get("user")
    if user is None:
        default = config().settings.default_role
        # A passcode-protected role is never given by default.
        if default and default not in passcodes():
            return User("", default)
        return None
    return user


def sign_in(name: str, role: str, passcode: str) -> str | None:
    """Sign in for this browser session; returns a problem, or None."""
    if role not in ROLES:
        return "Choose a role."
    expected = passcodes().get(role)
    if expected is not None and passcode != expected:
        return f"That is not the {ROLE_LABELS[role].lower()} passcode."
    st.session_state["user"] = User(name.strip(), role)
    return None


def sign_out() -> None:
    st.session_state.pop("user", None)


def require_role(*roles: str) -> User:
    """The signed-in user if their role may see this page; otherwise a
    refusal, and the page stops before it loads any data."""
    config()
    user = current_user()
    if user is None or user.role not in roles:
        allowed = " or ".join(ROLE_LABELS[r].lower() + "s" for r in roles)
        st.error(f"This page is for {allowed}. "
                 + ("You are signed in as a " + ROLE_LABELS[user.role].lower() + "." if user else "You are not signed in."))
        # A plain link: page_link needs the router, and a deep link may come without it.
        st.markdown("[Sign in with another role](/)")
        st.stop()
    return user
