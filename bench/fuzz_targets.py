"""What each fuzz harness feeds to rpa, and what rpa must never do with it.

A harness is a function of one input (bytes) that runs one part of rpa on it and
checks the one property every part promises: any input ends in a result or in
rpa's own error (`ExtractionError` for a document, with an attachment status and
a reason), never in another exception, and within a time budget (the per-input
timeout `bench/fuzz.py` gives libFuzzer). Anything else raised is a crash; a
broken promise found in a result (a mail that fell back to "could not be parsed",
an attachment without a reason for its status) raises `Broken`.

    mime      extractors.mime.parse_message with the default `LimitSettings`; seeds include
              mails with a winmail.dat or a .msg attached
    charsets  extractors.charsets.decode_text; the input's first line is the declared charset
    html      an HTML body as extractors.mime reads it: declared charset, decoding, text
    pdf       the PDF reader, built as the pipeline builds it (`read_document`)
    image     the image reader, likewise; pictures are decoded and prepared for OCR, not read
    office    the Word (.docx, .doc), Excel, OpenDocument and RTF readers, the document
              given to the first that takes it
    xls       the Excel 97-2003 reader (xlrd in a child process, held to its time and memory)
    pptx      the PowerPoint reader; each input read again with its stored parts' CRCs made right
    zip       a zip archive attached to a mail, opened by extractors.containers
    tnef      a winmail.dat opened by its mail-file format (extractors.mailfiles)
    msg       an Outlook .msg, likewise

Their targets and seeds live by family: `fuzz_mail` (mime, zip, tnef, msg), `fuzz_text`
(charsets, html), `fuzz_documents` (pdf, image, office, xls, pptx, and zip's seeds); what they share
(`Harness`, `Broken`, seed files) is `fuzz_harness`. A reader without a harness of its
own is listed in `PLANNED`; adding one is one entry in `HARNESSES`.

Seeds come from the public corpora in `../shared/eval` (read in place, never copied;
see each folder's SOURCE.md for origin and licence), from `samples/`, and, for Office
documents and zips, from the writers the tests use (tests/officedocs.py); a harness
whose corpora are missing starts from the few inputs it makes itself.

Modules under test are imported inside the functions, so that `bench/fuzz.py`
imports them with atheris's coverage instrumentation on.
"""

from __future__ import annotations

from fuzz_documents import (
    OFFICE_CODE,
    OFFICE_READERS,
    PDF_CODE,
    PDF_TOKENS,
    PPTX_CODE,
    PPTX_TOKENS,
    XLS_CODE,
    XLS_TOKENS,
    document_target,
    image_seeds,
    office_seeds,
    pdf_seeds,
    pptx_seeds,
    pptx_target,
    read_document,
    xls_seeds,
    zip_seeds,
)
from fuzz_harness import Broken, Harness
from fuzz_mail import MAIL_CODE, MIME_TOKENS, mail_file_target, mail_seeds, mail_target, msg_seeds, tnef_seeds
from fuzz_text import CHARSET_CODE, CHARSET_TOKENS, HTML_CODE, charset_seeds, charsets, html, html_seeds

_XLS = "application/vnd.ms-excel"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

__all__ = ["HARNESSES", "PLANNED", "Broken", "Harness", "read_document"]

HARNESSES: dict[str, Harness] = {
    harness.name: harness
    for harness in (
        Harness("mime", mail_target(), mail_seeds, MAIL_CODE, 64_000, MIME_TOKENS),
        Harness("charsets", charsets, charset_seeds, CHARSET_CODE, 4_096, CHARSET_TOKENS),
        Harness("html", html, html_seeds, HTML_CODE, 16_000),
        Harness("pdf", document_target(("pdf",), "application/pdf"), pdf_seeds, PDF_CODE, 64_000, PDF_TOKENS),
        Harness(
            "image", document_target(("image",), "image/png"), image_seeds, ("extractors", "PIL"), 64_000
        ),
        Harness(
            "office",
            document_target(OFFICE_READERS, "application/octet-stream"),
            office_seeds,
            OFFICE_CODE,
            64_000,
        ),
        Harness("xls", document_target(("xls",), _XLS), xls_seeds, XLS_CODE, 64_000, XLS_TOKENS),
        Harness("pptx", pptx_target(_PPTX), pptx_seeds, PPTX_CODE, 64_000, PPTX_TOKENS),
        Harness("zip", mail_target("dossier.zip"), zip_seeds, (*MAIL_CODE, "zipfile"), 64_000),
        Harness("tnef", mail_file_target("tnef"), tnef_seeds, ("extractors", "tnefparse"), 64_000),
        Harness(
            "msg",
            mail_file_target("outlook-msg"),
            msg_seeds,
            ("extractors", "extract_msg", "olefile"),
            64_000,
        ),
    )
}

# Readers without a harness of their own: each gets one `Harness` entry above when it
# deserves one (its target `document_target((<registry name>,), <declared type>)`, its
# seeds files of that kind). `bench/fuzz.py` lists them.
PLANNED = {
    "csv, text, html documents": "read with decode_text and html_to_text, which charsets and html fuzz",
}
