"""Sending the replies agents approved: by SMTP with a copy in Sent, or into Drafts.

Exactly once, through the store: a draft moves approved -> sending with the
reply's Message-ID committed *before* the SMTP transaction, then sending ->
sent. A draft found in `sending` (we crashed mid-way) is looked for in the Sent
(or Drafts) folder by that Message-ID before anything is sent again; a resend
carries the same Message-ID, so a mail client can tell a duplicate. An SMTP
refusal moves it back to approved with the error, to be tried later. Only the
`Store.start_sending` transition leads to SMTP, and it starts from approved only:
nothing unapproved is ever sent, whatever the configuration.
A reply by post (a draft of channel "letter", answering a letter received on
paper) is never sent: approving it is the end, the agent prints and posts it.

The one window no client can close: the server accepted the mail and we died
before committing `sent`. The Sent copy is appended after that commit, so the
restart sends again, with the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import SMTP, default
from email.utils import format_datetime, make_msgid

from drafting.base import reply_subject
from drafting.postal import LETTER
from rpa.config import Settings, SmtpSettings
from rpa.errors import AuthenticationFailed, ConfigError, MailboxError, RpaError
from rpa.mailbox import Mailbox, TokenSource, certificate_refused, tls_context, xoauth2_string
from rpa.models import DraftStatus
from rpa.store import DraftRecord, Store
from rpa.store.sending import mark_copy_saved, messages_with_drafts, messages_without_copy

__all__ = ["Outbox", "SendReport", "SmtpTransport", "build_reply", "from_address"]

log = logging.getLogger("rpa.outbox")
_PORTS = {"ssl": 465, "starttls": 587, "none": 25}  # by [smtp] security


@dataclass(frozen=True)
class SendReport:
    message_pk: int
    draft_id: int | None
    status: str  # sent, saved (drafts mode), failed, skipped
    detail: str = ""


def from_address(settings: Settings) -> str:
    for candidate in (settings.drafting.from_address, settings.smtp.user, settings.imap.user):
        if "@" in candidate:
            return candidate
    raise ConfigError("replies need our address: set [drafting] from_address (RPA_DRAFTING_FROM_ADDRESS)")


class SmtpTransport:
    """One SMTP connection per call: STARTTLS or SSL, then password or XOAUTH2."""

    def __init__(self, smtp: SmtpSettings, tokens: TokenSource | None = None) -> None:
        if not smtp.host:
            raise ConfigError("no SMTP server configured: set RPA_SMTP_HOST (or [smtp] host)")
        if smtp.user and smtp.auth == "password" and not smtp.password:
            raise ConfigError("no SMTP password: set RPA_SMTP_PASSWORD or [smtp] password_file")
        if smtp.user and smtp.auth == "xoauth2" and tokens is None:
            raise ConfigError("[smtp] auth = xoauth2 needs the [imap] token_command or token_file")
        self.smtp = smtp
        self.tokens = tokens
        # Built now, so that an unreadable ca_file stops the command that sends, not the first reply.
        self.context = tls_context(smtp.ca_file, "smtp") if smtp.security != "none" else None

    def send(self, mail: EmailMessage) -> None:
        smtp = self.smtp
        port = smtp.port or _PORTS[smtp.security]
        context = self.context
        try:
            if smtp.security == "ssl":
                client = smtplib.SMTP_SSL(smtp.host, port, timeout=smtp.timeout_seconds, context=context)
            else:
                client = smtplib.SMTP(smtp.host, port, timeout=smtp.timeout_seconds)
            with client:
                if smtp.security == "starttls":
                    client.starttls(context=context)
                self._authenticate(client)
                client.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise AuthenticationFailed(f"the SMTP server refused the credentials of {smtp.user}") from exc
        except smtplib.SMTPException as exc:
            raise MailboxError(f"the SMTP server refused the reply: {_smtp_reason(exc)}") from exc
        except ssl.SSLCertVerificationError as exc:
            raise certificate_refused(exc, smtp.host, port, "smtp", smtp.ca_file) from exc
        except OSError as exc:
            raise MailboxError(f"cannot talk to the SMTP server {smtp.host}:{port}: {exc}") from exc

    def _authenticate(self, client: smtplib.SMTP) -> None:
        smtp = self.smtp
        if not smtp.user:
            return
        if smtp.auth == "xoauth2":
            client.ehlo_or_helo_if_needed()
            self.tokens.log_in(
                lambda token: _xoauth2_auth(client, smtp.user, token), refused=smtplib.SMTPAuthenticationError
            )
            return
        client.login(smtp.user, smtp.password)


def _xoauth2_auth(client: smtplib.SMTP, user: str, token: str) -> None:
    # A refused token gets a challenge (an error in JSON, as Gmail does): answered empty, then 535.
    client.auth("XOAUTH2", lambda challenge=None: "" if challenge else xoauth2_string(user, token))


def _smtp_reason(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{rcpt}: {code} {msg.decode(errors='replace')}" for rcpt, (code, msg) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    return str(exc) or type(exc).__name__


def build_reply(settings: Settings, draft: DraftRecord, original_raw: bytes | None) -> EmailMessage:
    """The reply as it leaves: threading headers from the customer's mail, our Message-ID."""
    mail = EmailMessage(policy=default)
    sender = from_address(settings)
    mail["From"] = HeaderAddress(settings.drafting.team_name or "", addr_spec=sender)
    mail["To"] = HeaderAddress(draft.to_name or "", addr_spec=draft.to_email)
    mail["Subject"] = reply_subject(draft.subject)
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = draft.outgoing_message_id
    headers = BytesHeaderParser(policy=default).parsebytes(original_raw) if original_raw else None
    parent = str(headers.get("Message-ID", "")).strip() if headers else ""
    if parent:
        references = str(headers.get("References", "")).split()
        mail["In-Reply-To"] = parent
        mail["References"] = " ".join([*references[-20:], parent])  # bounded, as RFC 5322 suggests
    mail.set_content(draft.text_to_send)
    return mail


