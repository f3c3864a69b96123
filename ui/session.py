"""Who is using the app, and the check every page makes before it shows
anything. Pages can be opened by deep link without the router, so each page
calls require_page itself.

Someone is, in this order: an event kiosk (a kiosk link opened in this
browser); signed in with the alliance's identity provider (st.login), with
the role the Team tab gives their e-mail; signed in with a role's passcode
(the fallback for a laptop without an identity provider); or anyone else,
with the default role unless that role has a passcode.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from integrations.access_ledger import ACCESS_FILE, AccessLedger
from integrations.identity import AuthSetup, Provider, read_auth
from integrations.stores import load_secrets
from organising.access.kiosk import QUERY_PARAMETER, KioskLinkError, KioskPass, read_kiosk_token
from organising.access.team import TEAM_FORM, Team, is_email, normalise_email, read_team
from organising.access.throttle import SessionTries, passcode_matches, wait_in_words
from organising.cells import CellProblem, clean_text
from organising.config import ROLES, ConfigError
from organising.privacy.audit import record
from organising.sheets import StoreUnavailable

from .app_config import config  # noqa: F401  (pages take config from here)
from .data import read_all_tabs, store
from .language import app_language, gettext
from .navigation import KIOSK, page_of, roles_for

ROLE_LABELS = {"volunteer": "Volunteer", "coordinator": "Coordinator", "trustee": "Trustee", KIOSK: "Event kiosk"}
KIOSK_COOKIE = "organising_kiosk"
# session_state keys
_USER = "user"
_TRIES = "passcode_tries"
_KIOSK = "kiosk"
_KIOSK_TOKEN = "kiosk_token"
_KIOSK_NOTE = "kiosk_note"
_KIOSK_ENDED = "ended"       # a coordinator ended kiosk mode in this session
_KIOSK_REFUSED = "refused"   # a kiosk link that does not open (altered, ended, or a signed-in browser)
_AUDITED = "sign_in_audited"
_SEEN = "session_seen"  # some page has run in this session


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class User:
    name: str
    role: str
    email: str = ""     # set when signed in with the identity provider

    @property
    def submitted_by(self) -> str:
        """What goes in submitted_by (and the audit log): name and e-mail."""
        if self.email:
            return f"{self.name} <{self.email}>" if self.name and self.name != self.email else self.email
        return self.name or f"({self.role})"


# -- secrets ----------------------------------------------------------------------

def _streamlit_secret(name: str):
    try:
        return st.secrets.get(name)
    except FileNotFoundError:
        return None


def _secret_section(name: str) -> dict:
    """[name] from the secrets file the Google Sheet's settings come from
    (ORGANISING_SECRETS, or .streamlit/secrets.toml), so the two never
    disagree; from secrets given to Streamlit another way (Community Cloud's
    Settings → Secrets) only when that file has none."""
    try:
        found = load_secrets().get(name) or _streamlit_secret(name)
    except ConfigError as exc:  # never open a protected role because its passcode cannot be read
        st.error(f"The app's secrets cannot be read, so nobody can sign in.\n\n**{exc}**")
        st.stop()
    return dict(found) if hasattr(found, "items") else {}


def passcodes() -> dict[str, str]:
    """Passcodes per role, from [passcodes]."""
    found = _secret_section("passcodes")
    return {role: str(code) for role, code in found.items() if role in ROLES and str(code)}


def auth() -> AuthSetup:
    """The identity provider(s) in [auth], as Streamlit's st.login reads them."""
    return read_auth(_streamlit_secret("auth"))


def setup_problems() -> list[str]:
    """Mistakes in the sign-in secrets, each naming its key (never a value)."""
    problems = list(auth().problems)
    problems += [f"[passcodes] {role}: is not a role (the roles are {', '.join(ROLES)})"
                 for role in _secret_section("passcodes") if role not in ROLES]
    coordinators = _secret_section("team").get("coordinators", [])
    if not isinstance(coordinators, list):
        problems.append("[team] coordinators: must be a list of e-mail addresses, e.g. [\"you@alliance.org\"]")
    else:
        problems += [f"[team] coordinators: {str(e)!r} is not an e-mail address" for e in coordinators
                     if not is_email(str(e))]
    return problems


