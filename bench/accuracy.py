"""Field accuracy of our extraction on public receipt and invoice corpora.

Runs the whole pipeline (`rpa.batch.PipelineRunner`: reading, OCR, extraction)
on documents nobody here wrote, in `../shared/eval/` (see each folder's
SOURCE.md), and prints, per corpus and field, how many values are right after
normalisation:

    heldout          180 mails written by hand, FR and EN, never used to write rules (tests/data/
                     heldout): every labelled field, exactly right on its normal form (target 97 %)
    sroie            63 receipt scans (OCR): date, total_amount, company, address (mean token F1)
    parsee           15 SaaS invoices EN/DE: total_amount, currency, invoice_date, company (issuer)
    invoice2data     12 vendor invoices: date, amount, invoice number, currency, IBAN, issuer,
                     side by side with the invoice2data tool and its 215 per-issuer templates

    python bench/accuracy.py [--corpus NAME ...] [--limit N] [--show-misses] [--no-tool]

invoice2data runs in its own virtual environment (`bench/.venv-invoice2data`,
made on first use with `pip install invoice2data[dateparser]`), never in the
project's, with its pdftotext reader (poppler-utils). Nothing is cached.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from accuracy_corpora import CORPORA, TARGETS, Case, invoice2data_tool  # noqa: E402
from accuracy_scoring import SCORERS, percent  # noqa: E402
from markdown_table import print_markdown_table  # noqa: E402

from extractors.sources import RawInput  # noqa: E402
from rpa.batch import PipelineRunner, worker_count  # noqa: E402
from rpa.config import load_settings  # noqa: E402
from rpa.models import ProcessedMessage  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


@dataclass
class FieldTally:
    """Right answers (or summed token F1) over the cases that label a field."""

    total: int = 0
    right: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, score: float, miss: str) -> None:
        self.total += 1
        self.right += score
        if score < 1.0:
            self.misses.append(miss)


def predict_all(cases: list[Case], workers: int) -> Iterator[tuple[Case, dict[str, str], str | None]]:
    """Our fields for each case, in order: (case, {field: value}, error)."""
    settings = load_settings(environ={**os.environ, "RPA_PIPELINE_WORKERS": str(workers)})
    with PipelineRunner(settings, worker_count(settings)) as runner:
        futures: list[tuple[Case, Future[ProcessedMessage]]] = []
        for case in cases:
            raw = RawInput(str(case.path), case.path.read_bytes(), case.kind, case.path.name)
            futures.append((case, runner.submit(raw)))
        for case, future in futures:
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a crash is a miss on every field, not the end
                yield case, {}, f"{type(exc).__name__}: {exc}"
                continue
            yield case, {name: found.value for name, found in result.fields.items()}, None


def tally(cases_and_answers: list[tuple[Case, dict[str, str]]], exact: bool = False) -> dict[str, FieldTally]:
    tallies: dict[str, FieldTally] = {}
    for case, answers in cases_and_answers:
        for name, truth in case.truth.items():
            got = answers.get(name)
            score = float(got == truth) if exact else SCORERS[name](truth, got)
            miss = f"{case.name}: {name}: expected {truth!r}, got {got!r} ({score:.2f})"
            tallies.setdefault(name, FieldTally()).add(score, miss)
    if exact and tallies:
        every = FieldTally()
        for found in tallies.values():
            every.total += found.total
            every.right += found.right
        tallies["all fields"] = every
    return tallies


def print_table(title: str, columns: dict[str, dict[str, FieldTally]], targets: dict[str, float]) -> bool:
    """One row per field, one column per extractor; True when ours meets every target."""
    print(f"\n## {title}\n")
    ours = next(iter(columns.values()))
    met = True
    rows = []
    for name in ours:
        cells = [_score(tallies.get(name)) for tallies in columns.values()]
        target = targets.get(name)
        if target is not None:
            reached = ours[name].right >= target * ours[name].total - 1e-9
            met &= reached
            goal = f">= {target:.0%} {'ok' if reached else 'MISSED'}"
        else:
            goal = ""
        rows.append([name, *cells, goal])
    print_markdown_table(["field", *columns, "target"], rows)
    return met


def _score(found: FieldTally | None) -> str:
    return f"{found.right:.3g}/{found.total} ({percent(found.right, found.total)})" if found else "-"


def print_misses(tallies: dict[str, FieldTally]) -> None:
    for found in tallies.values():
        for miss in found.misses:
            print(f"  miss {miss}")


def run_corpus(name: str, folder: Path, args: argparse.Namespace) -> bool:
    cases = CORPORA[name].load(folder)[: args.limit or None]
    answers: list[tuple[Case, dict[str, str]]] = []
    for case, found, error in predict_all(cases, args.workers):
        if error:
            print(f"  error {case.name}: {error}", file=sys.stderr)
        answers.append((case, found))
    columns = {"rpa": tally(answers, CORPORA[name].exact)}
    if name == "invoice2data" and not args.no_tool:
        tool = invoice2data_tool(ROOT / "bench" / ".venv-invoice2data", [case.path for case in cases])
        columns["invoice2data tool"] = tally([(case, tool.get(str(case.path), {})) for case in cases])
    met = print_table(f"{name} ({len(cases)} documents)", columns, TARGETS.get(name, {}))
    if name == "invoice2data" and len(columns) > 1:
        met &= _at_least_as_many(columns)
    if args.show_misses:
        print_misses({n: found for n, found in columns["rpa"].items() if n != "all fields"})
    return met


def _at_least_as_many(columns: dict[str, dict[str, FieldTally]]) -> bool:
    ours, tool = columns["rpa"], columns["invoice2data tool"]
    behind = [name for name in ours if name in tool and ours[name].right < tool[name].right]
    print(f"\nrpa behind the invoice2data tool on: {', '.join(behind) or 'nothing'}")
    return not behind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA), help="default: all")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL, help="the shared eval folder")
    parser.add_argument("--limit", type=int, default=0, help="first N documents of each corpus (smoke test)")
    parser.add_argument("--workers", type=int, default=0, help="documents side by side (0: one per core)")
    parser.add_argument("--show-misses", action="store_true", help="print every wrong value")
    parser.add_argument("--no-tool", action="store_true", help="do not run the invoice2data tool")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    met = True
    for name in args.corpus or list(CORPORA):
        folder = args.eval_dir / CORPORA[name].folder
        if not folder.is_dir():
            print(f"{name}: no corpus at {folder}", file=sys.stderr)
            return 2
        met &= run_corpus(name, folder, args)
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
