"""Company names read from SROIE's line transcripts: the rules without OCR, on data kept apart.

    python bench/issuer_text.py [--show-misses]

`../shared/eval/sroie` holds the labels and line transcripts (`box/NNN.csv`) of 626 receipts and
the photos of 63 of them. The issuer's rules (`extractors.fields.issuer`) are tuned on the 563
receipts without a photo, read as their transcripts' lines in order; the 63 with a photo are
the evaluation, as transcripts here and as photos through OCR in `bench/accuracy.py --corpus
sroie`. Both sets are printed; a rule that helps the first and not the second is no rule.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy_scoring import same_company  # noqa: E402

from extractors.fields.issuer import find_issuer  # noqa: E402

SROIE = ROOT.parent / "shared" / "eval" / "sroie"


def transcript(stem: str) -> str:
    """A receipt's transcribed lines, top to bottom (the text after the box's eight coordinates)."""
    text = (SROIE / "box" / f"{stem}.csv").read_text(encoding="utf-8", errors="replace")
    return "\n".join(",".join(row[8:]) for row in csv.reader(text.splitlines()) if len(row) > 8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    photographed = {path.stem for path in (SROIE / "img").glob("*.jpg")}
    tallies: dict[str, list[tuple[str, str, str | None]]] = {"development": [], "evaluation": []}
    for key in sorted((SROIE / "key").glob("*.json")):
        expected = json.loads(key.read_text(encoding="utf-8"))["company"]
        issuer = find_issuer(transcript(key.stem), "")
        kept = "evaluation" if key.stem in photographed else "development"
        tallies[kept].append((key.stem, expected, issuer.name if issuer else None))
    for name, rows in tallies.items():
        right = sum(same_company(expected, got) for _, expected, got in rows)
        print(f"{name}: {right:.0f}/{len(rows)} company names right ({right / len(rows):.1%})")
        for stem, expected, got in rows if args.show_misses else ():
            if not same_company(expected, got):
                print(f"  miss {stem}: expected {expected!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
