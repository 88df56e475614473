"""What the message page shows, arranged for its templates: no review logic, only layout.

Fields read from the mail's text become highlighted spans of that text; fields
read from an attachment's page become boxes over that page's picture (the
extraction's normalised box, drawn in a 1000 x 1000 SVG laid over the picture,
so no inline style is needed). A guard's flagged spans are highlighted in the
model's reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rpa.accounts import Actor
from rpa.config import Settings
from rpa.models import FIELD_NAMES
from rpa.pages import PAGE_WIDTHS
from rpa.store import AttachmentRecord, DraftRecord
from rpa.web.render import Span, find_spans
from rpa.workspace import ReviewField, ReviewItem

__all__ = ["AttachmentView", "BoxView", "PageView", "item_context"]

_PAGE_SOURCE = re.compile(r"^attachment:(?P<name>.*)#p(?P<page>\d+)$")
_RENDERED = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "image/gif",
    "image/webp",
    "image/bmp",
)


@dataclass(frozen=True)
class BoxView:
    name: str
    value: str
    x: float  # 0-1000, left
    y: float
    width: float
    height: float
    low: bool  # low confidence


@dataclass(frozen=True)
class PageView:
    number: int
    boxes: list[BoxView] = field(default_factory=list)


@dataclass(frozen=True)
class AttachmentView:
    position: int
    record: AttachmentRecord
    rendered: bool  # its pages can be shown as pictures
    pages: list[PageView]


def _box(f: ReviewField) -> BoxView | None:
    if f.box is None:
        return None
    left, top, right, bottom = (min(1.0, max(0.0, float(v))) for v in f.box)
    if right <= left or bottom <= top:
        return None
    return BoxView(
        f.name,
        f.value,
        left * 1000,
        top * 1000,
        (right - left) * 1000,
        (bottom - top) * 1000,
        f.low_confidence,
    )


def _attachments(item: ReviewItem) -> list[AttachmentView]:
    views = []
    for position, attachment in enumerate(item.record.attachments):
        rendered = (
            attachment.status == "ok"
            and attachment.content_type.split(";")[0].strip().lower() in _RENDERED
            and attachment.pages > 0
        )
        pages = [PageView(number) for number in range(1, attachment.pages + 1)] if rendered else []
        views.append(AttachmentView(position, attachment, rendered, pages))
    for f in item.fields:
        found = _PAGE_SOURCE.match(f.source)
        box = _box(f)
        if not found or box is None:
            continue
        number = f.page or int(found.group("page"))
        for view in views:
            if view.record.filename == found.group("name") and 1 <= number <= len(view.pages):
                view.pages[number - 1].boxes.append(box)
                break
    return views


def _text_spans(text: str, fields: list[ReviewField], sources: tuple[str, ...]) -> list[Span]:
    needles = [(f.raw, "field", f"{f.name}: {f.value}") for f in fields if f.source in sources and f.raw]
    return find_spans(text, needles)


def _guard_spans(draft: DraftRecord | None) -> tuple[str, list[Span]]:
    """The model's reply and the spans its failed guards flag ("" when no model wrote)."""
    if draft is None or draft.generated_body is None:
        return "", []
    needles = [
        (span, f"guard guard-{verdict['guard']}", verdict.get("detail") or verdict["flag"])
        for verdict in draft.guards or []
        if not verdict["passed"]
        for span in verdict.get("spans") or []
    ]
    return draft.generated_body, find_spans(draft.generated_body, needles)


def item_context(item: ReviewItem, actor: Actor, settings: Settings) -> dict[str, object]:
    record = item.record
    new_text = record.new_text or record.body
    generated, guard_spans = _guard_spans(record.draft)
    failed_guards = [v for v in (record.draft.guards or []) if not v["passed"]] if record.draft else []
    return {
        "new_text": new_text,
        "new_text_spans": _text_spans(new_text, item.fields, ("body", "signature")),
        "full_body": record.body if record.body.strip() != new_text.strip() else "",
        "body_spans": _text_spans(record.body, item.fields, ("body", "signature", "quoted")),
        "subject_spans": _text_spans(record.subject, item.fields, ("subject",)),
        "attachments": _attachments(item),
        "page_widths": PAGE_WIDTHS,
        "generated": generated,
        "guard_spans": guard_spans,
        "failed_guards": failed_guards,
        "can_act": item.editable and actor.may("review"),
        "can_review": item.pending and not item.held_by_other,
        "field_names": [*FIELD_NAMES, *(spec.name for spec in settings.parsing.custom_fields)],
    }
