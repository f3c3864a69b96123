"""Sending a workflow's e-mail over SMTP (STARTTLS and login by default).

Settings come from the secrets file's [smtp] section:

    [smtp]
    host = "smtp.example.org"
    port = 587
    sender = "Citizens Alliance <organiser@example.org>"
    username = "organiser@example.org"
    password = "…"
    starttls = true        # false only for a server on this machine
    # cafile = "/path/to/ca.pem"   # a private mail server's certificate authority

Every message carries a Message-ID made from its delivery's key, so a retry
after an answer that got lost is the same message, and mail systems that
de-duplicate by Message-ID drop the copy.
"""
from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any, Callable, Mapping

from organising.forms.spec import ConfigError
from organising.workflows.ledger import Delivery
from organising.workflows.sender import DeliveryFailed

Attachment = tuple[str, str, bytes]  # file name, MIME type, content


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    username: str = ""
    password: str = ""
    starttls: bool = True
    cafile: str = ""


def smtp_settings(secrets: Mapping[str, Any]) -> SmtpSettings | None:
    """The [smtp] section, or None when there is none; ConfigError saying what to fix."""
    section = secrets.get("smtp")
    if section is None:
        return None
    if not isinstance(section, Mapping):
        raise ConfigError("[smtp] must be a section with host, port, sender, username and password")
    lacking = [k for k in ("host", "sender") if not str(section.get(k) or "").strip()]
    if lacking:
        raise ConfigError(f"[smtp] lacks {', '.join(lacking)}")
    port = section.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError("[smtp] port: a number such as 587")
    if "@" not in parseaddr(str(section["sender"]))[1]:
        raise ConfigError(f"[smtp] sender: {section['sender']!r} is not an address such as "
                          "\"Alliance <organiser@example.org>\"")
    starttls = section.get("starttls", True)
    if not isinstance(starttls, bool):
        raise ConfigError("[smtp] starttls: true or false")
    return SmtpSettings(str(section["host"]).strip(), str(section["sender"]).strip(), port,
                        str(section.get("username") or ""), str(section.get("password") or ""), starttls,
                        str(section.get("cafile") or ""))


def message_id(key: str, sender: str) -> str:
    """The same for every attempt at one delivery."""
    domain = parseaddr(sender)[1].rsplit("@", 1)[-1] or "organising.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def build_message(delivery: Delivery, sender: str, attachments: list[Attachment]) -> EmailMessage:
    payload = delivery.payload
    message = EmailMessage()
    message["From"] = sender
    if payload["to"]:
        message["To"] = ", ".join(payload["to"])
    if payload.get("cc"):
        message["Cc"] = ", ".join(payload["cc"])
    message["Subject"] = ("[Test] " if delivery.test else "") + payload["subject"]
    message["Message-ID"] = message_id(delivery.key, sender)
    message["Date"] = formatdate(localtime=False)
    message["Auto-Submitted"] = "auto-generated"  # so auto-replies are not sent back
    message.set_content(payload["text"] or " ")
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    for name, mime, content in attachments:
        main, sub = mime.split("/", 1)
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return message


class MailChannel:
    """Sends e-mail deliveries; `attachments` makes a report file from its spec."""

    def __init__(self, settings: SmtpSettings, timeout: float,
                 attachments: Callable[[Mapping[str, Any]], Attachment]):
        self.settings = settings
        self.timeout = timeout
        self.attachments = attachments

    def send(self, delivery: Delivery) -> str | None:
        """Send it; a note when the server took it for some addresses and refused others
        (those accepted have it: sending again would give them a second copy)."""
        settings = self.settings
        files = [self.attachments(spec) for spec in delivery.payload.get("attach", [])]
        message = build_message(delivery, settings.sender, files)
        recipients = [*delivery.payload["to"], *delivery.payload.get("cc", []), *delivery.payload.get("bcc", [])]
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=self.timeout) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=settings.cafile or None))
                if settings.username:
                    smtp.login(settings.username, settings.password)
                refused = smtp.send_message(message, from_addr=parseaddr(settings.sender)[1], to_addrs=recipients)
        except smtplib.SMTPAuthenticationError:
            raise DeliveryFailed("the mail server refused the username or password in [smtp]", permanent=True) \
                from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(f"the mail server refused every address: {refusals(exc.recipients)}",
                                 permanent=True) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryFailed(f"the mail server does not offer what [smtp] asks for ({exc}); check starttls "
                                 "and the port", permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            raise DeliveryFailed(f"the mail server answered {exc.smtp_code} {text}",
                                 permanent=exc.smtp_code >= 500) from None
        except ssl.SSLError as exc:
            raise DeliveryFailed(f"the secure connection to the mail server failed ({exc.reason or exc})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"the mail server {settings.host}:{settings.port} could not be reached "
                                 f"({exc.__class__.__name__}: {exc})") from None
        if not refused:
            return None
        addresses = len(set(recipients))
        return f"sent to {addresses - len(refused)} of {addresses} addresses; refused: {refusals(refused)}"


def refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    """The addresses a server refused, each with its answer on one line:
    "bob@example.org (550 no such mailbox)"."""
    return ", ".join(f"{address} ({code} {' '.join(text.decode(errors='replace').split())})"
                     for address, (code, text) in refused.items())
