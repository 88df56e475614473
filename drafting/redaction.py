"""Personal data out of a prompt, and back into the reply.

Before a prompt leaves the machine (the `openai` backend, on by default), IBANs,
phone numbers, e-mail addresses and the names we know (the customer's, the
sender's) become placeholders such as ``[NAME_1]``; the same value gets the
same placeholder everywhere in the prompt, so the model can still use it, and
`restore` puts the values back into its reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Redactor"]

_KINDS: dict[str, re.Pattern[str]] = {
    "EMAIL": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "IBAN": re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
    "PHONE": re.compile(r"(?:\+\d{2,3}[\s.]?(?:\(0\)[\s.]?)?\d|\b0\d)(?:[\s.-]?\d{2}){4}\b"),
}
_PLACEHOLDER = re.compile(r"\[(NAME|IBAN|PHONE|EMAIL)_(\d+)\]", re.IGNORECASE)


@dataclass
class Redactor:
    """One per prompt: remembers which placeholder stands for which value."""

    names: Iterable[str] = ()
    originals: dict[str, str] = field(default_factory=dict)  # placeholder -> value
    _placeholders: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, value) -> placeholder

    def __post_init__(self) -> None:
        full = {name.strip() for name in self.names if name and len(name.strip()) >= 3}
        parts = {part for name in full for part in name.split() if len(part) >= 3 and part[0].isupper()}
        # Longest first: "Jean Dupont" before "Dupont".
        self._names = sorted(full | parts, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for kind, pattern in _KINDS.items():
            text = pattern.sub(lambda match, kind=kind: self._placeholder(kind, match.group(0)), text)
        for name in self._names:
            text = re.sub(
                rf"(?<![\w\[]){re.escape(name)}(?!\w)",
                lambda match: self._placeholder("NAME", match.group(0)),
                text,
            )
        return text

    def restore(self, text: str) -> str:
        def original(match: re.Match[str]) -> str:
            key = f"[{match.group(1).upper()}_{match.group(2)}]"
            return self.originals.get(key, match.group(0))

        return _PLACEHOLDER.sub(original, text)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._placeholders:
            number = sum(1 for k, _ in self._placeholders if k == kind) + 1
            placeholder = f"[{kind}_{number}]"
            self._placeholders[key] = placeholder
            self.originals[placeholder] = value
        return self._placeholders[key]
