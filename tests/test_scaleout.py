"""The distributed mode against real parts: PostgreSQL, RabbitMQ and Redis, Dovecot, and
`rpa daemon` and `rpa worker` as separate processes.

Every mail must end in the store exactly once, with one draft and one audit trail, however
often its task is delivered and whatever dies on the way.
"""

from __future__ import annotations

import mimetypes
import os
import random
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import make_mail
from scaleout import RPA, Cluster, cluster, rabbit_cluster  # noqa: F401 - fixtures
from servers import Dovecot, daemon_env
from smtpsink import SmtpSink

from rpa.config import load_settings
from rpa.errors import ConfigError
from rpa.queue import Dispatcher

pytest_plugins = ["servers"]  # the dovecot, mailbox_user and smtp_sink fixtures
pytestmark = pytest.mark.alone  # they restart PostgreSQL and RabbitMQ under any other test

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def claim(number: int, **kwargs: object) -> bytes:
    return make_mail(
        f"Bonjour,\n\nJe déclare un dégât des eaux survenu hier. Contrat HAB-{30931000 + number}.\n\n"
        f"Cordialement,\nCliente {number}\n",
        sender=f"Cliente {number} <cliente{number}@example.fr>",
        message_id=f"<scale-{number}@example.fr>",
        **kwargs,
    )


def scans() -> list[Path]:
    """The samples' photos and scans: seconds of OCR each."""
    found = [path for path in sorted(SAMPLES.iterdir()) if path.suffix in (".jpg", ".png", ".tif", ".tiff")]
    assert found, "the samples hold photos and scans"
    return found


def picture(path: Path) -> tuple[str, str, bytes]:
    return path.name, mimetypes.guess_type(path.name)[0] or "application/octet-stream", path.read_bytes()


