"""Latency of the web workspace under 20 agents, on a store of 100,000 messages.

Reference (measured in the same run, same server, same session gate): a route
added to the app by this benchmark only, `/bench/fixed`, that returns a fixed
page. Its p95 is what the server, the session lookup and the network cost; the
ratio of each page's p95 to it shows what the page itself adds. With 20 clients
that never pause, a page's latency is mostly its turn in the queue (about
20 / requests per second), so each page is also timed with one client alone:
what one request costs.

    python bench/web.py [--messages 100000] [--seconds 12] [--workers 1,2]
                        [--databases sqlite,postgresql] [--quick] [--check]

The store is seeded through `Store.save_processed` (varied intents, languages,
customers, reference numbers, flags, a draft for most; 3 % of the mails carry a
one-page PDF the workspace draws) and reviewed through `Store.approve` /
`Store.reject` (most old messages answered, most recent ones waiting: 26,689 of
100,000 pending), so that the queue's columns are those the app maintains.
Seeding 100,000 takes about 12 minutes in two processes, so it is done once and
kept under bench/results/ (gitignored), keyed on the schema version, the number
of messages and `GENERATOR`: the SQLite file (seeded in /dev/shm, copied for
each run) and a pg_dump of the PostgreSQL schema (seeded with
synchronous_commit off, restored into a throwaway schema of
`postgresql+psycopg://postgres@127.0.0.1:5432/test` for each run, then
VACUUM ANALYZE as autovacuum would). PostgreSQL is skipped, with the reason,
when it is not reachable. `--no-cache` seeds afresh and keeps nothing.

The app runs as `rpa web` runs it (uvicorn, no access log, a user and a session
made with rpa.accounts), with one worker and with two, in its own process. The
load comes from `wrk` (Debian package `wrk`: `apt-get install wrk`), one thread,
20 connections; without wrk, from a small asyncio HTTP/1.1 client in a separate
process. Prints p50/p95/p99 and requests per second per page and database, with
the load average of the machine before each server (other work on it shows in
the figures), and writes them to bench/results/web.json.
Target: the queue and item pages at p95 <= 100 ms, on SQLite and PostgreSQL.

The synthetic messages are in bench/webdata.py, the seeding and the cached stores in
bench/webstores.py, the server and the load generators in bench/webload.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from webload import CLIENTS, Figure, Loader, fetch, serving, wait_until_up  # noqa: E402
from webstores import RESULTS, SCHEMA, Seeded, postgres_store, sqlite_store  # noqa: E402

from rpa.store import Store  # noqa: E402

TARGET_P95_MS = 100.0
PASSWORD = "bench password 2025"

# -- the measurements -------------------------------------------------------------------

LABELS = {
    "fixed": "fixed page (reference)",
    "queue": "queue",
    "filtered": "queue: complaint, fr, search",
    "flag": "queue: flag needs_triage",
    "search": "queue: search a claim number",
    "item": "item page",
    "image_first": "page image, first render",
    "image_cached": "page image, cached",
}
TARGET_PAGES = ("queue", "filtered", "flag", "search", "item")


def pages_to_load(url: str) -> tuple[dict[str, list[str]], list[str]]:
    """The paths of each page measured (rotated over where there are several), and of the page images."""
    draw = random.Random(1)
    with Store(url) as store:
        q, f, a = store.t["queue_entries"], store.t["fields"], store.t["attachments"]
        with store.reading() as connection:
            pending = (
                connection.execute(
                    sa.select(q.c.message_pk)
                    .where(q.c.review_status == "pending_review")
                    .order_by(q.c.message_pk)
                )
                .scalars()
                .all()
            )
            claims = (
                connection.execute(
                    sa.select(f.c.value)
                    .join(q, q.c.message_pk == f.c.message_pk)
                    .where(f.c.name == "claim_number", q.c.review_status == "pending_review")
                    .order_by(f.c.id)
                    .limit(500)
                )
                .scalars()
                .all()
            )
            drawable = (
                connection.execute(
                    sa.select(a.c.message_pk)
                    .where(a.c.filename == "constat.pdf", a.c.status == "ok")
                    .order_by(a.c.id)
                )
                .scalars()
                .all()
            )
    items = draw.sample(pending, min(2000, len(pending)))
    pages = {
        "fixed": ["/bench/fixed"],
        "queue": ["/queue"],
        "filtered": ["/queue?intent=complaint&language=fr&q=martin"],
        "flag": ["/queue?flag=needs_triage"],
        "search": [f"/queue?q={value}" for value in draw.sample(claims, min(50, len(claims)))],
        "item": [f"/messages/{pk}" for pk in items],
    }
    images = [
        f"/messages/{pk}/attachments/0/pages/1.png" for pk in draw.sample(drawable, min(300, len(drawable)))
    ]
    return pages, images


def open_session(home: Path, url: str) -> str:
    """An agent's account and a logged-in session: the Cookie header of its requests."""
    from rpa.accounts import add_user, log_in
    from rpa.config import load_settings
    from rpa.web.security import SESSION_COOKIE

    settings = load_settings(environ={"RPA_HOME": str(home), "RPA_STORE_URL": url})
    name = f"bench{uuid.uuid4().hex[:6]}"
    with Store(url) as store:
        add_user(store, name, "agent", PASSWORD, actor="bench")
        session = log_in(store, settings.web, name, PASSWORD, "127.0.0.1")
    return f"{SESSION_COOKIE}={session.token}"


