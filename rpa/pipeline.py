"""From raw bytes to an understood message with a draft: the stages, wired.

    parse      bytes -> Message (MIME, or a bare document as a message: its attachment, or a zip's files)
    read       attachments -> pages of text (PDF text layer, else OCR)
    extract    texts -> one Field per canonical name, placed on its document page when read in one
    classify   language, intent, and whether this mail may be answered at all
    draft      a reply for an agent to review (never for auto-replies, lists, no-reply)

`Pipeline` knows nothing of the store or the CLI; `rpa.ingestion` runs it over many
inputs and stores the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from drafting import DraftRequest, make_backend
from drafting.answers import OPEN, OPEN_QUESTION, AnswerFinder
from drafting.guards import injection_in_message
from drafting.kb import KnowledgeBase
from drafting.postal import PostalReplies
from drafting.prompt import customer_text
from extractors.automation import automation_flags
from extractors.documents import DocumentReader
from extractors.fields.extract import extract_fields
from extractors.fields.names import name_written_as_address
from extractors.intent import classification_text, make_classifier
from extractors.intent.learned import intent_models_folder
from extractors.intent.tone import sentiment_of
from extractors.intent.urgency import urgency_reasons
from extractors.language import detect_language
from extractors.letters import read_letter
from extractors.locate import locate_fields
from extractors.mime import parse_message
from extractors.ocr import OcrEngine
from extractors.questions import find_questions
from extractors.sources import RawInput
from extractors.standalone import message_from_file
from rpa.config import LimitSettings, Settings
from rpa.errors import DraftingError
from rpa.models import (
    URGENT,
    AttachmentStatus,
    Draft,
    Intent,
    Message,
    Passage,
    ProcessedMessage,
    TextSource,
)
from rpa.resources import templates_folder

__all__ = ["NO_DRAFT_FLAGS", "Pipeline", "parse_input", "text_sources"]

# Flags of mail no person wrote to us: no feeling to read, nothing urgent, no reply.
_NOT_A_PERSON = frozenset({"auto_reply", "bounce", "read_receipt", "feedback_report", "bulk", "mailing_list"})
# Flags after which no reply is drafted.
NO_DRAFT_FLAGS = _NOT_A_PERSON | {"no_reply_sender", "own_address", "no_recipient"}


def parse_input(raw: RawInput, limits: LimitSettings) -> Message:
    """A mail, or a document given alone, parsed far enough to know its key, headers and
    attachments (no document read yet)."""
    if raw.kind == "document":
        return message_from_file(raw.source, raw.filename, raw.data, limits=limits)
    return parse_message(raw.data, source=raw.source, limits=limits)


@dataclass
class Pipeline:
    settings: Settings
    knowledge: KnowledgeBase | None = None  # passages for the drafts; None: no knowledge base
    ocr: OcrEngine | None = None  # reads scanned pages; None: one made here and closed with the pipeline

    def __post_init__(self) -> None:
        self.templates_dir = templates_folder(self.settings)
        self._owns_ocr = self.ocr is None
        if self.ocr is None:
            self.ocr = OcrEngine(self.settings)
        self.documents = DocumentReader(self.settings, self.ocr)
        self.classifier = make_classifier(self.settings.pipeline, intent_models_folder(self.settings))
        self.backend = make_backend(self.settings, self.templates_dir)
        self.postal = PostalReplies(
            self.settings.letters, self.settings.drafting.team_name, self.templates_dir
        )
        self.answers = AnswerFinder(self.knowledge)

    def close(self) -> None:
        if self._owns_ocr and self.ocr is not None:
            self.ocr.close()

    def parse(self, raw: RawInput) -> Message:
        return parse_input(raw, self.settings.limits)

    def process(self, raw: RawInput) -> ProcessedMessage:
        (result,) = self.process_many([raw])
        if isinstance(result, Exception):
            raise result
        return result

    def process_many(self, raws: Sequence[RawInput]) -> list[ProcessedMessage | Exception]:
        """Understand each input, then draft every reply in one batch; a failure stays with its input."""
        results: list[ProcessedMessage | Exception] = []
        for raw in raws:
            try:
                results.append(self.examine(self.parse(raw)))
            except Exception as exc:  # noqa: BLE001 - one bad input must not lose the others' drafts
                results.append(exc)
        self.draft_all([result for result in results if isinstance(result, ProcessedMessage)])
        return results

    def understand(self, message: Message) -> ProcessedMessage:
        result = self.examine(message)
        self.draft_all([result])
        return result

    def examine(self, message: Message) -> ProcessedMessage:
        """Everything but the draft: read, extract, classify, flag."""
        attachments = message.all_attachments()
        self.documents.read_all(attachments)
        letter = read_letter(message)  # a customer's letter on paper is read as the mail they wrote
        if letter is not None:
            message = letter.as_mail(message)
        own = _own_addresses(self.settings)
        language, _ = detect_language(classification_text(message))
        fields = extract_fields(
            text_sources(message, language),
            self.settings.parsing,
            exclude_emails=_known_addresses(message, own),
            received=message.date,
        )
        fields = locate_fields(fields, attachments)
        classification = self.classifier.classify(message, fields, language)
        flags = _unique([*classification.flags, *automation_flags(message, own)])
        if _written_by_a_person(message, classification.intent, flags):  # their feeling, and urgency
            classification = dataclasses.replace(classification, sentiment=sentiment_of(message))
            if urgency_reasons(message):
                flags.append(URGENT)
        customer = message.customer
        if (customer is None or not customer.email) and letter is None:
            flags.append("no_recipient")
        if injection_in_message(message):  # the mail, its subject, forwarded mails, attachments
            flags.append("injection_suspected")  # whatever backend drafts, the agent is warned
        result = ProcessedMessage(
            message=message,
            fields=fields,
            classification=classification,
            draft=None,
            flags=flags,
            errors=_errors(message),
            letter=letter.postal if letter is not None else None,
        )
        return result

    def draft_all(self, results: Sequence[ProcessedMessage]) -> None:
        """Draft the replies of the messages that may be answered, together (one model batch)."""
        wanted = [result for result in results if not NO_DRAFT_FLAGS.intersection(result.flags)]
        requests = [
            DraftRequest(
                r.message,
                r.fields,
                r.classification,
                self._passages(r),
                by_post=r.letter is not None,
                questions=self.answers.answer(find_questions(r.message), r.classification.language),
            )
            for r in wanted
        ]
        for result, draft in zip(wanted, self.backend.draft_many(requests), strict=True):
            if not isinstance(draft, DraftingError):
                draft = self._by_post(draft, result)
            if isinstance(draft, DraftingError):
                result.errors.append(f"draft: {draft}")
                continue
            result.draft = draft
            result.errors += [f"draft: {problem}" for problem in draft.problems]
            if "injection_suspected" in draft.flags and "injection_suspected" not in result.flags:
                result.flags.append("injection_suspected")
            if any(question.status == OPEN for question in draft.questions):
                result.flags.append(OPEN_QUESTION)  # the agent must answer it before approving

    def _by_post(self, draft: Draft, result: ProcessedMessage) -> Draft | DraftingError:
        """The reply to a letter on paper: by e-mail when it gives an address, else a letter (PDF)."""
        try:
            return self.postal.finish(draft, result.letter)
        except DraftingError as exc:
            return exc

    def _passages(self, result: ProcessedMessage) -> list[Passage]:
        if not self.knowledge:
            return []
        query = f"{result.message.subject}\n{customer_text(result.message)}"
        return self.knowledge.search(query, result.classification.language, self.settings.kb.top_k)


def text_sources(message: Message, language: str = "") -> list[TextSource]:
    """Every text of a message to look for fields in, labelled with where it came from.

    When a mail was forwarded to us, the customer is the forwarded mail's
    author: the forwarder's own name and signature are left out
    (`Message.customer_mails`).
    """
    sources: list[TextSource] = []
    authors = message.customer_mails()
    for author in authors:
        if author.sender is not None and author.sender.name:
            sources.append(TextSource("sender", author.sender.name))
            # "S. Roux" <sarah.roux@...>: the address spells out the initial
            spelled = name_written_as_address(author.sender.email, author.sender.name)
            if spelled and spelled != author.sender.name:
                sources.append(TextSource("sender", spelled))
        elif author.sender is not None:  # "roger.millet@..." signed "Roger Millet": that is the name
            written = name_written_as_address(author.sender.email, f"{author.signature}\n{author.new_text}")
            if written:
                sources.append(TextSource("sender", written))
        sources.append(TextSource("signature", author.signature))
    for part in (message, *message.forwarded):
        sent = part.date if part is not message else None  # "hier" in a forwarded mail is its day before
        # The note of one who forwards the customer's mail ("Je vous transfère le message de ma
        # voisine"): read, but its sign-off is the forwarder's, not the customer's.
        body = "note" if part is message and _forwarded_for_someone(message, authors) else "body"
        # A mail the customer forwards from someone else (a roofer's estimate, a garage's reply)
        # is what that one says: its phone and address are theirs, not the customer's.
        if part is not message and not any(part is author for author in authors):
            body = "quoted"
        sources += [
            TextSource("subject", part.subject, sent=sent),
            TextSource(
                body,
                part.new_text if part.new_text or part.quoted_text or part.forwarded else part.body,
                sent=sent,
            ),
            TextSource("quoted", part.quoted_text, sent=sent),
        ]
    for attachment in message.all_attachments():
        sources += [
            TextSource(f"attachment:{attachment.filename}{page.anchor}", page.text, layout=page.layout)
            for page in attachment.pages
        ]
    return [dataclasses.replace(s, language=language) for s in sources if s.text.strip()]


def _forwarded_for_someone(message: Message, authors: list[Message]) -> bool:
    """Whether `message` forwards mail that someone else wrote: not its own sender's earlier mail."""
    own = message.sender.email.lower() if message.sender is not None else ""
    return authors != [message] and all(
        author.sender is None or author.sender.email.lower() != own for author in authors
    )


