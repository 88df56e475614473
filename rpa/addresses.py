"""What a mail address says of whom it belongs to: a robot's, a firm's (used by `rpa.models.Address`)."""

from __future__ import annotations

import re

__all__ = ["FIRM_WORDS", "NO_REPLY_LOCAL", "ROLE_LOCAL"]

NO_REPLY_LOCAL = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?repondre)", re.I)
ROLE_LOCAL = re.compile(
    r"^(?:devis|quotes?|estimates?|contact|info|infos|service|services|sales|ventes?|support|accounts?|"
    r"billing|compta|comptabilite|facturation|invoices?|atelier|workshop|garage|reception|accueil|"
    r"office|bureau|admin|hello|bonjour|team|equipe|orders?|commandes?|bookings?|reservations?)"
    r"(?:[-_.]|$)",
    re.I,
)
FIRM_WORDS = re.compile(
    r"\b(?:motors?|garage|carrosserie|bodyshop|body shop|auto|autos|automobiles?|ltd|limited|llc|inc|plc|"
    r"gmbh|sarl|sas|eurl|cie|company|services|agence|agency|cabinet|clinique|clinic|hotel|hôtel|"
    r"airlines?|airways|transports?|plomberie|plumbing|électricité|vitrage|glass|repairs?|"
    r"réparations?|workshop|atelier|"
    # the firms a claim brings in, whose letters customers pass on: "Mitchell Loss Adjusting"
    r"adjust(?:ing|ers?)|assessors?|surveyors?|solicitors?|experts?|expertises?|associates|partners|"
    # public offices whose letters a customer forwards: "Records Unit", "Commissariat de Lyon"
    r"police|records|unit|department|commissariat|gendarmerie|council|registry|tribunal|court)\b",
    re.I,
)