class Outbox:
    """Sends approved drafts; the mailbox (when given) holds Sent copies and Drafts."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        actor: str = "daemon",
        transport: Callable[[EmailMessage], None] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.actor = actor
        self.mode = settings.smtp.mode
        if settings.smtp.host or self.mode == "drafts":
            from_address(settings)  # mail replies need our address: refused now, not at the first one
        if transport is None and self.mode == "smtp":
            tokens = (
                TokenSource(settings.imap.token_command, settings.imap.token_file)
                if settings.smtp.auth == "xoauth2"
                else None
            )
            transport = SmtpTransport(settings.smtp, tokens).send
        self.transport = transport
        self.folder = settings.imap.drafts_folder if self.mode == "drafts" else settings.imap.sent_folder

    def send(self, mailbox: Mailbox | None, message_ids: list[int] | None = None) -> list[SendReport]:
        """Send the approved replies of `message_ids` (default: every approved one)."""
        if self.mode == "drafts" and mailbox is None:
            raise ConfigError("[smtp] mode = drafts needs the mailbox: set RPA_IMAP_HOST")
        wanted = (
            message_ids
            if message_ids is not None
            else messages_with_drafts(self.store, DraftStatus.SENDING, DraftStatus.APPROVED)
        )
        reports = [self._send_one(mailbox, pk, explicit=message_ids is not None) for pk in wanted]
        reports = [report for report in reports if report is not None]
        if mailbox is not None and self.mode == "smtp":
            self.save_copies(mailbox)
        return reports

    def save_copies(self, mailbox: Mailbox) -> None:
        """Append to Sent the replies sent while the mailbox was unreachable."""
        for pk in messages_without_copy(self.store):
            draft = self.store.draft_for(pk)
            if not mailbox.contains_message_id(self.folder, draft.outgoing_message_id or ""):
                mail = build_reply(self.settings, draft, self._original(pk))
                mailbox.append(self.folder, mail.as_bytes(policy=SMTP), flags=["\\Seen"])
            mark_copy_saved(self.store, draft.id)

    def _send_one(self, mailbox: Mailbox | None, message_pk: int, *, explicit: bool) -> SendReport | None:
        """What became of the reply; None for a reply by post not asked for by its id."""
        try:
            draft = self.store.draft_for(message_pk)
        except RpaError as exc:
            return SendReport(message_pk, None, "skipped", str(exc))
        if draft.channel == LETTER:  # approving a reply by post is the end: the agent prints it
            why = f"letters are posted, not sent: print it with rpa show {message_pk} --letter-pdf FILE"
            return SendReport(message_pk, draft.id, "skipped", why) if explicit else None
        if draft.status == DraftStatus.SENDING:
            if mailbox is None:
                return SendReport(
                    message_pk,
                    draft.id,
                    "skipped",
                    "was being sent when rpa stopped; "
                    "checking the Sent folder needs the mailbox: set RPA_IMAP_HOST",
                )
            if mailbox.contains_message_id(self.folder, draft.outgoing_message_id or ""):
                self.store.mark_sent(draft, actor=self.actor, how=f"found in {self.folder} after a restart")
                mark_copy_saved(self.store, draft.id)
                return SendReport(message_pk, draft.id, "sent", f"already in {self.folder}")
        elif draft.status == DraftStatus.APPROVED:
            message_id = draft.outgoing_message_id or make_msgid(
                domain=from_address(self.settings).split("@")[1]
            )
            draft = self.store.start_sending(draft, message_id, actor=self.actor)
        else:
            why = f"its draft is {draft.status.value}" + (": approve it first" if explicit else "")
            return SendReport(message_pk, draft.id, "skipped", why)
        return self._deliver(mailbox, draft)

    def _deliver(self, mailbox: Mailbox | None, draft: DraftRecord) -> SendReport:
        mail = build_reply(self.settings, draft, self._original(draft.message_pk))
        if self.mode == "drafts":
            mailbox.append(self.folder, mail.as_bytes(policy=SMTP), flags=["\\Draft"])
            self.store.mark_sent(draft, actor=self.actor, how=f"appended to {self.folder}")
            mark_copy_saved(self.store, draft.id)
            return SendReport(draft.message_pk, draft.id, "saved", f"in {self.folder}")
        try:
            self.transport(mail)
        except (MailboxError, ConfigError) as exc:  # refused, unreachable, or not configured
            self.store.sending_failed(draft, str(exc), actor=self.actor)
            log.warning("reply to message %s not sent: %s", draft.message_pk, exc)
            return SendReport(draft.message_pk, draft.id, "failed", str(exc))
        self.store.mark_sent(draft, actor=self.actor, how="smtp")
        log.info("reply to message %s sent to %s", draft.message_pk, draft.to_email)
        return SendReport(draft.message_pk, draft.id, "sent", f"to {draft.to_email}")

    def _original(self, message_pk: int) -> bytes | None:
        try:
            return self.store.raw_message(message_pk)
        except RpaError:
            return None
