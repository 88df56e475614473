"""PowerPoint 97-2003 presentations (.ppt) attached: a page per slide, anchored ``#slide<n>``,
title first, then the slide's other text and its notes; encrypted or damaged ones end as
errors saying why.

Nothing here writes a .ppt, so two real files saved by PowerPoint come from python-oletools'
test data (tests/data/ppt/SOURCE.md). A presentation of several slides, with notes and a save
that moved a slide, is built record by record after [MS-PPT] (`presentation97`), in an OLE2
file written by extract-msg's OLE writer."""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

import officedocs
import pytest
from officedocs import read, reader  # noqa: F401 - reader is a fixture

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine
from extractors.readers.base import HEAD_SIZE, ole_kind
from extractors.readers.ppt import PptReader
from rpa.config import Settings
from rpa.doctor import run_checks
from rpa.models import AttachmentStatus

DATA = Path(__file__).parent / "data" / "ppt"
PPT_TYPE = "application/vnd.ms-powerpoint"


# -- A presentation built record by record ([MS-PPT]) ---------------------------------------------


def _record(kind: int, body: bytes, *, version: int = 0, instance: int = 0) -> bytes:
    return struct.pack("<HHI", version | instance << 4, kind, len(body)) + body


def _container(kind: int, *children: bytes, instance: int = 0) -> bytes:
    return _record(kind, b"".join(children), version=0xF, instance=instance)


def _text(text_type: int, text: str, *, latin1: bool = False) -> bytes:
    header = _record(0x0F9F, struct.pack("<I", text_type))  # TextHeaderAtom
    if latin1:
        return header + _record(0x0FA8, text.replace("\n", "\r").encode("latin-1"))  # TextBytesAtom
    return header + _record(0x0FA0, text.replace("\n", "\r").encode("utf-16-le"))  # TextCharsAtom


def _drawing(*boxes: bytes) -> bytes:
    """A PPDrawing whose shapes hold these client text boxes' records."""
    shapes = [_container(0xF004, _container(0xF00D, box)) for box in boxes]  # SpContainer, ClientTextbox
    return _container(0x040C, _container(0xF002, _container(0xF003, *shapes)))


@dataclasses.dataclass
class Slide97:
    title: (
        str  # in the slide list, referred to from the drawing (OutlineTextRefAtom), as PowerPoint 2003 does
    )
    body: str = ""  # in a text box of the drawing, as PowerPoint 2007 does
    notes: str = ""


def presentation97(slides: list[Slide97], *, stored_in_reverse: bool = True) -> bytes:
    """A .ppt of these slides. The Slide containers are stored last slide first, as after a
    save that moved them: only the slide list tells their order."""
    stream = bytearray()
    offsets: dict[int, int] = {}  # persist id -> offset
    document_id, slide_ids = 1, [2 + index for index in range(len(slides))]
    notes_ids = [2 + len(slides) + index for index in range(len(slides))]
    order = list(reversed(range(len(slides)))) if stored_in_reverse else list(range(len(slides)))
    for index in order:
        slide = slides[index]
        notes_ref = 0x100 + index if slide.notes else 0
        slide_atom = _record(0x03EF, struct.pack("<I8sIIHH", 0, bytes(8), 0, notes_ref, 0, 0), version=2)
        boxes = [_record(0x0F9E, struct.pack("<I", 0))]  # the title: the first text of the list
        if slide.body:
            boxes.append(_text(1, slide.body))
        offsets[slide_ids[index]] = len(stream)
        stream += _container(0x03EE, slide_atom, _drawing(*boxes))
        if slide.notes:
            offsets[notes_ids[index]] = len(stream)
            notes_atom = _record(0x03F1, struct.pack("<IHH", 0x100 + index, 0, 0), version=1)
            stream += _container(0x03F0, notes_atom, _drawing(_text(2, slide.notes, latin1=True)))
    listed = b"".join(
        _record(0x03F3, struct.pack("<IIIII", slide_ids[index], 0, 1, 0x100 + index, 0))
        + _text(0, slide.title)
        for index, slide in enumerate(slides)
    )
    noted = b"".join(
        _record(0x03F3, struct.pack("<IIIII", notes_ids[index], 0, 0, 0x100 + index, 0))
        for index, slide in enumerate(slides)
        if slide.notes
    )
    offsets[document_id] = len(stream)
    stream += _container(
        0x03E8,
        _record(0x03E9, bytes(40), version=1),  # DocumentAtom
        _container(0x0FF0, listed, instance=0),
        _container(0x0FF0, noted, instance=2),
        _record(0x03EA, b""),  # EndDocumentAtom
    )
    directory_at = len(stream)
    count = len(offsets)
    entries = b"".join(
        struct.pack("<II", persist_id | 1 << 20, at) for persist_id, at in sorted(offsets.items())
    )
    stream += _record(0x1772, entries)
    edit_at = len(stream)
    edit = struct.pack("<IHBBIIIIHH", 0x100, 0, 0, 3, 0, directory_at, document_id, count + 1, 1, 0)
    stream += _record(0x0FF5, edit)
    user = b"rpa"
    current = struct.pack("<IIIHHBBH", 0x14, 0xE391C05F, edit_at, len(user), 0x03F4, 3, 0, 0) + user
    current += struct.pack("<I", 8)
    return officedocs.ole_file(
        {"Current User": _record(0x0FF6, current), "PowerPoint Document": bytes(stream)}
    )


def with_limits(settings: Settings, **changes: object) -> Settings:
    return dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **changes))


# -- Real presentations saved by PowerPoint -------------------------------------------------------


