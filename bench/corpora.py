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
for one input, or its worker dying: target 0); the statuses of the messages and of
their attachments; the slowest input and its time (measured in the worker); peak
memory: the sum of the resident sets of the run's processes (and their proportional
share, which counts the pages forked workers share once), the largest single process,
and the input that made its process grow most (its peak, the high-water mark being
reset before each input); the error reasons, numbers and quoted names blanked, with
counts. Target for the sum: <= 500 MB. `--check` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from markdown_table import print_markdown_table  # noqa: E402

from extractors.sources import RawInput  # noqa: E402
from rpa import batch  # noqa: E402
from rpa.batch import PipelineRunner, worker_count  # noqa: E402
from rpa.config import load_settings  # noqa: E402
from rpa.models import AttachmentStatus, ProcessedMessage  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
MAX_PEAK_MB = 500
SAMPLE_SECONDS = 0.02
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg (and .doc, .xls)
_NOT_INPUTS = re.compile(r"^(SOURCE\.md|README|NOTICE.*|LICENSE.*)$")


# --- The inputs ---------------------------------------------------------------


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(
        path for path in folder.rglob(pattern) if path.is_file() and not _NOT_INPUTS.match(path.name)
    )


def _mail_with_attachment(path: Path, filename: str, content_type: str) -> bytes:
    """A plain mail carrying the file, as Outlook sends a winmail.dat or a forwarded .msg."""
    message = EmailMessage()
    message["From"] = "Claire Martin <claire.martin@example.org>"
    message["To"] = "claims@example.com"
    message["Subject"] = f"Documents: {path.name}"
    message["Date"] = format_datetime(datetime(2024, 3, 1, 9, 30, tzinfo=UTC))
    message["Message-ID"] = f"<{path.parent.name}.{path.name}@corpora.bench.invalid>"
    message.set_content("Hello,\n\nplease find the file attached.\n\nClaire Martin\n")
    maintype, subtype = content_type.split("/")
    message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP)


def _as_mail(path: Path) -> RawInput:
    return RawInput(str(path), path.read_bytes(), "mail", path.name)


def _as_document(path: Path) -> RawInput:
    return RawInput(str(path), path.read_bytes(), "document", path.name)


def _as_winmail(path: Path) -> RawInput:
    return RawInput(
        str(path), _mail_with_attachment(path, "winmail.dat", "application/ms-tnef"), "mail", path.name
    )


def _as_outlook_attachment(path: Path) -> RawInput:
    filename = path.name if path.suffix == ".msg" else f"{path.name}.msg"
    data = _mail_with_attachment(path, filename, "application/vnd.ms-outlook")
    return RawInput(str(path), data, "mail", path.name)


def _mail_or_outlook(path: Path) -> RawInput:
    """SpamScope's files have no suffix; one of them is an Outlook .msg, not RFC 822."""
    with path.open("rb") as handle:
        outlook = handle.read(len(_OLE)) == _OLE
    return _as_outlook_attachment(path) if outlook else _as_mail(path)


# name -> (files of the corpus, how each becomes an input)
CORPORA: dict[str, tuple[Callable[[Path], list[Path]], Callable[[Path], RawInput]]] = {
    "eml_flanker": (lambda folder: _files(folder, "*.eml"), _as_mail),
    "eml_ruby_mail": (lambda folder: _files(folder, "*.eml"), _as_mail),
    "eml_spamscope_mailparser": (lambda folder: _files(folder, "*"), _mail_or_outlook),
    "tnef_winmail_tnefparse": (lambda folder: _files(folder, "*.tnef"), _as_winmail),
    "outlook_msg_msgextractor": (lambda folder: _files(folder, "*.msg"), _as_outlook_attachment),
    "qpdf_malformed_pdfs": (lambda folder: _files(folder, "*.pdf"), _as_document),
    "pdfminer_samples": (lambda folder: _files(folder, "*.pdf"), _as_document),
    "pdfjs_test_pdfs": (lambda folder: _files(folder, "*.pdf"), _as_document),
}


# --- Reading /proc ----------------------------------------------------------------


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""  # the process has just ended


def _kb(text: str, key: str) -> int:
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


# --- One input, in a worker -----------------------------------------------------


def _resident_kb(key: str = "VmRSS") -> int:
    """This process's resident size (VmRSS) or its high-water mark (VmHWM), in kB."""
    return _kb(Path("/proc/self/status").read_text(), key)


