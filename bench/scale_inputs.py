"""The inputs of bench/scale.py: many distinct mails made from the bundled samples, and their kinds.

Each copy of a sample must be new to the store, which de-duplicates on the Message-ID
(mails) or on a hash of the bytes (standalone documents): a mail copy gets a Message-ID
of its own, a document copy a few bytes after its end (after a PDF's `%%EOF`, a JPEG's
end-of-image marker, a PNG's `IEND` chunk, a TIFF's last strip), which every reader
skips, so the copy reads as the original does.

A mail's kind is that of its most costly attachment: a photo (JPEG, PNG: RapidOCR) over
a scan (a TIFF, or a PDF without a text layer: Tesseract) over a text PDF (its text layer
read, or an unreadable PDF given up on) over none ("text").
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.sources import RawInput, iter_inputs
from rpa.config import Settings
from rpa.pipeline import parse_input

__all__ = ["KINDS", "Sample", "as_raw", "load_samples", "mix", "write_copies", "write_copy"]

KINDS = ("text", "text PDF", "scan", "photo")  # cheapest first
_PHOTOS = (".jpg", ".jpeg", ".png", ".heic", ".webp", ".gif", ".bmp")
_SCANS = (".tif", ".tiff")
_MESSAGE_ID = re.compile(rb"^message-id:[^\n]*\n(?:[ \t][^\n]*\n)*", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Sample:
    name: str  # the file's name in samples/
    data: bytes
    document: bool  # a standalone PDF or picture, not a mail
    kind: str  # one of KINDS


def load_samples(folder: Path, settings: Settings) -> list[Sample]:
    """The mails and documents `rpa process folder` reads, each with its kind."""
    samples = []
    for raw in iter_inputs([folder]):
        message = parse_input(raw, settings.limits)
        kinds = [_attachment_kind(a.filename, a.data) for a in message.all_attachments()]
        kind = max(kinds, key=KINDS.index, default="text")
        samples.append(Sample(Path(raw.source).name, raw.data, raw.kind == "document", kind))
    return samples


def _attachment_kind(filename: str, data: bytes) -> str:
    name = filename.lower()
    if name.endswith(_PHOTOS):
        return "photo"
    if name.endswith(_SCANS):
        return "scan"
    if name.endswith(".pdf"):
        return "scan" if _pdf_without_text(data) else "text PDF"
    return "text"


def _pdf_without_text(data: bytes) -> bool:
    """A PDF that `pdftotext` opens and finds (almost) no text in: its pages are OCRed."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        result = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, check=False)
    return result.returncode == 0 and len(result.stdout.strip()) < 20


def write_copy(sample: Sample, folder: Path, tag: str) -> Path:
    """A copy of `sample` in `folder` that the store takes for a new input (see the docstring)."""
    path = folder / f"{tag}-{sample.name}"
    if sample.document:
        path.write_bytes(sample.data + f"\n% rpa bench copy {tag}\n".encode())
    else:
        path.write_bytes(_with_message_id(sample.data, f"<{tag}.{sample.name}@bench.rpa.example>"))
    return path


def write_copies(samples: Sequence[Sample], count: int, folder: Path, run: str) -> list[Path]:
    """`count` copies, going round the samples in order, so the mix is the samples' own."""
    return [write_copy(samples[n % len(samples)], folder, f"{run}-{n:05d}") for n in range(count)]


def _with_message_id(data: bytes, message_id: str) -> bytes:
    end = data.find(b"\n\n") if data.find(b"\r\n\r\n") < 0 else data.find(b"\r\n\r\n")
    head, body = (data, b"") if end < 0 else (data[:end], data[end:])
    newline = b"\r\n" if b"\r\n" in head else b"\n"
    line = b"Message-ID: " + message_id.encode() + newline
    head = head.replace(b"\r\n", b"\n") + b"\n"
    head, found = _MESSAGE_ID.subn(line.replace(b"\r\n", b"\n"), head, count=1)
    if not found:
        head = line.replace(b"\r\n", b"\n") + head
    return head[:-1].replace(b"\n", newline) + body


def mix(kinds: Sequence[str]) -> dict[str, float]:
    """The share of each kind among `kinds`, in the order of KINDS."""
    counts = Counter(kinds)
    return {kind: counts[kind] / len(kinds) for kind in KINDS}


def as_raw(path: Path) -> RawInput:
    """The one input of a copy's file, as `rpa process` reads it."""
    (raw,) = iter_inputs([path])
    return raw
