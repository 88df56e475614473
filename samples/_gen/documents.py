"""Text PDFs (invoices, quotes, claim forms, receipts, certificates) built with fpdf2.

A document is a list of blocks: a string is a line ("# " makes a title, "## " a
bold line, ">" a right-aligned line, "" a gap) and a `Table` is a table whose
first row is its header. Creation date and producer are fixed and the file ID
is a hash of the content, so the same blocks give the same bytes on every run.
Encryption uses RC4, which fpdf2 derives from the file ID alone (AES would
draw a random IV).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF

__all__ = ["FONTS", "Pdf", "Table"]

FONTS = "/usr/share/fonts/truetype/dejavu/"
_FAMILIES = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}


@dataclass(frozen=True)
class Table:
    widths: Sequence[float]  # shares of the text width
    rows: Sequence[Sequence[str]]  # the first row is the header
    align: str = ""  # one letter per column, L or R; default: first L, the rest R


@dataclass(frozen=True)
class Pdf:
    filename: str
    blocks: Sequence[str | Table]
    title: str = ""
    creator: str = "Microsoft Word"
    font: str = "sans"
    size: float = 10.5
    created: str = "2025-03-01T09:00:00"
    user_password: str | None = None  # set: the PDF is encrypted and asks for it
    keep: float | None = None  # set: only this share of the bytes is kept (a cut-off download)

    mime = "application/pdf"

    def render(self) -> bytes:
        data = _layout(self)
        if self.keep is not None:
            data = data[: int(len(data) * self.keep)]
        return data


def _layout(doc: Pdf) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.fromisoformat(doc.created).replace(tzinfo=UTC))
    pdf.set_producer("fpdf2")
    pdf.set_creator(doc.creator)
    if doc.title:
        pdf.set_title(doc.title)
    regular, bold = _FAMILIES[doc.font]
    pdf.add_font("body", fname=FONTS + regular)
    pdf.add_font("body", style="B", fname=FONTS + bold)
    if doc.user_password is not None:
        pdf.set_encryption(owner_password="owner-" + doc.user_password, user_password=doc.user_password)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    for block in doc.blocks:
        if isinstance(block, Table):
            _table(pdf, block, doc.size)
        else:
            _line(pdf, block, doc.size)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, size: float) -> None:
    height = size * 0.55
    if text.startswith("# "):
        pdf.set_font("body", "B", size + 5)
        pdf.multi_cell(0, height * 1.5, text[2:], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    elif text.startswith("## "):
        pdf.set_font("body", "B", size)
        pdf.multi_cell(0, height, text[3:], new_x="LMARGIN", new_y="NEXT")
    elif text.startswith(">"):
        pdf.set_font("body", "", size)
        pdf.multi_cell(0, height, text[1:].strip(), align="R", new_x="LMARGIN", new_y="NEXT")
    elif not text:
        pdf.ln(height)
    else:
        pdf.set_font("body", "", size)
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, table: Table, size: float) -> None:
    pdf.ln(1)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    align = table.align or "L" + "R" * (len(table.widths) - 1)
    for index, row in enumerate(table.rows):
        pdf.set_font("body", "B" if index == 0 else "", size - 0.5)
        for share, cell, how in zip(table.widths, row, align, strict=True):
            pdf.cell(width * share, size * 0.7, cell, border=1, align=how)
        pdf.ln()
    pdf.ln(2)