# -- the team and the default role ---------------------------------------------------

def team(problems: list[CellProblem] | None = None) -> Team | None:
    """The Team tab (None while the store cannot be read), with the
    coordinators named in the secrets."""
    try:
        tabs = read_all_tabs()
    except StoreUnavailable:
        return None
    coordinators = _secret_section("team").get("coordinators", [])
    named = [str(e) for e in coordinators if is_email(str(e))] if isinstance(coordinators, list) else []
    return read_team(tabs, config().forms[TEAM_FORM], ROLES, problems if problems is not None else [], named)


def default_role() -> str:
    """The role of anyone not otherwise known; a role with a passcode is never given by default."""
    default = config().settings.default_role
    return default if default and default not in passcodes() else ""


# -- ledger and audit ---------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def _ledger(path: str) -> AccessLedger:
    return AccessLedger(path)


def ledger() -> AccessLedger:
    return _ledger(str(config().settings.data_dir / ACCESS_FILE))


def audit(who: str, action: str, detail: str = "") -> None:
    record(store(), who, action, detail)


# -- signed in with the identity provider ------------------------------------------------

@dataclass(frozen=True)
class SignedIn:
    """Someone the identity provider vouches for, and what that gives them."""
    email: str
    name: str
    user: User | None       # None: no role (default_role is none and the e-mail is not on the team)
    problem: str = ""       # why their role is not what the Team tab seems to say

    @property
    def who(self) -> str:
        """Name and e-mail, as the audit log and submitted_by give them."""
        return User(self.name, "", self.email).submitted_by


def _provider_label(name: str) -> str:
    return next((p.label for p in auth().providers if (p.name or "default") == name), name)


def signed_in() -> SignedIn | None:
    """Who the identity provider signed in, in this browser; None when nobody
    (or while [auth] has a problem: then nobody is offered that sign-in)."""
    if not auth().usable or st.user.get("is_logged_in") is not True:
        return None
    email = normalise_email(str(st.user.get("email") or ""))
    name = clean_text(st.user.get("name")) or email
    if not is_email(email) or st.user.get("email_verified") is False:
        return SignedIn(email, name, None, "The identity provider did not give a confirmed e-mail address for "
                                           "this account, so the app cannot tell its role.")
    members = team()
    if members is None:
        role, problem = default_role(), "The Team tab cannot be read just now, so you have the default role."
    else:
        role = members.role_of(email, default_role())
        conflict = members.conflicts.get(email)
        problem = str(conflict) if conflict and email not in members.coordinators else ""
    found = SignedIn(email, name, User(name, role, email) if role else None, problem)
    _audit_sign_in(found)
    return found


def _audit_sign_in(found: SignedIn) -> None:
    """One audit entry per sign-in at the provider (not per visit: the
    browser keeps the sign-in for weeks and opens a session per visit)."""
    subject = f"{st.user.get('iss', '')} {st.user.get('sub', found.email)}"
    issued = st.user.get("iat")
    issued = float(issued) if isinstance(issued, (int, float)) and not isinstance(issued, bool) else 0.0
    if st.session_state.get(_AUDITED) == (subject, issued):
        return
    st.session_state[_AUDITED] = (subject, issued)
    if ledger().first_sign_in(subject, issued):
        provider = _provider_label(str(st.user.get("provider") or "default"))
        role = found.user.role if found.user else "no role"
        audit(found.who, "sign_in", f"with {provider}, as {role}")


def sign_in_with(provider: Provider) -> None:
    st.login(provider.name) if provider.name else st.login()


# -- kiosk ----------------------------------------------------------------------

def kiosk_secret() -> str:
    """The key that signs kiosk links: [auth] cookie_secret (the same on every
    server of the app), else a key kept in the data folder."""
    setup = auth()
    return setup.cookie_secret if setup.usable else ledger().app_key()


def app_url() -> str:
    """The app's address as this browser reaches it, for a link to print."""
    parts = urlsplit(st.context.url or "")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}/{base}".rstrip("/")


def _kiosk_cookie() -> str:
    value = dict(st.context.cookies).get(KIOSK_COOKIE)  # the cookies the browser sent when the page opened
    return value if isinstance(value, str) else ""


