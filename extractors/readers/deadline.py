"""How long and how much memory reading one document may take, and what is said when it takes more.

`[limits] document_seconds` and `document_mb` bound every document; how depends on
the reader (see `extractors.documents`):

- readers that need no OCR read in a reader process (`readerpool.read_in_worker`),
  which is killed at the time limit and reads under an address-space limit;
- the `.doc` and `.xls` readers run a program in a subprocess (`children.run_child`),
  under the same two limits;
- the PDF and picture readers, which share the caller's OCR thread pool and so cannot
  leave its process, keep a `Deadline`: checked between pages and while they wait for
  OCR, it ends the reading once the time is spent. Their memory is held by the page and
  pixel limits (`max_pages`, `max_image_pixels`) instead.

Whatever the way, a document over a limit ends as an error whose reason is one of the
two sentences below, and the message's other attachments are read as usual.
"""

from __future__ import annotations

import time

from rpa.errors import ExtractionError

__all__ = ["Deadline", "needed_too_much", "took_too_long"]


def took_too_long(label: str, seconds: float, progress: str = "") -> ExtractionError:
    """The error of a document (`label`: "docx document") given up after `seconds`;
    `progress` says how far it got ("12 of 40 pages had been read")."""
    reason = f"the {label} took longer than {seconds:g} s to read (limits.document_seconds)"
    return ExtractionError(f"{reason}: {progress}" if progress else reason)


def needed_too_much(label: str, megabytes: int) -> ExtractionError:
    """The error of a document that needed more memory than `megabytes` to read."""
    return ExtractionError(f"the {label} needed more than {megabytes} MB to read (limits.document_mb)")


class Deadline:
    """The time left to read one document, for readers that check it themselves
    between steps: `check()` raises the "took longer" error once it is spent."""

    def __init__(self, seconds: float, label: str) -> None:
        self.seconds = seconds
        self.label = label
        self.ends = time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.ends

    def check(self, progress: str = "") -> None:
        """Raises `ExtractionError` when the time is spent; `progress` goes in its reason."""
        if self.expired:
            raise took_too_long(self.label, self.seconds, progress)
