"""Write the sample batch: every case's input file, its `.expected.json` truth, and README.md.

    .venv/bin/python samples/generate.py

The output is byte-for-byte the same on every run (fixed dates, Message-IDs,
MIME boundaries, PDF creation dates and file IDs, seeded scan noise), so a
change in `git diff` is always a change in a case. The cases themselves are
data, in `_gen/cases_*.py`; this script checks their truth files against the
field rules, removes outputs of cases that no longer exist, and writes the rest.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # samples/ ships in the wheel: no __pycache__ beside the cases
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _gen import cases_en_claims, cases_en_requests, cases_fr_claims, cases_fr_requests  # noqa: E402
from _gen.case import Case  # noqa: E402

from rpa.models import FIELD_NAMES, Intent  # noqa: E402

CASES: list[Case] = [
    *cases_fr_claims.CASES,
    *cases_fr_requests.CASES,
    *cases_en_claims.CASES,
    *cases_en_requests.CASES,
]

OUTPUT_SUFFIXES = (".eml", ".pdf", ".png", ".jpg", ".tif", ".expected.json")

# The normal forms of docs/CONTRACTS.md and the evaluation: a truth file that breaks them is a bug here.
_NORMAL_FORMS = {
    "incident_date": r"\d{4}-\d{2}-\d{2}",
    "invoice_date": r"\d{4}-\d{2}-\d{2}",
    "total_amount": r"\d+\.\d{2}",
    "currency": r"EUR|GBP|USD",
    "iban": r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}",
    "bic": r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?",
    "email": r"[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}",
    "phone": r"\+\d{8,15}",
    "vehicle_plate": r"[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}",
    "siret": r"\d{14}",
    "vat_number": r"FR\d{11}",
    "postcode": r"\d{5}|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}",
    "customer_name": r"[^\W\d_][\w'\- .]+",
    "company": r"[^\s,](?:[^\n]*[^\s,])?",  # as printed, on one line
    "address": r"(?!.* - )[^\s,][^,\n]*(?:, [^\s,][^,\n]*)*",  # printed parts joined by ", "
}


def check(case: Case) -> list[str]:
    problems = []
    if case.intent not in {intent.value for intent in Intent}:
        problems.append(f"unknown intent {case.intent!r}")
    if case.language not in ("fr", "en"):
        problems.append(f"unknown language {case.language!r}")
    for name, value in case.fields.items():
        if name not in FIELD_NAMES:
            problems.append(f"unknown field {name!r}")
        elif value != value.strip() or not re.fullmatch(_NORMAL_FORMS.get(name, r"[A-Z0-9][A-Z0-9 /\-]*"), value):
            problems.append(f"{name}={value!r} is not in normal form")
    if ("total_amount" in case.fields) != ("currency" in case.fields):
        problems.append("total_amount and currency go together")
    iban = case.fields.get("iban")
    if iban and _mod97(iban) != 1:
        problems.append(f"iban {iban} fails mod 97")
    return problems


def _mod97(iban: str) -> int:
    return int("".join(str(int(char, 36)) for char in iban[4:] + iban[:4])) % 97


def truth(case: Case) -> str:
    fields = {name: case.fields[name] for name in FIELD_NAMES if name in case.fields}
    record = {"intent": case.intent, "language": case.language, "fields": fields, "draft": case.draft}
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def readme() -> str:
    intents = Counter(case.intent for case in CASES)
    languages = Counter(case.language for case in CASES)
    rows = [
        f"| `{case.filename}` | {case.language} | {case.intent} | {'yes' if case.draft else 'no'} | "
        f"{case.exercises.replace('<br>', '`<br>`')} |"
        for case in CASES
    ]
    counts = ", ".join(f"{intent.value} {intents[intent.value]}" for intent in Intent)
    return _README.format(
        total=len(CASES),
        fr=languages["fr"],
        en=languages["en"],
        counts=counts,
        table="\n".join(rows),
    )


def main() -> int:
    problems = [f"{case.name}: {problem}" for case in CASES for problem in check(case)]
    names = Counter(case.name for case in CASES)
    problems += [f"{name}: defined {count} times" for name, count in names.items() if count > 1]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    wanted = {case.filename for case in CASES} | {case.name + ".expected.json" for case in CASES}
    for path in sorted(HERE.iterdir()):
        if path.is_file() and path.name.endswith(OUTPUT_SUFFIXES) and path.name not in wanted:
            path.unlink()
    for case in CASES:
        (HERE / case.filename).write_bytes(case.render())
        (HERE / (case.name + ".expected.json")).write_text(truth(case), encoding="utf-8")
    (HERE / "README.md").write_text(readme(), encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {HERE}")
    return 0


_README = """\
# Sample batch

