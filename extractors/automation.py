"""Mail that no human wrote, or that must not be answered.

Answering an auto-reply, a bounce or a mailing list starts mail loops; answering
a no-reply sender goes nowhere. These checks read headers first (RFC 3834
Auto-Submitted, the X-Autoreply family, Precedence, List-Id) and fall back to
the out-of-office subjects mail clients write in French and English. A report
(multipart/report) says what it is in its parts (`Message.reports`): a bounce,
a read receipt, or a mailbox provider's spam complaint about one of our mails.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from rpa.models import Message

__all__ = [
    "AUTO_REPLY",
    "MAILING_LIST",
    "NO_REPLY_SENDER",
    "BOUNCE",
    "READ_RECEIPT",
    "FEEDBACK_REPORT",
    "OWN_ADDRESS",
    "BULK",
    "automation_flags",
]

AUTO_REPLY = "auto_reply"
MAILING_LIST = "mailing_list"
NO_REPLY_SENDER = "no_reply_sender"
BOUNCE = "bounce"
READ_RECEIPT = "read_receipt"
FEEDBACK_REPORT = "feedback_report"
OWN_ADDRESS = "own_address"
BULK = "bulk"

_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:(?:re|tr|fw|fwd)\s*:\s*)*(?:"
    r"r[ée]ponse automatique|absente?\b|absence\s*(?::|du\b|jusqu|\d|$)|message d'absence|"
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?reply|autoreply|auto:|"
    r"away from (?:the )?office|on vacation|en cong[ée]s?\b|vacation reply"
    r")",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"(?:undeliver(?:able|ed)|delivery status notification|mail delivery (?:failed|failure|subsystem)|"
    r"returned mail|non remis|[ée]chec de (?:la )?remise|non distribu[ée])",
    re.IGNORECASE,
)
_BOUNCE_LOCAL = re.compile(r"^(?:mailer-daemon|postmaster)$", re.IGNORECASE)
_REPORT_FLAGS = {  # what a report holds (`Message.reports`) -> its flag
    "delivery-status": BOUNCE,
    "disposition-notification": READ_RECEIPT,
    "feedback-report": FEEDBACK_REPORT,
}


def automation_flags(message: Message, own_addresses: Collection[str] = ()) -> list[str]:
    """The reasons (possibly none) not to draft a reply to `message`."""
    headers = message.headers
    sender = (message.sender.email if message.sender else "").lower()
    local = sender.split("@", 1)[0]
    flags: list[str] = []
    if _is_auto_reply(headers, message.subject):
        flags.append(AUTO_REPLY)
    content_type = headers.get("content-type", "").lower()
    if (
        _BOUNCE_LOCAL.match(local)
        or "report-type=delivery-status" in content_type.replace(" ", "").replace('"', "")
        or (not sender and _BOUNCE_SUBJECT.search(message.subject))
        or (_BOUNCE_SUBJECT.search(message.subject) and headers.get("return-path", "").strip() == "<>")
    ):
        flags.append(BOUNCE)
    for flag in filter(None, map(_REPORT_FLAGS.get, message.reports)):
        if flag not in flags:
            flags.append(flag)
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk"):
        flags.append(BULK)
    if "list-id" in headers or precedence == "list":
        flags.append(MAILING_LIST)
    if message.sender is not None and message.sender.no_reply:
        flags.append(NO_REPLY_SENDER)
    if sender and sender in {address.lower() for address in own_addresses}:
        flags.append(OWN_ADDRESS)
    return flags


def _is_auto_reply(headers: dict[str, str], subject: str) -> bool:
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(name in headers for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress")):
        return True
    return bool(_AUTO_REPLY_SUBJECT.search(subject))
