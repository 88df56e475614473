"""The figures of bench/scale.py: its runs' results, its tables, and the capacity model.

The capacity model: a day's mail is taken to arrive within `--busy-hours` (the working
day; mail that comes at night waits for the morning at no cost, but the day's must not
pile up), and worker cores are bought to be busy `--utilisation` of that time at most,
leaving room for a burst, a retried mail and a worker being restarted, and keeping text
mail's latency low (a mail waits for a free process only when every one is busy). The
cores for a day's mail are then (mails a day / busy seconds) x CPU-s per mail /
utilisation, where CPU-s per mail is that of each kind weighted by the samples' mix;
the same from the measured mails per second per core of the 2-worker run is given as a
check on it.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
from dataclasses import dataclass

from markdown_table import print_markdown_table
from scale_inputs import KINDS, Sample, mix

__all__ = ["Capacity", "KindCost", "Run", "capacity", "percentile", "report"]

MIN_SPEEDUP = 1.8  # 2 worker processes against 1, on 2 cores
MAX_OVERHEAD = 1.15  # distributed (2 workers) against the in-process batch, same mails
MAX_LATENCY_P95 = 1.0  # seconds from arrival to stored draft, one text mail, idle workers


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float  # wall time of the mails, start-up excluded
    cpu: float  # CPU seconds of the processing processes (rpa process, or the workers)
    startup: float  # seconds before the first mail could be taken
    feed_cpu: float = 0.0  # CPU seconds of `rpa process --enqueue` (the daemon's share)
    busy: float = 0.0  # CPU seconds of the whole machine meanwhile: ours, the servers', anyone else's
    servers: float = 0.0  # CPU seconds of PostgreSQL and RabbitMQ meanwhile (anyone's use of them)


@dataclass(frozen=True)
class KindCost:
    kind: str
    mails: int
    cpu: float  # worker CPU seconds per mail
    wall: float  # seconds per mail, one process


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the value at or below which `share` of them lie."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Capacity:
    cpu_per_mail: float  # worker CPU seconds of a mail of the mix
    flat_cores: float  # the day's mail spread over 24 hours, cores 100 % busy
    cores: int  # the day's mail within the busy hours, cores at the target utilisation
    cores_by_throughput: int  # the same from the 2-worker run's mails per second per core


def capacity(
    costs: list[KindCost],
    shares: dict[str, float],
    per_day: int,
    args: argparse.Namespace,
    per_core_rate: float,
) -> Capacity:
    cpu = sum(shares[cost.kind] * cost.cpu for cost in costs)
    peak_rate = per_day / (args.busy_hours * 3600)
    return Capacity(
        cpu,
        per_day * cpu / 86400,
        math.ceil(peak_rate * cpu / args.utilisation),
        math.ceil(peak_rate / per_core_rate / args.utilisation),
    )


def _share(cpu: float, seconds: float) -> str:
    """CPU seconds as a share of what the machine's cores had in `seconds`."""
    return f"{cpu / ((os.cpu_count() or 1) * seconds):.0%}"


