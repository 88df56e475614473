"""Scaling out: the distributed mode (PostgreSQL, RabbitMQ, `rpa worker`) against the in-process batch.

    python bench/scale.py [--mails N] [--quick] [--per-kind N] [--latency N] [--check]

On `--mails` distinct mails made from samples/ (default 1,000, going round the 54
samples, so with their mix of text mails, text PDFs, scans and photos; each copy new to
the store: `bench/scale_inputs.py`), each run with a PostgreSQL database and queues of
its own (`bench/scale_cluster.py`):

1. the in-process batch, `rpa process FOLDER` (`[pipeline] workers` left at its default,
   one per core here); its start-up (settings, store, models, pool) is timed apart on one
   mail and taken off, since the workers below are started before the clock;
2. `rpa process --enqueue FOLDER` to one `rpa worker -c 1`, then to one `rpa worker -c 2`
   (one Celery worker with two pool processes, as a 2-core machine runs it: one broker
   connection, one parent, two processes taking one mail each); timed from the start
   of the enqueue command until every mail record is done in the store; each worker
   process OCRs on one thread (`[ocr] workers = 1`, what `-c 2` gives each of its two
   processes on two cores anyway), so that one process is one core: by default the lone
   process of `-c 1` OCRs a scan's pages on both cores, and that run measured 1.74x;
   then, with the same workers, the workers' own pace: they stop taking tasks (Celery's
   `cancel_consumer`), as many other mails are queued, and they are timed from the moment
   they take tasks again (`add_consumer`) until every one is done. The speed-up goal is
   read on this backlog: fed by `rpa process --enqueue` on the same two cores, the workers
   share them with the enqueuing, PostgreSQL and RabbitMQ (0.02 CPU-s a mail, machine 98%
   busy with two workers), which a deployment puts elsewhere; that figure is printed too;
3. latency with idle workers: one text mail at a time, from its arrival (handed to the
   enqueuer, as the daemon does) until its draft is stored, polled every 10 ms; and the
   same through the command line, `rpa process --enqueue one.eml`, whose Python start-up
   is most of it;
4. worker CPU-seconds per mail by kind (`--per-kind` mails of each kind, one kind at a
   time, to the idle one-process worker: CPU time of the worker and its pool from /proc).

Then a capacity model: worker cores for `--per-day` mails a day (default 100,000) of the
samples' mix. Goals (`--check` exits 1 when one is missed): 2 workers >= 1.8x one;
distributed (2 workers) <= 1.15x the in-process batch; latency p95 <= 1 s for a text mail.
Drafts are not held back per sender here (`sender_drafts_per_hour` 0): 1,000 mails come
from 50 senders, and the in-process batch has no such limit.

The throughput table's CPU-s per mail is that of `rpa process` and its pool, or of the
workers and their pools (with the `tesseract` commands they ran); enqueue CPU is the
enqueue command's (the daemon's share); "machine busy (ours)" is how busy all cores
were during the run, and how much of that was the run's own processes: where the first
is well above the second, something else had the cores and the wall-time figures
(throughput, speed-up, overhead) say little, while the CPU figures still hold. A run
during which PostgreSQL was restarted (by another user of a shared machine) is done again.
`--quick`: 100 mails, 5 of each kind, 5 latency rounds (a few minutes).
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # as `make` and rpa itself run Tesseract

from scale_cluster import (  # noqa: E402
    RPA,
    Cluster,
    cluster,
    database,
    machine_busy_seconds,
    reachable,
    server_cpu_seconds,
    server_started,
)
from scale_inputs import KINDS, Sample, as_raw, load_samples, mix, write_copies, write_copy  # noqa: E402
from scale_report import KindCost, Run, report  # noqa: E402

from rpa.batch import worker_count  # noqa: E402
from rpa.config import load_settings  # noqa: E402
from rpa.enqueue import Enqueuer  # noqa: E402
from rpa.store import Store  # noqa: E402

LATENCY_MAIL = "en_claim_new_water_damage.eml"  # a text mail that gets a draft
BASE_ENV = {"RPA_DAEMON_SENDER_DRAFTS_PER_HOUR": "0"}
# Each worker process OCRs on one thread, as each of `rpa worker -c 2`'s processes does on
# two cores by default (`rpa.batch.share_cores`), so that 1 and 2 processes are 1 and 2 cores:
# by default the lone process of `-c 1` OCRs a scan's pages on both cores.
WORKER_ENV = {**BASE_ENV, "RPA_OCR_WORKERS": "1"}
T = TypeVar("T")


def in_process(folder: Path, count: int, one: Path, scratch: Path) -> tuple[Run, int]:
    """`rpa process FOLDER` on a fresh database; its start-up measured on `one` mail apart."""
    times = []
    for target, expected, label in ((one, 1, "startup"), (folder, count, "batch")):
        with database(f"rpa_bench_{os.urandom(5).hex()}") as url:
            env = {
                **os.environ,
                **BASE_ENV,
                "RPA_HOME": str(scratch / f"home-{label}"),
                "RPA_STORE_URL": url,
            }
            cpu, busy, servers = _children_cpu(), machine_busy_seconds(), server_cpu_seconds()
            started = time.perf_counter()
            result = subprocess.run([RPA, "process", str(target)], env=env, capture_output=True, text=True)
            busy, servers = machine_busy_seconds() - busy, server_cpu_seconds() - servers
            times.append((time.perf_counter() - started, _children_cpu() - cpu, busy, servers))
            if (
                result.returncode != 0
                or f"{expected} processed, 0 already in the store, 0 failed" not in result.stdout
            ):
                raise RuntimeError(f"rpa process failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    workers = worker_count(load_settings(environ={**os.environ, "RPA_HOME": str(scratch / "home-startup")}))
    (startup, startup_cpu, _, _), (total, cpu, busy, servers) = times
    if startup >= total:  # a few mails on a busy machine: the start-up measured apart says nothing
        startup, startup_cpu = 0.0, 0.0  # shown as 0.0: nothing taken off
    name = f"in-process `rpa process` ([pipeline] workers = {workers})"
    run = Run(
        name, total - startup, cpu - startup_cpu, startup, 0.0, busy * (total - startup) / total, servers
    )
    return run, workers


def distributed(cluster_: Cluster, folder: Path, count: int, name: str, startup: float) -> Run:
    """`rpa process --enqueue FOLDER` to the cluster's idle workers, until every mail is done."""
    before = cluster_.processed()
    worker_cpu, feed_cpu, busy = cluster_.worker_cpu(), _children_cpu(), machine_busy_seconds()
    servers = server_cpu_seconds()
    log = cluster_.home / f"enqueue-{folder.name}.log"
    started = time.perf_counter()
    with log.open("w") as out:  # a file, not a pipe: a thousand lines would fill a pipe and stall it
        feed = subprocess.Popen(
            [RPA, "process", "--enqueue", str(folder)], env=cluster_.run_env(), stdout=out, stderr=out
        )
        finished = cluster_.wait_processed(before + count, timeout=60 + 30 * count, feeding=feed)
        feed.wait()
    output = log.read_text(errors="replace")
    if feed.returncode != 0 or f"{count} queued" not in output:
        raise RuntimeError(f"rpa process --enqueue failed:\n{output[-2000:]}")
    worker_cpu, feed_cpu = cluster_.worker_cpu() - worker_cpu, _children_cpu() - feed_cpu
    busy, servers = machine_busy_seconds() - busy, server_cpu_seconds() - servers
    return Run(name, finished - started, worker_cpu, startup, feed_cpu, busy, servers)


