"""The shared data model: what a mail becomes as it goes through rpa.

`extractors/` turns raw bytes into a `Message` (with its `Attachment`s and their
`Page`s) and finds `Field`s in its text; the pipeline adds a `Classification`
and a `Draft`, and hands a `ProcessedMessage` to the store. These classes hold
data only; the behaviour lives in the modules that build them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from rpa.addresses import FIRM_WORDS, NO_REPLY_LOCAL, ROLE_LOCAL

__all__ = [
    "Intent",
    "AttachmentStatus",
    "DraftStatus",
    "Address",
    "Box",
    "TextSpan",
    "Page",
    "TableRow",
    "Attachment",
    "Message",
    "TextSource",
    "Field",
    "Sentiment",
    "Classification",
    "GuardVerdict",
    "Passage",
    "Question",
    "PostalLetter",
    "Draft",
    "ProcessedMessage",
    "FIELD_NAMES",
]


class Intent(StrEnum):
    CLAIM_NEW = "claim_new"
    CLAIM_FOLLOWUP = "claim_followup"
    DOCUMENTS_SUBMISSION = "documents_submission"
    REIMBURSEMENT = "reimbursement"
    COMPLAINT = "complaint"
    CONTRACT_CHANGE = "contract_change"
    CANCELLATION = "cancellation"
    INFORMATION = "information"
    AUTO_REPLY = "auto_reply"
    OTHER = "other"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


URGENT = "urgent"  # flag: legal threat, ombudsman or lawyer, vulnerability, repeated follow-ups


class AttachmentStatus(StrEnum):
    OK = "ok"
    ERROR = "error"  # the document is broken: corrupt, encrypted, unreadable
    SKIPPED = "skipped"  # we chose not to read it: unknown type, over the size limit


class DraftStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # replaced by a draft from `rpa process --reprocess`
    SENDING = "sending"
    SENT = "sent"


# Canonical field names; evaluation files and exports rely on them.
FIELD_NAMES: tuple[str, ...] = (
    "policy_number",
    "claim_number",
    "invoice_number",
    "incident_date",
    "invoice_date",
    "total_amount",
    "currency",
    "iban",
    "bic",
    "email",
    "phone",
    "vehicle_plate",
    "siret",
    "vat_number",
    "postcode",
    "customer_name",  # the person who writes: the policyholder, or a relative or broker for them
    "policyholder",  # whom a relative, a carer, a broker or a lawyer writes for, when named
    "company",
    "address",
)


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()

    @property
    def no_reply(self) -> bool:
        """A robot's address that takes no answer ("noreply@", "ne-pas-repondre@")."""
        return NO_REPLY_LOCAL.match(self.email.partition("@")[0]) is not None

    @property
    def business(self) -> bool:
        """A firm's address rather than a person's: a role mailbox ("devis@", "quotes@") or a
        firm's name ("Kelly Motors", "Carrosserie Valette")."""
        local = self.email.partition("@")[0]
        return ROLE_LOCAL.match(local) is not None or FIRM_WORDS.search(self.name) is not None


# Where something stands on a page: (left, top, right, bottom), each 0-1 of the page as
# displayed upright (PDF /Rotate applied, EXIF orientation applied), y growing downwards.
Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)  # a long scan holds one per word
class TextSpan:
    """A stretch of an OCRed page's text, `Page.text[start:end]`, and its box on the
    page: a word (Tesseract) or a detected line (RapidOCR)."""

    start: int
    end: int
    box: Box


@dataclass
class Page:
    number: int  # 1-based
    text: str
    ocr: bool = False
    # The first page of a text PDF as printed, rows and columns in place (extractors.layout);
    # "" for other pages and for OCRed ones.
    layout: str = ""
    # OCRed pages: where the recognised text stands. Text-layer pages have none: their
    # fields are located afterwards from the PDF itself (extractors.locate).
    spans: list[TextSpan] = field(default_factory=list, repr=False)
    sheet: str = ""  # a spreadsheet's page is one of its sheets: its name
    slide: bool = False  # a presentation's page is one of its slides, numbered as the page

    @property
    def anchor(self) -> str:
        """Where the page stands in its document, as a field's source ends: ``#p2``,
        ``#sheet<name>`` for a spreadsheet's sheet, ``#slide3`` for a presentation's slide."""
        if self.sheet:
            return f"#sheet{self.sheet}"
        return f"#slide{self.number}" if self.slide else f"#p{self.number}"


