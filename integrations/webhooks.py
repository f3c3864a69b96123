"""POSTing a workflow's JSON to a webhook or a chat (Slack, Teams, Google Chat).

The address is written in the workflow (https://…) or, to keep a hook's
address out of git, named there and kept in the secrets file:

    [webhook_secrets]
    crm_hook = "https://crm.example.org/hooks/abc123"   # an address, named by `url: crm_hook`
    crm_key = "a long random string"                    # a signing key, named by `secret: crm_key`

Each request has `Idempotency-Key` (the same on every retry of a delivery),
and with a `secret`, `X-Organising-Signature: sha256=<hex>`: the HMAC-SHA256
of the raw body under that key, so the receiver can check it came from here.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any, Mapping

import requests

from organising.workflows.ledger import Delivery
from organising.workflows.sender import DeliveryFailed

SIGNATURE_HEADER = "X-Organising-Signature"


def idempotency_key(delivery_key: str) -> str:
    return hashlib.sha256(delivery_key.encode()).hexdigest()[:40]


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookChannel:
    """Sends webhook and chat deliveries."""

    def __init__(self, hooks: Mapping[str, Any], timeout: float):
        self.hooks = {str(k): str(v) for k, v in hooks.items()}
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy from the environment between the app and the hook

    def _named(self, name: str, what: str) -> str:
        if name not in self.hooks:
            raise DeliveryFailed(f"the {what} {name!r} is not in [webhook_secrets] in the secrets file")
        return self.hooks[name]

    def send(self, delivery: Delivery) -> None:
        payload = delivery.payload
        url = payload["url"] if "://" in payload["url"] else self._named(payload["url"], "address")
        body = payload["body"].encode("utf-8")
        headers = {**payload.get("headers", {}), "Content-Type": "application/json; charset=utf-8",
                   "Idempotency-Key": idempotency_key(delivery.key)}
        if delivery.test:
            headers["X-Organising-Test"] = "true"
        if payload.get("secret"):
            headers[SIGNATURE_HEADER] = signature(self._named(payload["secret"], "signing key"), body)
        try:
            answer = self.session.post(url, data=body, headers=headers, timeout=self.timeout, allow_redirects=False)
        except requests.exceptions.Timeout:
            raise DeliveryFailed(f"no answer within {self.timeout:g} s") from None
        except requests.exceptions.ConnectionError as exc:
            raise DeliveryFailed(f"could not be reached ({_reason(exc)})") from None
        except requests.exceptions.RequestException as exc:
            raise DeliveryFailed(f"the request failed ({exc.__class__.__name__})", permanent=True) from None
        status = answer.status_code
        if 200 <= status < 300:
            return
        said = " ".join(answer.text[:200].split())
        if 300 <= status < 400:
            raise DeliveryFailed(f"answered {status}, a redirect to {answer.headers.get('Location', '?')}: "
                                 "put the final address in the workflow", permanent=True)
        retry = status in (408, 429) or status >= 500
        raise DeliveryFailed(f"answered {status} {answer.reason or ''}".rstrip() + (f": {said}" if said else ""),
                             permanent=not retry)


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text or "Temporary failure in name" in text:
        return "the host name could not be found"
    if "Connection refused" in text:
        return "the connection was refused"
    return exc.__class__.__name__