def backlog(cluster_: Cluster, folder: Path, name: str, startup: float) -> Run:
    """The mails of `folder` queued while the workers take nothing, then taken by them: the
    workers' own pace, with the queuing (the daemon's work) and its CPU out of the clock."""
    paths = sorted(folder.iterdir())
    cluster_.consume(False)
    with _enqueuer(cluster_) as enqueuer:
        for queued in enqueuer.enqueue_files(as_raw(path) for path in paths):
            if queued.record_id is None:
                raise RuntimeError(f"{queued.source} not queued: {queued}")
    before, worker_cpu = cluster_.processed(), cluster_.worker_cpu()
    busy, servers = machine_busy_seconds(), server_cpu_seconds()
    started = time.perf_counter()
    cluster_.consume(True)
    finished = cluster_.wait_processed(before + len(paths), timeout=60 + 30 * len(paths))
    worker_cpu = cluster_.worker_cpu() - worker_cpu
    busy, servers = machine_busy_seconds() - busy, server_cpu_seconds() - servers
    return Run(name, finished - started, worker_cpu, startup, 0.0, busy, servers)


def kind_costs(cluster_: Cluster, samples: list[Sample], per_kind: int, scratch: Path) -> list[KindCost]:
    """Worker CPU per mail of each kind, one kind at a time, on the cluster's idle workers
    (queued from this process, so that the wall time is the workers')."""
    costs = []
    with _enqueuer(cluster_) as enqueuer:
        for number, kind in enumerate(KINDS):
            of_kind = [sample for sample in samples if sample.kind == kind]
            if not of_kind:
                continue
            folder = scratch / f"kind-{number}"
            folder.mkdir()
            paths = write_copies(of_kind, per_kind, folder, f"kind{number}")
            before, cpu = cluster_.processed(), cluster_.worker_cpu()
            started = time.perf_counter()
            for queued in enqueuer.enqueue_files(as_raw(path) for path in paths):
                if queued.record_id is None:
                    raise RuntimeError(f"{queued.source} not queued: {queued}")
            finished = cluster_.wait_processed(before + per_kind, timeout=60 + 30 * per_kind)
            used = cluster_.worker_cpu() - cpu
            costs.append(_said(KindCost(kind, per_kind, used / per_kind, (finished - started) / per_kind)))
    return costs