def report(args: argparse.Namespace, samples: list[Sample], measured: dict[str, object]) -> bool:
    """Print the tables; whether every goal is met."""
    batch, single, double = measured["runs"]
    single_backlog, double_backlog = measured["backlog"]
    costs: list[KindCost] = measured["costs"]
    in_daemon, by_command = measured["latency"]
    shares = mix([sample.kind for sample in samples])
    print("\n## Throughput\n")
    print_markdown_table(
        [
            "run",
            "mails/s",
            "wall (s)",
            "CPU-s per mail",
            "start-up (s)",
            "enqueue CPU-s per mail",
            "PostgreSQL + RabbitMQ CPU-s per mail",
            "machine busy (ours)",
        ],
        [
            (
                run.name,
                f"{args.mails / run.seconds:.2f}",
                f"{run.seconds:.1f}",
                f"{run.cpu / args.mails:.3f}",
                f"{run.startup:.1f}",
                f"{run.feed_cpu / args.mails:.3f}" if run.feed_cpu else "-",
                f"{run.servers / args.mails:.3f}",
                f"{_share(run.busy, run.seconds)} ({_share(run.cpu + run.feed_cpu, run.seconds)})",
            )
            for run in (batch, single, double, single_backlog, double_backlog)
        ],
    )
    speedup = single_backlog.seconds / double_backlog.seconds
    fed_speedup, overhead = single.seconds / double.seconds, double.seconds / batch.seconds
    whole = double.seconds / (batch.seconds + batch.startup)
    p50, p95 = statistics.median(in_daemon), percentile(in_daemon, 0.95)
    goals = [
        (
            "speed-up, 2 worker processes / 1, on a queued backlog",
            f"{speedup:.2f}x",
            f">= {MIN_SPEEDUP}x",
            speedup >= MIN_SPEEDUP,
        ),
        (
            "the same while `rpa process --enqueue` feeds them on the same cores",
            f"{fed_speedup:.2f}x",
            "-",
            None,
        ),
        (
            "overhead, distributed (2) / in-process (start-ups excluded)",
            f"{overhead:.2f}x",
            f"<= {MAX_OVERHEAD}x",
            overhead <= MAX_OVERHEAD,
        ),
        ("overhead, distributed (2) / in-process with its start-up", f"{whole:.2f}x", "-", None),
        (
            f"arrival to stored draft, text mail, daemon's enqueuer ({len(in_daemon)}): p50 / p95",
            f"{p50:.3f} / {p95:.3f} s",
            f"p95 <= {MAX_LATENCY_P95} s",
            p95 <= MAX_LATENCY_P95,
        ),
        (
            f"the same through `rpa process --enqueue one.eml` ({len(by_command)}): p50 / p95",
            f"{statistics.median(by_command):.3f} / {percentile(by_command, 0.95):.3f} s",
            "-",
            None,
        ),
    ]
    print("\n## Goals\n")
    print_markdown_table(
        ["figure", "measured", "goal", "met"],
        [
            (name, value, goal, "-" if met is None else "yes" if met else "**no**")
            for name, value, goal, met in goals
        ],
    )
    print("\n## Worker CPU per mail by kind (one `rpa worker -c 1`, one kind at a time)\n")
    counts = {kind: sum(sample.kind == kind for sample in samples) for kind in KINDS}
    print_markdown_table(
        ["kind", "samples", "share", "mails timed", "CPU-s per mail", "wall s per mail"],
        [
            (c.kind, counts[c.kind], f"{shares[c.kind]:.0%}", c.mails, f"{c.cpu:.3f}", f"{c.wall:.3f}")
            for c in costs
        ],
    )
    model = capacity(costs, shares, args.per_day, args, args.mails / double.seconds / 2)
    print(f"\n## Capacity for {args.per_day:,} mails a day (the samples' mix)\n")
    print_markdown_table(
        ["figure", "value"],
        [
            ("worker CPU-s per mail of the mix (by kind, weighted)", f"{model.cpu_per_mail:.3f}"),
            ("worker CPU-s per mail measured on the whole 1-worker run", f"{single.cpu / args.mails:.3f}"),
            ("cores, the day's mail spread over 24 h at 100 % (floor)", f"{model.flat_cores:.2f}"),
            (
                f"cores, the day's mail within {args.busy_hours:g} h at {args.utilisation:.0%} busy",
                model.cores,
            ),
            (
                "the same from the 2-worker run's mails/s per core (right only if its machine was ours)",
                model.cores_by_throughput,
            ),
            ("daemon's CPU-s per mail (storing and sending it)", f"{double.feed_cpu / args.mails:.3f}"),
            (
                "PostgreSQL + RabbitMQ CPU-s per mail (anyone's use of them)",
                f"{double.servers / args.mails:.3f}",
            ),
        ],
    )
    return all(met is not False for *_, met in goals)
