"""The distributed mode's broker side: the Celery application, and sending mails to the workers.

With `[queue] broker_url` set, `rpa daemon` and `rpa process --enqueue` do not process
mail themselves. Each new mail's bytes are stored first (a `queued` mail record in the
store, `rpa.store.mailrecords`), and then one task per mail is sent, naming only the
record's id: `rpa worker` processes (`rpa.worker`) take the tasks, read the bytes from the
store and process them through the one ingestion service (`rpa.ingestion`).

Delivery is at least once, and the store makes it exactly once:

- tasks are acknowledged after they ran (`acks_late`), a task whose worker process died
  is given back to the broker (`task_reject_on_worker_lost`), and a worker takes one task
  at a time (prefetch 1), so a killed worker loses nothing;
- on Redis, a task not acknowledged within `visibility_seconds` is delivered again, so it
  must be longer than the hard limit of a task (checked when the settings load);
- a task delivered twice finds its mail already stored (the record, and the message's
  unique key) and does nothing more: one message, one draft, one audit trail;
- a task lost with a broker that kept nothing is sent again by the daemon once the mail
  has waited `requeue_seconds`.

Mails with pictures, scans or PDFs go to `ocr_queue`, the others to `text_queue`, so
workers can be given one kind or both (`rpa worker --queues`) and a text mail is not
stuck behind a pile of photos.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rpa.config import QueueSettings, Settings
from rpa.errors import QueueError
from rpa.models import Message

if TYPE_CHECKING:
    from celery import Celery

__all__ = ["PROCESS_TASK", "Dispatcher", "celery_app", "queue_for"]

log = logging.getLogger("rpa.queue")

PROCESS_TASK = "rpa.process"  # its one argument: the mail record's id
_OCR_TYPES = ("image/", "application/pdf", "application/octet-stream")
_OCR_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp", ".webp", ".heic", ".avif")


def celery_app(settings: Settings) -> Celery:
    """The Celery application of these settings (broker, delivery guarantees, limits, queues)."""
    queue = settings.queue
    if not queue.enabled:
        raise QueueError("no [queue] broker_url: the distributed mode is off")
    try:
        from celery import Celery
    except ImportError as exc:
        raise QueueError("[queue] broker_url needs Celery: pip install 'rpa[queue]'") from exc
    app = Celery("rpa", broker=queue.broker_url, set_as_current=False)
    transport: dict[str, object] = {"max_retries": None}  # publishing waits for the broker to come back
    if queue.is_redis:
        transport["visibility_timeout"] = queue.visibility_seconds
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        # rpa.worker stops a mail at task_seconds itself; the pool kills a process that did not listen.
        task_time_limit=queue.task_seconds + 30,
        task_default_queue=queue.text_queue,
        task_create_missing_queues=True,
        task_publish_retry=True,
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker waits for the broker as long as it takes
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        accept_content=["json"],
        task_serializer="json",
    )
    return app


def queue_for(message: Message, queue: QueueSettings) -> str:
    """The OCR queue for a mail with pictures, scans or PDFs, else the text queue."""
    for attachment in message.all_attachments():
        kind = attachment.content_type.lower()
        name = attachment.filename.lower()
        if kind.startswith(_OCR_TYPES) or name.endswith(_OCR_SUFFIXES):
            return queue.ocr_queue
    return queue.text_queue


class Dispatcher:
    """Sends mail records to the workers, and tells what the queues and workers are doing."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = celery_app(settings)

    def send(self, record_id: int, queue: str) -> None:
        """One task for the record; raises `QueueError` when the broker cannot be reached
        (the mail is stored: it is sent again later)."""
        try:
            self.app.send_task(
                PROCESS_TASK, args=[record_id], queue=queue, retry=True, retry_policy=_SEND_RETRY
            )
        except Exception as exc:  # noqa: BLE001 - kombu's and the transports' errors alike
            raise QueueError(f"cannot send mail record {record_id} to the workers: {exc}") from exc

    def depths(self) -> dict[str, int | None]:
        """Tasks waiting in each queue (None where the broker could not say)."""
        names = (self.settings.queue.text_queue, self.settings.queue.ocr_queue)
        depths: dict[str, int | None] = {}
        try:
            with self.app.connection_for_read() as connection:
                for name in names:
                    depths[name] = _depth(connection, name)
        except Exception as exc:  # noqa: BLE001 - status must answer even with the broker down
            log.warning("cannot read the queues' depths: %s", exc)
            return dict.fromkeys(names)
        return depths

    def workers(self, timeout: float = 1.0) -> Mapping[str, list[int]] | None:
        """Each live worker and the mail records it is processing now (None: broker unreachable)."""
        try:
            active = self.app.control.inspect(timeout=timeout).active()
        except Exception as exc:  # noqa: BLE001
            log.warning("cannot ask the workers: %s", exc)
            return None
        return {
            name: [task["args"][0] for task in tasks if task.get("args")]
            for name, tasks in sorted((active or {}).items())
        }

    def close(self) -> None:
        self.app.close()


_SEND_RETRY = {"max_retries": 5, "interval_start": 0.5, "interval_step": 1.0, "interval_max": 5.0}


def _depth(connection: object, name: str) -> int:
    """The tasks waiting in queue `name`; a channel of its own, which a missing queue closes."""
    channel = connection.channel()
    try:
        if hasattr(channel, "_size"):  # Redis and the other virtual transports: a list per queue
            return int(channel._size(name))  # noqa: SLF001 - kombu's own way to count a virtual queue
        try:
            return int(channel.queue_declare(queue=name, passive=True).message_count)
        except Exception:  # noqa: BLE001 - the queue does not exist yet: nothing was ever sent to it
            return 0
    finally:
        try:
            channel.close()
        except Exception:  # noqa: BLE001, S110 - a channel the broker closed already
            pass
