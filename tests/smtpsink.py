"""An SMTP server for the outbox tests: aiosmtpd on a free port of 127.0.0.1, keeping what it accepts.

Plain, STARTTLS (required before AUTH) or implicit TLS, with a throwaway CA's
certificate (tests/tls.py); PLAIN/LOGIN with a password, and XOAUTH2 checked
against the same token introspection as Dovecot's (tests/oauth.py).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from oauth import TokenIntrospection
from tls import Certificates

__all__ = ["SmtpSink", "free_port"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    """aiosmtpd keeping every mail it accepts; `hold` delays MAIL FROM.

    `security` is what rpa's [smtp] security must be to talk to it: none,
    starttls (needs `certificates`) or ssl (implicit TLS, needs `certificates`).
    """

    user: str = "smtp-user"
    password: str = "smtp-pw"
    security: str = "none"
    certificates: Certificates | None = None
    oauth: TokenIntrospection | None = None  # accept XOAUTH2 with the tokens it knows
    received: list[Message] = field(default_factory=list)
    hold: threading.Event | None = None  # while set, MAIL FROM waits (a slow server)
    mail_from_seen: threading.Event = field(default_factory=threading.Event)
    refuse_recipients: bool = False

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.controller = Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._check_password,
            auth_required=True,
            auth_exclude_mechanism=[] if self.oauth else ["XOAUTH2"],
            **self._tls_arguments(),
        )
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def env(self) -> dict[str, str]:
        return {
            "RPA_SMTP_HOST": "127.0.0.1",
            "RPA_SMTP_PORT": str(self.port),
            "RPA_SMTP_SECURITY": self.security,
            "RPA_SMTP_USER": self.user,
            "RPA_SMTP_PASSWORD": self.password,
            "RPA_SMTP_CA_FILE": str(self.certificates.ca_file) if self.certificates else "",
        }

    def _tls_arguments(self) -> dict[str, object]:
        if self.security == "none":
            return {"auth_require_tls": False}
        assert self.certificates is not None, f"security = {self.security} needs certificates"
        context = self.certificates.server_context()
        if self.security == "starttls":
            return {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        # Implicit TLS: aiosmtpd counts only STARTTLS as TLS for AUTH, so it must not insist.
        return {"ssl_context": context, "auth_require_tls": False}

    def _check_password(self, server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        from aiosmtpd.smtp import AuthResult

        ok = auth_data.login == self.user.encode() and auth_data.password == self.password.encode()
        return AuthResult(success=ok, handled=False)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: ANN001, ANN201
        self.sink.mail_from_seen.set()
        while self.sink.hold is not None and self.sink.hold.is_set():
            await asyncio.sleep(0.05)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001, ANN201
        if self.sink.refuse_recipients:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        mail = message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        mail["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.sink.received.append(mail)
        return "250 Message accepted for delivery"

    async def auth_XOAUTH2(self, server, args):  # noqa: ANN001, ANN201 - aiosmtpd finds auth_* by name
        """XOAUTH2 as Gmail answers it: a bad token gets a JSON error challenge, then 535."""
        from aiosmtpd.smtp import AuthResult

        try:
            response = base64.b64decode(args[1], validate=True) if len(args) > 1 else b""
        except binascii.Error:
            return AuthResult(success=False, handled=False, message="501 5.5.2 Can't decode base64")
        fields = dict(part.split("=", 1) for part in response.decode().split("\x01") if "=" in part)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        if user and self.sink.oauth is not None and self.sink.oauth.user_of(token) == user:
            return AuthResult(success=True, auth_data=user)
        await server.challenge_auth(json.dumps({"status": "400", "schemes": "Bearer", "scope": "mail"}))
        return AuthResult(success=False, handled=False)  # not handled here: aiosmtpd answers 535