@dataclass(frozen=True)
class TableRow:
    """One record of a table in a document (a claim of a loss run): canonical keys
    (`claim_number`, `policy_number`, `incident_date`, `paid_amount`, ...) to
    normalised values, and the page it starts on."""

    page: int
    values: dict[str, str]


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int
    status: AttachmentStatus = AttachmentStatus.OK
    error: str | None = None
    pages: list[Page] = field(default_factory=list)
    tables: list[TableRow] = field(default_factory=list)
    inline: bool = False
    data: bytes = field(default=b"", repr=False, compare=False)

    @property
    def ocr(self) -> bool:
        return any(page.ocr for page in self.pages)


@dataclass
class Message:
    """A parsed mail. `new_text` is what the sender wrote this time; quoted
    earlier messages and the signature are kept apart so that facts in the new
    text win over facts in the thread."""

    source: str
    message_id: str | None
    subject: str
    sender: Address | None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    date: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case name -> decoded value
    body: str = ""  # the whole readable body (HTML turned to text)
    new_text: str = ""
    quoted_text: str = ""
    signature: str = ""
    html_only: bool = False
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[Message] = field(default_factory=list)  # message/rfc822 parts, parsed
    # What a report (multipart/report) says it is: "delivery-status" (a bounce),
    # "disposition-notification" (a read receipt), "feedback-report" (a spam complaint).
    reports: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # e.g. undecodable charset, header defects
    content_hash: str = ""  # sha256 of the raw bytes
    raw: bytes = field(default=b"", repr=False, compare=False)
    kind: str = "mail"  # "mail", or "document": a standalone file made into a message

    @property
    def customer(self) -> Address | None:
        """Who the reply goes to: the sender of a forwarded mail, else the sender.

        A forwarded mail from a robot ("noreply@" a garage's workshop system) or from the
        insurer itself (the domain the mail was sent to) is what the customer received and
        passes on: the customer is then the one who forwards it. So is a firm's mail sent to
        the one who forwards it (a garage's estimate passed on); a person's mail forwarded by
        whom it was sent to (a broker's or a relative's) stays the customer's."""
        return self.customer_mails()[0].sender

    def customer_mails(self) -> list[Message]:
        """The mails the customer wrote: those forwarded in this one by a person outside the
        insurer (see `customer`), else this one."""
        ours = {address.domain for address in self.to}
        forwarder = "" if self.sender is None else self.sender.email.lower()
        forwarded = [
            inner
            for inner in self.forwarded
            if inner.sender is not None
            and not inner.sender.no_reply
            and inner.sender.domain not in ours
            and not (inner.sender.business and forwarder in {to.email.lower() for to in inner.to})
        ]
        return forwarded or [self]

    @property
    def key(self) -> str:
        """Identity for idempotence: the Message-ID, or the content hash without one."""
        return self.message_id or f"sha256:{self.content_hash}"

    def all_attachments(self) -> list[Attachment]:
        """Its attachments, then those of the mails forwarded in it (depth first): the order the
        store numbers them in (`attachments.position`)."""
        attachments = list(self.attachments)
        for inner in self.forwarded:
            attachments += inner.all_attachments()
        return attachments