{total} realistic inputs for rpa ({fr} in French, {en} in English), each beside the truth a careful
human reader would write down: `<case>.eml` (or a standalone `.pdf`, `.jpg`, `.png`, `.tif`) and
`<case>.expected.json`: the golden samples of STYLE.md. `rpa process samples/` runs them all;
`rpa eval samples/` scores the pipeline against the truth.

All people, companies, addresses, policy and claim numbers are made up. Mail domains end in
`.example`. IBANs, SIRET and VAT numbers carry correct check digits (computed in
`_gen/identifiers.py`) except where a case says otherwise; phone numbers are valid for
libphonenumber (UK numbers are from Ofcom's drama ranges; its fictional mobile range 07700 900xxx
is not used because libphonenumber rejects it as invalid).

## Regenerating

    .venv/bin/python samples/generate.py

The files are generated and committed; edit the case definitions in `_gen/cases_*.py`, not the
outputs. Every run writes the same bytes (fixed mail dates, Message-IDs and MIME boundaries; fixed
PDF creation dates, content-derived PDF file IDs, RC4 rather than AES encryption; seeded scan noise),
so `sha256sum samples/*` does not change unless a case does. The script refuses truth files whose
fields are not in normal form.

## The truth files

```json
{{"intent": "claim_new", "language": "fr", "fields": {{"policy_number": "AUT-4587-2291"}}, "draft": true}}
```

- `fields` holds every canonical field (`rpa.models.FIELD_NAMES`) whose value appears anywhere in
  the message, mail text and readable attachments alike, in its normal form: references upper-case
  as printed; ISO dates; `"1842.50"` with `currency`; compact IBANs (valid ones only); E.164 phones;
  plates `AB-123-CD`; 14-digit SIRET; compact VAT numbers; French or UK postcodes of postal
  addresses; `customer_name` as "Firstname Lastname" without titles.
- When a field has several values, the one that counts comes first in: the new text of the mail >
  the subject > the signature > the attachments > quoted earlier messages. Cases never put two
  different values of one field at the same level, except on purpose where the meaning decides
  (an invoice's TTC total beside its HT subtotal and line items; the incident date beside a
  declaration date).
- `incident_date` is the date of the loss; `invoice_date` the date printed on an invoice, receipt or
  repair quote (a quote's number is its `invoice_number`). Mail dates, appointments, contract
  starts, birth dates, moves and debit dates are not fields.
- `email` is an address written in the text that is neither the sender's nor a recipient's. In a
  forwarded mail (inline or as an attachment) the customer is the inner sender: their address is the
  sender's, and the header lines of a forward or a quote are not text.
- `customer_name` comes from the sender's display name or signature, or the forwarded mail's sender;
  for a standalone document, from the person it names as the insured or the client (none when only an
  initial is printed). Company senders (noreply, newsletters) have none.
- `company` is the issuer of an attached document, as its letterhead or header prints it (a
  business, an insurer, a police service: "GARAGE DU CENTRE - VITRAGE AUTO", "GREATER MANCHESTER
  POLICE", the organisation rather than its department); `address` is that issuer's postal
  address, its printed lines (or the parts of a line a dash separates) joined by ", ", without
  its phone, web or registration lines: "21 route de Vienne, 69200 Vénissieux". Only the first
  page of an attachment counts, and of several attachments the first with an issuer. A blank
  form filled in by the customer or a constat amiable has no issuer; the customer's or the
  recipient's address printed on a document ("Demeurant : ...", a letter's window) is not
  `address`, which is absent when the issuer prints none; a mail's signature is no letterhead.
- `draft` is false for auto-replies, mailing lists and no-reply senders, and for standalone
  documents, which have no one to answer. A standalone document is `documents_submission`.
- Unreadable attachments (truncated, encrypted) repeat only facts that the mail also states, so the
  truth does not depend on whether a reader can open them.

## Cases

By intent: {counts}.

| File | Lang | Intent | Draft | What it exercises |
|---|---|---|---|---|
{table}
"""


if __name__ == "__main__":
    raise SystemExit(main())
