"""`rpa daemon`: watch the mailbox until stopped, and send what agents approved.

One connection, one thread: take new mail from each watched folder, send the
approved replies, then wait (IDLE on the first folder, re-issued before the
29 minutes of RFC 2177; a poll where the server has no IDLE). A lost
connection or a restarted server: reconnect with exponential backoff and
jitter. Refused credentials: said once, clearly, then a long wait (hammering
a server with a bad password locks accounts).

SIGTERM/SIGINT: finish the current mail, commit, log out, exit 0. A second
signal exits at once; what was committed stays committed.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from rpa.batch import PipelineRunner
from rpa.config import Settings
from rpa.daemon.health import STOPPED, Metrics, configure_logging
from rpa.daemon.intake import Intake
from rpa.enqueue import Enqueuer
from rpa.errors import AuthenticationFailed, CertificateRefused, MailboxError
from rpa.mailbox import ImapMailbox, Mailbox, account_name
from rpa.outbox import Outbox
from rpa.store import Store
from rpa.store.knowledge import kb_passages
from rpa.store.mailrecords import MailRecords

__all__ = ["Backoff", "Daemon", "run_daemon"]

log = logging.getLogger("rpa.daemon")


class Backoff:
    """Exponential delays with full jitter, capped (AWS architecture blog, 2015)."""

    def __init__(self, first: float, cap: float, rng: random.Random | None = None) -> None:
        self.first, self.cap, self.attempt = first, cap, 0
        self.rng = rng or random.Random()

    def next(self) -> float:
        ceiling = min(self.cap, self.first * 2**self.attempt)
        self.attempt += 1
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.attempt = 0


class Daemon:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        runner: PipelineRunner | None,
        enqueuer: Enqueuer | None = None,
        connect: Callable[[], Mailbox] | None = None,
        outbox: Outbox | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.account = account_name(settings.imap, settings.daemon.account)
        self.connect = connect or (lambda: ImapMailbox.connect(settings.imap, self.account))
        self.folders = [f.strip() for f in settings.imap.folder.split(",") if f.strip()] or ["INBOX"]
        self.intake = Intake(settings, store, self.account, runner, metrics, enqueuer=enqueuer)
        self.outbox = outbox
        self.records = MailRecords(store, self.account)
        self.stopping = False
        self.started_at = datetime.now(UTC)
        self._last_beat = 0.0
        self._last_send = 0.0
        self._backoff = Backoff(1.0, settings.daemon.reconnect_max_seconds)

    def request_stop(self) -> None:
        self.stopping = True

    def run(self, *, once: bool = False) -> None:
        """Until `request_stop()`; with `once`, one pass over what is waiting (errors raise)."""
        try:
            while not self.stopping:
                mailbox = self._connect(once)
                if mailbox is None:
                    continue
                try:
                    self._serve(mailbox, once)
                    return
                except MailboxError as exc:
                    if once:
                        raise
                    self._pause(f"connection lost: {exc}", self._backoff.next())
                finally:
                    mailbox.close()
        finally:
            self._beat(STOPPED, force=True)

    def _connect(self, once: bool) -> Mailbox | None:
        self._beat("connecting", force=True)
        try:
            mailbox = self.connect()
        except AuthenticationFailed as exc:
            if once:
                raise
            self._pause(
                f"{exc}; check the user name and password (or token helper)",
                self.settings.daemon.auth_retry_seconds,
                level=logging.ERROR,
            )
            return None
        except MailboxError as exc:
            if once:
                raise
            # A refused certificate needs a person, so it is an error; but it is retried at the
            # usual pace: no account gets locked, and the server's certificate may be fixed.
            level = logging.ERROR if isinstance(exc, CertificateRefused) else logging.WARNING
            self._pause(str(exc), self._backoff.next(), level=level)
            return None
        self._backoff.reset()
        log.info("connected to the mailbox of %s", self.account)
        return mailbox

    def _serve(self, mailbox: Mailbox, once: bool) -> None:
        while not self.stopping:
            self._beat("processing", force=True)
            for folder in self.folders:
                self.intake.sync_folder(mailbox, folder, self._tick)
            self._send(mailbox, force=once)
            self._beat("idle", force=True)
            if once or self.stopping:
                return
            mailbox.open_folder(self.folders[0])  # the outbox may have looked at Sent
            mailbox.wait_for_mail(self._wait_seconds(mailbox), self._tick)

    def _send(self, mailbox: Mailbox, *, force: bool) -> None:
        if self.outbox is None or self.stopping:
            return
        if not force and time.monotonic() - self._last_send < self.settings.daemon.send_seconds:
            return
        self._last_send = time.monotonic()
        for report in self.outbox.send(mailbox):
            log.info("reply to message %s: %s %s", report.message_pk, report.status, report.detail)

    def _wait_seconds(self, mailbox: Mailbox) -> float:
        daemon = self.settings.daemon
        wait = daemon.idle_seconds if getattr(mailbox, "can_idle", True) else daemon.poll_seconds
        # Come back for retries and for approved replies even when no mail arrives.
        wait = min(wait, daemon.retry_seconds, 1740.0)
        if self.outbox is not None:
            wait = min(wait, daemon.send_seconds)
        return max(wait, 0.1)

    def _tick(self) -> bool:
        """Called between mails and while waiting: keeps the heartbeat, says whether to stop."""
        self._beat("idle" if self.intake.backlog == 0 else "processing")
        return self.stopping

    def _pause(self, reason: str, seconds: float, level: int = logging.WARNING) -> None:
        log.log(level, "%s; trying again in %.1f s", reason, seconds)
        self._beat("waiting", force=True, error=reason)
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
            self._beat("waiting")

    def _beat(self, state: str, *, force: bool = False, error: str | None = None) -> None:
        if not force and time.monotonic() - self._last_beat < self.settings.daemon.heartbeat_seconds:
            return
        self._last_beat = time.monotonic()
        self.records.beat(
            host=socket.gethostname(),
            pid=os.getpid(),
            state=state,
            started_at=self.started_at,
            backlog=self.intake.backlog,
            error=error,
        )


@contextmanager
def _stop_on_signals(daemon: Daemon) -> Iterator[None]:
    def handle(signum: int, _frame: object) -> None:
        if daemon.stopping:
            log.warning("second %s: exiting now", signal.Signals(signum).name)
            os._exit(128 + signum)  # committed work is safe; nothing else is waited for
        log.info("%s: stopping after the current mail", signal.Signals(signum).name)
        daemon.request_stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _processing(settings: Settings, store: Store) -> Iterator[tuple[PipelineRunner | None, Enqueuer | None]]:
    """Who processes the mail: a pipeline here, or the workers behind the broker ([queue])."""
    if settings.queue.enabled:
        enqueuer = Enqueuer(settings, store)
        try:
            yield None, enqueuer
        finally:
            enqueuer.close()
    else:
        with PipelineRunner(settings, 1, knowledge=kb_passages(store)) as runner:
            yield runner, None


def run_daemon(settings: Settings, *, once: bool = False) -> None:
    """The `rpa daemon` command: logging, metrics, signals, then `Daemon.run`."""
    configure_logging(settings.daemon.log_format)
    metrics = (
        Metrics(settings.daemon.metrics_port, settings.daemon.metrics_address)
        if settings.daemon.metrics_port
        else None
    )
    try:
        with Store.open(settings) as store, _processing(settings, store) as (runner, enqueuer):
            outbox = (
                Outbox(settings, store)
                if settings.daemon.send_approved and (settings.smtp.host or settings.smtp.mode == "drafts")
                else None
            )
            daemon = Daemon(settings, store, runner=runner, enqueuer=enqueuer, outbox=outbox, metrics=metrics)
            how = f"workers on {settings.queue.broker_url.rpartition('@')[2]}" if enqueuer else "this process"
            log.info(
                "rpa daemon for %s, watching %s; mail processed by %s",
                daemon.account,
                ", ".join(daemon.folders),
                how,
            )
            with _stop_on_signals(daemon):
                daemon.run(once=once)
            log.info("rpa daemon stopped")
    finally:
        if metrics is not None:
            metrics.close()