def kiosk_pass() -> KioskPass | None:
    """The event this browser is a kiosk for, if it is one: from the kiosk
    link's address, or (after a reload or an edited address) the cookie the
    kiosk page left in this browser. Only a coordinator ends it."""
    state = st.session_state.get(_KIOSK)
    if isinstance(state, KioskPass):
        return state
    if state in (_KIOSK_ENDED, _KIOSK_REFUSED):
        return None
    from_link = st.query_params.get(QUERY_PARAMETER)
    token = from_link or _kiosk_cookie()
    if not token:
        return None
    try:
        found = read_kiosk_token(kiosk_secret(), token, dt.date.today())
    except KioskLinkError as exc:
        st.session_state[_KIOSK_NOTE] = str(exc)
        st.session_state[_KIOSK] = _KIOSK_REFUSED
        return None
    if from_link and signed_in():
        # Anyone at the event could then leave the kiosk as this person.
        st.session_state[_KIOSK_NOTE] = ("This browser is signed in, so it cannot be a kiosk: anyone at the event "
                                         "could use that sign-in. Sign out below, then open the kiosk link again "
                                         "(or scan its QR code) in a browser nobody is signed in to.")
        st.session_state[_KIOSK] = _KIOSK_REFUSED
        return None
    st.session_state.pop(_USER, None)   # a passcode sign-in never carries into the kiosk
    st.session_state[_KIOSK] = found
    st.session_state[_KIOSK_TOKEN] = token
    return found


def kiosk_note() -> str:
    """Why a kiosk link did not open (once)."""
    return st.session_state.pop(_KIOSK_NOTE, "")


def _kiosk_cookie_script(value: str, days: int, then: str = "") -> None:
    st.html(f"<script>document.cookie = '{KIOSK_COOKIE}=' + {json.dumps(value)} + "
            f"'; path=/; max-age={days * 86400}; samesite=strict';{then}</script>", unsafe_allow_javascript=True)


def keep_kiosk_cookie() -> None:
    """Leave in this browser the cookie that keeps it a kiosk after a reload
    or an edited address; or remove one that no longer opens a kiosk."""
    kiosk, token = st.session_state.get(_KIOSK), st.session_state.get(_KIOSK_TOKEN)
    if isinstance(kiosk, KioskPass) and token:
        _kiosk_cookie_script(token, (kiosk.until - dt.date.today()).days + 1)
    elif kiosk == _KIOSK_REFUSED and _kiosk_cookie():
        _kiosk_cookie_script("", 0)


def leave_kiosk(passcode: str) -> str | None:
    """End kiosk mode: a coordinator's passcode, or a coordinator signed in
    with the identity provider (passcode ""). Returns a problem, or None."""
    provider = signed_in()
    if not (provider and provider.user and provider.user.role == "coordinator"):
        problem = check_passcode("(kiosk)", "coordinator", passcode)
        if problem:
            return problem
    kiosk = kiosk_pass()
    st.session_state[_KIOSK] = _KIOSK_ENDED
    st.session_state.pop(_KIOSK_TOKEN, None)
    st.query_params.clear()
    audit(provider.who if provider else "(kiosk)", "kiosk_ended",
          f"for event {kiosk.event_id}" if kiosk else "")
    return None


def kiosk_ended() -> None:
    """Say so, make this browser forget the kiosk, and open the app afresh."""
    st.success("Kiosk mode has ended on this device.")
    home = "/" + str(st.get_option("server.baseUrlPath") or "").strip("/")
    _kiosk_cookie_script("", 0, f"window.location.replace({json.dumps(home)});")
    st.stop()


# -- passcodes ------------------------------------------------------------------------

def open_roles() -> list[str]:
    """Roles anyone may take without proof: the default one; and, on a laptop
    with no identity provider set up, any role with no passcode."""
    if auth().configured:
        return [default_role()] if default_role() else []
    return [role for role in ROLES if role not in passcodes()]


