"""Backlog: N text mails waiting, `rpa daemon --once`, against a raw imapclient fetch.

Reference (same run, same mails, same server): a script that logs in, searches
and fetches every mail with imapclient in batches, and does nothing else. The
ratio raw / rpa shows what processing, storing exactly once and marking each
mail on the server cost on top of downloading it.

    python bench/imap_backlog.py [--mails 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from conftest import make_mail  # noqa: E402
from servers import Dovecot, daemon_env, run_once  # noqa: E402

BATCH = 50


def raw_fetch(server: Dovecot, user: str) -> int:
    client = server.client(user)
    client.select_folder("INBOX", readonly=True)
    uids = client.search(["ALL"])
    fetched = 0
    for start in range(0, len(uids), BATCH):
        fetched += len(client.fetch(uids[start : start + BATCH], ["BODY.PEEK[]", "INTERNALDATE"]))
    client.logout()
    return fetched


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    args = parser.parse_args()
    server = Dovecot()
    try:
        server.start()
        user = server.new_user()
        server.append(
            user,
            [
                make_mail(
                    f"Bonjour,\n\nSinistre du 14 mars 2025, contrat HAB-{20931000 + n}.\n",
                    sender=f"Client {n} <client{n}@example.fr>",
                    message_id=f"<backlog-{n}@example.fr>",
                )
                for n in range(args.mails)
            ],
        )
        started = time.perf_counter()
        fetched = raw_fetch(server, user)
        raw_seconds = time.perf_counter() - started

        home = Path(tempfile.mkdtemp(prefix="rpa-backlog-"))
        env = {
            **daemon_env(server, user, RPA_HOME=str(home), RPA_DAEMON_BATCH_SIZE=str(BATCH)),
            "RPA_DAEMON_SENDER_DRAFTS_PER_HOUR": "0",
        }
        started = time.perf_counter()
        run_once(env)
        rpa_seconds = time.perf_counter() - started
        processed = sum(1 for flags in server.flags(user).values() if b"$rpa-processed" in flags)
    finally:
        server.close()
    if fetched != args.mails or processed != args.mails:
        print(f"error: fetched {fetched}, processed {processed} of {args.mails}", file=sys.stderr)
        return 1
    raw_rate, rpa_rate = fetched / raw_seconds, processed / rpa_seconds
    print(f"mails: {args.mails}")
    print(f"raw imapclient fetch: {raw_rate:.1f} mails/s ({raw_seconds:.2f} s)")
    print(f"rpa daemon --once: {rpa_rate:.1f} mails/s ({rpa_seconds:.2f} s)")
    print(f"ratio raw / rpa: {raw_rate / rpa_rate:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
