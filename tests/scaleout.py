"""The distributed mode's real parts for the tests: a PostgreSQL database, a broker, worker processes.

Each test gets a database of its own on the PostgreSQL server of 127.0.0.1:5432 (dropped
after), queues of its own on RabbitMQ (127.0.0.1:5672) or Redis (127.0.0.1:6379), and
starts `rpa worker` as separate processes, as ops would, each in its own session so that
it can be killed whole (SIGKILL) like a machine that died.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import require

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from scale_cluster import (  # noqa: E402 - bench/scale.py's real parts
    RPA,
    cluster_env,
    database,
    delete_queues,
    queues_of,
    reachable,
    stop_sessions,
)

BROKERS = {
    "rabbitmq": ("amqp://guest:guest@127.0.0.1:5672//", 5672),
    "redis": ("redis://127.0.0.1:6379/0", 6379),
}


@dataclass
class Cluster:
    """A store and a broker of a test's own, and the `rpa worker` processes it started."""

    home: Path
    env: dict[str, str]
    database_url: str
    workers: list[subprocess.Popen] = field(default_factory=list)

    def start_worker(self, concurrency: int = 1, *extra: str) -> subprocess.Popen:
        log = (self.home / "workers.log").open("ab")
        worker = subprocess.Popen(
            [RPA, "worker", "--concurrency", str(concurrency), *extra],
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        """SIGKILL to the worker and its pool processes at once: a machine pulled off the network."""
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.wait(timeout=10)

    def stop_workers(self) -> None:
        stop_sessions(self.workers, timeout=30)

    def rpa(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [RPA, *args], env={**os.environ, **self.env}, capture_output=True, text=True, timeout=timeout
        )

    def rows(self, query: str) -> list[tuple]:
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(sa.text(query))]
        finally:
            engine.dispose()

    def scalar(self, query: str) -> object:
        return self.rows(query)[0][0]

    def log(self) -> str:
        path = self.home / "workers.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_until_processed(self, count: int, timeout: float = 240) -> None:
        """Until `count` mail records are processed (done or stored); fails with the log otherwise."""
        deadline = time.monotonic() + timeout
        done = 0
        while time.monotonic() < deadline:
            try:
                done = self.scalar("SELECT count(*) FROM mail_records WHERE status IN ('done', 'stored')")
            except sa.exc.OperationalError:
                done = 0  # the server is being restarted by the test
            if done >= count:
                return
            time.sleep(0.2)
        statuses = self.rows("SELECT status, count(*), max(last_error) FROM mail_records GROUP BY status")
        pytest.fail(f"{done} of {count} mails processed in {timeout} s: {statuses}\n{self.log()[-4000:]}")


@pytest.fixture(params=list(BROKERS))
def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    """A fresh PostgreSQL database and fresh queues on each broker (the test runs once per broker)."""
    broker_url, port = BROKERS[request.param]
    yield from _cluster(tmp_path, broker_url, port)


@pytest.fixture
def rabbit_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """The same, on RabbitMQ only."""
    broker_url, port = BROKERS["rabbitmq"]
    yield from _cluster(tmp_path, broker_url, port)


def _cluster(tmp_path: Path, broker_url: str, port: int) -> Iterator[Cluster]:
    require(reachable(5432), "PostgreSQL is not running on 127.0.0.1:5432")
    require(reachable(port), f"the broker is not running on 127.0.0.1:{port} ({broker_url})")
    name = f"rpa_scale_{uuid.uuid4().hex[:10]}"
    home = tmp_path / "home"
    home.mkdir()
    with database(name) as url:
        env = {
            **cluster_env(name, home, url, broker_url),
            "RPA_QUEUE_RETRY_SECONDS": "1",
            "RPA_PIPELINE_CLASSIFIER": "rules",  # these tests are about delivery: the quick classifier
            "RPA_DRAFTING_FROM_ADDRESS": "sinistres@assureur.example",
        }
        cluster = Cluster(home, env, url)
        try:
            yield cluster
        finally:
            cluster.stop_workers()
            delete_queues(queues_of(env), broker_url)
