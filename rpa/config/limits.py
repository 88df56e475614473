"""`[limits]`: how much of a mail, a document or an archive is read, against hostile input."""

from __future__ import annotations

from dataclasses import dataclass

from rpa.config.options import option as _opt
from rpa.errors import ConfigError

__all__ = ["LimitSettings"]


@dataclass(frozen=True)
class LimitSettings:
    max_attachment_mb: float = _opt(20.0, "Attachments larger than this are skipped")
    max_message_mb: float = _opt(50.0, "Attachments beyond this total per message are skipped")
    max_pages: int = _opt(300, "Pages read per document; the rest are reported as skipped")
    max_image_pixels: int = _opt(
        50_000_000, "Pictures with more pixels than this are not decoded (a decompression bomb)"
    )
    max_archive_files: int = _opt(
        100, "A zip archive holding more files is not opened, nor more files unzipped from one mail"
    )
    max_archive_mb: float = _opt(100.0, "A zip archive whose files take more than this is not opened")
    max_zip_ratio: float = _opt(
        200.0,
        "A file over 1 MB that a zip shrank more than this many times is a zip bomb: not unzipped, "
        "nor a Word, Excel or OpenDocument file holding one (a very repetitive spreadsheet shrinks "
        "about 100 times, a bomb about 1,000)",
    )
    max_archive_depth: int = _opt(2, "Levels of zip archives opened: 1 the zip attached, 2 a zip in it too")
    max_cells: int = _opt(
        100_000, "Spreadsheet cells read per document (xlsx, xls, ods, csv); the rest are left out"
    )
    max_paragraphs: int = _opt(
        20_000, "Paragraphs and table rows read per document (docx, odt, pptx); the rest are left out"
    )
    document_seconds: int = _opt(60, "Seconds one document may take to read; then it is an error saying so")
    document_mb: int = _opt(
        1024,
        "Megabytes of memory one document may take to read; then it is an error saying so "
        "(PDFs and pictures are held by max_pages and max_image_pixels instead)",
    )
    reader_idle_seconds: int = _opt(
        60,
        "Seconds a reader process or the photo reader may wait for work; then it ends, giving its "
        "memory back (12 to 55 MB a reader process, 230 to 300 MB the photo reader once it has read "
        "a photo), and the next document starts one again (0.1 s; the photo reader then "
        "loads RapidOCR again, about two seconds); 0: they wait until rpa ends",
    )

    def __post_init__(self) -> None:
        positive = (
            "max_attachment_mb",
            "max_message_mb",
            "max_pages",
            "max_image_pixels",
            "max_archive_mb",
            "max_cells",
            "max_paragraphs",
            "document_seconds",
            "document_mb",
        )
        wrong = [f"{name} must be more than 0" for name in positive if getattr(self, name) <= 0]
        if self.max_archive_files < 1:
            wrong.append("max_archive_files must be at least 1")
        if self.max_zip_ratio < 1:
            wrong.append("max_zip_ratio must be at least 1")
        if self.max_archive_depth < 0:
            wrong.append("max_archive_depth must be 0 (zip archives are not opened) or more")
        if self.reader_idle_seconds < 0:
            wrong.append("reader_idle_seconds must be 0 (never) or more")
        if wrong:
            raise ConfigError(f"[limits] {'; '.join(wrong)}")
