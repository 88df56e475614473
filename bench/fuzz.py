"""Fuzzing rpa's readers of hostile input with atheris (libFuzzer for Python).

    python bench/fuzz.py [--harness NAME ...] [--seconds N] [--crashes DIR] [--corpus DIR]
                         [--seeds N] [--timeout S] [--rss-mb M] [--jobs N] [--quick-start] [--json]

Runs each harness of `bench/fuzz_targets.py` (mime, charsets, html, pdf, image,
office, xls, pptx, zip, tnef, msg; default all) for `--seconds` in its own process, one after
the other (`--jobs` at a time), seeded from the public corpora in ../shared/eval (`--seeds` files from each
source), and prints per harness: executions, coverage (libFuzzer's `cov`: edges of
the instrumented Python code, rpa's and the parsing libraries'; `ft`: features), and
findings. A finding is saved in `--crashes` (default bench/results/fuzz-crashes) as
the input that caused it (`<harness>-<kind>-<id>`) beside a `.txt` saying what happened:

    exception  an exception other than rpa's own escaped (the traceback is in the .txt)
    broken     an answer that breaks the promise (see `fuzz_targets.Broken`)
    timeout    one input took longer than `--timeout` seconds (the per-input budget)
    oom        the process grew beyond `--rss-mb` MB
    crash      the process died (a native crash in a C library)

Exceptions and broken answers are recorded and fuzzing goes on (each distinct one
kept once, with the smallest input that shows it); a timeout, an oom or a crash ends
the process, and the harness starts again for the time left (each place kept once
too). Exits 1 when anything was found. `--corpus DIR` keeps the inputs that found new
coverage, so that a later run starts where this one stopped.

`tests/test_fuzz.py` runs each harness for a few seconds (`--quick-start`), and
replays the inputs of tests/data/fuzz_crashes/: copy a finding there, named
`<harness>-<what it shows>`, once its fault is understood.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from fuzz_targets import HARNESSES, PLANNED, Broken, Harness  # noqa: E402

DEFAULT_CRASHES = ROOT / "bench" / "results" / "fuzz-crashes"  # bench/results/ is not in git
_MIN_RESTART_SECONDS = 2
_MAX_RESTARTS = 25
_FINAL = re.compile(r"#(\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\b.*?cov: (\d+) ft: (\d+)")
_EXECUTED = re.compile(r"stat::number_of_executed_units: (\d+)")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_STDLIB = sysconfig.get_paths()["stdlib"] + "/"
_FRAME = re.compile(r'^\s+File "([^"]+)", line (\d+) in (\S+)', re.MULTILINE)  # faulthandler's stack
_LIBFUZZER_KINDS = (("timeout-", "timeout"), ("oom-", "oom"), ("crash-", "crash"), ("leak-", "crash"))


@dataclass
class Finding:
    kind: str
    path: str
    description: str


@dataclass
class HarnessRun:
    harness: str
    seconds: float = 0.0
    executions: int = 0
    coverage: int = 0
    features: int = 0
    starts: int = 0
    findings: list[Finding] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return _work(argv[1:])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--harness", action="append", choices=sorted(HARNESSES), help="default: all")
    parser.add_argument("--seconds", type=float, default=60.0, help="per harness (default 60)")
    parser.add_argument("--crashes", type=Path, default=DEFAULT_CRASHES, help="where findings are saved")
    parser.add_argument("--corpus", type=Path, help="keep the inputs that found coverage here, per harness")
    parser.add_argument(
        "--seeds", type=int, default=12, help="seed files taken from each source (default 12)"
    )
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take (default 10)")
    parser.add_argument("--rss-mb", type=int, default=1536, help="memory one process may use (default 1536)")
    parser.add_argument(
        "--quick-start",
        action="store_true",
        help="guide by rpa's own code only: starts in a second, not ten (the test suite's short runs)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="harnesses fuzzed at once (default 1)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    args.crashes.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:  # each fuzzes in its own process
        runs = list(pool.map(lambda name: fuzz(HARNESSES[name], args), args.harness or HARNESSES))
    if args.json:
        print(json.dumps([asdict(run) for run in runs], indent=2))
    else:
        _print(runs, args.crashes)
    return 1 if any(run.findings for run in runs) else 0


def fuzz(harness: Harness, args: argparse.Namespace) -> HarnessRun:
    """Run one harness for `args.seconds`, started again after each fatal finding."""
    run = HarnessRun(harness.name)
    with tempfile.TemporaryDirectory(prefix=f"rpa-fuzz-{harness.name}-") as work:
        inputs = _prepare(harness, Path(work), args)
        before = _snapshot(args.crashes, harness.name)
        fatal: dict[str, Path] = {}  # where a process died -> the smallest input that did it
        started = time.monotonic()
        while run.starts < _MAX_RESTARTS:
            left = args.seconds - (time.monotonic() - started)
            if left < (_MIN_RESTART_SECONDS if run.starts else 1):
                break
            command = _worker_command(harness, args, inputs, left)
            done = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
            run.starts += 1
            _read_stats(done.stderr, run)
            if done.returncode != 0:
                stopped = _record_fatal(done, harness.name, fatal)
                if stopped is not None:  # died before fuzzing (an import error): no point starting again
                    run.findings.append(stopped)
                    break
        run.seconds = round(time.monotonic() - started, 1)
        run.findings += _new_findings(args.crashes, harness.name, before)
    return run


@dataclass(frozen=True)
class _Inputs:
    seeds: Path  # the seed files, written for this run
    corpus: Path  # where libFuzzer keeps the inputs that found new coverage
    dictionary: Path | None  # the harness's tokens, in libFuzzer's dictionary format


def _prepare(harness: Harness, work: Path, args: argparse.Namespace) -> _Inputs:
    seeds = work / "seeds"
    seeds.mkdir()
    for data in harness.seeds(args.seeds):
        (seeds / hashlib.sha1(data).hexdigest()).write_bytes(data[: harness.max_len])
    corpus = (args.corpus / harness.name) if args.corpus else work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    dictionary = None
    if harness.dictionary:
        dictionary = work / "tokens.dict"
        dictionary.write_text("".join(f'"{_escape(token)}"\n' for token in harness.dictionary))
    return _Inputs(seeds, corpus, dictionary)


def _worker_command(harness: Harness, args: argparse.Namespace, inputs: _Inputs, seconds: float) -> list[str]:
    """This script as a worker fuzzing `harness`, and libFuzzer's options (the corpus
    folder it writes to comes first, the seeds after it)."""
    packages = "extractors" if args.quick_start else ",".join(harness.instrument)
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        harness.name,
        str(args.crashes),
        packages,
        str(inputs.corpus),
        str(inputs.seeds),
        f"-max_total_time={max(1, round(seconds))}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_mb}",
        f"-max_len={harness.max_len}",
        f"-artifact_prefix={args.crashes}/{harness.name}-",
        "-print_final_stats=1",
        *([f"-dict={inputs.dictionary}"] if inputs.dictionary else []),
    ]


def _escape(token: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b not in b'"\\' else f"\\x{b:02x}" for b in token)


def _read_stats(stderr: str, run: HarnessRun) -> None:
    lines = _FINAL.findall(stderr)
    executed = _EXECUTED.findall(stderr)
    if lines:
        run.coverage = max(run.coverage, int(lines[-1][1]))
        run.features = max(run.features, int(lines[-1][2]))
    run.executions += int(executed[-1]) if executed else (int(lines[-1][0]) if lines else 0)


def _record_fatal(done: subprocess.CompletedProcess, name: str, seen: dict[str, Path]) -> Finding | None:
    """libFuzzer saved the input that killed the process: write what it said beside it,
    where it was (the Python stack libFuzzer prints), and keep one input per place."""
    artifact = _ARTIFACT.search(done.stderr)
    said = [line for line in done.stderr.splitlines() if not line.startswith(("#", "INFO:", "MS:"))]
    tail = "\n".join(said[-60:])
    if artifact is None:
        return Finding("crash", "", f"the fuzzer stopped (exit {done.returncode}):\n{tail}")
    path = Path(artifact.group(1))
    kind = next(
        (kind for prefix, kind in _LIBFUZZER_KINDS if path.name.startswith(f"{name}-{prefix}")), "crash"
    )
    frames = _FRAME.findall(done.stderr)  # innermost first
    ours = next((f"{file}:{line}" for file, line, _ in frames if _in_rpa(file)), "")
    # The innermost frame outside the standard library: a loop that logs is the loop's.
    outside = [frame for frame in frames if not frame[0].startswith(_STDLIB)] or frames
    top = f"{outside[0][0]}:{outside[0][1]} {outside[0][2]}" if outside else "native code"
    signature = f"{kind}@{top}@{ours}"
    kept = seen.get(signature)
    if kept is not None and kept.exists() and kept.stat().st_size <= path.stat().st_size:
        path.unlink()
        return None
    if kept is not None:
        kept.unlink(missing_ok=True)
        Path(f"{kept}.txt").unlink(missing_ok=True)
    seen[signature] = path
    where = f"{top} (from {ours})" if ours else top
    Path(f"{path}.txt").write_text(f"{name}: {kind} in {where}\n\n{tail}\n")
    return None


def _snapshot(folder: Path, name: str) -> dict[str, float]:
    return {str(path): path.stat().st_mtime for path in folder.glob(f"{name}-*") if path.suffix != ".txt"}


def _new_findings(folder: Path, name: str, before: dict[str, float]) -> list[Finding]:
    found = []
    for path, mtime in sorted(_snapshot(folder, name).items()):
        if before.get(path) == mtime:
            continue
        stem = Path(path).name[len(name) + 1 :]
        kind = next(
            (kind for prefix, kind in _LIBFUZZER_KINDS if stem.startswith(prefix)), stem.split("-")[0]
        )
        if kind == "slow":  # libFuzzer's slow-unit report, under the timeout: not a finding
            continue
        note = Path(path + ".txt")
        found.append(Finding(kind, path, note.read_text(errors="replace") if note.exists() else ""))
    return found


def _print(runs: list[HarnessRun], crashes: Path) -> None:
    print(
        f"{'harness':10} {'seconds':>8} {'starts':>6} {'executions':>11} {'exec/s':>7} {'cov':>6} "
        f"{'ft':>7} {'findings':>8}"
    )
    for run in runs:
        rate = run.executions / run.seconds if run.seconds else 0
        print(
            f"{run.harness:10} {run.seconds:8.1f} {run.starts:6} {run.executions:11} {rate:7.0f} "
            f"{run.coverage:6} {run.features:7} {len(run.findings):8}"
        )
    for run in runs:
        for finding in run.findings:
            first = finding.description.strip().splitlines()[:1] or [""]
            print(f"\n{run.harness} {finding.kind}: {finding.path}\n  {first[0][:200]}")
    if any(run.findings for run in runs):
        print(f"\ninputs and what they did are in {crashes}")
    print("\nno harness of their own: " + "; ".join(f"{name}: {what}" for name, what in PLANNED.items()))


# --- The fuzzing process ------------------------------------------------------------


def _work(argv: list[str]) -> int:
    """`--worker NAME CRASHES PACKAGES libFuzzer-arguments...`: fuzz one harness in this
    process, guided by the coverage of PACKAGES (comma-separated)."""
    import importlib
    import logging

    import atheris

    name, crashes, packages, libfuzzer = argv[0], Path(argv[1]), argv[2].split(","), argv[3:]
    harness = HARNESSES[name]
    logging.disable(logging.CRITICAL)  # pdfminer's warnings on every broken file: findings say enough
    with atheris.instrument_imports(include=packages):
        for package in packages:  # the readers import theirs on first use
            importlib.import_module(package)
        target = harness.make()
    recorder = _Recorder(name, crashes)

    def one_input(data: bytes) -> None:
        try:
            target(data)
        except Broken as exc:
            recorder.keep("broken", data, exc)
        except Exception as exc:  # noqa: BLE001 - whatever escapes is the finding
            recorder.keep("exception", data, exc)

    atheris.Setup([sys.argv[0], *libfuzzer], one_input)
    atheris.Fuzz()
    return 0


class _Recorder:
    """Keeps one input per distinct finding (the smallest seen) and what it did."""

    def __init__(self, harness: str, folder: Path) -> None:
        self.harness, self.folder = harness, folder
        self.smallest: dict[str, int] = {}

    def keep(self, kind: str, data: bytes, exc: BaseException) -> None:
        signature = _signature(exc)
        if len(data) >= self.smallest.get(signature, sys.maxsize):
            return
        self.smallest[signature] = len(data)
        path = self.folder / f"{self.harness}-{kind}-{hashlib.sha1(signature.encode()).hexdigest()[:12]}"
        path.write_bytes(data)
        text = "".join(traceback.format_exception(exc))
        Path(f"{path}.txt").write_text(f"{self.harness}: {type(exc).__name__}: {exc}\n\n{text}")


def _signature(exc: BaseException) -> str:
    """What makes two findings the same: the kind of exception and where it was raised
    (in rpa's code if it went through it), or a broken promise's words without its details."""
    if isinstance(exc, Broken):
        return "broken:" + re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", str(exc))[:100]
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [frame for frame in frames if _in_rpa(frame.filename)]
    where = [f"{Path(frame.filename).name}:{frame.lineno}" for frame in (ours[-1:] + frames[-1:])]
    return f"{type(exc).__name__}@{'|'.join(where)}"


def _in_rpa(filename: str) -> bool:
    relative = filename.removeprefix(f"{ROOT}/")
    return relative != filename and relative.split("/", 1)[0] in ("extractors", "rpa", "drafting")


if __name__ == "__main__":
    sys.exit(main())