def write_mails(folder: Path, mails: list[bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, raw in enumerate(mails):
        (folder / f"mail-{number:04}.eml").write_bytes(raw)
    return folder


def assert_each_once(cluster: Cluster, count: int) -> None:
    """`count` mails: one message each, one draft each, one 'stored' entry in the audit trail each."""
    keys = cluster.rows("SELECT message_key, count(*) FROM messages GROUP BY message_key")
    assert len(keys) == count and all(n == 1 for _, n in keys), keys
    drafts = cluster.rows("SELECT message_pk, count(*) FROM drafts GROUP BY message_pk")
    assert len(drafts) == count and all(n == 1 for _, n in drafts)
    created = cluster.rows(
        "SELECT entity_id, count(*) FROM audit WHERE entity = 'message' GROUP BY entity_id"
    )
    assert len(created) == count and all(n == 1 for _, n in created), created
    records = cluster.rows("SELECT status, count(*) FROM mail_records GROUP BY status")
    assert dict(records) == {"done": count}, records


def test_the_daemon_stores_the_mail_moves_it_and_two_workers_process_each_mail_once(
    cluster: Cluster, dovecot: Dovecot, mailbox_user: str
) -> None:
    count = 200 if "amqp" in cluster.env["RPA_QUEUE_BROKER_URL"] else 60
    dovecot.append(mailbox_user, [claim(n) for n in range(count)])
    cluster.env.update(
        daemon_env(dovecot, mailbox_user, RPA_DAEMON_ACTION="move", RPA_DAEMON_MOVE_TO="Traité"),
        RPA_PIPELINE_WORKERS="1",
    )
    cluster.start_worker(1)
    cluster.start_worker(1)

    fetched = cluster.rpa("daemon", "--once")

    assert fetched.returncode == 0, fetched.stderr
    assert "processed by workers" in fetched.stderr
    # Fetched, stored and moved at once; processed by the workers afterwards.
    assert dovecot.flags(mailbox_user) == {}
    assert len(dovecot.messages(mailbox_user, "Traité")) == count
    cluster.wait_until_processed(count)
    cluster.rpa("daemon", "--once")  # runs nothing twice: the mails were moved once
    assert len(dovecot.messages(mailbox_user, "Traité")) == count
    assert_each_once(cluster, count)
    assert "rpa.process" in cluster.log() and "Traceback" not in cluster.log()
    # Each pool process built its pipeline once, and none was killed for taking its time to.
    assert cluster.log().count("pipeline ready in") == 2
    assert "Timed out waiting for UP message" not in cluster.log()


def test_the_same_task_delivered_twice_on_purpose_gives_one_result(cluster: Cluster, tmp_path: Path) -> None:
    folder = write_mails(tmp_path / "in", [claim(1)])
    queued = cluster.rpa("process", "--enqueue", str(folder))
    assert queued.returncode == 0, queued.stderr
    ((record_id, queue),) = cluster.rows("SELECT id, queue FROM mail_records")
    dispatcher = Dispatcher(load_settings(environ=cluster.env))
    try:
        dispatcher.send(record_id, queue)
        dispatcher.send(record_id, queue)
    finally:
        dispatcher.close()

    cluster.start_worker(2)

    cluster.wait_until_processed(1)
    assert wait_for_outcomes(cluster, 3), cluster.log()
    outcomes = outcomes_in_log(cluster)
    # The first delivery stores the mail; the others find it stored (the record, or the message
    # key when two processes raced).
    assert outcomes.count("stored") == 1 and set(outcomes) <= {"stored", "already", "duplicate"}
    assert_each_once(cluster, 1)
    again = cluster.rpa("process", "--enqueue", str(folder))
    assert "1 already stored" in again.stderr


def outcomes_in_log(cluster: Cluster) -> list[str]:
    """What the workers said of each task: stored, duplicate, already, failed..."""
    return re.findall(r"rpa\.worker: mail record \d+: (\w+) in", cluster.log())


def wait_for_outcomes(cluster: Cluster, count: int, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(outcomes_in_log(cluster)) >= count:
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_five_times_in_the_middle_of_ocr_loses_nothing_and_doubles_nothing(
    rabbit_cluster: Cluster, tmp_path: Path
) -> None:
    cluster = rabbit_cluster
    pictures = scans()
    mails = [claim(n, attachments=[picture(pictures[n % len(pictures)])]) for n in range(12)]
    queued = cluster.rpa("process", "--enqueue", str(write_mails(tmp_path / "in", mails)))
    assert queued.returncode == 0, queued.stderr
    assert cluster.scalar("SELECT count(DISTINCT queue) FROM mail_records") == 1  # all on the OCR queue
    rng = random.Random(14)

    for _ in range(5):
        since = len(cluster.log())
        worker = cluster.start_worker(1)
        assert wait_for_busy(cluster, since), cluster.log()[-3000:]
        time.sleep(rng.uniform(0.05, 0.6))  # somewhere in the middle of reading a picture
        cluster.kill(worker)
    cluster.start_worker(2)

    cluster.wait_until_processed(len(mails), timeout=300)
    assert_each_once(cluster, len(mails))
    received = re.findall(r"rpa\.process\[([0-9a-f-]+)\] received", cluster.log())
    redeliveries = len(received) - len(set(received))  # a task given again after its worker died
    assert redeliveries >= 3, "the kills should have caught mails being read"


def wait_for_busy(cluster: Cluster, since: int, timeout: float = 120) -> bool:
    """Until the worker started at log offset `since` has received a task it has not finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = cluster.log()[since:]
        if log.count("] received") > log.count("] succeeded"):
            return True
        time.sleep(0.02)
    return False


def test_the_broker_and_postgresql_restarted_with_mails_in_flight_lose_and_double_nothing(
    rabbit_cluster: Cluster, tmp_path: Path
) -> None:
    cluster = rabbit_cluster
    mails = [claim(n, attachments=[picture(scan)]) for n, scan in enumerate(scans() * 2)]
    mails += [claim(100 + n) for n in range(20)]
    queued = cluster.rpa("process", "--enqueue", str(write_mails(tmp_path / "in", mails)))
    assert queued.returncode == 0, queued.stderr
    cluster.start_worker(2)
    assert wait_for_outcomes(cluster, 2), cluster.log()

    _run("rabbitmqctl", "stop_app")  # every connection to the broker cut, then back after a while
    time.sleep(2)
    _run("rabbitmqctl", "start_app")
    assert wait_for_outcomes(cluster, 5, timeout=180), cluster.log()
    _run("pg_ctlcluster", "15", "main", "restart")

    cluster.wait_until_processed(len(mails), timeout=300)
    assert_each_once(cluster, len(mails))
    log = cluster.log()
    assert (
        "Connection to broker lost" in log
        and "Connected to amqp" in log.split("Connection to broker lost")[-1]
    )
    assert "lost the connection to the store" in log


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"


def test_the_distributed_mode_needs_a_postgresql_store_and_a_known_broker(tmp_path: Path) -> None:
    env = {"RPA_HOME": str(tmp_path), "RPA_QUEUE_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}
    with pytest.raises(ConfigError, match=r"\[queue\] broker_url needs \[store\] url on a PostgreSQL"):
        load_settings(environ=env)
    with pytest.raises(ConfigError, match="broker_url must start with amqp:// .* or redis://"):
        load_settings(environ={**env, "RPA_QUEUE_BROKER_URL": "kafka://127.0.0.1"})
    with pytest.raises(ConfigError, match="visibility_seconds must be longer than task_seconds"):
        load_settings(
            environ={
                **env,
                "RPA_STORE_URL": "postgresql+psycopg://postgres@127.0.0.1/test",
                "RPA_QUEUE_TASK_SECONDS": "600",
                "RPA_QUEUE_VISIBILITY_SECONDS": "300",
            }
        )


def test_a_mail_over_the_time_limit_is_retried_then_failed_and_rpa_retry_gives_it_back(
    rabbit_cluster: Cluster, tmp_path: Path
) -> None:
    cluster = rabbit_cluster
    slow = claim(1, attachments=[picture(max(scans(), key=lambda path: path.stat().st_size))])
    cluster.env.update(RPA_QUEUE_TASK_SECONDS="1", RPA_QUEUE_MAX_RETRIES="1", RPA_QUEUE_RETRY_SECONDS="0.5")
    queued = cluster.rpa("process", "--enqueue", str(write_mails(tmp_path / "in", [slow, claim(2)])))
    assert queued.returncode == 0, queued.stderr
    cluster.start_worker(1)

    assert wait_for_outcomes(cluster, 2, timeout=120), cluster.log()
    deadline = time.monotonic() + 60
    while (
        cluster.rows("SELECT status FROM mail_records WHERE status = 'failed'") == []
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    ((record_id, attempts, error),) = cluster.rows(
        "SELECT id, attempts, last_error FROM mail_records WHERE status = 'failed'"
    )
    assert attempts == 2 and "took longer than 1 s (queue.task_seconds)" in error
    failed = cluster.rpa("queue", "--status", "failed")
    assert "took longer than 1 s" in failed.stdout
    assert "1 failed" in cluster.rpa("status").stdout

    cluster.stop_workers()
    cluster.env.update(RPA_QUEUE_TASK_SECONDS="600")
    retried = cluster.rpa("retry", str(record_id))
    assert retried.returncode == 0, retried.stderr
    cluster.start_worker(1)
    cluster.wait_until_processed(2)
    assert_each_once(cluster, 2)


def test_status_shows_the_queues_and_the_workers_and_each_worker_counts_its_mails_for_prometheus(
    rabbit_cluster: Cluster, tmp_path: Path
) -> None:
    cluster = rabbit_cluster
    queued = cluster.rpa(
        "process", "--enqueue", str(write_mails(tmp_path / "in", [claim(n) for n in range(3)]))
    )
    assert queued.returncode == 0, queued.stderr
    text_queue = cluster.env["RPA_QUEUE_TEXT_QUEUE"]
    before = cluster.rpa("status").stdout
    assert f"{text_queue}: 3 waiting" in before and "workers: none alive" in before
    assert re.search(
        rf"ok +queue +amqp://guest:\*\*\*@127\.0\.0\.1:5672//; {text_queue}: 3 waiting",
        cluster.rpa("doctor").stdout,
    )

    port = free_port()
    cluster.env["RPA_QUEUE_WORKER_METRICS_PORT"] = str(port)
    cluster.start_worker(2)
    cluster.wait_until_processed(3)

    after = cluster.rpa("status").stdout
    assert f"{text_queue}: 0 waiting" in after and "3 done" in after
    assert re.search(r"worker rpa-\d+@\S+: idle", after), after
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    assert 'rpa_worker_mails_total{outcome="stored"} 3.0' in metrics


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_machines_sending_at_once_send_each_approved_reply_once(
    rabbit_cluster: Cluster, smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    cluster = rabbit_cluster
    cluster.env.update(smtp_sink.env())
    mails = [claim(n) for n in range(6)]
    cluster.rpa("process", "--enqueue", str(write_mails(tmp_path / "in", mails)))
    cluster.start_worker(2)
    cluster.wait_until_processed(len(mails))
    for (message_pk,) in cluster.rows("SELECT id FROM messages ORDER BY id"):
        assert cluster.rpa("approve", str(message_pk)).returncode == 0

    # Two senders on two "machines" (processes) at once, over the same store.
    senders = [
        subprocess.Popen(
            [RPA, "send"], env={**os.environ, **cluster.env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for sender in senders:
        sender.wait(timeout=120)

    replies = [reply["In-Reply-To"] for reply in smtp_sink.received]
    assert sorted(replies) == sorted(f"<scale-{n}@example.fr>" for n in range(len(mails)))
    assert dict(cluster.rows("SELECT status, count(*) FROM drafts GROUP BY status")) == {"sent": len(mails)}
