"""Where each field of a document was read: its page, and its box on that page.

Fields are found in the pages' text; this puts the ones read in an attachment
(source ``attachment:<file>#p<N>``) back on their page, once extraction is done:

- an OCRed page carries the boxes of its words (Tesseract) or detected lines
  (RapidOCR) from the same recognition as its text (`Page.spans`); a value gets
  the part of each span it covers, in proportion to its characters;
- a PDF page read from its text layer is opened again with PDFium, only when a
  field was read on it (reading every page's character boxes would slow down
  every document for the few values shown): the value's characters are found by
  their offsets in PDFium's text, and their loose boxes (the font's full height)
  are put in the page's displayed frame by PDFium's own page-to-device
  transform, so that /Rotate and the crop box are applied as when rendering;
- other pages (a plain text attachment) get their page number and no box.

The value is looked for in the page's text as read (`Field.raw`): as written;
else with any white space between its words (a layout's column gap); else word
by word, each taken nearest the longest one (a value put together from pieces,
"Pierre LACOMBE" from "Nom : LACOMBE Prénom : Pierre", an address whose lines
were joined). The first place it stands is taken. A value over several lines
(or in several pieces) gets one box around all of them: from its first line's
left and top to its last line's right and bottom.

Boxes are (left, top, right, bottom), each 0-1 of the page as shown upright:
the frame `extractors.render` draws pages in.
"""

from __future__ import annotations

import bisect
import ctypes
import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from extractors.readers.base import HEAD_SIZE, sniff_format
from rpa.models import Attachment, Box, Field, Page, TextSpan

__all__ = ["locate_fields", "find_raw"]

_NEAR = 200  # characters: how far from the longest word the other words of a value may stand
_PLACES = 4
_DEVICE = 1_000_000  # PDFium maps the page onto this many device units each way (integers)
_LAYER_CHUNKS = re.compile(r"\r\n|\r|\x00|\ufffe|[^\r\x00\ufffe]+")
_NORMAL_CHUNKS = {"\r\n": "\n", "\r": "\n", "\x00": "", "\ufffe": "-"}
Range = tuple[int, int]


def locate_fields(fields: Mapping[str, Field], attachments: Sequence[Attachment]) -> dict[str, Field]:
    """`fields` with `page` and `box` filled for those read in one of `attachments`
    (which still hold their bytes). A field that cannot be placed keeps what it can:
    its page without a box, or neither."""
    located = dict(fields)
    pdf_work: dict[int, list[_Wanted]] = {}
    for name, field in fields.items():
        found = _page_of(field, attachments)
        if found is None:
            continue
        attachment, page = found
        ranges = find_raw(page.text, field.raw)
        located[name] = dataclasses.replace(field, page=page.number)
        if not ranges:
            continue
        if page.ocr:
            box = _box_from_spans(page.spans, ranges)
            located[name] = dataclasses.replace(located[name], box=box)
        elif sniff_format(attachment.data[:HEAD_SIZE]) == "pdf":
            pdf_work.setdefault(id(attachment), []).append(_Wanted(name, attachment, page, ranges))
    for wanted in pdf_work.values():
        boxes = _pdf_boxes(wanted[0].attachment.data, wanted)
        for item, box in zip(wanted, boxes, strict=True):
            located[item.name] = dataclasses.replace(located[item.name], box=box)
    return located


def find_raw(text: str, raw: str) -> list[Range]:
    """Where `raw` stands in `text` (see the module docstring): one (start, end) range,
    several for a value found in pieces, none when it is not there."""
    raw = raw.strip()
    if not raw or not text:
        return []
    start = text.find(raw)
    if start >= 0:
        return [(start, start + len(raw))]
    words = raw.split()
    spaced = re.search(r"\s+".join(re.escape(word) for word in words), text)
    if spaced:
        return [spaced.span()]
    return _pieces(text, words)


@dataclass(frozen=True)
class _Wanted:
    name: str
    attachment: Attachment
    page: Page
    ranges: list[Range]


def _page_of(field: Field, attachments: Sequence[Attachment]) -> tuple[Attachment, Page] | None:
    """The attachment page a field was read on: the first attachment of that name
    whose page holds the value (two attachments may share a name)."""
    if not field.source.startswith("attachment:") or "#p" not in field.source:
        return None
    filename, _, number = field.source.removeprefix("attachment:").rpartition("#p")
    if not number.isdigit():
        return None
    candidates = [
        (attachment, page)
        for attachment in attachments
        if attachment.filename == filename
        for page in attachment.pages
        if page.number == int(number)
    ]
    for attachment, page in candidates:
        if find_raw(page.text, field.raw):
            return attachment, page
    return candidates[0] if candidates else None


def _pieces(text: str, words: Sequence[str]) -> list[Range]:
    """Each word of a value, taken nearest the longest one; none unless every word is there."""
    pieces = list(dict.fromkeys(word.strip(",;") for word in words if word.strip(",;")))
    if not pieces:
        return []
    patterns = {piece: re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)", re.IGNORECASE) for piece in pieces}
    anchor = patterns[max(pieces, key=len)].search(text)
    if anchor is None:
        return []
    found = []
    for piece in pieces:
        near = [
            match.span()
            for match in patterns[piece].finditer(text, max(0, anchor.start() - _NEAR), anchor.end() + _NEAR)
        ]
        if not near:
            return []
        found.append(min(near, key=lambda span: abs(span[0] - anchor.start())))
    return sorted(found)


