"""The corpora bench/accuracy.py reads, their labels in our field names, and the
invoice2data tool run in its own virtual environment.

Labels are turned into our normal forms here (ISO dates, our field names), with
tools independent of our parsers where the label is free text (SROIE dates go
through `dateparser`, day first as printed in Malaysia).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CORPORA", "TARGETS", "Case", "Corpus", "invoice2data_tool"]


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    truth: dict[str, str]  # our field name -> labelled value
    kind: str = "document"  # how rpa reads it: a "document", or a "mail"


@dataclass(frozen=True)
class Corpus:
    folder: str  # under the shared eval folder (an absolute path: a folder of rpa's own)
    load: Callable[[Path], list[Case]]
    exact: bool = False  # every field compared on its normal form, as `rpa eval` does


def _iso_date(printed: str) -> str:
    import dateparser

    found = dateparser.parse(printed, languages=["en"], settings={"DATE_ORDER": "DMY"})
    return found.date().isoformat() if found else printed


def sroie_cases(folder: Path) -> list[Case]:
    """The scanned receipts: only the 63 ids whose image is in the copy."""
    cases = []
    for image in sorted((folder / "img").glob("*.jpg")):
        label = json.loads((folder / "key" / f"{image.stem}.json").read_text(encoding="utf-8"))
        truth = {
            "invoice_date": _iso_date(label["date"]),
            "total_amount": label["total"],
            "company": label["company"],
        }
        if label.get("address"):
            truth["address"] = label["address"]
        cases.append(Case(image.stem, image, truth))
    return cases


def parsee_cases(folder: Path) -> list[Case]:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [
        Case(
            Path(item["file"]).stem,
            folder / item["file"],
            {
                "total_amount": item["invoice_total"],
                "currency": item["currency"],
                "invoice_date": item["invoice_date"],
                "company": item["issuer"],
            },
        )
        for item in labels
    ]


# invoice2data's names -> ours, for its labels and for its own output.
_I2D_FIELDS = {
    "date": "invoice_date",
    "amount": "total_amount",
    "invoice_number": "invoice_number",
    "currency": "currency",
    "iban": "iban",
    "issuer": "company",
}


def _from_invoice2data(found: dict) -> dict[str, str]:
    return {
        ours: str(found[theirs])[:10] if ours == "invoice_date" else str(found[theirs])
        for theirs, ours in _I2D_FIELDS.items()
        if found.get(theirs) not in (None, "")
    }


def invoice2data_cases(folder: Path) -> list[Case]:
    """The labelled documents of `compare/` (the PNG renderings are not labelled apart)."""
    cases = []
    for label in sorted((folder / "compare").glob("*.json")):
        document = next(
            (path for suffix in (".pdf", ".txt") if (path := label.with_suffix(suffix)).exists()), None
        )
        if document is not None:
            truth = _from_invoice2data(json.loads(label.read_text(encoding="utf-8"))[0])
            cases.append(Case(label.stem, document, truth))
    return cases


def mail_cases(folder: Path) -> list[Case]:
    """Labelled mails (`<case>.eml` beside `<case>.expected.json`), such as rpa's held-out set."""
    return [
        Case(
            path.stem,
            path,
            json.loads(path.with_suffix(".expected.json").read_text("utf-8"))["fields"],
            "mail",
        )
        for path in sorted(folder.glob("*.eml"))
    ]


_HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "heldout"

CORPORA: dict[str, Corpus] = {
    # Mails written by hand, never used to write rules (tests/data/heldout/SOURCE_*.md).
    "heldout": Corpus(str(_HELDOUT), mail_cases, exact=True),
    "sroie": Corpus("sroie", sroie_cases),
    "parsee": Corpus("parsee_invoices", parsee_cases),
    "invoice2data": Corpus("invoice2data", invoice2data_cases),
}

TARGETS: dict[str, dict[str, float]] = {
    "heldout": {"all fields": 0.97},
    "sroie": {"invoice_date": 0.97, "total_amount": 0.93, "company": 0.80, "address": 0.70},
    "parsee": {"total_amount": 0.95, "currency": 0.95, "invoice_date": 0.93, "company": 0.80},
}

# Runs inside the tool's environment: one JSON object per input file, or an error.
_RUNNER = """
import json, sys
from invoice2data import extract_data
from invoice2data.extract.loader import read_templates
templates = read_templates()
for path in sys.argv[1:]:
    reader = "text" if path.endswith(".txt") else "pdftotext"
    try:
        found = extract_data(path, templates=templates, input_module=reader) or {}
    except Exception as exc:
        found = {"error": repr(exc)}
    print(json.dumps({"path": path, "found": found}, default=str))
"""


def _ensure_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing invoice2data[dateparser] in {venv} (once)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "invoice2data[dateparser]"], check=True)
    return python


def invoice2data_tool(venv: Path, paths: list[Path]) -> dict[str, dict[str, str]]:
    """What invoice2data (built-in templates) finds in each file, in our field names."""
    python = _ensure_venv(venv)
    done = subprocess.run(
        [str(python), "-c", _RUNNER, *map(str, paths)], capture_output=True, text=True, check=True
    )
    results = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            results[item["path"]] = _from_invoice2data(item["found"])
    return results
