"""The seeded stores of bench/web.py: messages stored through the store's own API in several
processes, and the SQLite file and PostgreSQL dump of a seeding kept under bench/results/."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from webdata import GENERATOR, review_of, synthetic_message  # noqa: E402

from rpa.store import Store  # noqa: E402
from rpa.store.migrations import MIGRATIONS  # noqa: E402

__all__ = [
    "GENERATOR",
    "POSTGRES_URL",
    "RESULTS",
    "SCHEMA",
    "Seeded",
    "pending_count",
    "postgres_store",
    "seed_store",
    "sqlite_store",
]

RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = MIGRATIONS[-1][0]


@dataclass
class Seeded:
    url: str
    messages: int
    pending: int
    seconds: float  # how long seeding took (in the run that made the cached copy, if cached)
    processes: int
    cached: bool
    cleanup: object = None  # a callable that drops what was made, or None


def seed_store(url: str, count: int, processes: int) -> float:
    """Store messages 0..count-1 through the store's API in `processes` processes; the seconds taken."""
    Store(url).close()  # migrate once, before the workers race for it
    started = time.perf_counter()
    if processes == 1:
        _seed_share(url, count, 0, 1)
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(processes) as pool:
            pool.starmap(_seed_share, [(url, count, start, processes) for start in range(processes)])
    return time.perf_counter() - started


def _seed_share(url: str, count: int, start: int, step: int) -> None:
    with Store(url) as store:
        for n in range(start, count, step):
            outcome = store.save_processed(synthetic_message(n), actor="rpa")
            review = review_of(n, count)
            if outcome.draft_id is None or review == "pending":
                continue
            agent = f"agent{n % 7}"
            if review == "approved":
                store.approve(outcome.message_pk, actor=agent, draft_id=outcome.draft_id)
            else:
                store.reject(
                    outcome.message_pk, actor=agent, reason="wrong intent", draft_id=outcome.draft_id
                )


def pending_count(url: str) -> int:
    with Store(url) as store:
        q = store.t["queue_entries"]
        with store.reading() as connection:
            query = sa.select(sa.func.count()).where(q.c.review_status == "pending_review")
            return connection.execute(query).scalar()


def _cache_name(database: str, count: int, suffix: str) -> Path:
    return RESULTS / f"web-seed-{database}-v{SCHEMA}-g{GENERATOR}-{count}{suffix}"


def sqlite_store(count: int, folder: Path, processes: int, use_cache: bool) -> Seeded:
    """A seeded SQLite file in `folder`: a copy of the cached one, or seeded now (in memory-backed
    /dev/shm when there is one: the commits' fsyncs are not what is measured) and cached."""
    target = folder / "rpa.db"
    cached, meta = _cache_name("sqlite", count, ".db"), _cache_name("sqlite", count, ".json")
    if use_cache and cached.is_file() and meta.is_file():
        shutil.copyfile(cached, target)
        recorded = json.loads(meta.read_text())
        url = f"sqlite:///{target}"
        return Seeded(url, count, pending_count(url), recorded["seconds"], recorded["processes"], True)
    scratch = Path(
        tempfile.mkdtemp(prefix="rpa-bench-web-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
    )
    try:
        url = f"sqlite:///{scratch / 'rpa.db'}"
        seconds = seed_store(url, count, processes)
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        shutil.copyfile(scratch / "rpa.db", target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if use_cache:
        RESULTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, cached)
        meta.write_text(json.dumps({"seconds": seconds, "processes": processes}))
    return Seeded(
        f"sqlite:///{target}", count, pending_count(f"sqlite:///{target}"), seconds, processes, False
    )


def postgres_store(count: int, processes: int, use_cache: bool) -> Seeded | str:
    """A seeded throwaway schema in the test database (or why there is none): restored from the
    cached dump of an earlier seeding when there is one (pg_dump/pg_restore), else seeded now."""
    schema = f"rpa_bench_web_{uuid.uuid4().hex[:10]}"
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        return f"PostgreSQL is not reachable at 127.0.0.1:5432: {str(exc.orig).strip()}"
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"

    def drop() -> None:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()

    dump, meta = _cache_name("postgresql", count, ".dump"), _cache_name("postgresql", count, ".json")
    tools = shutil.which("pg_dump") and shutil.which("pg_restore")
    try:
        if use_cache and tools and dump.is_file() and meta.is_file():
            recorded = json.loads(meta.read_text())
            _restore(engine, dump, recorded["schema"], schema)
            seeded = Seeded(url, count, 0, recorded["seconds"], recorded["processes"], True, drop)
        else:
            # Seeding's own connections don't wait for each commit to reach the disk: the
            # store's statements are the same, only the benchmark's setup is faster.
            seconds = seed_store(url + "%20-csynchronous_commit%3Doff", count, processes)
            seeded = Seeded(url, count, 0, seconds, processes, False, drop)
            if use_cache and tools:
                _dump(dump, schema)
                meta.write_text(json.dumps({"seconds": seconds, "processes": processes, "schema": schema}))
        _vacuum(url)
        seeded.pending = pending_count(url)
        return seeded
    except BaseException:
        drop()
        raise


def _vacuum(url: str) -> None:
    """What autovacuum does to a table this size: statistics, and the visibility map without
    which PostgreSQL counts the queue by reading the whole table instead of an index."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        connection.execute(sa.text("VACUUM ANALYZE " + ", ".join(tables)))
    engine.dispose()


def _pg_command(tool: str) -> list[str]:
    return [tool, "-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]


def _dump(path: Path, schema: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([*_pg_command("pg_dump"), "-Fc", "-n", schema, "-f", str(path), "test"], check=True)


def _restore(engine: sa.Engine, path: Path, dumped: str, schema: str) -> None:
    """The dumped schema restored, then renamed to `schema` (made empty by the caller)."""
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema}"))
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {dumped} CASCADE"))  # a run that died restoring
    subprocess.run([*_pg_command("pg_restore"), "--no-owner", "-d", "test", str(path)], check=True)
    with engine.begin() as connection:
        connection.execute(sa.text(f"ALTER SCHEMA {dumped} RENAME TO {schema}"))
