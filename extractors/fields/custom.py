"""User-defined fields: declared in `[[parsing.custom_fields]]`, found with no code change.

Each field has label words (matched like the built-in labels: folded, so
"N° de référence client" and "n de reference client" are the same), a value
pattern (a regular expression over the text as written; by default any value of
the field's type), a type that gives the normal form (text, ISO date, dot-decimal
amount, upper-case id) and an optional validator (Luhn, ISO 7064 mod 97-10,
IBAN, or any python-stdnum module by name).

A value after one of its labels is found with the confidence of a labelled
reference; a value matching an explicit pattern with no label before it counts
for less. A value its validator refuses is not a candidate at all.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache

from extractors.fields.amounts import find_money
from extractors.fields.base import make_field, reads_text
from extractors.fields.text import LABEL_GAP, NUMBER_SIGN, Spans, fold, phrases
from extractors.fields.written_dates import find_dates
from rpa.config import CustomField, ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["CustomFieldFinder", "custom_finders", "validator_for"]

LABELLED = 0.9
PATTERN_ONLY = 0.6
# Any value of a type, when the field gives no pattern of its own (on the text as written).
_TYPE_PATTERNS = {
    "id": r"(?=[A-Za-z0-9\-/._]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[\-/._](?=[A-Za-z0-9])){2,39}(?![A-Za-z0-9])",
    "text": r"[^\n]*\S",
}
_GAP = re.compile(LABEL_GAP)
_SENTENCE_END = re.compile(r"\.[ \t]+(?=[A-ZÀ-Ý])")
_LEADING_SIGN = re.compile(rf"(?:{NUMBER_SIGN}{LABEL_GAP})?")
_COMPACT = re.compile(r"[\s\-./]")


def _luhn(value: str) -> bool:
    from stdnum import luhn

    return luhn.is_valid(_COMPACT.sub("", value))


def _mod97(value: str) -> bool:
    from stdnum.iso7064 import mod_97_10

    return mod_97_10.is_valid(_COMPACT.sub("", value))


def _stdnum(module_name: str) -> Callable[[str], bool]:
    module = importlib.import_module(f"stdnum.{module_name}")
    return lambda value: bool(module.is_valid(value))


_VALIDATORS: dict[str, Callable[[str], bool]] = {"luhn": _luhn, "mod97": _mod97}


def validator_for(name: str) -> Callable[[str], bool] | None:
    """The check a value must pass: one of ours by name, else python-stdnum's `stdnum.<name>`."""
    if not name:
        return None
    return _VALIDATORS.get(name) or _stdnum(name)


class CustomFieldFinder:
    """Finds the values of one user-defined field."""

    def __init__(self, spec: CustomField) -> None:
        self.spec = spec
        self.names = (spec.name,)
        self._label = re.compile(phrases([fold(label) for label in spec.labels])) if spec.labels else None
        self._pattern = re.compile(spec.pattern) if spec.pattern else None
        self._valid = validator_for(spec.validator)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text, folded = source.text, fold(source.text)
        found: list[Field] = []
        taken = Spans()
        if self._label is not None:
            for label in self._label.finditer(folded):
                gap = _GAP.match(folded, label.end())
                start = _LEADING_SIGN.match(folded, gap.end()).end()
                field = self._read(text, start, LABELLED, source, settings, taken)
                if field is not None:
                    found.append(field)
        if self._pattern is not None:
            for match in self._pattern.finditer(text):
                if not taken.overlaps(*match.span()):
                    field = self._read(text, match.start(), PATTERN_ONLY, source, settings, taken)
                    found += [field] if field is not None else []
        return found

    def _read(
        self,
        text: str,
        start: int,
        confidence: float,
        source: TextSource,
        settings: ParsingSettings,
        taken: Spans,
    ) -> Field | None:
        raw = self._raw_value(text, start, settings)
        if raw is None:
            return None
        value = normalise_custom(self.spec.type, raw, settings)
        if value is None or (self._valid is not None and not self._valid(value)):
            return None
        taken.add(start, start + len(raw))
        return make_field(self.spec.name, value, raw, confidence, source)

    def _raw_value(self, text: str, start: int, settings: ParsingSettings) -> str | None:
        """The value's text starting at `start`, by the field's pattern or its type."""
        if self._pattern is not None:
            match = self._pattern.match(text, start)
            return match.group(0) if match else None
        window = text[start : start + 60]
        if self.spec.type == "date":
            found = next(find_dates(fold(window), settings.day_first), None)
            return window[: found.end] if found is not None and found.start == 0 else None
        if self.spec.type == "amount":
            money = next(iter(find_money(window)), None)
            return window[: money.end] if money is not None and money.start <= 1 else None
        match = re.compile(_TYPE_PATTERNS[self.spec.type]).match(text, start)
        if match is None:
            return None
        # A text value ends with its line or its sentence ("Flotte automobile. Dossier ...").
        return _SENTENCE_END.split(match.group(0), maxsplit=1)[0]


def normalise_custom(kind: str, raw: str, settings: ParsingSettings) -> str | None:
    """The normal form of a value of a custom field's type, or None when it is not one."""
    text = " ".join(raw.split())
    if kind == "date":
        found = next(find_dates(fold(text), settings.day_first), None)
        return found.value.isoformat() if found is not None else None
    if kind == "amount":
        money = next(iter(find_money(text)), None)
        return str(money.amount) if money is not None else None
    if kind == "id":
        return text.upper() or None
    return text or None


@cache
def _finders(specs: tuple[CustomField, ...]) -> tuple[CustomFieldFinder, ...]:
    return tuple(CustomFieldFinder(spec) for spec in specs)


def custom_finders(settings: ParsingSettings) -> Sequence[CustomFieldFinder]:
    """The finders of the fields declared in `settings` (built once per declaration)."""
    return _finders(settings.custom_fields)
