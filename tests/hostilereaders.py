"""Word readers that misbehave on purpose, to show how the limits end a reader (tests/test_reader_limits.py).

A reader without OCR reads in a reader process (`extractors.readers.readerpool`), which
unpickles it by its class: these live in a module of their own so that the process can
import them. Each behaves as the real .docx reader except on the file named for it.
"""

from __future__ import annotations

import os
import signal
import time

from extractors.readers.base import DocumentText
from extractors.readers.word import DocxReader

__all__ = ["BuggyDocx", "DyingDocx", "EndlessDocx", "SwellingDocx"]


class EndlessDocx(DocxReader):
    """Never ends on "boucle.docx", as a parser lost in a loop of a hostile file."""

    def read(self, filename: str, data: bytes) -> DocumentText:
        while filename == "boucle.docx":
            time.sleep(0.05)
        return super().read(filename, data)


class SwellingDocx(DocxReader):
    """Takes 16 MB more at a time on "enfle.docx", as a parser filling a table for ever."""

    def read(self, filename: str, data: bytes) -> DocumentText:
        held = []
        while filename == "enfle.docx":
            held.append(bytearray(16 * 1024 * 1024))
        return super().read(filename, data)


class DyingDocx(DocxReader):
    """Its process is killed while it reads "crash.docx", as the kernel's OOM killer does."""

    def read(self, filename: str, data: bytes) -> DocumentText:
        if filename == "crash.docx":
            os.kill(os.getpid(), signal.SIGKILL)
        return super().read(filename, data)


class BuggyDocx(DocxReader):
    """Fails on "bizarre.docx" with an exception that is not ours, as a reader's bug would."""

    def read(self, filename: str, data: bytes) -> DocumentText:
        if filename == "bizarre.docx":
            raise KeyError("word/document.xml")
        return super().read(filename, data)