def _reset_peak() -> None:
    """Start this process's high-water mark again from its current resident size."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # the peak of the input is then the process's peak so far


def _timed(process: Callable[[RawInput], ProcessedMessage], raw: RawInput) -> dict:
    """What became of one input: a summary, never the exception itself."""
    _reset_peak()
    resting, started = _resident_kb(), time.perf_counter()
    try:
        summary = _summary(process(raw))
    except Exception:  # noqa: BLE001 - the very thing counted: an exception escaping the pipeline
        summary = {"traceback": traceback.format_exc()}
    seconds, peak = time.perf_counter() - started, _resident_kb("VmHWM")
    return {**summary, "source": raw.source, "seconds": seconds, "peak_kb": peak, "grew_kb": peak - resting}


def _timed_in_worker(raw: RawInput) -> dict:
    return _timed(batch._process_in_worker, raw)  # the pool's own per-input function


def _summary(result: ProcessedMessage) -> dict:
    attachments = result.message.all_attachments()
    attachment_errors = {f"{item.filename}: {item.error}" for item in attachments if item.error}
    reasons = [f"attachment {_label(item)}: {_blank(item.error)}" for item in attachments if item.error]
    reasons += [f"message: {_blank(error)}" for error in result.errors if error not in attachment_errors]
    return {
        "status": "with errors" if result.errors else "ok",
        "drafted": result.draft is not None,
        "attachments": [_label(item) for item in attachments],
        "reasons": reasons,
    }


def _label(attachment) -> str:  # noqa: ANN001 - rpa.models.Attachment
    if attachment.status == AttachmentStatus.SKIPPED and (attachment.error or "").startswith("unsupported"):
        return "unsupported"
    return str(attachment.status)


def _blank(reason: str) -> str:
    """The reason with its particulars blanked, so that alike reasons group."""
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason)
    reason = re.sub(r"\[[^\]]*(\]|$)", "[…]", reason)  # pdfminer quotes whole dictionaries
    return re.sub(r"\d+", "N", reason)[:140]


# --- One corpus, in its own process -------------------------------------------------


def run_corpus(name: str, folder: Path, limit: int, workers: int) -> list[dict]:
    """Every input of the corpus through the pipeline, a few at a time; one record each."""
    files, make_input = CORPORA[name]
    paths = files(folder)[: limit or None]
    environ = {**os.environ, "RPA_PIPELINE_WORKERS": str(workers)} if workers else os.environ
    settings = load_settings(environ=environ)
    records: list[dict] = []
    todo = [(path, 0) for path in reversed(paths)]  # (file, times its worker died under it)
    while todo:
        records += _run_until_broken(PipelineRunner(settings, worker_count(settings)), make_input, todo)
    return records


def _run_until_broken(
    runner: PipelineRunner, make_input: Callable[[Path], RawInput], todo: list
) -> list[dict]:
    """Records until `todo` is empty, or a worker dies: its inputs then go back on `todo`
    once (a second death counts as their traceback) and a fresh pool takes the rest."""
    records = []
    with runner:
        window = 2 * runner.workers
        running: dict[Future, tuple[Path, int]] = {}
        while todo or running:
            while todo and len(running) < window:
                path, deaths = todo.pop()
                running[_submit(runner, make_input(path))] = (path, deaths)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                path, deaths = running.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    broken = True
                    if deaths == 0:
                        todo.append((path, 1))
                        continue
                    records.append(_lost(path, error))
                elif error is not None:
                    records.append(_lost(path, error))
                else:
                    records.append(future.result())
            if broken:
                todo += [(path, deaths + 1) for path, deaths in running.values()]
                running.clear()
                break
    return records


def _lost(path: Path, error: BaseException) -> dict:
    """The record of an input whose worker died, or whose result never came back."""
    return {"source": str(path), "seconds": 0.0, "peak_kb": 0, "grew_kb": 0, "traceback": repr(error)}


def _submit(runner: PipelineRunner, raw: RawInput) -> Future[dict]:
    if runner.pool is not None:
        return runner.pool.submit(_timed_in_worker, raw)
    future: Future[dict] = Future()
    future.set_result(_timed(lambda raw: runner.submit(raw).result(), raw))
    return future


def _child(name: str, folder: str, limit: str, workers: str, out: str) -> None:
    records = run_corpus(name, Path(folder), int(limit), int(workers))
    Path(out).write_text(json.dumps(records), encoding="utf-8")


# --- Watching the process tree ---------------------------------------------------------


class TreeMemory:
    """Peak memory of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_kb = 0  # sum over the tree at one sample
        self.peak_pss_kb = 0
        self.peak_process_kb = 0  # the largest VmHWM of any one process
        self.processes = set()

    def sample(self) -> None:
        tree = self._tree()
        self.processes |= tree
        rss = pss = 0
        for pid in tree:
            status = _read(f"/proc/{pid}/status")
            rss += _kb(status, "VmRSS")
            self.peak_process_kb = max(self.peak_process_kb, _kb(status, "VmHWM"))
            pss += _kb(_read(f"/proc/{pid}/smaps_rollup"), "Pss")
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _read(f"/proc/{entry}/stat")
                if stat:  # "pid (name) state ppid ...": the name may hold spaces and parentheses
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree, grew = {self.pid}, True
        while grew:
            found = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= found
            grew = bool(found)
        return tree


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
    return corpus_summary(name, len(CORPORA[name][0](folder)[: limit or None]), records, memory, seconds)


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
        "seconds": round(seconds, 1),
        "reasons": dict(reasons.most_common()),
        "traceback_sources": {_short(record["source"]): record["traceback"] for record in tracebacks},
    }


def _short(source: str) -> str:
    return source.split("/shared/eval/", 1)[-1]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return f"traceback: {_blank(lines[-1]) if lines else '?'}"


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
    f"peak RSS (PSS), MB, target <= {MAX_PEAK_MB}",
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
        f"{s['peak_rss_mb']} ({s['peak_pss_mb']})",
        s["largest_process_mb"],
        heaviest,
        s["seconds"],
    ]


def met_targets(summary: dict) -> bool:
    return (
        summary["tracebacks"] == 0
        and summary["outputs"] == summary["inputs"]
        and summary["peak_rss_mb"] <= MAX_PEAK_MB
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        _child(*argv[1:])
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
