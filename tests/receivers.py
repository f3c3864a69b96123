"""Real receivers on 127.0.0.1 for the workflow tests: an SMTP server
(aiosmtpd, optionally with STARTTLS and login) and an HTTP webhook receiver
whose answers a test can script (500s, slow answers, hangs)."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.browser import free_port


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str | None:
        part = self.message.get_body(("html",))
        return part.get_content() if part is not None else None


class _Inbox:
    def __init__(self, refuse: dict[str, str] | None = None):
        self.mails: list[Mail] = []
        self.lock = threading.Lock()
        self.refuse = refuse or {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class MailServer:
    """aiosmtpd on a fixed loopback port, so a test can stop it and start it
    again where the app expects it. With `tls_folder`: STARTTLS required and
    login as user / secret. `refuse`: addresses answered at RCPT TO with
    their reply (e.g. "550 5.1.1 no such mailbox"), the others accepted."""

    USER, PASSWORD = "organiser", "s3cret"

    def __init__(self, tls_folder: Path | None = None, refuse: dict[str, str] | None = None):
        self.port = free_port()
        self.inbox = _Inbox(refuse)
        self.cafile: Path | None = None
        self._tls = None
        if tls_folder is not None:
            cert, key = self_signed(tls_folder)
            self.cafile = cert
            self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._tls.load_cert_chain(cert, key)
        self.controller: Controller | None = None

    @property
    def mails(self) -> list[Mail]:
        with self.inbox.lock:
            return list(self.inbox.mails)

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.login == self.USER.encode() and auth_data.password == self.PASSWORD.encode())

    def start(self) -> "MailServer":
        options = {}
        if self._tls is not None:
            options = {"tls_context": self._tls, "require_starttls": True, "authenticator": self._authenticate,
                       "auth_require_tls": True}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def secrets(self) -> dict:
        """The [smtp] section that points the app here."""
        section = {"host": "127.0.0.1", "port": self.port, "sender": "Alliance <organiser@alliance.example>",
                   "starttls": self._tls is not None}
        if self._tls is not None:
            section.update(username=self.USER, password=self.PASSWORD, cafile=str(self.cafile))
        return section


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | None = None

    @property
    def key(self) -> str:
        return self.headers.get("Idempotency-Key", "")

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP server taking POSTs. `script` holds the next answers: a status,
    or (seconds to wait, status); when it is empty, 200 after `delay` seconds."""
    requests: list[Request] = field(default_factory=list)
    script: list = field(default_factory=list)
    delay: float = 0.0

    def __post_init__(self):
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = Request(self.path, dict(self.headers.items()), body)
                with receiver.lock:
                    receiver.requests.append(request)
                    step = receiver.script.pop(0) if receiver.script else (receiver.delay, 200)
                wait, status = step if isinstance(step, tuple) else (0, step)
                time.sleep(wait)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                    request.answered = status
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def accepted(self) -> list[Request]:
        """The requests it answered with 2xx (what arrived, as the receiver sees it)."""
        with self.lock:
            return [r for r in self.requests if r.answered is not None and 200 <= r.answered < 300]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
