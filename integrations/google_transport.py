"""Send Google's API hosts to another base URL, below everything gspread and google-auth do.

gspread copies its URL constants at import, so redirecting it means working at the
transport: a requests adapter mounted for Google's hosts rewrites each URL to the
same path and query on `base_url`. Auth headers, token refresh and gspread's own
request building stay real. Tests use it to reach the fake server; the app uses it
for its `api_endpoint` setting.
"""

import ipaddress
from urllib.parse import urlsplit

import requests
import requests.adapters

GOOGLE_HOSTS = (
    "https://sheets.googleapis.com/",
    "https://www.googleapis.com/",
    "https://oauth2.googleapis.com/",
    # google-auth looks up a service account's regional access boundary here after a token refresh.
    "https://iamcredentials.googleapis.com/",
)


def is_loopback(url: str) -> bool:
    """Whether `url` points at this machine (127.0.0.0/8, ::1 or localhost)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackAdapter(requests.adapters.HTTPAdapter):
    """Rewrites a Google URL to base_url + the same path and query. Only to
    this machine: the requests carry the service account's bearer token."""

    def __init__(self, base_url: str):
        if not is_loopback(base_url):
            raise ValueError(f"{base_url!r} is not on this machine: Google's requests are only sent to loopback")
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"

    def send(self, request, **kwargs):
        for host in GOOGLE_HOSTS:
            if request.url.startswith(host):
                request = request.copy()
                request.url = self.base_url + request.url[len(host):]
                break
        return super().send(request, **kwargs)


def route_google_to(session: requests.Session, base_url: str) -> None:
    """Send Google's hosts to base_url on this session (and, for a google.auth AuthorizedSession, on the
    session its token refresh uses), trust_env False. Used by tests and by the app's `api_endpoint` setting."""
    sessions = [session]
    # An AuthorizedSession refreshes its token through a separate plain session.
    auth_request = getattr(session, "_auth_request", None)
    refresh_session = getattr(auth_request, "session", None)
    if isinstance(refresh_session, requests.Session) and refresh_session is not session:
        sessions.append(refresh_session)
    adapter = LoopbackAdapter(base_url)
    for each in sessions:
        each.trust_env = False
        for host in GOOGLE_HOSTS:
            each.mount(host, adapter)
