"""A sample case: an input (a mail, or a standalone document) and the truth about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from _gen.documents import Pdf
from _gen.mails import Mail
from _gen.scans import Scan

__all__ = ["Case", "FR_CLAIMS", "FR_SERVICE", "EN_CLAIMS", "EN_SERVICE", "spaced_siret"]

# The mailboxes the batch was read from: a French insurer and a British one.
FR_CLAIMS = "MAV Assurances - Sinistres <sinistres@mav-assurances.example>"
FR_SERVICE = "MAV Assurances - Service clients <service.clients@mav-assurances.example>"
EN_CLAIMS = "Harbourline Claims <claims@harbourline.example>"
EN_SERVICE = "Harbourline Customer Service <customer.service@harbourline.example>"

_EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif", "pdf": ".pdf"}


@dataclass(frozen=True)
class Case:
    name: str
    language: str  # "fr" or "en"
    intent: str  # an rpa.models.Intent value
    exercises: str  # what the case tests, for the README
    source: Mail | Pdf | Scan
    fields: dict[str, str] = field(default_factory=dict)
    draft: bool = True

    @property
    def filename(self) -> str:
        if isinstance(self.source, Mail):
            return self.name + ".eml"
        if isinstance(self.source, Pdf):
            return self.name + ".pdf"
        return self.name + _EXTENSIONS[self.source.fmt]

    @property
    def kind(self) -> str:
        return "mail" if isinstance(self.source, Mail) else "document"

    def render(self) -> bytes:
        return self.source.render()


def spaced_siret(number: str) -> str:
    """SIRETs are printed "412 354 870 00013"."""
    return f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}"
