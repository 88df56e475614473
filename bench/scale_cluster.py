"""The real parts of bench/scale.py: a PostgreSQL database, queues on RabbitMQ, `rpa` processes.

A `Cluster` is one run's own database (`rpa_bench_<random>`, created on the server of
127.0.0.1:5432 and dropped after) and its own queues (named after the database, deleted
after); it starts `rpa worker` processes, each in a session of its own so that it is
stopped whole, and reads the store directly to see what is done. The processes' CPU
time is read from /proc (each worker and its pool processes).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

__all__ = [
    "BROKER",
    "POSTGRES",
    "RPA",
    "Cluster",
    "cluster",
    "database",
    "delete_queues",
    "reachable",
    "server_started",
    "stop_sessions",
    "tree_cpu_seconds",
]

ROOT = Path(__file__).resolve().parents[1]
RPA = str(ROOT / ".venv" / "bin" / "rpa")
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
BROKER = "amqp://guest:guest@127.0.0.1:5672//"
_READY = re.compile(r"\bready\.")


def stop_sessions(processes: list[subprocess.Popen], timeout: float) -> None:
    """SIGTERM to each process's session (a worker and its pool), SIGKILL to those still
    running after `timeout` seconds."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Cluster:
    """A store and queues of one run's own, and the `rpa worker` processes it started."""

    home: Path
    env: dict[str, str]
    engine: sa.Engine
    workers: list[subprocess.Popen] = field(default_factory=list)

    def run_env(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def start_workers(self, processes: int, concurrency: int, timeout: float = 180) -> float:
        """`processes` × `rpa worker -c concurrency`; seconds until each says it is ready."""
        started = time.perf_counter()
        logs = []
        for number in range(processes):
            log = self.home / f"worker{len(self.workers) + number}.log"
            logs.append(log)
            self.workers.append(
                subprocess.Popen(
                    [RPA, "worker", "--concurrency", str(concurrency)],
                    env=self.run_env(),
                    stdout=log.open("ab"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = started + timeout
        while not all(_READY.search(log.read_text(errors="replace")) for log in logs):
            if time.perf_counter() > deadline or any(w.poll() is not None for w in self.workers):
                raise RuntimeError(f"rpa worker did not start:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        return time.perf_counter() - started

    def consume(self, on: bool) -> None:
        """Every worker stops (`on` False) or starts again taking tasks from both queues,
        once each has said it did: a backlog can be queued meanwhile."""
        from rpa.config import load_settings
        from rpa.queue import celery_app

        app = celery_app(load_settings(environ=self.run_env()))
        try:
            for name in (self.env["RPA_QUEUE_TEXT_QUEUE"], self.env["RPA_QUEUE_OCR_QUEUE"]):
                command = app.control.add_consumer if on else app.control.cancel_consumer
                replies = command(name, reply=True, timeout=10, limit=len(self.workers))
                if len(replies or []) != len(self.workers):
                    raise RuntimeError(f"{len(replies or [])} of {len(self.workers)} workers answered")
        finally:
            app.close()

    def stop_workers(self) -> None:
        stop_sessions(self.workers, timeout=60)
        self.workers.clear()

    def worker_cpu(self) -> float:
        """CPU seconds used so far by the workers and their pool processes."""
        return sum(tree_cpu_seconds(worker.pid) for worker in self.workers)

    def log(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.home.glob("worker*.log")))

    def scalar(self, query: str) -> object:
        """One value from the store; waits through a short outage of the server (another
        user of this machine's PostgreSQL may restart it)."""
        for attempt in range(60):
            try:
                with self.engine.connect() as connection:
                    return connection.execute(sa.text(query)).scalar()
            except sa.exc.OperationalError:
                if attempt == 59:
                    raise
                time.sleep(1)
        raise AssertionError("unreachable")

    def drafts(self) -> int:
        return int(self.scalar("SELECT count(*) FROM drafts"))

    def wait_idle(self, timeout: float = 180) -> float:
        """Seconds until the workers use (almost) no CPU: their pipelines are built."""
        started = time.perf_counter()
        used = self.worker_cpu()
        while time.perf_counter() - started < timeout:
            time.sleep(1)
            now = self.worker_cpu()
            if now - used < 0.05:
                return time.perf_counter() - started
            used = now
        raise RuntimeError(f"the workers are still busy after {timeout:.0f} s")

    def processed(self) -> int:
        """Mail records the workers are done with; raises when one failed for good."""
        failed = self.scalar("SELECT count(*) FROM mail_records WHERE status = 'failed'")
        if failed:
            error = self.scalar("SELECT max(last_error) FROM mail_records WHERE status = 'failed'")
            raise RuntimeError(f"{failed} mail(s) failed in the workers, e.g.: {error}")
        return int(self.scalar("SELECT count(*) FROM mail_records WHERE status IN ('done', 'stored')"))

    def wait_processed(self, count: int, timeout: float, feeding: subprocess.Popen | None = None) -> float:
        """Until `count` mail records are done; the time.perf_counter() it was seen. Stops
        early when the `feeding` process (the enqueue command) failed."""
        deadline = time.perf_counter() + timeout
        while (done := self.processed()) < count:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"only {done} of {count} mails processed in {timeout:.0f} s")
            if feeding is not None and feeding.poll():
                raise RuntimeError(f"the enqueue command failed ({feeding.returncode}): see {self.home}")
            time.sleep(0.1)
        return time.perf_counter()


@contextmanager
def cluster(home: Path, extra_env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """A fresh database and fresh queues (both removed after), `rpa` pointed at them."""
    name = f"rpa_bench_{uuid.uuid4().hex[:10]}"
    with database(name) as url:
        env = {**cluster_env(name, home, url, BROKER), **(extra_env or {})}
        home.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, pool_pre_ping=True)
        one = Cluster(home, env, engine)
        try:
            yield one
        finally:
            one.stop_workers()
            engine.dispose()
            delete_queues(queues_of(env))


def cluster_env(name: str, home: Path, url: str, broker: str) -> dict[str, str]:
    """What points `rpa` at a database `url` and at queues of their own (named after `name`) on `broker`."""
    return {
        "RPA_HOME": str(home),
        "RPA_STORE_URL": url,
        "RPA_QUEUE_BROKER_URL": broker,
        "RPA_QUEUE_TEXT_QUEUE": f"{name}.text",
        "RPA_QUEUE_OCR_QUEUE": f"{name}.ocr",
    }


def queues_of(env: dict[str, str]) -> list[str]:
    """The queues a `cluster_env` names."""
    return [env["RPA_QUEUE_TEXT_QUEUE"], env["RPA_QUEUE_OCR_QUEUE"]]


@contextmanager
def database(name: str) -> Iterator[str]:
    """The URL of a new PostgreSQL database `name`, dropped on leaving."""
    _admin(f"CREATE DATABASE {name}")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_started() -> object:
    """When the PostgreSQL server started: a change during a run means it was restarted."""
    return _admin("SELECT pg_postmaster_start_time()")


def _admin(statement: str) -> object:
    """One statement on the `test` database, outside a transaction, through a short outage."""
    admin = sa.create_engine(f"{POSTGRES}/test", isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        for attempt in range(60):
            try:
                with admin.connect() as connection:
                    result = connection.execute(sa.text(statement))
                    return result.scalar() if result.returns_rows else None
            except sa.exc.OperationalError:
                if attempt == 59:
                    raise
                time.sleep(1)
    finally:
        admin.dispose()
    raise AssertionError("unreachable")


def delete_queues(names: list[str], broker: str = BROKER) -> None:
    """Delete the queues `names` on `broker`; one never declared is nothing to delete, and a
    broker that cannot be reached is said and left (its queues are empty as a run ends)."""
    from kombu import Connection

    try:
        with Connection(broker, connect_timeout=5) as connection:
            for name in names:
                channel = connection.channel()
                try:
                    channel.queue_delete(name)
                except Exception:  # noqa: BLE001, S110 - never declared: nothing to delete
                    pass
    except Exception as exc:  # noqa: BLE001 - kombu's and the transports' errors alike
        print(f"cannot delete the queues {names}: {exc}", file=sys.stderr)


def machine_busy_seconds() -> float:
    """CPU seconds this machine's cores spent busy since it started (every process's)."""
    user, nice, system, idle, iowait, *rest = map(int, Path("/proc/stat").read_text().split()[1:11])
    return (user + nice + system + sum(rest)) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds() -> float:
    """CPU seconds of this machine's PostgreSQL and RabbitMQ (their whole process trees:
    every user's work on them, not this benchmark's alone)."""
    names = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            names[int(entry.name)] = (
                stat[stat.index("(") + 1 : stat.rindex(")")],
                int(stat[stat.rindex(")") + 2 :].split()[1]),
            )
    servers = ("postgres", "beam.smp")
    roots = [
        pid
        for pid, (name, parent) in names.items()
        if name in servers and names.get(parent, ("",))[0] != name
    ]
    return sum(tree_cpu_seconds(pid) for pid in roots)


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process `pid` and all its descendants, living (their
    own) or ended and waited for (their parent's count of its reaped children: the
    `tesseract` commands)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after the command's name, which may hold spaces
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = sum(map(int, fields[11:15]))  # utime, stime, and of reaped children
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += times.get(current, 0)
        stack.extend(children.get(current, []))
    return total / tick
