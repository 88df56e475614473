"""Amounts: the total a customer claims or a document asks for, and its currency.

Every number printed with a currency, or after a total label, is a money
candidate. The label nearest before it on its line (or on the line above, for a
value alone on its line, as PDF tables print them) says what it is: a total
("Total TTC", "net à payer", "amount due"), an amount claimed in a mail ("je
vous réclame", "the repair cost", "£330.00 in total"), or a figure that is not the
total (HT, TVA, subtotal, unit price, deductible).

A mail that claims nothing and states no total may still be about one sum ("la
franchise de 450,00 €", "the £2,000 deposit"): that sum is its total, with less
confidence (`AT_STAKE`), unless it is a part of a bill (HT, TVA, subtotal).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.fields.amount_words import AMOUNT_CUES as _CUES
from extractors.fields.base import is_attachment, make_field, reads_text
from extractors.fields.money import ISO_CODES, Money, currency_code, find_money, local_currency, parse_amount
from extractors.fields.receipts import UNSURE, check_with_change, join_split_cents
from extractors.fields.text import Cue, LineIndex, Spans, fold, sentence_end, sentence_start
from extractors.fields.written_dates import find_dates
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["AT_STAKE", "AmountFinder", "Money", "currency_code", "find_money", "parse_amount"]

_AFTER_NET = re.compile(r"[ \t]*(?:ht|h\.t\.?|hors[ \-]tax\w*|excl\w*|net of tax)(?![a-z])")
_AFTER_GROSS = re.compile(  # "1 800 € TTC", "$95 incl. tax", "EUR 742,18 TVA comprise"
    r"[ \t]*(?:ttc|t\.t\.c\.?|incl\w*[ \t]+(?:vat|tax\w*)"
    r"|(?:tva|vat|tax\w*|gst)[ \t]+(?:comprise?s?|incluse?s?|included|incl\w*))(?![a-z])"
)
# What may stand between an amount and the words that follow it: "150 € de franchise",
# "£100 excess", "£1,450 for the repairs".
_RIGHT_AFTER = re.compile(
    r"[\s(]*(?:(?:de|d'|du|des|of|en|as|in|for|pour|au)\s*)?(?:(?:the|la|le|les|l')\s*)?"
)

# A sum right before a cue is what the cue speaks of ("CAD 1,860.00 in total (flight
# $1,420.00 ...)"), not the sum after it.
_SUM_RIGHT_BEFORE = re.compile(r"\d[ \t]*(?:€|\$|£|[a-z]{3})?[ \t]+(?:in|au|en)[ \t]+\Z")
_AFTER_WORD = re.compile(r"[a-z)][\s:=.\-]*\Z")  # "Net à payer : 75", not "12 75"
_SENTENCE_REACH = 160  # how far back a label may sit in a sentence
_AFTER_REACH = 25
_CONFIDENCE = {
    "final_total": 0.97,
    "grand_total": 0.95,
    "total": 0.85,
    "balance": 0.82,  # above what was paid or claimed first: what is still owed
    "claim": 0.8,
    "gross": 0.8,
    "claim_after": 0.7,
}
DOCUMENT_LARGEST = 0.45  # the largest sum on a document with no total label at all
AT_STAKE = 0.6  # the one sum a mail names, though no word calls it a total ("la franchise de 450 €")
_ORDINALS_BELOW = 10  # "3e étage", "20e arrondissement": a bare "e" after a small number is a rank
LARGEST_BONUS = 0.02  # of several totals, the grand total is the largest
PRINTED_ELSEWHERE = 0.8  # currency printed elsewhere on the page, not beside the total
DEFAULT_CURRENCY = 0.3
# OCR of till receipts breaks an amount around its decimal point: "71. 90", "105 , 00", "20 .40".
# Receipt lines of the money handed over and given back ("CASH RM 100.00", "CHANGE DUE 0.70").
# "Rounding Adj -0.01": a total printed below it is the amount after rounding.
_ROUNDING = re.compile(r"(?<![a-z])(?:rounding|round(?:ing)?[ \t]*adj\w*|arrondi\w*)(?![a-z])")
_ROUNDING_REACH = 3  # lines between the rounding line and the total below it
_SUBTOTAL = re.compile(r"(?<![a-z])(?:sub[ \-]?total|sous[ \-]total)(?![a-z])")
# A document that says in which currency it bills: "Payment currency: USD", "Devise : EUR".
_DECLARED_CURRENCY = re.compile(
    rf"(?i:currency|devise|w[aä]hrung|valuta)[ \t]*:?[ \t]*(?P<code>(?:{'|'.join(ISO_CODES)}))(?![A-Za-z])"
)


@dataclass(frozen=True)
class _Label:
    kind: str | None  # a `_CONFIDENCE` key, "not_total", or None when no words say
    adjacent: bool  # no other number between the label and the amount ("Total : 75")


def _label(folded: str, lines: LineIndex, money: Money, per_line: Counter[int], document: bool) -> _Label:
    """What the words around an amount make of it.

    A document is read line by line (a label and its value share a line, or the
    value sits alone under it); a mail is read by sentence, its lines wrap anywhere.
    """
    line_start, line_end = lines.span(money.start)
    window_start = sentence_start(folded, money.start, _SENTENCE_REACH)
    if document:
        window_start = max(line_start, window_start)
    above = folded.rfind("\n", 0, max(0, line_start - 1)) + 1
    if (
        document
        and per_line[line_start] == 1
        and not folded[line_start : money.start].strip(" \t:€$£")
        and (line_start == 0 or per_line[above] == 0)  # the line above labels its own amount
    ):
        window_start = above  # the label on the line above
    cues = [
        cue
        for cue in _CUES.finditer(folded, window_start, money.start)
        if not _SUM_RIGHT_BEFORE.search(folded, max(0, cue.start - 30), cue.start)
    ]
    kind = _kind_of(cues)
    adjacent = bool(cues) and not any(char.isdigit() for char in folded[cues[-1].end : money.start])
    after = folded[money.end : line_end]
    following = _cue_right_after(folded, money.end, line_end)
    if (_AFTER_NET.match(after) or following in ("not_total", "tax")) and not _AFTER_GROSS.match(after):
        return _Label("not_total", adjacent)
    if following == "aside":
        return _Label("aside", adjacent)
    if not document and _CLAIMED_NEXT.match(folded, sentence_end(folded, money.end, _SENTENCE_REACH)):
        return _Label(
            "grand_total", adjacent
        )  # "... 1 934,40 € de frais. C'est ce montant que nous vous demandons"
    if not document and following == "claim" and cues and _far_or_cut(folded, cues[-1].end, money.start):
        # "ne rembourse que les taxes ; il reste 2 380 € de frais": the words right after a
        # sum in a mail speak of it more surely than a cue far back in the sentence.
        return _Label("claim_after", adjacent)
    if _AFTER_GROSS.match(after) and kind in (None, "claim"):
        return _Label("gross", adjacent)
    if not document and following == "balance":
        return _Label("balance", adjacent)  # "les 600 € restants", "$750 still owed"
    if kind is None and (following == "claim" or (not document and following in ("total", "grand_total"))):
        return _Label("claim_after", adjacent)
    return _Label(kind, adjacent)


# A company's share capital in its legal mentions is no sum of the mail: "SAS au capital de 50 000 €".
_CAPITAL_BEFORE = re.compile(
    r"(?<![a-z])(?:au capital(?: social)? de|capital social|share capital(?: of)?)[ \t:]*\Z"
)
_CAPITAL_REACH = 30
# The next sentence says the sum before it is the one asked for: "C'est ce montant que nous vous
# demandons de rembourser", "This is the amount I am claiming".
_CLAIMED_NEXT = re.compile(
    r"[.!]?\s+(?:c'est|it is|it's|that is|that's|this is)?\s*"
    r"(?:ce montant|cette somme|the amount|this amount|that amount|this sum|that sum)"
    r"[^.!?\n]{0,60}?(?<![a-z])(?:rembours|reclam|claim|reimburs|refund|demand)"
)


def _far_or_cut(folded: str, cue_end: int, start: int) -> bool:
    """Whether a cue is far from an amount, or another clause stands between them."""
    return start - cue_end > _AFTER_REACH or ";" in folded[cue_end:start]


def _kind_of(cues: list[Cue]) -> str | None:
    """The kind of the nearest cue, reading "TVA incluse" and "incl. VAT" as a grand total."""
    kinds = [cue.kind for cue in cues[-2:]]
    if sorted(kinds) == ["inclusive", "tax"]:
        # "Total incl. VAT: 50" is the total; a bare "Incl. 6% GST 0.70" is the tax in it.
        earlier = [cue.kind for cue in cues[:-2]]
        return "grand_total" if any(kind in _CONFIDENCE for kind in earlier) else "not_total"
    if [cue.kind for cue in cues[-3:]] == ["tax", "inclusive", "total"]:
        return "not_total"  # "GST included in total: 3.01" is the tax
    kinds = [cue.kind for cue in cues if cue.kind != "inclusive"]
    if not kinds:
        return None
    return "not_total" if kinds[-1] == "tax" else kinds[-1]


def _cue_right_after(folded: str, end: int, line_end: int) -> str | None:
    """The kind of the words right after an amount, if they are about it."""
    following = next(_CUES.finditer(folded, end, min(line_end, end + _AFTER_REACH)), None)
    if following is None or _RIGHT_AFTER.fullmatch(folded, end, following.start) is None:
        return None
    return following.kind


class AmountFinder:
    """`total_amount` ("1842.50") and `currency` (ISO code)."""

    names = ("total_amount", "currency")

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        original, document = source.text, is_attachment(source.source)
        dates = Spans((found.start, found.end) for found in find_dates(fold(original), settings.day_first))
        text, moved = join_split_cents(original) if document else (original, {})
        folded = fold(text)
        found = [
            money
            for money in find_money(
                text, informal=not document, country=source.country, shared_symbols=not document
            )
            if not dates.overlaps(money.start, money.end)
            and not _CAPITAL_BEFORE.search(folded, max(0, money.start - _CAPITAL_REACH), money.start)
        ]
        totals = _favour_largest(_totals(folded, found, document))
        if not totals and not document:
            totals = _at_stake(folded, found)
        if document:
            totals = check_with_change(folded, found, totals)
        printed = {money.currency for money in found if money.currency}
        declared = _DECLARED_CURRENCY.search(text)
        if declared:
            printed = {declared.group("code")}  # "Payment currency: USD" settles it
        fields: list[Field] = []
        for money, confidence in totals:
            raw = original[money.start : moved.get(money.end, money.end)]
            fields.append(make_field("total_amount", f"{money.amount}", raw, confidence, source))
            abroad = source.country and source.country != settings.default_region
            default = (local_currency(source.country) if abroad else None) or settings.default_currency
            code, currency_confidence = _currency_of(money, confidence, printed, default)
            fields.append(make_field("currency", code, raw, currency_confidence, source))
        return fields


def _totals(folded: str, found: list[Money], document: bool) -> list[tuple[Money, float]]:
    """The amounts that may be the total, with their confidence."""
    lines = LineIndex(folded)
    per_line = Counter(lines.span(money.start)[0] for money in found)
    totals = []
    for money in found:
        # A bare integer is money only right after a grand-total label ("Net à payer : 75").
        bare = not (money.currency or money.has_cents)
        after_word = _AFTER_WORD.search(folded, max(0, money.start - 9), money.start)
        if not money.amount or (bare and not after_word):
            continue
        label = _label(folded, lines, money, per_line, document)
        if label.kind not in _CONFIDENCE or (bare and (label.kind != "grand_total" or not label.adjacent)):
            continue
        if money.informal and not (money.has_cents or money.amount >= _ORDINALS_BELOW):
            continue
        kind = label.kind
        if document and kind in ("total", "grand_total") and _below_rounding(folded, lines, money.start):
            kind = "final_total"
        totals.append((money, _CONFIDENCE[kind]))
    if not totals and document:
        priced = [
            money
            for money in found
            if money.currency
            and money.amount
            and _label(folded, lines, money, Counter(), document).kind is None
        ]
        totals = [(max(priced, key=lambda money: money.amount), DOCUMENT_LARGEST)] if priced else []
    if not totals and document:
        subtotals = [
            money
            for money in found
            if money.amount and _SUBTOTAL.search(folded, lines.span(money.start)[0], money.start)
        ]
        totals = [(subtotals[-1], UNSURE)] if subtotals else []
    return totals


_PROSE_WORDS = 3  # words before a sum on its line that make it a sentence's
_BEFORE_TAX_AFTER = re.compile(
    r"[ \t]*(?:ht|h\.t\.?|hors taxes?|excl?(?:\.|uding)?[ \t]+(?:vat|gst|tax)|ex\.?[ \t]+(?:vat|gst)"
    r"|(?:\+|plus)[ \t]*(?:vat|gst|tax))(?![a-z])"
)


def _at_stake(folded: str, found: list[Money]) -> list[tuple[Money, float]]:
    """In a mail that claims no amount and states no total, the one sum it is about, whatever
    the words call it: "la franchise de 450,00 €", "the £250.00 excess"; beside an excess or a
    deposit, the other sum ("bought for £749.00; there is a £75 excess"). Two different sums
    and no word to choose between them: none."""
    lines = LineIndex(folded)
    priced = []
    parts = []  # "Le devis est de 1 480 € HT": a sum before tax, at stake when it is the only one
    for money in found:
        if not (money.currency and money.amount):
            continue
        kind = _label(folded, lines, money, Counter(), False).kind
        if (
            kind == "not_total"
            and _BEFORE_TAX_AFTER.match(folded, money.end)
            and _in_prose(folded, lines, money)
        ):
            parts.append(money)
        if kind in ("not_total", "tax"):
            continue  # "Total HT : 1 500 €", "TVA 300 €": a part of a sum, not what is at stake
        if money.informal and (kind is None or money.amount < _ORDINALS_BELOW) and not money.has_cents:
            continue
        priced.append((money, kind))
    # "bought for £749.00 ... a £75 excess": the sum beside an excess or a deposit is the one at stake
    sums = {money.amount for money in found if money.currency and money.amount}
    main = (
        [money for money, kind in priced if kind != "aside"]
        or [money for money, _ in priced]
        or (parts if len(sums) == 1 else [])
    )
    if len({money.amount for money in main}) != 1:
        return []
    return [(main[0], AT_STAKE)]


def _in_prose(folded: str, lines: LineIndex, money: Money) -> bool:
    """Whether a sum is told in a sentence ("le devis est de 1 480 € HT"), not set on a bill's line."""
    line_start, _ = lines.span(money.start)
    return len(re.findall(r"[a-z]{2,}", folded[line_start : money.start])) >= _PROSE_WORDS


def _below_rounding(folded: str, lines: LineIndex, position: int) -> bool:
    """Whether a rounding line ends at most `_ROUNDING_REACH` lines above `position`'s line."""
    line_start, _ = lines.span(position)
    reach = line_start
    for _ in range(_ROUNDING_REACH):
        reach = folded.rfind("\n", 0, max(0, reach - 1)) + 1
    return _ROUNDING.search(folded, reach, line_start) is not None


def _favour_largest(totals: list[tuple[Money, float]]) -> list[tuple[Money, float]]:
    """Of several totals with the same label strength, lift the largest a little."""
    favoured = list(totals)
    for level in {confidence for _, confidence in totals if confidence >= _CONFIDENCE["total"]}:
        same = [i for i, (_, confidence) in enumerate(totals) if confidence == level]
        if len(same) > 1:
            top = max(same, key=lambda i: totals[i][0].amount)
            favoured[top] = (totals[top][0], level + LARGEST_BONUS)
    return favoured


def _currency_of(money: Money, confidence: float, printed: set[str], default: str) -> tuple[str, float]:
    if money.currency:
        return money.currency, confidence
    if len(printed) == 1:
        return next(iter(printed)), confidence * PRINTED_ELSEWHERE
    return default, DEFAULT_CURRENCY
