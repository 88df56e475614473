"""Opening a database: SQLite tuned for one writer and many readers, others as SQLAlchemy makes them."""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import datetime

import sqlalchemy as sa

from rpa.errors import Claimed

__all__ = ["LEASE", "READ_ONLY", "claimed_error", "make_engine"]

log = logging.getLogger("rpa.store")

READ_ONLY = "rpa_read_only"  # execution option of connections that never write
_LOCK_SECONDS = 30  # longest wait for another connection's write
LEASE = "rpa_lease"  # execution option of transactions whose loss in a power cut costs nothing


def _say_disconnected(context: sa.engine.ExceptionContext) -> None:
    """Log a lost database connection once per failure; the pool opens a new one next time."""
    if context.is_disconnect:
        log.warning(
            "lost the connection to the store (%s); reconnecting", str(context.original_exception).strip()
        )


def claimed_error(message_pk: int, holder: str, until: datetime) -> Claimed:
    return Claimed(
        f"message {message_pk} is being reviewed by {holder} (until {until:%H:%M} UTC)", holder=holder
    )


def make_engine(url: str) -> sa.Engine:
    # Enough connections for a web worker's threads (a page holds one for a few milliseconds).
    if not url.startswith("sqlite"):
        # A server restarted: each pooled connection is tested before use and opened again.
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        sa.event.listen(engine, "handle_error", _say_disconnected)
        return engine
    engine = sa.create_engine(url, connect_args={"timeout": _LOCK_SECONDS}, pool_size=10, max_overflow=30)

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):  # noqa: ANN001 - DB-API objects
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the daemon's writes
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):  # noqa: ANN001
        # Take the write lock up front: no deadlock when two processes upgrade a read. A
        # connection that only reads (`READ_ONLY`) does not: readers never wait for each other.
        options = connection.get_execution_options()
        # A lease (a claim on a message) need not wait for the disk: a power cut may lose it,
        # which costs a claim, never a message. Everything else is synced at commit.
        connection.exec_driver_sql("PRAGMA synchronous=" + ("NORMAL" if options.get(LEASE) else "FULL"))
        if options.get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            _take_write_lock(connection.connection.dbapi_connection)

    return engine


def _take_write_lock(dbapi_connection) -> None:  # noqa: ANN001 - a sqlite3 connection
    """BEGIN IMMEDIATE, retried every few hundred microseconds while another connection writes.

    SQLite's own busy handler sleeps 1, 2, 5, 10... up to 100 ms between tries: under a
    workspace's many short writes (claims), a writer slept tens of milliseconds for a lock freed
    in one. Here the wait is short and bounded by the same 30 s."""
    deadline = time.monotonic() + _LOCK_SECONDS
    pause = 0.0002
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 1.5, 0.005)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={_LOCK_SECONDS * 1000}")
