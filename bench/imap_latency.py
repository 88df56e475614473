"""IDLE latency: from a second client's APPEND to the draft in the store.

Starts a Dovecot of its own (tests/servers.py) and `rpa daemon` as ops run it,
appends text mails one at a time from another connection, and measures until
each one's draft is committed. Goal: p95 <= 1 s.

    python bench/imap_latency.py [--mails 50] [--check]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from conftest import make_mail  # noqa: E402
from servers import Dovecot, daemon_env, start_daemon, wait_until  # noqa: E402

GOAL_P95 = 1.0


def text_mail(number: int) -> bytes:
    return make_mail(
        f"Bonjour,\n\nSinistre du 14 mars 2025, contrat HAB-{20931000 + number}.\n\nClient {number}\n",
        sender=f"Client {number} <client{number}@example.fr>",  # the per-sender limit
        message_id=f"<latency-{number}@example.fr>",
    )


def drafted(db: Path, message_id: str) -> bool:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return (
                connection.execute(
                    "SELECT 1 FROM drafts d JOIN messages m ON m.id = d.message_pk WHERE m.message_key = ?",
                    (message_id,),
                ).fetchone()
                is not None
            )
    except sqlite3.Error:
        return False  # the daemon is still creating the schema


def measure(mails: int) -> list[float]:
    server = Dovecot()
    home = Path(tempfile.mkdtemp(prefix="rpa-latency-"))
    daemon = None
    try:
        server.start()
        user = server.new_user()
        daemon = start_daemon(home, daemon_env(server, user))
        client = server.client(user)
        client.append("INBOX", text_mail(0))  # warm-up: the daemon is up and idling after it
        if not wait_until(lambda: drafted(home / "rpa.db", "<latency-0@example.fr>"), timeout=60):
            raise SystemExit(f"the daemon did not start:\n{(home / 'daemon.log').read_text()}")
        latencies = []
        for number in range(1, mails + 1):
            time.sleep(0.2)  # let it go back to IDLE
            started = time.monotonic()
            client.append("INBOX", text_mail(number))
            if not wait_until(
                lambda n=number: drafted(home / "rpa.db", f"<latency-{n}@example.fr>"),
                timeout=30,
                every=0.005,
            ):
                log = (home / "daemon.log").read_text(errors="replace")[-4000:]
                raise SystemExit(f"mail {number} was not drafted within 30 s; the daemon's log ends:\n{log}")
            latencies.append(time.monotonic() - started)
        client.logout()
        return latencies
    finally:
        if daemon is not None:
            daemon.terminate()
            daemon.wait(timeout=30)
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=50)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when p95 > {GOAL_P95} s")
    args = parser.parse_args()
    latencies = measure(args.mails)
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 2 else latencies[0]
    print(f"mails: {len(latencies)}")
    print(
        f"IDLE latency APPEND -> draft stored: p50 {p50:.3f} s, p95 {p95:.3f} s, max {max(latencies):.3f} s "
        f"(goal p95 <= {GOAL_P95} s)"
    )
    return 1 if args.check and p95 > GOAL_P95 else 0


if __name__ == "__main__":
    sys.exit(main())
