"""Loss-run tables: share of claim rows read with every labelled field right.

    python bench/tables.py [FOLDER_OR_PDF ...] [--limit N] [--check] [--misses N]

Runs the real document reader (extractors.documents.DocumentReader, as the
pipeline does) on the LongListBench loss runs (`../shared/eval/longlistbench_v1_
insurance_claims/claims/`, each `<id>.pdf` beside its `<id>.json`) and compares
each labelled claim with the row read for it: claim number (the "Incident #"),
policy number, date of loss, and the claim's reserve, paid, recovered and total
incurred (the sums of its BI/PD/LAE/DED lines). Rows are paired by claim number,
in order (the set repeats some claims on purpose). `--check` exits 1 below the
target (90 %).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.documents import DocumentReader  # noqa: E402
from extractors.ocr import OcrEngine  # noqa: E402
from rpa.config import load_settings  # noqa: E402
from rpa.models import Attachment  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "eval" / "longlistbench_v1_insurance_claims" / "claims"
TARGET = 0.90
_MONEY = {
    "reserve_amount": "reserve",
    "paid_amount": "paid",
    "recovered_amount": "recovered",
    "total_incurred": "total_incurred",
}
_CATEGORIES = ("bi", "pd", "lae", "ded")


def expected_row(claim: dict) -> dict[str, str]:
    """A labelled claim in our canonical keys and normal forms."""
    row = {
        "claim_number": claim["incident_number"].lstrip("#"),
        "policy_number": claim["policy_number"],
        "incident_date": datetime.strptime(claim["date_of_loss"], "%m/%d/%Y").date().isoformat(),
    }
    for key, name in _MONEY.items():
        total = sum(Decimal(str((claim.get(c) or {}).get(name, 0))) for c in _CATEGORIES)
        row[key] = str(total.quantize(Decimal("0.01")))
    return row


def compare(pdf: Path, reader: DocumentReader) -> tuple[int, int, list[str]]:
    """(claims, claims right, misses) for one document."""
    truth = [expected_row(claim) for claim in json.loads(pdf.with_suffix(".json").read_text())]
    data = pdf.read_bytes()
    attachment = Attachment(pdf.name, "application/pdf", len(data), data=data)
    reader.read(attachment)
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in attachment.tables:
        found[row.values.get("claim_number", "")].append(row.values)
    right, misses = 0, []
    for expected in truth:
        candidates = found.get(expected["claim_number"])
        if not candidates:
            misses.append(f"{pdf.name}: claim {expected['claim_number']} not found")
            continue
        got = candidates.pop(0)
        wrong = [f"{k}={got.get(k)!r} (want {v!r})" for k, v in expected.items() if got.get(k) != v]
        if wrong:
            misses.append(f"{pdf.name}: claim {expected['claim_number']}: {', '.join(wrong)}")
        else:
            right += 1
    extra = sum(len(rows) for rows in found.values())
    if extra:
        misses.append(f"{pdf.name}: {extra} row(s) matching no labelled claim")
    return len(truth), right, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--limit", type=int, default=0, help="read only the first N documents")
    parser.add_argument("--misses", type=int, default=30, help="misses to print")
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET:.0%}")
    args = parser.parse_args(argv)
    pdfs = sorted(p for path in args.paths for p in ([path] if path.is_file() else path.glob("*.pdf")))
    pdfs = [pdf for pdf in pdfs if pdf.with_suffix(".json").is_file()][: args.limit or None]
    if not pdfs:
        print("no labelled PDFs found", file=sys.stderr)
        return 2
    settings = load_settings(environ={"RPA_HOME": "/tmp/rpa-bench"})
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    started = time.perf_counter()
    with OcrEngine(settings) as ocr:
        reader = DocumentReader(settings, ocr)
        for pdf in pdfs:
            claims, right, missed = compare(pdf, reader)
            layout = pdf.stem.rsplit("_", 1)[-1]
            for key in (layout, "all"):
                totals[key][0] += claims
                totals[key][1] += right
            misses += missed
    elapsed = time.perf_counter() - started
    print(f"{'layout':<10} {'claims':>7} {'right':>7} {'share':>7}")
    for key, (claims, right) in sorted(totals.items(), key=lambda item: item[0] == "all"):
        print(f"{key:<10} {claims:>7} {right:>7} {right / claims:>7.1%}")
    print(f"{len(pdfs)} documents in {elapsed:.1f} s; target {TARGET:.0%} of claims with every field right")
    if misses:
        print(f"\nmisses ({len(misses)}):")
        for line in misses[: args.misses]:
            print(f"  {line}")
    share = totals["all"][1] / totals["all"][0]
    return 1 if args.check and share < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
