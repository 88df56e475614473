"""How stored messages are shown: the JSON Lines contract, exports, `rpa show`."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable, Sequence

from rpa.models import FIELD_NAMES, URGENT
from rpa.store import AuditRecord, DraftRecord, MessageRecord
from rpa.store.corrections import CorrectionRecord

__all__ = ["export_csv", "export_json", "message_json", "show_text"]


def message_json(record: MessageRecord, *, extra_flags: Sequence[str] = ()) -> dict:
    """The documented output contract of `rpa process --json`, one object per message."""
    draft = record.draft
    return {
        **_identity(record),
        "intent_confidence": record.intent_confidence,
        "secondary_intents": list(record.secondary_intents),
        "sentiment": record.sentiment,
        "urgent": URGENT in record.flags,
        "customer": {"name": record.customer_name, "email": record.customer_email},
        "letter": record.letter,  # a letter received on paper: its writer's name, address, date...
        "fields": {
            f.name: {
                "value": f.value,
                "confidence": round(f.confidence, 3),
                "source": f.source,
                "raw": f.raw,
                "page": f.page,
                "box": f.box,
            }
            for f in record.fields
        },
        "attachments": [
            {"filename": a.filename, "status": a.status, "error": a.error, "pages": a.pages, "ocr": a.ocr}
            for a in record.attachments
        ],
        "tables": [
            {"attachment": a.filename, "page": row["page"], "values": row["values"]}
            for a in record.attachments
            for row in a.tables
        ],
        "draft": None
        if draft is None
        else {
            "id": draft.id,
            "status": draft.status.value,
            "to": draft.to_email,
            "subject": draft.subject,
            "body": draft.text_to_send,
            "missing_fields": draft.missing_fields,
            "channel": draft.channel,
            **_drafting_json(draft),
        },
        "flags": [*record.flags, *extra_flags],
        "errors": record.errors,
    }


def export_json(items: Iterable[tuple[MessageRecord, Sequence[CorrectionRecord]]]) -> str:
    """Every message's fields in force; `extracted` keeps what rpa read, `corrections` who changed what."""
    rows = []
    for record, corrections in items:
        row = _export_row(record, corrections)
        row["extracted"] = {f.name: f.value for f in record.fields}
        row["corrections"] = [
            {"name": c.name, "value": c.value, "previous": c.previous, "by": c.actor, "at": c.at.isoformat()}
            for c in corrections
        ]
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def export_csv(items: Iterable[tuple[MessageRecord, Sequence[CorrectionRecord]]]) -> str:
    """One row per message, the fields in force; `corrected` names the fields an agent changed."""
    rows = [_export_row(record, corrections) for record, corrections in items]
    extra = sorted({name for row in rows for name in row["fields"]} - set(FIELD_NAMES))
    columns = [
        "id",
        "source",
        "message_id",
        "language",
        "intent",
        "draft_status",
        *FIELD_NAMES,
        *extra,
        "corrected",
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        fields = row.pop("fields")
        writer.writerow({**{k: v for k, v in row.items() if k in columns}, **fields})
    return buffer.getvalue()


def _identity(record: MessageRecord) -> dict:
    return {
        "id": record.id,
        "source": record.source,
        "message_id": record.message_id,
        "language": record.language,
        "intent": record.intent,
    }


def _export_row(record: MessageRecord, corrections: Sequence[CorrectionRecord]) -> dict:
    fields = {f.name: f.value for f in record.fields}
    corrected = [c.name for c in corrections if c.kind == "field"]
    fields.update({c.name: c.value for c in corrections if c.kind == "field"})
    return {
        **_identity(record),
        "draft_status": record.draft.status.value if record.draft else None,
        "letter": record.letter,
        "draft_channel": record.draft.channel if record.draft else None,
        "fields": fields,
        "corrected": " ".join(dict.fromkeys(corrected)),
    }


def show_text(record: MessageRecord, audit: Sequence[AuditRecord] = ()) -> str:
    """Everything an agent needs to review one message, as plain text."""
    out = [
        f"Message {record.id}  {record.source}",
        f"  From:     {_person(record.sender_name, record.sender_email)}",
        f"  Customer: {_person(record.customer_name, record.customer_email)}",
        f"  Subject:  {record.subject}",
        f"  Language: {record.language}   Intent: {record.intent} ({record.intent_confidence:.2f})"
        + (f"   Also asks: {', '.join(record.secondary_intents)}" if record.secondary_intents else ""),
        f"  Tone:     {record.sentiment or '-'}" + ("   URGENT" if URGENT in record.flags else ""),
    ]
    if record.flags:
        out.append(f"  Flags:    {', '.join(record.flags)}")
    out += _letter_lines(record.letter)
    out += ["", "Message text:", _indent(record.body.strip() or "(empty)"), ""]
    out.append("Attachments:" if record.attachments else "Attachments: none")
    for a in record.attachments:
        how = f"{a.pages} page(s){', OCR' if a.ocr else ''}"
        note = f"  - {a.error}" if a.error else ""
        out.append(f"  [{a.status}] {a.filename} ({a.content_type}, {a.size} bytes, {how}){note}")
    out += ["", "Fields:" if record.fields else "Fields: none found"]
    width = max((len(f.name) for f in record.fields), default=0)
    for f in record.fields:
        out.append(f"  {f.name:<{width}}  {f.value:<28} {f.confidence:.2f}  {f.source}   ({f.raw!r})")
    out += _table_lines(record)
    if record.errors:
        out += ["", "Errors:", *(f"  - {error}" for error in record.errors)]
    out += ["", *_draft_lines(record)]
    if audit:
        out += ["", "History:"]
        out += [
            f"  {a.at:%Y-%m-%d %H:%M:%S}  {a.actor:<12} {a.entity} {a.entity_id} {a.action}" for a in audit
        ]
    return "\n".join(out) + "\n"


def _letter_lines(letter: dict | None) -> list[str]:
    """Who wrote a letter received on paper, and where to: what its reply by post is sent to."""
    if not letter:
        return []
    lines = [f"  Letter:   from {letter['name']}" + (f", {letter['place']}" if letter["place"] else "")]
    lines[0] += f", dated {letter['date']}" if letter["date"] else ""
    lines += [f"            {line}" for line in letter["address"]]
    if letter["email"]:
        lines.append(f"            {letter['email']} (the reply goes by e-mail)")
    return lines


def _table_lines(record: MessageRecord) -> list[str]:
    """Claim rows read from tables, one line each: where, then key=value."""
    rows = [(a.filename, row) for a in record.attachments for row in a.tables]
    if not rows:
        return []
    out = ["", f"Table rows ({len(rows)}):"]
    for filename, row in rows:
        values = "  ".join(f"{key}={value}" for key, value in row["values"].items())
        out.append(f"  {filename}#p{row['page']}  {values}")
    return out


def _draft_lines(record: MessageRecord) -> list[str]:
    draft = record.draft
    if draft is None:
        return ["Draft: none" + (f" ({', '.join(record.flags)})" if record.flags else "")]
    lines = [
        f"Draft {draft.id} [{draft.status.value}]  template {draft.template}",
        f"  To:      {_person(draft.to_name, draft.to_email)}",
        f"  Subject: {draft.subject}",
    ]
    if draft.channel == "letter":
        lines.append(
            f"  By post: a letter to print and post, not an e-mail: rpa show {record.id} --letter-pdf FILE"
        )
    if draft.missing_fields:
        lines.append(f"  Asks for: {', '.join(draft.missing_fields)}")
    if draft.reject_reason:
        lines.append(f"  Rejected by {draft.reviewed_by}: {draft.reject_reason}")
    lines += ["", _indent(draft.body.rstrip())]
    if draft.final_body is not None:
        lines += ["", f"Approved text (edited by {draft.reviewed_by}):", _indent(draft.final_body.rstrip())]
    return lines + _question_lines(draft) + _model_lines(draft) + _passage_lines(draft)


def _drafting_json(draft: DraftRecord) -> dict:
    """Which backend wrote the draft, what the guards said, and the passages it drew on."""
    guards = draft.guards or []
    return {
        "backend": draft.backend,
        "template": draft.template,
        "generated_body": draft.generated_body,
        "guards": guards,
        "draft_flags": [verdict["flag"] for verdict in guards if not verdict["passed"]],
        "passages": draft.passages or [],
        "questions": _questions_json(draft),
    }


def _model_lines(draft: DraftRecord) -> list[str]:
    if draft.generated_body is None:
        return []
    guards = draft.guards or []
    failed = [verdict for verdict in guards if not verdict["passed"]]
    verdicts = ", ".join(f"{v['guard']} {'ok' if v['passed'] else 'FAILED'}" for v in guards)
    lines = ["", f"Guards ({draft.backend}): {verdicts}"]
    for verdict in failed:
        spans = "; ".join(repr(span) for span in verdict["spans"])
        lines.append(f"  {verdict['flag']}: {verdict['detail']}" + (f": {spans}" if spans else ""))
    if failed:
        lines += [
            "",
            f"Model draft ({draft.backend}), shown second because a guard failed:",
            _indent(draft.generated_body.rstrip()),
        ]
    return lines


def _questions_json(draft: DraftRecord) -> list[dict]:
    """The customer's questions: text, status ("answered" or "open"), and the passage quoted."""
    return [
        {
            "text": question["text"],
            "status": question["status"],
            "passage": None
            if question.get("passage") is None
            else {key: question["passage"][key] for key in ("source", "title", "text")},
        }
        for question in draft.questions or []
    ]


def _question_lines(draft: DraftRecord) -> list[str]:
    """Each question with its status; an open one is for the agent to answer before approving."""
    questions = _questions_json(draft)
    if not questions:
        return []
    unanswered = sum(1 for question in questions if question["status"] != "answered")
    lines = ["", f"Customer's questions ({len(questions)}, {unanswered} open):"]
    for question in questions:
        passage = question["passage"]
        if question["status"] == "answered" and passage is not None:
            lines.append(f"  [answered] {question['text']}")
            lines.append(f"      from: {passage['title']}  ({passage['source']})")
        else:
            lines.append(f"  [OPEN: answer it before approving] {question['text']}")
    return lines


def _passage_lines(draft: DraftRecord) -> list[str]:
    if not draft.passages:
        return []
    lines = ["", "Knowledge base:"]
    for passage in draft.passages:
        lines.append(f"  [{passage['score']:.3f}] {passage['title']}  ({passage['source']})")
        lines.append(_indent(textwrap.shorten(passage["text"], 240, placeholder=" ...")))
    return lines


def _person(name: str | None, email: str | None) -> str:
    if name and email:
        return f"{name} <{email}>"
    return name or email or "-"


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())
