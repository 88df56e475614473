"""Identifiers with real check digits: IBAN (mod 97, with the French RIB key), SIRET (Luhn), French VAT.

The samples must carry numbers a checksum-aware extractor accepts, except where
a case deliberately holds a wrong one.
"""

from __future__ import annotations

__all__ = ["fr_iban", "gb_iban", "spaced", "siret", "fr_vat", "wrong_iban_check"]


def _iban_digits(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def _iban(country: str, bban: str) -> str:
    check = 98 - _iban_digits(bban + country + "00") % 97
    return f"{country}{check:02d}{bban}"


def fr_iban(bank: str, branch: str, account: str) -> str:
    """A French IBAN: bank (5 digits), branch (5), account (11); the RIB key is computed."""
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return _iban("FR", f"{bank}{branch}{account}{key:02d}")


def gb_iban(bank: str, sort_code: str, account: str) -> str:
    return _iban("GB", f"{bank}{sort_code}{account}")


def wrong_iban_check(iban: str) -> str:
    """The same IBAN with check digits that fail mod 97: a typo a human can make."""
    check = (int(iban[2:4]) + 11) % 100
    return f"{iban[:2]}{check:02d}{iban[4:]}"


def spaced(iban: str) -> str:
    """IBANs are printed in groups of four."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def siret(siren_base: str, nic_base: str) -> str:
    """A SIRET from 8 SIREN digits and 4 establishment digits, both Luhn-completed."""
    siren = siren_base + _luhn_digit(siren_base)
    body = siren + nic_base
    return body + _luhn_digit(body)


def fr_vat(siret_or_siren: str) -> str:
    siren = siret_or_siren[:9]
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
