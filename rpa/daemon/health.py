"""How ops see the daemon: logs (text or JSON lines), Prometheus metrics, `rpa status`."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from rpa.config import Settings
from rpa.errors import ConfigError
from rpa.models import DraftStatus
from rpa.store import Store
from rpa.store.mailrecords import Heartbeat, MailRecord, MailRecords

__all__ = ["DaemonStatus", "Metrics", "configure_logging", "daemon_status", "format_failed", "format_status"]

STOPPED = "stopped"


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Daemon logs on stderr: one line of text, or one JSON object, per event."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JsonLines()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger("rpa")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class Metrics:
    """Prometheus counters and gauges on an HTTP endpoint (prometheus_client, optional)."""

    def __init__(self, port: int, address: str = "127.0.0.1") -> None:
        try:
            import prometheus_client as prom
        except ImportError as exc:
            raise ConfigError(
                "[daemon] metrics_port needs prometheus_client: pip install prometheus_client"
            ) from exc
        registry = prom.CollectorRegistry()
        self.processed = prom.Counter("rpa_mails_processed", "Mails stored", registry=registry)
        self.failed = prom.Counter("rpa_mails_failed", "Mail processing failures", registry=registry)
        self.latency = prom.Histogram(
            "rpa_mail_seconds", "Seconds to process and store one mail", registry=registry
        )
        self.queue = prom.Gauge("rpa_backlog", "Mails waiting to be processed", registry=registry)
        self.server, self.thread = prom.start_http_server(port, addr=address, registry=registry)

    def mail_done(self, outcome: str, seconds: float) -> None:
        if outcome in ("retry", "failed"):
            self.failed.inc()
        else:
            self.processed.inc()
            self.latency.observe(seconds)

    def backlog(self, count: int) -> None:
        self.queue.set(count)

    def close(self) -> None:
        self.server.shutdown()


@dataclass(frozen=True)
class DaemonStatus:
    heartbeats: list[Heartbeat]
    running: list[bool]
    mails: dict[str, int]
    drafts: dict[str, int]


def daemon_status(settings: Settings, store: Store, now: datetime | None = None) -> DaemonStatus:
    now = now or datetime.now(UTC)
    records = MailRecords(store, None)
    beats = records.heartbeats()
    stale_after = 3 * settings.daemon.heartbeat_seconds + 5
    running = [
        beat.state != STOPPED and (now - beat.beat_at).total_seconds() <= stale_after and _alive(beat)
        for beat in beats
    ]
    counted = store.review_counts()
    drafts = {
        status.value: counted.get(status.value, 0)
        for status in (DraftStatus.APPROVED, DraftStatus.SENDING, DraftStatus.SENT)
    }
    return DaemonStatus(beats, running, records.counts(), drafts)


def _alive(beat: Heartbeat) -> bool:
    if beat.host != socket.gethostname():
        return True  # another machine: the heartbeat is all we know
    try:
        os.kill(beat.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def format_status(status: DaemonStatus, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = []
    if not status.heartbeats:
        lines.append("daemon: never ran with this store")
    for beat, running in zip(status.heartbeats, status.running, strict=True):
        age = int((now - beat.beat_at).total_seconds())
        state = f"running (pid {beat.pid} on {beat.host}, {beat.state})" if running else "not running"
        lines.append(f"daemon {beat.account}: {state}; last heartbeat {age} s ago")
        lines.append(f"  backlog: {beat.backlog}")
        if beat.last_error:
            lines.append(f"  last error: {beat.last_error} ({beat.last_error_at:%Y-%m-%d %H:%M:%S} UTC)")
    mails = ", ".join(f"{n} {s}" for s, n in sorted(status.mails.items())) or "none"
    lines.append(f"mails: {mails}")
    lines.append("replies: " + ", ".join(f"{n} {s}" for s, n in status.drafts.items()))
    return "\n".join(lines) + "\n"


def format_workers(depths: Mapping[str, int | None], workers: Mapping[str, list[int]] | None) -> str:
    """`rpa status` in the distributed mode: the tasks waiting per queue, and each live worker
    with the mail records it is processing."""
    lines = [
        "queue " + ", ".join(f"{name}: {'unknown' if n is None else n} waiting" for name, n in depths.items())
    ]
    if workers is None:
        lines.append("workers: the broker cannot be reached")
    elif not workers:
        lines.append("workers: none alive")
    for name, records in (workers or {}).items():
        doing = f"processing mail record(s) {', '.join(map(str, records))}" if records else "idle"
        lines.append(f"worker {name}: {doing}")
    return "\n".join(lines) + "\n"


def format_failed(records: list[MailRecord]) -> str:
    """`rpa queue --status failed`: the mails that could not be processed, and why."""
    if not records:
        return "no failed mail\n"
    lines = [f"{'ID':>5}  {'STATUS':<7} {'TRIES':>5}  {'FOLDER':<12} {'UID':>7}  ERROR"]
    for r in records:
        lines.append(
            f"{r.id:>5}  {r.status:<7} {r.attempts:>5}  {r.folder[:12]:<12} {r.uid:>7}  "
            f"{(r.last_error or '')[:100]}"
        )
    lines.append("run one again with `rpa retry ID`")
    return "\n".join(lines) + "\n"
