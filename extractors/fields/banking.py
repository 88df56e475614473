"""Bank details: IBAN (kept only when its mod-97 check holds) and BIC.

A BIC is eight or eleven capitals, like many ordinary words in capitals
("CORDIALE", "BONJOURS"), so it is read only after a BIC/SWIFT label or right
after an IBAN, where bank details are printed together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from extractors.fields.base import make_field, reads_text
from extractors.fields.text import LABEL_GAP, fold, longest_valid_prefix, phrases
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["BankDetailsFinder", "normalise_bic", "normalise_iban"]

_MIN_IBAN = 15  # Norway's, the shortest
# Greedy on purpose: where the IBAN ends is decided by its checksum (see longest_valid_prefix).
# Its groups may be set apart by one or two spaces, or wrapped onto the next line.
_IBAN_RUN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:(?:[ \u00a0]{1,2}|[ \t]*\n[ \t]*)?[A-Za-z0-9]){11,32}"
)
_IBAN_LABEL = re.compile(r"iban\s*(?:\(.*?\))?\s*[:#]?\s*$")
_BIC_VALUE = r"[A-Za-z]{6}[A-Za-z0-9]{2}(?:[A-Za-z0-9]{3})?(?![A-Za-z0-9])"
_BIC_LABELLED = re.compile(
    phrases(
        [
            "bic",
            "swift",
            "code bic",
            "code swift",
            "bic/swift",
            "swift/bic",
            "bic swift",
            "swift code",
            "bic code",
            "bic-swift",
        ]
    )
    + rf"(?:\s*\([a-z ]+\))?{LABEL_GAP}(?P<value>{_BIC_VALUE})",
)
# Unlabelled, a BIC must be printed in capitals, as banks print it.
_BIC_AFTER_IBAN = re.compile(
    r"[\s,;/|\-]{1,30}(?:[A-Za-z ]{0,12}:\s*)?(?P<value>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Za-z0-9])"
)

IBAN_LABELLED = 0.95
IBAN_WRITTEN = 0.85  # the mod-97 check already makes a chance match very unlikely
BIC_LABELLED = 0.95
BIC_AFTER_IBAN = 0.8


def normalise_iban(text: str) -> str | None:
    """The IBAN in compact upper-case form if its checksum and length hold, else None."""
    compact = "".join(char for char in text if char.isalnum()).upper()
    return compact if stdnum_iban.is_valid(compact) else None


def normalise_bic(text: str) -> str | None:
    """The BIC in upper case if it is well formed with a real country code, else None."""
    compact = text.strip().upper()
    return compact if stdnum_bic.is_valid(compact) else None


class BankDetailsFinder:
    """`iban` and `bic`."""

    names = ("iban", "bic")

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text, folded = source.text, fold(source.text)
        fields: list[Field] = []
        position = 0
        while match := _IBAN_RUN.search(text, position):
            found = longest_valid_prefix(match.group(0), stdnum_iban.is_valid, _MIN_IBAN)
            if found is None:
                position = match.start() + 1
                continue
            iban, length = found
            end = match.start() + length
            line_start = text.rfind("\n", 0, match.start()) + 1
            labelled = _IBAN_LABEL.search(folded, line_start, match.start()) is not None
            raw = text[match.start() : end]
            fields.append(make_field("iban", iban, raw, IBAN_LABELLED if labelled else IBAN_WRITTEN, source))
            fields += self._bic_after(text, end, source)
            position = end
        for bic_match in _BIC_LABELLED.finditer(folded):
            raw = text[bic_match.start("value") : bic_match.end("value")]
            if (bic := normalise_bic(raw)) is not None:
                fields.append(make_field("bic", bic, raw, BIC_LABELLED, source))
        return fields

    @staticmethod
    def _bic_after(text: str, iban_end: int, source: TextSource) -> list[Field]:
        match = _BIC_AFTER_IBAN.match(text, iban_end)
        if match is None or (bic := normalise_bic(match.group("value"))) is None:
            return []
        return [make_field("bic", bic, match.group("value"), BIC_AFTER_IBAN, source)]