def measure(
    loader: Loader, port: int, cookie: str, home: Path, pages: dict[str, list[str]], images: list[str], args
) -> dict[str, Figure]:
    figures = {}
    for name, paths in pages.items():
        _check_answer(port, paths[0], cookie)
        if args.warmup:
            loader.load(port, paths, cookie, args.warmup)
        figures[name] = loader.load(port, paths, cookie, args.seconds)
        figures[name].alone_ms = loader.load(port, paths, cookie, min(args.seconds, 3.0), clients=1).p50_ms
    if images:
        _check_answer(port, images[0], cookie)
        shutil.rmtree(home / "cache" / "pages", ignore_errors=True)
        figures["image_first"] = loader.once(port, images, cookie)
        figures["image_cached"] = loader.load(port, images, cookie, args.seconds)
        figures["image_cached"].alone_ms = loader.load(port, images, cookie, min(args.seconds, 3.0), 1).p50_ms
    reference = figures["fixed"].p95_ms
    for figure in figures.values():
        figure.ratio_p95 = figure.p95_ms / reference if reference else None
    return figures


def _check_answer(port: int, path: str, cookie: str) -> None:
    status, body = fetch(port, path, cookie)
    if status != 200 or not body:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")


def print_figures(figures: dict[str, Figure]) -> None:
    heads = ("p50 ms", "p95 ms", "p99 ms", "req/s", "requests", "errors", "p95/fixed")
    print(f"  {'page':<30}" + "".join(f"{head:>10}" for head in heads) + f"{'1 client p50 ms':>17}")
    for name, figure in figures.items():
        ratio = f"{figure.ratio_p95:.1f}x" if figure.ratio_p95 is not None else ""
        alone = f"{figure.alone_ms:.1f}" if figure.alone_ms is not None else ""
        values = (figure.p50_ms, figure.p95_ms, figure.p99_ms, figure.rps)
        print(
            f"  {LABELS[name]:<30}"
            + "".join(f"{value:10.1f}" for value in values)
            + f"{figure.requests:10d}{figure.errors:10d}{ratio:>10}{alone:>17}"
        )


def run_database(database: str, seeded: Seeded, home: Path, loader: Loader, args) -> dict:
    print(
        f"\n== {database}: {seeded.messages:,} messages, {seeded.pending:,} pending review; seeded through "
        f"Store.save_processed/approve/reject in {seeded.seconds:.0f} s"
        + (f" by {seeded.processes} processes" if seeded.processes else "")
        + (" (a cached copy of that seeding)" if seeded.cached else "")
    )
    cookie = open_session(home, seeded.url)
    pages, images = pages_to_load(seeded.url)
    result: dict = {"seeding": {k: v for k, v in asdict(seeded).items() if k not in ("url", "cleanup")}}
    for workers in args.workers:
        load = os.getloadavg()[0]
        print(f"-- {workers} worker{'s' * (workers > 1)} (load average before: {load:.2f})")
        with serving(home, seeded.url, workers) as port:
            wait_until_up(port, cookie)
            figures = measure(loader, port, cookie, home, pages, images, args)
        print_figures(figures)
        result[f"workers_{workers}"] = {
            "load_average_before": load,
            **{k: asdict(v) for k, v in figures.items()},
        }
    return result


