"""`Mailbox` over IMAP, with imapclient: login (password or XOAUTH2), IDLE, fetch, flags.

imapclient's and the socket's exceptions stop here: a refused login becomes
`AuthenticationFailed`, a server certificate that does not verify becomes
`CertificateRefused` (see `[imap] ca_file`), everything else the server or the
network does to us becomes `MailboxError` with what we were doing. Passwords
and tokens are never put in a message or a log line.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from email import policy
from email.parser import BytesHeaderParser

from rpa.config import ImapSettings
from rpa.config.mail import SECURITIES
from rpa.errors import AuthenticationFailed, ConfigError, MailboxError
from rpa.mailbox.base import FetchedMail, FolderState
from rpa.mailbox.tls import certificate_refused, tls_context
from rpa.mailbox.tokens import TokenSource

__all__ = ["SECURITIES", "ImapMailbox", "account_name", "default_port"]

log = logging.getLogger(__name__)

# Responses by which a server tells an IDLE client that the folder changed.
_CHANGES = {b"EXISTS", b"RECENT", b"EXPUNGE", b"FETCH"}
_IDLE_SLICE = 0.5  # seconds: how often a waiting daemon looks at its stop flag
_MESSAGE_ID_ITEM = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"  # the answer says BODY[...]
_MESSAGE_ID_ANSWER = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


def default_port(security: str, ssl_port: int, plain_port: int) -> int:
    return ssl_port if security == "ssl" else plain_port


def account_name(imap: ImapSettings, configured: str = "") -> str:
    return configured or f"{imap.user}@{imap.host}"


@contextmanager
def _server_errors(doing: str) -> Iterator[None]:
    from imapclient.exceptions import IMAPClientError

    try:
        yield
    except (imaplib.IMAP4.abort, OSError) as exc:  # includes socket timeouts and TLS errors
        raise MailboxError(f"connection lost while {doing}: {exc or type(exc).__name__}") from exc
    except IMAPClientError as exc:
        raise MailboxError(f"the server refused {doing}: {exc}") from exc


@contextmanager
def _certificate_errors(imap: ImapSettings, port: int) -> Iterator[None]:
    try:
        yield
    except ssl.SSLCertVerificationError as exc:  # a configuration matter, not a lost connection
        raise certificate_refused(exc, imap.host, port, "imap", imap.ca_file) from exc


class ImapMailbox:
    """One logged-in IMAP connection. Build it with `ImapMailbox.connect(settings)`."""

    def __init__(self, client, account: str) -> None:  # noqa: ANN001 - an IMAPClient
        self.client = client
        self.account = account
        self.can_idle = client.has_capability("IDLE")
        self.can_move = client.has_capability("MOVE")

    @classmethod
    def connect(cls, imap: ImapSettings, account: str = "", tokens: TokenSource | None = None) -> ImapMailbox:
        from imapclient import IMAPClient

        if not imap.host:
            raise ConfigError("no IMAP server configured: set RPA_IMAP_HOST (or [imap] host)")
        port = imap.port or default_port(imap.security, 993, 143)
        context = tls_context(imap.ca_file, "imap") if imap.security != "none" else None
        with _server_errors(f"connecting to {imap.host}:{port}"), _certificate_errors(imap, port):
            client = IMAPClient(
                imap.host,
                port=port,
                ssl=imap.security == "ssl",
                ssl_context=context,
                timeout=imap.timeout_seconds,
            )
            client.normalise_times = False  # keep INTERNALDATE's time zone
            if imap.security == "starttls":
                client.starttls(context)
        try:
            _login(client, imap, tokens)
        except BaseException:
            _quietly(client.shutdown)
            raise
        return cls(client, account_name(imap, account))

    def open_folder(self, folder: str) -> FolderState:
        with _server_errors(f"opening {folder}"):
            info = self.client.select_folder(folder)
        return FolderState(folder, int(info[b"UIDVALIDITY"]), int(info.get(b"EXISTS", 0)))

    def uids(self, *, without_keyword: str | None = None) -> list[int]:
        criteria = ["UNKEYWORD", without_keyword] if without_keyword else ["ALL"]
        with _server_errors("searching"):
            return sorted(self.client.search(criteria))

    def fetch(self, uids: Sequence[int]) -> list[FetchedMail]:
        if not uids:
            return []
        with _server_errors(f"fetching {len(uids)} mail(s)"):
            data = self.client.fetch(list(uids), ["BODY.PEEK[]", "INTERNALDATE"])
        # A UID expunged meanwhile is simply absent from the answer.
        return [
            FetchedMail(uid, data[uid][b"BODY[]"], data[uid].get(b"INTERNALDATE"))
            for uid in sorted(data)
            if b"BODY[]" in data[uid]
        ]

    def message_ids(self, uids: Sequence[int]) -> dict[int, str | None]:
        if not uids:
            return {}
        with _server_errors(f"fetching the Message-ID of {len(uids)} mail(s)"):
            data = self.client.fetch(list(uids), [_MESSAGE_ID_ITEM])
        return {
            uid: _message_id(data[uid][_MESSAGE_ID_ANSWER])
            for uid in sorted(data)
            if _MESSAGE_ID_ANSWER in data[uid]
        }

    def add_keyword(self, uids: Sequence[int], keyword: str) -> None:
        with _server_errors(f"adding keyword {keyword}"):
            self.client.add_flags(list(uids), [keyword.encode()], silent=True)

    def mark_read(self, uids: Sequence[int]) -> None:
        from imapclient import SEEN

        with _server_errors("marking mail read"):
            self.client.add_flags(list(uids), [SEEN], silent=True)

    def move(self, uids: Sequence[int], folder: str) -> None:
        from imapclient import DELETED

        with _server_errors(f"moving mail to {folder}"):
            self._ensure_folder(folder)
            if self.can_move:
                self.client.move(list(uids), folder)
                return
            self.client.copy(list(uids), folder)
            self.client.add_flags(list(uids), [DELETED], silent=True)
            self.client.uid_expunge(list(uids))

    def delete(self, uids: Sequence[int]) -> None:
        from imapclient import DELETED

        with _server_errors("deleting mail"):
            self.client.add_flags(list(uids), [DELETED], silent=True)
            self.client.uid_expunge(list(uids))

    def append(self, folder: str, raw: bytes, *, flags: Sequence[str] = ()) -> None:
        with _server_errors(f"appending to {folder}"):
            self._ensure_folder(folder)
            self.client.append(folder, raw, flags=[f.encode() for f in flags])

    def contains_message_id(self, folder: str, message_id: str) -> bool:
        with _server_errors(f"searching {folder}"):
            if not self.client.folder_exists(folder):
                return False
            self.client.select_folder(folder, readonly=True)
            return bool(self.client.search(["HEADER", "Message-ID", message_id]))

    def wait_for_mail(self, timeout: float, should_stop: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + timeout
        if not self.can_idle:
            while time.monotonic() < deadline and not should_stop():
                time.sleep(min(_IDLE_SLICE, max(0.0, deadline - time.monotonic())))
            return not should_stop()
        with _server_errors("waiting for mail (IDLE)"):
            # Mail that arrived since the last look is told on a NOOP, not by IDLE.
            _, responses = self.client.noop()
            if any(len(r) > 1 and r[1] in _CHANGES for r in responses):
                return True
            self.client.idle()
            changed = self._told_with_the_continuation()
            # On an error the connection is dropped by the caller: no DONE to send then.
            while not changed and not should_stop() and time.monotonic() < deadline:
                slice_ = min(_IDLE_SLICE, deadline - time.monotonic())
                started = time.monotonic()
                responses = self.client.idle_check(timeout=slice_)
                # imapclient swallows EOF: readable at once yet nothing read means the server is gone.
                if not responses and time.monotonic() - started < slice_ / 2:
                    raise MailboxError("the server closed the connection")
                if any(b"BYE" in r[:2] for r in responses):
                    raise MailboxError("the server closed the connection (BYE)")
                changed = any(len(r) > 1 and r[1] in _CHANGES for r in responses)
            self.client.idle_done()
        return changed

    def _told_with_the_continuation(self) -> bool:
        """Whether the server told of new mail right after its "+ idling" (Dovecot does, for
        mail that came since the NOOP), in the same packet: imaplib then read it into its
        buffer with the continuation, where `idle_check`, which waits on the socket, never
        looks. The buffer is read without waiting: the socket is made non-blocking."""
        reader = getattr(self.client._imap, "file", None)  # noqa: SLF001 - imaplib's buffered reader
        if reader is None or not hasattr(reader, "peek"):
            return False
        sock = self.client.socket()
        sock.setblocking(False)
        try:
            pending = reader.peek()
        except (OSError, ValueError):  # nothing buffered, and nothing to read yet
            return False
        finally:
            sock.setblocking(True)
            self.client._set_read_timeout()  # noqa: SLF001 - as imapclient's idle_check leaves it
        return any(len(line) > 1 and line[1] in _CHANGES for line in _untagged(pending))

    def close(self) -> None:
        _quietly(self.client.logout)

    def _ensure_folder(self, folder: str) -> None:
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)


def _login(client, imap: ImapSettings, tokens: TokenSource | None) -> None:  # noqa: ANN001
    from imapclient.exceptions import LoginError

    who = f"{imap.user} at {imap.host}"
    try:
        with _server_errors(f"logging in as {who}"):
            if imap.auth == "password":
                if not imap.password:
                    raise ConfigError("no IMAP password: set RPA_IMAP_PASSWORD or [imap] password_file")
                client.login(imap.user, imap.password)
            else:
                tokens = tokens or TokenSource(imap.token_command, imap.token_file)
                tokens.log_in(lambda token: client.oauth2_login(imap.user, token), refused=LoginError)
    except MailboxError as exc:
        if isinstance(exc.__cause__, LoginError):
            raise AuthenticationFailed(f"the server refused the credentials of {who}") from None
        raise


def _message_id(header: bytes) -> str | None:
    # Read as extractors.mime reads it, so that it equals the key of the parsed mail; where the
    # two might differ (8-bit bytes), the mail is merely fetched whole and matched after parsing.
    value = BytesHeaderParser(policy=policy.default).parsebytes(header).get("Message-ID")
    return (" ".join(str(value).split()) or None) if value is not None else None


def _quietly(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception:  # noqa: BLE001 - closing a connection that may already be gone
        log.debug("ignored error while closing the IMAP connection", exc_info=True)


def _untagged(data: bytes) -> list[tuple[bytes, ...]]:
    """The untagged responses in a server's raw bytes: "* 3 EXISTS" -> (b"3", b"EXISTS")."""
    return [tuple(line[2:].split()) for line in data.splitlines() if line.startswith(b"* ")]