def _errors(message: Message) -> list[str]:
    errors = list(message.errors)
    for inner in message.forwarded:
        errors += [f"forwarded mail: {error}" for error in inner.errors]
    for attachment in message.all_attachments():
        if attachment.status != AttachmentStatus.OK and attachment.error:
            errors.append(f"{attachment.filename}: {attachment.error}")
    return errors


def _own_addresses(settings: Settings) -> tuple[str, ...]:
    own = settings.drafting.from_address.strip().lower()
    return (own,) if own else ()


def _known_addresses(message: Message, own: tuple[str, ...]) -> set[str]:
    """Addresses that are not news to anyone: ours, the sender's, the recipients', and those of
    the mails forwarded, unless the customer writes one out: a forwarded mail's ("contactez le
    garage directement : atelier@garage-dupuis.example" above the garage's quote), or that of
    someone in copy ("merci d'utiliser son adresse personnelle : nadia.c@courriel.example",
    his wife in Cc). The sender's and the addressees' stay known however they are written."""
    known = set(own)
    written = message.new_text.lower()
    for part in (message, *message.forwarded):
        fixed = [part.sender, *part.to] if part is message else []
        known.update(person.email.lower() for person in fixed if person is not None)
        others = part.cc if part is message else [part.sender, *part.to, *part.cc]
        known.update(a for a in (p.email.lower() for p in others if p is not None) if a not in written)
    return known


def _written_by_a_person(message: Message, intent: Intent, flags: list[str]) -> bool:
    """Not a machine's mail, nor documents sent without a word (an invoice's "Tribunal de
    commerce" footer is no threat): there is a customer's text to read a feeling in."""
    if _NOT_A_PERSON.intersection(flags):
        return False
    return intent != Intent.DOCUMENTS_SUBMISSION or bool(message.new_text.strip())


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