def _box_from_spans(spans: Sequence[TextSpan], ranges: Iterable[Range]) -> Box | None:
    """The part of each span the ranges cover, in proportion to its characters, as one box."""
    parts = []
    for start, end in ranges:
        for span in spans:
            if span.end <= start or span.start >= end or span.end <= span.start:
                continue
            length = span.end - span.start
            first = (max(start, span.start) - span.start) / length
            last = (min(end, span.end) - span.start) / length
            left, top, right, bottom = span.box
            parts.append((left + first * (right - left), top, left + last * (right - left), bottom))
    return _union(parts)


def _union(boxes: Sequence[Box]) -> Box | None:
    if not boxes:
        return None
    return (
        round(min(box[0] for box in boxes), _PLACES),
        round(min(box[1] for box in boxes), _PLACES),
        round(max(box[2] for box in boxes), _PLACES),
        round(max(box[3] for box in boxes), _PLACES),
    )


# --- PDF text layers ------------------------------------------------------------


def _pdf_boxes(data: bytes, wanted: Sequence[_Wanted]) -> list[Box | None]:
    """The box of each wanted value, from the PDF's character boxes (see the module docstring)."""
    from extractors.readers.pdf import PDFIUM_LOCK, pdfium

    if pdfium is None:
        return [None] * len(wanted)
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:  # read by pdfplumber instead: no PDFium boxes
            return [None] * len(wanted)
        try:
            return [_value_box(document, item.page, item.ranges) for item in wanted]
        finally:
            document.close()


def _value_box(document, page: Page, ranges: Sequence[Range]) -> Box | None:  # noqa: ANN001 - PdfDocument
    """Called with `PDFIUM_LOCK` held."""
    from extractors.readers.pdf import pdfium

    try:
        pdf_page = document[page.number - 1]
    except (pdfium.PdfiumError, IndexError):
        return None
    try:
        textpage = pdf_page.get_textpage()
        try:
            layer = textpage.get_text_range()
            offsets = _LayerOffsets(layer)
            if offsets.text != page.text:  # not the text the fields were read in
                return None
            edges = _char_edges(textpage, layer, [offsets.layer_range(start, end) for start, end in ranges])
        finally:
            textpage.close()
        return _displayed(pdf_page, edges) if edges else None
    except pdfium.PdfiumError:
        return None
    finally:
        pdf_page.close()


class _LayerOffsets:
    """PDFium's text of a page normalised as `extractors.readers.pdf` does (\\r\\n and \\r to \\n,
    NULs dropped, U+FFFE to a hyphen), remembering where each piece came from."""

    def __init__(self, layer: str) -> None:
        pieces, starts, origins = [], [], []
        length = 0
        for match in _LAYER_CHUNKS.finditer(layer):
            piece = _NORMAL_CHUNKS.get(match.group(0), match.group(0))
            if piece:
                pieces.append(piece)
                starts.append(length)
                origins.append(match.start())
                length += len(piece)
        self.text = "".join(pieces)
        self._starts, self._origins = starts, origins

    def layer_range(self, start: int, end: int) -> Range:
        """The range of PDFium's text that normalised text[start:end] came from."""
        return self._layer_index(start), self._layer_index(end - 1) + 1

    def _layer_index(self, index: int) -> int:
        chunk = bisect.bisect_right(self._starts, index) - 1
        return self._origins[chunk] + index - self._starts[chunk]


def _char_edges(textpage, layer: str, ranges: Sequence[Range]) -> tuple[float, float, float, float] | None:  # noqa: ANN001
    """The union of the loose boxes of the characters in `ranges` of `layer`, in page
    space: (left, bottom, right, top). Characters whose index PDFium does not confirm
    (the text is UTF-16, a character may be missing from it) are left out."""
    from extractors.readers.pdf import pdfium_c

    wide = any(ord(char) > 0xFFFF for char in layer)
    rect = pdfium_c.FS_RECTF()
    lefts, bottoms, rights, tops = [], [], [], []
    for start, end in ranges:
        for index in range(start, end):
            if layer[index].isspace():
                continue
            text_index = len(layer[:index].encode("utf-16-le")) // 2 if wide else index
            char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage.raw, text_index)
            if char < 0 or pdfium_c.FPDFText_GetUnicode(textpage.raw, char) != ord(layer[index]):
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, char, rect):
                continue
            lefts.append(rect.left)
            bottoms.append(rect.bottom)
            rights.append(rect.right)
            tops.append(rect.top)
    if not lefts:
        return None
    return min(lefts), min(bottoms), max(rights), max(tops)


def _displayed(pdf_page, edges: tuple[float, float, float, float]) -> Box:  # noqa: ANN001
    """A page-space rectangle as shares of the page as PDFium renders it."""
    from extractors.readers.pdf import pdfium_c

    left, bottom, right, top = edges
    xs, ys = [], []
    x, y = ctypes.c_int(), ctypes.c_int()
    for page_x, page_y in ((left, bottom), (right, top)):
        pdfium_c.FPDF_PageToDevice(pdf_page.raw, 0, 0, _DEVICE, _DEVICE, 0, page_x, page_y, x, y)
        xs.append(min(1.0, max(0.0, x.value / _DEVICE)))
        ys.append(min(1.0, max(0.0, y.value / _DEVICE)))
    return (
        round(min(xs), _PLACES),
        round(min(ys), _PLACES),
        round(max(xs), _PLACES),
        round(max(ys), _PLACES),
    )