def latencies(
    cluster_: Cluster, sample: Sample, rounds: int, scratch: Path
) -> tuple[list[float], list[float]]:
    """Seconds from arrival to stored draft of one text mail, `rounds` times: through the
    enqueuer in this process (the daemon's way), then through `rpa process --enqueue`."""
    folder = scratch / "latency"
    folder.mkdir()
    in_daemon, by_command = [], []
    with _enqueuer(cluster_) as enqueuer:
        for number in range(2 * rounds):
            path = write_copy(sample, folder, f"latency{number:03d}")
            drafts = cluster_.drafts()
            started = time.perf_counter()
            if number < rounds:
                (queued,) = enqueuer.enqueue_files([as_raw(path)])
                if queued.record_id is None:
                    raise RuntimeError(f"{path.name} not queued: {queued}")
            else:
                command = [RPA, "process", "--enqueue", str(path)]
                subprocess.run(command, env=cluster_.run_env(), capture_output=True, check=True)
            while cluster_.drafts() <= drafts:
                if time.perf_counter() - started > 120:
                    raise RuntimeError(f"no draft for {path.name} after 120 s")
                time.sleep(0.01)
            (in_daemon if number < rounds else by_command).append(_said(time.perf_counter() - started))
            time.sleep(0.2)  # the workers idle again
    return in_daemon, by_command


@contextmanager
def _enqueuer(cluster_: Cluster) -> Iterator[Enqueuer]:
    """The daemon's enqueuer, in this process, on the cluster's store and queues."""
    settings = load_settings(environ={**os.environ, **cluster_.env})
    store = Store.open(settings)
    enqueuer = Enqueuer(settings, store)
    try:
        yield enqueuer
    finally:
        enqueuer.close()
        store.close()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(args: argparse.Namespace, samples: list[Sample], scratch: Path) -> dict[str, object]:
    folder, queued = scratch / "mails", scratch / "backlog"
    folder.mkdir()
    queued.mkdir()
    write_copies(samples, args.mails, folder, "mail")
    write_copies(samples, args.mails, queued, "backlog")
    text_mail = next(sample for sample in samples if sample.name == LATENCY_MAIL)
    one = write_copy(text_mail, scratch, "startup")
    restarts: list[str] = []

    def one_worker(work: Path) -> tuple[Run, Run, list[KindCost]]:
        with cluster(work / "home", WORKER_ENV) as one_worker:
            startup = one_worker.start_workers(1, 1) + one_worker.wait_idle()
            single = _said(
                distributed(one_worker, folder, args.mails, "distributed, `rpa worker -c 1`", startup)
            )
            drained = _said(backlog(one_worker, queued, "a queued backlog, `rpa worker -c 1`", startup))
            return single, drained, kind_costs(one_worker, samples, args.per_kind, work)

    def two_workers(work: Path) -> tuple[Run, Run, tuple[list[float], list[float]]]:
        with cluster(work / "home", WORKER_ENV) as two_workers:
            startup = two_workers.start_workers(1, 2) + two_workers.wait_idle()
            double = _said(
                distributed(two_workers, folder, args.mails, "distributed, `rpa worker -c 2`", startup)
            )
            drained = _said(backlog(two_workers, queued, "a queued backlog, `rpa worker -c 2`", startup))
            return double, drained, latencies(two_workers, text_mail, args.latency, work)

    def in_process_batch(work: Path) -> tuple[Run, int]:
        run, workers = in_process(folder, args.mails, one, work)
        return _said(run), workers

    batch, _ = _undisturbed(in_process_batch, scratch, restarts)
    single, single_backlog, costs = _undisturbed(one_worker, scratch, restarts)
    double, double_backlog, latency = _undisturbed(two_workers, scratch, restarts)
    return {
        "runs": [batch, single, double],
        "backlog": [single_backlog, double_backlog],
        "costs": costs,
        "latency": latency,
        "restarts": restarts,
    }


