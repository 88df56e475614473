"""The exceptions rpa raises on purpose, in one place.

    RpaError                 base: everything below carries a message a user can act on
    ├── ConfigError          the configuration file or an RPA_* variable is wrong
    ├── InputError           a path given to `rpa process` cannot be read as mail or document
    ├── ExtractionError      a document (attachment) could not be read: corrupt, encrypted, unknown
    │   └── OcrError         Tesseract is missing or failed on a page
    ├── DraftingError        a reply could not be drafted (template missing, undefined variable)
    ├── StoreError           the database refused an operation
    │   ├── NotFound         no row with that id
    │   ├── InvalidTransition  e.g. approving a draft that was rejected
    │   └── Claimed          another agent holds the message (web workspace)
    ├── AccessError          the workspace refused a login or an action
    │   ├── LoginFailed      wrong name or password, or a disabled account
    │   ├── LoginLocked      too many failed logins: refused for a while
    │   └── Forbidden        the user's role may not do this
    ├── MailboxError         the mail server refused us or went away (daemon)
    │   ├── AuthenticationFailed  the server refused our credentials: not retried at once
    │   └── CertificateRefused    the server's TLS certificate did not verify (see ca_file)
    └── QueueError           the broker of the distributed mode cannot be reached ([queue])

Code that catches a broad `Exception` does so only at one boundary: one message in
a batch, one attachment in a message. There it records the error and goes on.
"""

from __future__ import annotations

__all__ = [
    "RpaError",
    "ConfigError",
    "InputError",
    "ExtractionError",
    "OcrError",
    "DraftingError",
    "StoreError",
    "NotFound",
    "InvalidTransition",
    "Claimed",
    "AccessError",
    "LoginFailed",
    "LoginLocked",
    "Forbidden",
    "MailboxError",
    "AuthenticationFailed",
    "CertificateRefused",
    "QueueError",
]


class RpaError(Exception):
    """Base of all errors rpa raises on purpose."""


class ConfigError(RpaError):
    """The configuration file or an environment override is invalid."""


class InputError(RpaError):
    """An input path cannot be read as a mail, a mailbox or a document."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


class ExtractionError(RpaError):
    """A document could not be read.

    `status` is what the attachment is recorded with: ``error`` when the document
    is broken (corrupt, encrypted), ``skipped`` when we chose not to read it
    (unknown type, too large).
    """

    def __init__(
        self,
        message: str,
        *,
        filename: str | None = None,
        page: int | None = None,
        status: str = "error",
    ) -> None:
        where = filename or ""
        if page is not None:
            where = f"{where}#p{page}"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.filename = filename
        self.page = page
        self.status = status


class OcrError(ExtractionError):
    """Tesseract is missing, lacks a language, or failed on a page."""


class DraftingError(RpaError):
    """A reply could not be drafted."""


class StoreError(RpaError):
    """The store refused an operation."""


class NotFound(StoreError):
    """No row with the given id."""


class InvalidTransition(StoreError):
    """A review state change that is not allowed from the current state."""


class Claimed(StoreError):
    """Another agent holds the message: it is theirs to approve or reject until they let go."""

    def __init__(self, message: str, *, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class AccessError(RpaError):
    """The workspace refused a login or an action."""


class LoginFailed(AccessError):
    """Wrong user name or password, or a disabled account (never says which)."""


class LoginLocked(AccessError):
    """Too many failed logins for the account or the address: refused for `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(AccessError):
    """The user's role does not allow the action."""


class MailboxError(RpaError):
    """The mail server refused us or the connection was lost."""


class AuthenticationFailed(MailboxError):
    """The server refused the user name, password or token: hammering it would lock the account."""


class CertificateRefused(MailboxError):
    """The server's TLS certificate did not verify: untrusted CA, wrong host name, expired."""


class QueueError(RpaError):
    """The Celery broker (`[queue] broker_url`) refused us or cannot be reached."""
