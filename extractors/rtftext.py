"""RTF to plain text.

Outlook keeps many bodies only as RTF: old mail as RTF proper, newer mail as HTML or
text wrapped in RTF (``\\fromhtml1``, ``\\fromtext``). striprtf reads both kinds: it
follows the code page the document declares (``\\ansicpg1252``) and leaves out what
the wrapping marks as RTF-only (``\\htmlrtf``).
"""

from __future__ import annotations

__all__ = ["rtf_to_text"]


def rtf_to_text(rtf: bytes) -> str:
    """The text of an RTF document; characters its code page cannot decode are replaced."""
    from striprtf.striprtf import rtf_to_text as strip_rtf

    # RTF is 7-bit with \'xx escapes; latin-1 maps any stray 8-bit byte to one character.
    return strip_rtf(rtf.decode("latin-1"), errors="replace")