@dataclass(frozen=True)
class TextSource:
    """A piece of text to look for fields in, and where it came from.

    `source` is one of ``subject``, ``body``, ``signature``, ``quoted``,
    ``sender``, ``attachment:<filename>#p<page>`` or, for a spreadsheet's sheet,
    ``attachment:<filename>#sheet<name>`` (``#slide<n>`` for a slide: `Page.anchor`).
    """

    source: str
    text: str
    language: str = ""  # the message's language ("fr", "en"), "" when unknown
    layout: str = ""  # the same page as printed, when its reader knows (Page.layout)
    sent: datetime | None = None  # when a forwarded mail's text was written, if not the mail's own date
    country: str = ""  # where the mail says its customer lives (ISO 3166 code), "" when it does not say


@dataclass(frozen=True)
class Field:
    name: str  # one of FIELD_NAMES (or a user-defined name)
    value: str  # normalised: ISO dates, "1842.50", E.164 phones, compact IBANs
    raw: str  # the text it was read from
    confidence: float  # 0..1
    source: str  # a TextSource.source
    # Where it was read in a document: the attachment's page (1-based) and the value's box
    # on it (see `Box`); None for fields of the mail itself or when it could not be placed.
    page: int | None = None
    box: Box | None = None


@dataclass(frozen=True)
class Classification:
    language: str  # "fr" or "en"
    intent: Intent
    confidence: float
    flags: tuple[str, ...] = ()  # e.g. "auto_reply", "mailing_list", "no_reply_sender", "urgent"
    secondary_intents: tuple[Intent, ...] = ()  # other requests in the same mail, main one first
    sentiment: Sentiment = Sentiment.NEUTRAL


@dataclass(frozen=True)
class GuardVerdict:
    """What one guard said about a generated reply; `spans` are the offending bits."""

    guard: str  # facts, commitments, injection, language, length, placeholders, letter
    passed: bool
    flag: str  # raised when not passed, e.g. "unsupported_fact"
    spans: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Passage:
    """A piece of a knowledge-base article (a procedure, an FAQ answer, a guarantee table)."""

    source: str  # the article's file
    title: str  # the heading the passage sits under
    text: str
    language: str  # "fr", "en", or "" when unknown
    score: float = 0.0  # how well it matched a search; 0 outside a search


@dataclass(frozen=True)
class Question:
    """A question the customer asked, and what the draft does with it."""

    text: str  # the question as the customer wrote it
    status: str  # "answered" (from `passage`) or "open" (the agent must answer it)
    passage: Passage | None = None  # the knowledge-base passage the answer comes from


@dataclass(frozen=True)
class PostalLetter:
    """Who wrote a letter received on paper, and from where: what a reply by post needs."""

    name: str
    address: tuple[str, ...]  # the postal address lines under the name, as written
    email: str = ""  # when the letter gives one, the reply goes by e-mail
    place: str = ""  # "Lyon", from "Lyon, le 3 mars 2026"
    date: str = ""  # ISO date of the letter, "" when not read
    subject: str = ""  # the "Objet :" / "Re:" line


@dataclass
class Draft:
    subject: str
    body: str
    to: Address
    language: str
    intent: Intent
    template: str
    backend: str = "template"
    missing_fields: list[str] = field(default_factory=list)
    id: int | None = None
    status: DraftStatus = DraftStatus.PENDING_REVIEW
    # A language model's reply, when one was written: it is `body` only when every guard
    # passed; otherwise `body` is the template letter and this is shown second.
    generated_body: str | None = None
    guards: list[GuardVerdict] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # knowledge-base passages for this mail
    problems: list[str] = field(default_factory=list)  # why no model reply could be written
    questions: list[Question] = field(default_factory=list)  # the customer's, answered or open
    channel: str = "email"  # "email", or "letter": a reply by post, `letter_pdf` holds it
    letter_pdf: bytes = field(default=b"", repr=False, compare=False)

    @property
    def flags(self) -> list[str]:
        """The flags of the guards that failed, e.g. ``unsupported_fact``."""
        return [verdict.flag for verdict in self.guards if not verdict.passed]


@dataclass
class ProcessedMessage:
    message: Message
    fields: dict[str, Field]
    classification: Classification
    draft: Draft | None
    flags: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    id: int | None = None  # row id once stored
    letter: PostalLetter | None = None  # set when the message is a customer's letter on paper