def _said(figure: T) -> T:
    """A figure on stderr as soon as it is measured: a long run shows how it goes."""
    print(f"{time.strftime('%H:%M:%S')} {figure}", file=sys.stderr, flush=True)
    return figure


def _undisturbed(step: Callable[[Path], T], scratch: Path, restarts: list[str], attempts: int = 3) -> T:
    """`step` (given a fresh folder) done again when PostgreSQL was restarted while it ran:
    other users of a shared test machine restart it, and a run cut by that times nothing."""
    for attempt in range(attempts):
        work = Path(tempfile.mkdtemp(dir=scratch))
        started = server_started()
        try:
            result = step(work)
        except RuntimeError:
            if server_started() == started or attempt == attempts - 1:
                raise
            restarts.append(f"{step.__name__}: failed")
            continue
        if server_started() == started:
            return result
        restarts.append(f"{step.__name__}: disturbed")
    raise RuntimeError(f"PostgreSQL was restarted during each of {attempts} attempts of {step.__name__}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mails", type=int, default=None, help="Mails per run (default 1000; 100 with --quick)"
    )
    parser.add_argument("--quick", action="store_true", help="100 mails, 5 per kind, 5 latency rounds")
    parser.add_argument(
        "--per-kind", type=int, default=None, help="Mails of each kind timed alone (default 20)"
    )
    parser.add_argument("--latency", type=int, default=None, help="Single mails timed (default 20)")
    parser.add_argument("--per-day", type=int, default=100_000, help="Mails a day of the capacity model")
    parser.add_argument("--busy-hours", type=float, default=10.0, help="Hours a day the mail arrives in")
    parser.add_argument(
        "--utilisation", type=float, default=0.7, help="Target busy share of the worker cores"
    )
    parser.add_argument("--check", action="store_true", help="Exit 1 when a goal is missed")
    args = parser.parse_args()
    args.mails = args.mails or (100 if args.quick else 1000)
    args.per_kind = args.per_kind or (5 if args.quick else 20)
    args.latency = args.latency or (5 if args.quick else 20)
    for port, what in ((5432, "PostgreSQL"), (5672, "RabbitMQ")):
        if not reachable(port):
            sys.exit(f"{what} is not running on 127.0.0.1:{port}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # killed: workers stopped, databases dropped
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="rpa-scale-") as scratch:
        samples = load_samples(ROOT / "samples", load_settings(environ={"RPA_HOME": scratch}))
        measured = measure(args, samples, Path(scratch))
    kinds = ", ".join(f"{kind} {share:.0%}" for kind, share in mix([s.kind for s in samples]).items())
    print(
        f"mails: {args.mails} made from {len(samples)} samples ({kinds}); {os.cpu_count()} CPUs;"
        f" load average {load:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    if measured["restarts"]:
        print(f"done again after a restart of PostgreSQL by another user: {', '.join(measured['restarts'])}")
    met = report(args, samples, measured)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
