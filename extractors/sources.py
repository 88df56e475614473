"""The paths given to `rpa process`, read one input at a time.

An input is a mail (`.eml`, one message of an `.mbox`, a file of a Maildir) or a
standalone document (`.pdf`, `.png`, `.jpg`, `.jpeg`, `.tif`, `.tiff`, the photos of
recent phones: `.webp`, `.heic`, `.heif`, `.avif`, office documents: `.docx`, `.doc`,
`.odt`, `.rtf`, `.xlsx`, `.xls`, `.ods`, `.pptx`, and `.zip` archives of them, whose
files are read as those of a zip attached to a mail). Folders are walked
recursively in name order; in a walk, files of other types (notes, JSON, scripts) are
left alone, but a path named explicitly must be something we can read, or the user is
told why not (`InputError`). Everything streams: one file is in memory at a time.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rpa.errors import InputError

__all__ = ["RawInput", "MAIL_SUFFIXES", "MBOX_SUFFIXES", "DOCUMENT_SUFFIXES", "iter_inputs"]

MAIL_SUFFIXES = frozenset({".eml"})
MBOX_SUFFIXES = frozenset({".mbox"})
DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".heic", ".heif", ".avif"}
    | {".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".ods", ".pptx", ".ppt"}  # office documents
    | {".zip"}  # archives of documents: their files are read (extractors.standalone)
)
_MAILDIR_PARTS = ("cur", "new", "tmp")


@dataclass(frozen=True)
class RawInput:
    """One mail or document as bytes, and where it came from (`path`, or `path#N` in an mbox)."""

    source: str
    data: bytes = field(repr=False)
    kind: Literal["mail", "document"]
    filename: str


def iter_inputs(paths: Sequence[Path]) -> Iterator[RawInput]:
    """Every mail and document under `paths`, in order.

    Raises `InputError` before yielding anything if an explicit path does not exist or is a
    file of a type we do not read; later, if a file cannot be read.
    """
    paths = [Path(path) for path in paths]
    for path in paths:
        _check_explicit(path)
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield from _read_file(path)


def _check_explicit(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file or folder", path=str(path))
    if not path.is_dir() and _kind(path) is None:
        what = f"{path.suffix!r} files" if path.suffix else "files without a suffix"
        raise InputError(
            f"cannot read {what}: give .eml or .mbox mail, a folder or Maildir, or a document "
            f"({', '.join(sorted(DOCUMENT_SUFFIXES))})",
            path=str(path),
        )


def _kind(path: Path) -> Literal["mail", "mbox", "document"] | None:
    suffix = path.suffix.lower()
    if suffix in MAIL_SUFFIXES or _in_maildir(path):
        return "mail"
    if suffix in MBOX_SUFFIXES:
        return "mbox"
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    return None


def _in_maildir(path: Path) -> bool:
    """A message file of a Maildir: its name says nothing (`1712.M5P7.host:2,S`), its place does."""
    return path.parent.name in ("new", "cur") and _is_maildir(path.parent.parent)


def _is_maildir(folder: Path) -> bool:
    return all((folder / part).is_dir() for part in _MAILDIR_PARTS)


def _walk(folder: Path) -> Iterator[RawInput]:
    if _is_maildir(folder):
        yield from _read_maildir(folder)
        return
    for entry in _sorted_entries(folder):
        if entry.name.startswith("."):
            continue  # .git, .DS_Store, editor files: not the user's mail
        if entry.is_dir() and not entry.is_symlink():  # a linked folder could loop back
            yield from _walk(entry)
        elif entry.is_file() and _kind(entry) is not None:
            yield from _read_file(entry)


def _read_maildir(folder: Path) -> Iterator[RawInput]:
    """Messages in `new/` then `cur/`, whatever their names (`tmp/` is still being written);
    Maildir++ sub-folders (`.Sent`, `.Archives`) after them."""
    for part in ("new", "cur"):
        for entry in _sorted_entries(folder / part):
            if entry.is_file() and not entry.name.startswith("."):
                yield RawInput(str(entry), _read_bytes(entry), "mail", entry.name)
    for entry in _sorted_entries(folder):
        if entry.name.startswith(".") and entry.is_dir() and _is_maildir(entry):
            yield from _read_maildir(entry)


def _read_file(path: Path) -> Iterator[RawInput]:
    kind = _kind(path)
    if kind == "mbox":
        yield from _read_mbox(path)
    elif kind is not None:
        yield RawInput(str(path), _read_bytes(path), kind, path.name)


def _read_mbox(path: Path) -> Iterator[RawInput]:
    try:
        box = mailbox.mbox(path, create=False)
        keys = box.keys()  # scans for "From " lines; messages are read one by one below
    except (OSError, mailbox.Error) as exc:
        raise InputError(f"cannot read the mbox: {exc}", path=str(path)) from exc
    if not keys and path.stat().st_size:
        box.close()
        raise InputError("no messages found: an mbox starts each message with a 'From ' line", path=str(path))
    try:
        for number, key in enumerate(keys, start=1):
            yield RawInput(f"{path}#{number}", box.get_bytes(key), "mail", f"{path.name}#{number}")
    except (OSError, mailbox.Error) as exc:
        raise InputError(f"cannot read the mbox: {exc}", path=str(path)) from exc
    finally:
        box.close()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc


def _sorted_entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        raise InputError(f"cannot list the folder: {exc.strerror or exc}", path=str(folder)) from exc
