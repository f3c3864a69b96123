"""Kiosk links: a tablet at the door of an event signs people in to that
event only.

A coordinator makes a link (and its QR code) for one event, valid until a
day they choose. The link carries the event and the last day, signed with
the app's secret key (itsdangerous), so it cannot be edited to reach another
event or to last longer, and nobody but a coordinator can make one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "organising.kiosk"
_SIGNER = {"digest_method": hashlib.sha256}
QUERY_PARAMETER = "kiosk"


@dataclass(frozen=True)
class KioskPass:
    event_id: str
    until: dt.date


class KioskLinkError(ValueError):
    """Why a kiosk link does not open, in plain words."""


def kiosk_token(secret: str, event_id: str, until: dt.date) -> str:
    return URLSafeSerializer(secret, salt=_SALT, signer_kwargs=_SIGNER).dumps({"event": event_id, "until": until.isoformat()})


def read_kiosk_token(secret: str, token: str, today: dt.date) -> KioskPass:
    """The event a kiosk link is for; KioskLinkError when it was altered,
    made by another installation, or has ended."""
    try:
        data = URLSafeSerializer(secret, salt=_SALT, signer_kwargs=_SIGNER).loads(token)
        found = KioskPass(str(data["event"]), dt.date.fromisoformat(data["until"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise KioskLinkError("This kiosk link is not valid: it was changed, or it was made for another "
                             "installation of the app. Ask a coordinator for a new one.") from None
    if found.until < today:
        raise KioskLinkError(f"This kiosk link ended on {found.until:%d %B %Y}. Ask a coordinator for a new one.")
    return found


def kiosk_url(base_url: str, token: str) -> str:
    """The link to print: the app's address with the kiosk token."""
    return f"{base_url.rstrip('/')}/?{QUERY_PARAMETER}={token}"
