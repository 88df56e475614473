"""The mail sections: `[imap]` (the mailbox the daemon watches), `[smtp]` (how replies leave),
`[daemon]` and its `[[daemon.rules]]`."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from rpa.config.options import check_choices
from rpa.config.options import option as _opt
from rpa.errors import ConfigError

__all__ = [
    "MAIL_ACTIONS",
    "SECURITIES",
    "DaemonSettings",
    "ImapSettings",
    "MailAction",
    "MailRule",
    "Security",
    "SmtpSettings",
]

Security = Literal["ssl", "starttls", "none"]
SECURITIES: tuple[str, ...] = typing.get_args(Security)
# What the daemon does on the server once a mail is stored (`rpa.daemon.actions`)
MailAction = Literal["keyword", "move", "read", "delete", "none"]
MAIL_ACTIONS: tuple[str, ...] = typing.get_args(MailAction)


@dataclass(frozen=True)
class ImapSettings:
    host: str = _opt("", "IMAP server that `rpa daemon` watches")
    port: int = _opt(0, "0 means the usual port: 993 with ssl, 143 otherwise")
    security: Security = _opt("ssl", "ssl, starttls, or none (plain text: local tests only)")
    ca_file: str = _opt("", "PEM file of the CA(s) to trust instead of the system's (an internal CA)")
    user: str = _opt("", "Login name")
    password: str = _opt("", "Password (auth = password)", secret=True)
    folder: str = _opt("INBOX", "Folders to watch, comma-separated; the first one with IDLE")
    auth: Literal["password", "xoauth2"] = _opt(
        "password", "password, or xoauth2 (Gmail, Microsoft 365) with a token helper"
    )
    token_command: str = _opt("", "xoauth2: command that prints a fresh access token")
    token_file: str = _opt("", "xoauth2: file a token helper keeps up to date")
    sent_folder: str = _opt("Sent", "Where a copy of each reply sent by SMTP is appended")
    drafts_folder: str = _opt("Drafts", "Where replies go in drafts mode")
    timeout_seconds: float = _opt(60.0, "Network timeout of one IMAP command")

    def __post_init__(self) -> None:
        check_choices(self, "[imap]")
        if self.auth == "xoauth2" and not (self.token_command or self.token_file):
            raise ConfigError("[imap] auth = xoauth2 needs token_command or token_file")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = _opt("", "SMTP server for approved replies")
    port: int = _opt(0, "0 means the usual port: 465 with ssl, 587 with starttls, 25 with none")
    security: Security = _opt("starttls", "starttls, ssl, or none (plain text: local tests only)")
    ca_file: str = _opt("", "PEM file of the CA(s) to trust instead of the system's (an internal CA)")
    user: str = _opt("", "Login name; empty means no authentication")
    password: str = _opt("", "Password (auth = password)", secret=True)
    auth: Literal["password", "xoauth2"] = _opt(
        "password", "password, or xoauth2 with the [imap] token helper"
    )
    mode: Literal["smtp", "drafts"] = _opt(
        "smtp", "smtp (send, copy to Sent) or drafts (append to Drafts for agents to send)"
    )
    timeout_seconds: float = _opt(60.0, "Network timeout of one SMTP command")

    def __post_init__(self) -> None:
        check_choices(self, "[smtp]")


@dataclass(frozen=True)
class MailRule:
    """One rule of `[[daemon.rules]]`: every filter set must match (case-insensitive)."""

    name: str = _opt("", "Shown in logs")
    sender: str = _opt("", "Text the From header contains")
    recipient: str = _opt("", "Text the To or Cc headers contain")
    subject: str = _opt("", "Text the subject contains")
    body: str = _opt("", "Text the body contains")
    attachment: str = _opt("", "Glob one attachment name matches, e.g. *.pdf")
    max_age_days: float = _opt(0.0, "Only mail received less than this many days ago; 0 means any")
    folder: str = _opt("", "Only mail in this folder")
    action: Literal[MailAction, ""] = _opt(
        "", "After success: keyword, move, read, delete, none; empty means [daemon] action"
    )
    move_to: str = _opt("", "Folder for action = move")
    stop: bool = _opt(False, "Do not look at the rules after this one when it matches")

    def __post_init__(self) -> None:
        check_choices(self, f"[[daemon.rules]] {self.name or '(no name)'}:")


@dataclass(frozen=True)
class DaemonSettings:
    account: str = _opt("", "Name of the mailbox in the store; empty means user@host")
    action: MailAction = _opt("keyword", "After a mail is stored: keyword, move, read, delete, or none")
    keyword: str = _opt("$rpa-processed", "IMAP keyword added by action = keyword")
    move_to: str = _opt("", "Folder for action = move")
    poll_seconds: float = _opt(60.0, "Interval between checks when the server has no IDLE")
    idle_seconds: float = _opt(1500.0, "IDLE is re-issued after this long (RFC 2177: under 29 min)")
    batch_size: int = _opt(50, "Mails fetched per IMAP command")
    max_attempts: int = _opt(5, "A failing mail is retried this many times, then marked failed")
    retry_seconds: float = _opt(60.0, "First retry delay; doubled at each attempt")
    reconnect_max_seconds: float = _opt(300.0, "Longest wait between reconnections")
    auth_retry_seconds: float = _opt(900.0, "Wait after the server refused our credentials")
    heartbeat_seconds: float = _opt(10.0, "How often `rpa status` is told the daemon is alive")
    sender_drafts_per_hour: int = _opt(20, "More mail than this from one sender in an hour gets no draft")
    send_approved: bool = _opt(True, "Send approved drafts from the daemon (see [smtp])")
    send_seconds: float = _opt(30.0, "Interval between looks for approved drafts")
    metrics_port: int = _opt(0, "Prometheus endpoint port (needs prometheus_client); 0 means off")
    metrics_address: str = _opt("127.0.0.1", "Address the Prometheus endpoint listens on")
    log_format: Literal["text", "json"] = _opt("text", "text, or json (one JSON object per line)")
    rules: tuple[MailRule, ...] = _opt((), "[[daemon.rules]] tables, in order; none means every mail")

    def __post_init__(self) -> None:
        check_choices(self, "[daemon]")
        if self.action == "move" and not self.move_to:
            raise ConfigError("[daemon] action = move needs move_to")
        for number, rule in enumerate(self.rules, 1):
            if (rule.action or self.action) == "move" and not (rule.move_to or self.move_to):
                raise ConfigError(f"[[daemon.rules]] #{number}: action = move needs move_to")