def check_passcode(name: str, role: str, passcode: str) -> str | None:
    """Whether `passcode` is the role's, within the limits on guessing:
    this session waits after a few wrong ones, and every session together
    gets a few tries per quarter of an hour. Every wrong one, and every
    start of a wait, goes in the audit log. Returns a problem, or None."""
    label = ROLE_LABELS[role].lower()
    expected = passcodes().get(role)
    if expected is None:
        return f"The {label} role has no passcode: sign in with your organisation's account instead."
    now = _now()
    tries: SessionTries = st.session_state.get(_TRIES, SessionTries())
    if tries.wait(now):
        return f"Too many wrong passcodes from this browser: wait {wait_in_words(tries.wait(now))} and try again."
    guess = ledger().try_passcode(role, now)
    if not guess.allowed:
        until = dt.datetime.fromtimestamp(guess.retry_at, ZoneInfo(config().settings.timezone)).strftime("%H:%M")
        other = " or sign in with your organisation's account" if auth().usable else ""
        return (f"The {label} passcode has had too many wrong tries in the last 15 minutes, so it is locked "
                f"until {until}. Try again then{other}.")
    if passcode_matches(passcode, expected):
        ledger().right_passcode(guess)
        st.session_state.pop(_TRIES, None)
        return None
    tries = tries.failed(now)
    st.session_state[_TRIES] = tries
    audit(name, "sign_in_failed", f"wrong {label} passcode ({tries.failures} from this browser)")
    if tries.wait(now):
        audit(name, "sign_in_throttled", f"this browser waits {wait_in_words(tries.wait(now))} before "
                                         f"its next {label} passcode")
    if guess.last_allowed:
        audit(name, "sign_in_throttled", f"the {label} passcode is locked for up to 15 minutes: too many wrong "
                                         "tries from all browsers")
    return f"That is not the {label} passcode."


def sign_in(name: str, role: str, passcode: str) -> str | None:
    """Sign in for this browser session; returns a problem, or None."""
    if role not in ROLES:
        return "Choose a role."
    if role not in open_roles():
        problem = check_passcode(name, role, passcode)
        if problem:
            return problem
        audit(name, "sign_in", f"as {role}, with the passcode")
    st.session_state[_USER] = User(name.strip(), role)
    return None


def sign_out() -> None:
    user = current_user()
    provider = signed_in()
    if user and (provider or user.role not in open_roles()):
        audit(user.submitted_by, "sign_out", f"as {user.role}")
    st.session_state.pop(_USER, None)
    if provider:
        st.logout()


# -- who is this, and may they see this page ---------------------------------------------

def current_user() -> User | None:
    if kiosk_pass():
        return User("", KIOSK)
    provider = signed_in()
    if provider:
        return provider.user
    user = st.session_state.get(_USER)
    if user is not None:
        return user
    return User("", default_role()) if default_role() else None


def _menu_without_the_router(info) -> None:
    """On a freshly started server, a deep link runs the page file itself
    under Streamlit's automatic menu of every file in pages/, until some run
    has called st.navigation (docs/ACCESSIBILITY.md). Call it, as the router
    does, and run again: from then on the router runs, with the person's own
    menu. Only on a session's first run, before anything was answered (a
    later one would lose what was; AppTest runs every page this way)."""
    first_run = not st.session_state.get(_SEEN)
    st.session_state[_SEEN] = True
    if PagesManager.uses_pages_directory and first_run:
        from .router import role_navigation
        role_navigation(opened=info)
        st.rerun()


def require_page(script: str) -> User:
    """The person using the app if the page's roles (ui/navigation.py)
    include theirs; otherwise a refusal, and the page stops before it loads
    any data. A page passes its own __file__. It also names the browser's
    tab after the page (WCAG 2.4.2)."""
    info = page_of(script)
    _menu_without_the_router(info)
    roles = roles_for(info)
    st.set_page_config(page_title=f"{gettext(app_language())(info.title)} – {config().settings.alliance_name}")
    user = current_user()
    role = user.role if user else None
    if role not in roles:
        if role == KIOSK:
            st.error("This device is an event kiosk: it only signs people in to one event.")
            st.markdown("[Back to the sign-in form](/)")
        else:
            allowed = " or ".join(ROLE_LABELS[r].lower() + "s" for r in ROLES if r in roles)
            st.error(f"This page is for {allowed}. "
                     + (f"You are signed in as a {ROLE_LABELS[role].lower()}." if user else "You are not signed in."))
            # A plain link: page_link needs the router, and a deep link may come without it.
            st.markdown("[Sign in with another role](/)")
        st.stop()
    return user
