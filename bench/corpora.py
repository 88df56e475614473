"""Robustness and memory of `rpa process` on public mail and PDF corpora nobody here wrote.

Runs the whole processing (`rpa.batch.PipelineRunner` on default settings: parsing,
reading, OCR, extraction, classification, drafting) over every input of the mail and
document corpora in `../shared/eval/` (see each folder's SOURCE.md):

    eml_flanker                48 MIME edge cases, bounces, torture tests (.eml)
    eml_ruby_mail              103 RFC 2822 examples, charsets, malformed headers (.eml)
    eml_spamscope_mailparser   19 real spam and malformed mails (no suffix; one is an Outlook .msg)
    tnef_winmail_tnefparse     20 TNEF streams, each sent as the winmail.dat of a generated mail
    outlook_msg_msgextractor   2 Outlook .msg files, each attached to a generated mail
    qpdf_malformed_pdfs        111 damaged PDFs
    pdfminer_samples           47 sample, corrupted and encrypted PDFs
    pdfjs_test_pdfs            834 reduced bug-report and fuzzed PDFs

    python bench/corpora.py [--corpus NAME ...] [--limit N] [--workers N] [--json] [--check]

Each corpus runs in a fresh process (a temporary RPA_HOME: default settings, no knowledge
base) whose process tree is sampled every 20 ms; inputs go to the runner's workers as in
`rpa process`, a few at a time, but nothing is stored. Printed per corpus: inputs; outputs (a processed
message for every input is the target); tracebacks (an exception escaping the pipeline
for one input, or the run ending under it: target 0); the statuses of the messages and of
their attachments; the slowest input and its time (measured on its thread); peak
memory: the sum of the proportional set sizes (PSS) of the run's processes, which is the
memory the run takes from the machine, each page counted once however many of its
processes map it (the reader processes share the libraries they load; the sum of
their resident sets, printed beside it, counts those pages once per process), the
largest single process,
and the input that made its process grow most (its peak, the high-water mark being
reset before each input); the error reasons, numbers and quoted names blanked, with
counts. Target for the PSS sum: <= 500 MB. `--check` exits 1 when a target is missed.

The corpora and their inputs are in `corpus_inputs.py`, the run of one corpus in its own
process in `corpus_run.py`, the sampling of /proc in `memory_sampler.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from corpus_inputs import CORPORA, corpus_files  # noqa: E402
from corpus_run import blank_reason, write_records  # noqa: E402
from markdown_table import print_markdown_table  # noqa: E402
from memory_sampler import TreeMemory  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
MAX_PEAK_MB = 500
SAMPLE_SECONDS = 0.02


# --- One corpus, in a fresh process -----------------------------------------------------


def measure_corpus(name: str, folder: Path, limit: int, workers: int) -> dict:
    """Run one corpus in a fresh process with default settings, watching its memory."""
    with tempfile.TemporaryDirectory(prefix="rpa-corpora-") as home:
        out, log = Path(home) / "records.json", Path(home) / "stderr.txt"
        command = [sys.executable, __file__, "_child", name, str(folder), str(limit), str(workers), str(out)]
        started = time.perf_counter()
        with log.open("w") as stderr:  # a file, not a pipe: a full pipe would stop the run
            child = subprocess.Popen(command, env={**os.environ, "RPA_HOME": home}, stderr=stderr)
            memory = TreeMemory(child.pid)
            while child.poll() is None:
                memory.sample()
                time.sleep(SAMPLE_SECONDS)
        stderr = log.read_text(errors="replace")
        seconds = time.perf_counter() - started
        if child.returncode != 0 or not out.exists():
            raise RuntimeError(f"{name}: the run ended with status {child.returncode}:\n{stderr[-3000:]}")
        records = json.loads(out.read_text(encoding="utf-8"))
    return corpus_summary(name, len(corpus_files(name, folder, limit)), records, memory, seconds)


def corpus_summary(name: str, inputs: int, records: list[dict], memory: TreeMemory, seconds: float) -> dict:
    slowest = max(records, key=lambda record: record["seconds"], default=None)
    heaviest = max(records, key=lambda record: record["grew_kb"], default=None)
    tracebacks = [record for record in records if "traceback" in record]
    reasons = Counter(reason for record in records for reason in record.get("reasons", ()))
    reasons.update(_last_line(record["traceback"]) for record in tracebacks)
    return {
        "corpus": name,
        "inputs": inputs,
        "outputs": sum(1 for record in records if "status" in record),
        "tracebacks": len(tracebacks),
        "messages": dict(Counter(record.get("status", "traceback") for record in records)),
        "drafts": sum(1 for record in records if record.get("drafted")),
        "attachments": dict(Counter(label for record in records for label in record.get("attachments", ()))),
        "slowest": {"source": _short(slowest["source"]), "seconds": round(slowest["seconds"], 2)}
        if slowest
        else None,
        "heaviest": {
            "source": _short(heaviest["source"]),
            "peak_mb": round(heaviest["peak_kb"] / 1024),
            "grew_mb": round(heaviest["grew_kb"] / 1024),
        }
        if heaviest
        else None,
        "peak_rss_mb": round(memory.peak_rss_kb / 1024),
        "peak_pss_mb": round(memory.peak_pss_kb / 1024),
        "largest_process_mb": round(
            max(memory.peak_process_kb, heaviest["peak_kb"] if heaviest else 0) / 1024
        ),
        "processes": len(memory.processes),
        "at_peak": [
            {"process": process, "rss_mb": round(rss / 1024), "pss_mb": round(pss / 1024)}
            for process, rss, pss in memory.at_peak
        ],
        "seconds": round(seconds, 1),
        "reasons": dict(reasons.most_common()),
        "traceback_sources": {_short(record["source"]): record["traceback"] for record in tracebacks},
    }


def _short(source: str) -> str:
    return source.split("/shared/eval/", 1)[-1]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return f"traceback: {blank_reason(lines[-1]) if lines else '?'}"


# --- Printing ------------------------------------------------------------------------


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{label} {number}" for label, number in sorted(counts.items())) or "-"


_COLUMNS = (
    "corpus",
    "inputs",
    "outputs",
    "tracebacks",
    "messages",
    "drafts",
    "attachments",
    "slowest",
    f"peak PSS (RSS sum), MB, target PSS <= {MAX_PEAK_MB}",
    "largest process MB",
    "heaviest input",
    "wall s",
)


def print_table(summaries: list[dict]) -> None:
    print_markdown_table(_COLUMNS, [_row(s) for s in summaries])
    for s in summaries:
        print(f"\n## {s['corpus']}: error reasons\n")
        for reason, count in s["reasons"].items():
            print(f"  {count:4d}  {reason}")
        if not s["reasons"]:
            print("  none")
        held = ", ".join(f"{p['process']} {p['rss_mb']} ({p['pss_mb']})" for p in s["at_peak"])
        print(f"\n  at the peak, RSS (PSS) MB: {held or '-'}")
        for source, text in s["traceback_sources"].items():
            print(f"\n  traceback of {source}:\n" + "\n".join(f"    {line}" for line in text.splitlines()))


def _row(s: dict) -> list:
    slowest = f"{s['slowest']['seconds']} s {s['slowest']['source']}" if s["slowest"] else "-"
    heaviest = (
        s["heaviest"]
        and f"+{s['heaviest']['grew_mb']} to {s['heaviest']['peak_mb']} MB {s['heaviest']['source']}"
    )
    return [
        s["corpus"],
        s["inputs"],
        s["outputs"],
        s["tracebacks"],
        _counts(s["messages"]),
        s["drafts"],
        _counts(s["attachments"]),
        slowest,
        f"{s['peak_pss_mb']} ({s['peak_rss_mb']})",
        s["largest_process_mb"],
        heaviest,
        s["seconds"],
    ]


def met_targets(summary: dict) -> bool:
    return (
        summary["tracebacks"] == 0
        and summary["outputs"] == summary["inputs"]
        and summary["peak_pss_mb"] <= MAX_PEAK_MB
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        write_records(*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--corpus", action="append", choices=list(CORPORA), help="default: all (repeatable)")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL, help="the shared eval folder")
    parser.add_argument("--limit", type=int, default=0, help="first N inputs of each corpus (smoke test)")
    parser.add_argument("--workers", type=int, default=0, help="messages side by side (0: rpa's default)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    summaries = []
    for name in args.corpus or list(CORPORA):
        folder = args.eval_dir / name
        if not folder.is_dir():
            print(f"{name}: no corpus at {folder}", file=sys.stderr)
            return 2
        summaries.append(measure_corpus(name, folder, args.limit, args.workers))
        if not args.json:
            print(f"{name}: done in {summaries[-1]['seconds']} s", file=sys.stderr)
    if args.json:
        print(json.dumps(summaries, indent=2, ensure_ascii=False))
    else:
        print_table(summaries)
    met = all(met_targets(summary) for summary in summaries)
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
