"""`[queue]`: the distributed mode, where Celery workers on other machines process the mail.

Empty `broker_url` (the default) keeps everything in one process tree: `rpa process`
and `rpa daemon` read, OCR, classify and draft themselves. With a broker, the daemon
only fetches and stores each mail's bytes, and `rpa worker` processes take them from
the broker (`rpa.queue`); the store must then be a server database that every machine
reaches (checked with the whole configuration, in `rpa.config.sections.Settings`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rpa.config.options import option as _opt
from rpa.errors import ConfigError

__all__ = ["QueueSettings", "BROKER_SCHEMES"]

BROKER_SCHEMES = ("amqp", "amqps", "pyamqp", "redis", "rediss")


@dataclass(frozen=True)
class QueueSettings:
    broker_url: str = _opt(
        "",
        "Celery broker: amqp://user:password@host:5672// (RabbitMQ) or redis://host:6379/0; "
        "empty: no workers, each process does its own work (with a password: broker_url_file)",
        url=True,
    )
    text_queue: str = _opt("rpa.text", "Queue of mails without pictures or scans to OCR")
    ocr_queue: str = _opt(
        "rpa.ocr",
        "Queue of mails with photos, scans or image-only PDFs, so text mail is not stuck behind them",
    )
    task_seconds: int = _opt(
        600, "A worker gives up a mail after this long (hard limit); it is retried, then marked failed"
    )
    max_retries: int = _opt(4, "A failing mail is retried this many times by the workers, with backoff")
    retry_seconds: float = _opt(10.0, "First retry delay; doubled at each attempt, with jitter")
    requeue_seconds: float = _opt(
        900.0,
        "A mail queued this long ago and still not processed (its task lost with a broker that "
        "kept nothing) is queued again by the daemon; longer than task_seconds",
    )
    visibility_seconds: int = _opt(
        3600,
        "Redis only: a task not acknowledged after this long is delivered again; longer than task_seconds",
    )
    worker_metrics_port: int = _opt(
        0,
        "Port of the Prometheus endpoint of `rpa worker` (its processes counted together); 0 means off",
    )

    def __post_init__(self) -> None:
        wrong = []
        scheme = self.broker_url.partition("://")[0].lower()
        if self.broker_url and ("://" not in self.broker_url or scheme not in BROKER_SCHEMES):
            wrong.append(
                f"broker_url must start with amqp:// (RabbitMQ) or redis:// (Redis), not {self.broker_url!r}"
            )
        for name in ("task_seconds", "retry_seconds", "visibility_seconds", "requeue_seconds"):
            if getattr(self, name) <= 0:
                wrong.append(f"{name} must be more than 0")
        if self.max_retries < 0:
            wrong.append("max_retries must be 0 or more")
        if self.visibility_seconds <= self.task_seconds:
            wrong.append(
                "visibility_seconds must be longer than task_seconds (else a running mail is delivered twice)"
            )
        if self.requeue_seconds <= self.task_seconds:
            wrong.append("requeue_seconds must be longer than task_seconds")
        if not self.text_queue or not self.ocr_queue:
            wrong.append("text_queue and ocr_queue must be named")
        if not 0 <= self.worker_metrics_port <= 65535:
            wrong.append("worker_metrics_port must be between 0 and 65535")
        if wrong:
            raise ConfigError(f"[queue] {'; '.join(wrong)}")

    @property
    def enabled(self) -> bool:
        return bool(self.broker_url)

    @property
    def is_redis(self) -> bool:
        return self.broker_url.lower().startswith(("redis", "rediss"))
