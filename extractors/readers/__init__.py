"""Document readers: one module per kind of document, each turning bytes into `DocumentText`.

    base       the contract (`DocumentFormat`, `DocumentText`) and what readers share:
               `sniff_format`, `ole_kind`, `declared_as`, `assemble_pages`, `page_limit_notes`
    pdf        PDF: text layer, OCR for scanned pages, claim tables
    images     pictures and multi-page TIFF scans: OCR
    word       Word .docx (python-docx)
    xlsx       Excel .xlsx (openpyxl)
    xls        Excel 97-2003 .xls (xlrd, in a child process: `xlsworker`)
    pptx       PowerPoint .pptx (zip + defusedxml)
    ppt        PowerPoint 97-2003 .ppt (olefile, records walked here)
    odt, ods   OpenDocument text and spreadsheets (zip + defusedxml)
    rtf        RTF (striprtf)
    htmldoc    HTML attachments (inscriptis)
    doc        Word 97-2003 .doc (catdoc, in a subprocess)
    delimited  CSV
    text       plain text
    registry   `READERS`: name -> factory(settings, ocr), in the order they are tried
    deadline   `[limits] document_seconds` and `document_mb`: how each reader is held to them
    children   a program run on a document in a child process (`run_child`: catdoc, xlrd)
    readerpool reader processes (`read_in_worker`), where readers without OCR read;
               `readerworker` is the script they run

and what several of them share:

    packages      zipped Office documents: their kind, opened within `[limits]`
    opendocument  OpenDocument XML: paragraphs' and cells' text
    sheets        cells as lines, sheets as pages, claim rows, `Budget`

Readers import only `base`, the shared modules above and what their format
needs, never the registry nor `extractors.documents`, which reads a message's
attachments with them.

Adding a reader (odp, ...): write `extractors/readers/<format>.py`
with a class that has a `name`, `is_available()` (its package or program
installed), `can_read(content_type, filename, head)` (by `sniff_format(head)`
first, then `declared_as(...)`) and `read(filename, data) -> DocumentText`
raising `ExtractionError`; import heavy packages inside `read` or behind
`is_available`. Then add it to `registry.READERS` before any reader that would
also claim it; the contract test in tests/test_documents.py checks it at once.
It reads in a reader process within the limits, unless it needs the OCR pool or runs
its own child (then it keeps the limits itself and is listed in
`registry.BOUNDED_IN_PROCESS`): the reader object and what it returns must pickle.
"""