def missed_targets(results: dict) -> list[str]:
    missed = []
    for database, result in results.items():
        for key, figures in result.items():
            if not key.startswith("workers_"):
                continue
            missed += [
                f"{database} {key} {page}: p95 {figures[page]['p95_ms']:.0f} ms"
                for page in TARGET_PAGES
                if page in figures and figures[page]["p95_ms"] > TARGET_P95_MS
            ]
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=12.0, help="Measured seconds per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="Seconds of load before each measurement")
    parser.add_argument("--workers", default="1,2", help="Server processes to measure, e.g. 1,2")
    parser.add_argument(
        "--processes", type=int, default=max(2, os.cpu_count() or 1), help="Seeding processes"
    )
    parser.add_argument(
        "--tool", choices=("auto", "wrk", "python"), default="auto", help="The load generator"
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="Which stores, e.g. sqlite")
    parser.add_argument(
        "--no-cache", action="store_true", help="Seed afresh; keep nothing under bench/results"
    )
    parser.add_argument(
        "--quick", action="store_true", help="400 messages, 1 s per page, SQLite, 1 worker (a smoke test)"
    )
    parser.add_argument(
        "--output", type=Path, help="Where to write the figures (default bench/results/web.json)"
    )
    parser.add_argument("--check", action="store_true", help="Exit 1 when a target is missed")
    args = parser.parse_args()
    if args.quick:
        args.messages, args.seconds, args.warmup, args.workers = 400, 1.0, 0.2, "1"
        args.databases, args.no_cache = "sqlite", True
    args.workers = [int(count) for count in args.workers.split(",")]
    output = args.output or RESULTS / ("web-quick.json" if args.quick else "web.json")
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    if tool == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), or use --tool python")
    print(
        f"web workspace under {CLIENTS} concurrent clients ({tool}), {args.seconds:g} s per page after "
        f"{args.warmup:g} s of warm-up; {os.cpu_count()} CPUs; schema v{SCHEMA}"
    )
    results: dict = {}
    loader = Loader(tool)
    try:
        with tempfile.TemporaryDirectory(prefix="rpa-bench-web-") as scratch:
            if "sqlite" in args.databases:
                home = Path(scratch) / "sqlite"
                home.mkdir()
                seeded = sqlite_store(args.messages, home, args.processes, not args.no_cache)
                results["sqlite"] = run_database("SQLite", seeded, home, loader, args)
            if "postgresql" in args.databases:
                results["postgresql"] = _run_postgres(Path(scratch) / "postgresql", loader, args)
    finally:
        loader.close()
    missed = missed_targets(results)
    print(
        f"\ntarget: queue and item pages p95 <= {TARGET_P95_MS:.0f} ms: "
        + ("met" if not missed else "MISSED")
    )
    for line in missed:
        print(f"  missed: {line}")
    output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "clients": CLIENTS,
        "tool": tool,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "messages": args.messages,
        "target_p95_ms": TARGET_P95_MS,
        "missed": missed,
        "databases": results,
    }
    output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"figures written to {output}")
    return 1 if args.check and missed else 0


def _run_postgres(home: Path, loader: Loader, args) -> dict:
    home.mkdir()
    seeded = postgres_store(args.messages, args.processes, not args.no_cache)
    if isinstance(seeded, str):
        print(f"\n== PostgreSQL: skipped: {seeded}")
        return {"skipped": seeded}
    try:
        return run_database("PostgreSQL", seeded, home, loader, args)
    finally:
        seeded.cleanup()


if __name__ == "__main__":
    sys.exit(main())