def test_a_presentation_saved_by_powerpoint_2007_gives_its_slide_title_first_then_its_text(
    reader: DocumentReader,
) -> None:
    attachment = read(reader, "projet.ppt", (DATA / "embedded-simple-2007.ppt").read_bytes(), PPT_TYPE)
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    (page,) = attachment.pages
    assert page.anchor == "#slide1"
    assert page.text == (
        "Embedded Objects\nThis slide contains an embedded object\nIt is a simple harmless ASCII text file"
    )


def test_a_presentation_is_known_by_its_streams_whatever_its_name_and_type(reader: DocumentReader) -> None:
    data = (DATA / "embedded-simple-2007.ppt").read_bytes()
    assert ole_kind(data[:HEAD_SIZE]) == "ppt"
    for filename in ("piece-jointe.bin", "presentation.doc", "classeur.xls"):
        attachment = read(reader, filename, data)
        assert attachment.status == AttachmentStatus.OK, filename
        assert attachment.pages[0].text.startswith("Embedded Objects")


def test_a_presentation_protected_with_a_password_is_an_error_saying_so(reader: DocumentReader) -> None:
    attachment = read(reader, "secret.ppt", (DATA / "encrypted.ppt").read_bytes(), PPT_TYPE)
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "the PowerPoint 97-2003 presentation is protected with a password",
    )


def test_a_presentation_whose_last_save_names_an_encryption_is_an_error_even_without_its_summary(
    reader: DocumentReader,
) -> None:
    data = bytearray((DATA / "encrypted.ppt").read_bytes())
    at = data.find("EncryptedSummary".encode("utf-16-le"))
    data[at : at + 32] = "EncryptedSummarz".encode("utf-16-le")  # only the UserEditAtom still says so
    attachment = read(reader, "secret.ppt", bytes(data), PPT_TYPE)
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "the PowerPoint 97-2003 presentation is protected with a password",
    )


# -- Slides, notes and order ----------------------------------------------------------------------


def test_slides_are_read_in_the_order_the_presentation_lists_them_with_their_notes(
    reader: DocumentReader,
) -> None:
    data = presentation97(
        [
            Slide97("Déclaration de sinistre", "Police MRH-77120-B\nDégât des eaux du 12/03/2024"),
            Slide97("Montant réclamé", "1 842,50 €", notes="Rappeler l'assurée lundi"),
            Slide97("Pièces jointes"),
        ]
    )
    attachment = read(reader, "sinistre.ppt", data, PPT_TYPE)
    assert attachment.status == AttachmentStatus.OK
    assert [page.anchor for page in attachment.pages] == ["#slide1", "#slide2", "#slide3"]
    assert [page.text for page in attachment.pages] == [
        "Déclaration de sinistre\nPolice MRH-77120-B\nDégât des eaux du 12/03/2024",
        "Montant réclamé\n1 842,50 €\n\nRappeler l'assurée lundi",
        "Pièces jointes",
    ]


def test_slides_beyond_max_pages_are_left_out_and_said(settings: Settings) -> None:
    data = presentation97([Slide97(f"Diapositive {number}") for number in range(1, 5)])
    with OcrEngine(settings) as ocr:
        attachment = read(DocumentReader(with_limits(settings, max_pages=2), ocr), "long.ppt", data)
    assert [page.text for page in attachment.pages] == ["Diapositive 1", "Diapositive 2"]
    assert attachment.error == "read the first 2 of 4 pages (limits.max_pages)"


def test_without_its_chain_of_saves_a_presentation_gives_its_slides_as_stored(reader: DocumentReader) -> None:
    data = presentation97([Slide97("Premier", "un"), Slide97("Second", "deux")], stored_in_reverse=False)
    ole = bytearray(data)
    at = ole.find("Current User".encode("utf-16-le"))
    ole[at : at + 24] = "Current Usez".encode("utf-16-le")  # the stream is gone: no last save to follow
    attachment = read(reader, "sans-historique.ppt", bytes(ole))
    assert attachment.status == AttachmentStatus.OK
    assert [page.text for page in attachment.pages] == ["un", "deux"]  # the titles were in the list


# -- Damaged files --------------------------------------------------------------------------------


def test_a_presentation_cut_short_is_an_error_saying_it_is_damaged(reader: DocumentReader) -> None:
    data = (DATA / "embedded-simple-2007.ppt").read_bytes()
    attachment = read(reader, "coupe.ppt", data[:5000], PPT_TYPE)
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error.startswith(
        "the PowerPoint 97-2003 presentation could not be read: it is damaged ("
    )


def test_a_word_document_named_ppt_is_not_taken_for_a_presentation(reader: DocumentReader) -> None:
    data = officedocs.word97("Madame, Monsieur,\n")
    assert ole_kind(data[:HEAD_SIZE]) == "doc"
    attachment = read(reader, "lettre.ppt", data, PPT_TYPE)
    assert attachment.status == AttachmentStatus.OK, attachment.error
    assert attachment.pages[0].text == "Madame, Monsieur,"


def test_rpa_doctor_lists_the_ppt_reader(settings: Settings) -> None:
    checks = {check.name: check for check in run_checks(settings) if check.name.startswith("reader:")}
    assert checks["reader:ppt"].ok and checks["reader:ppt"].detail == "available"


@pytest.mark.parametrize("filename", ["diapo.ppt", "diapo.pps"])
def test_a_ppt_declared_by_its_name_is_claimed_even_when_its_head_says_nothing(
    settings: Settings, filename: str
) -> None:
    head = officedocs.ole_file({"Autre": bytes(8192)})[:8]  # the OLE2 signature, the directory further on
    assert PptReader(settings).can_read("application/octet-stream", filename, head)
    assert not PptReader(settings).can_read("application/octet-stream", "diapo.bin", head)
