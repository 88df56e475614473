"""The server and the load of bench/web.py: the workspace under uvicorn in its own process, with a
fixed reference page, and the clients that load it (`wrk`, or a small asyncio HTTP/1.1 client)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = [
    "CLIENTS",
    "FIXED_PAGE",
    "Figure",
    "Loader",
    "bench_app",
    "fetch",
    "python_load",
    "serving",
    "wait_until_up",
    "wrk_load",
]

CLIENTS = 20

# -- the server -----------------------------------------------------------------------

FIXED_PAGE = "<!doctype html><html lang=en><title>fixed</title><p>A fixed page behind the session gate.</p>"


def bench_app():  # noqa: ANN201 - a FastAPI app, for uvicorn's factory loading
    """The workspace as `rpa web` builds it from the environment, plus `/bench/fixed`: a fixed
    page behind the same session gate and permission as every page (this benchmark's only)."""
    from fastapi.responses import HTMLResponse

    from rpa.config import load_settings
    from rpa.web.app import create_app
    from rpa.web.auth import allowed

    app = create_app(load_settings())

    @app.get("/bench/fixed")
    async def fixed(actor=allowed("review")) -> HTMLResponse:  # noqa: ANN001, B008
        return HTMLResponse(FIXED_PAGE, headers={"Cache-Control": "no-store"})

    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(home: Path, url: str, workers: int) -> Iterator[int]:
    """The app under uvicorn with `rpa web`'s options, in its own process; yields its port."""
    port = _free_port()
    code = (
        "import uvicorn; uvicorn.run('webload:bench_app', factory=True, host='127.0.0.1', "
        f"port={port}, workers={workers}, access_log=False, server_header=False, log_level='warning')"
    )
    env = {
        **os.environ,
        "RPA_HOME": str(home),
        "RPA_STORE_URL": url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
    }
    process = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, start_new_session=True)
    try:
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(port: int, path: str, cookie: str, timeout: float = 30.0) -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def wait_until_up(port: int, cookie: str, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/bench/fixed", cookie, timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the workspace did not answer on port {port} within {seconds:.0f} s")


# -- the load ---------------------------------------------------------------------------


@dataclass
class Figure:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # answers >= 400, timeouts, broken connections
    rps: float = 0.0
    alone_ms: float | None = None  # p50 with one client: what a request costs without waiting its turn
    ratio_p95: float | None = None  # p95 over the fixed route's p95, same server

    def __post_init__(self) -> None:
        self.rps = self.requests / self.seconds if self.seconds else 0.0


_WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
wrk.headers["Cookie"] = "%(cookie)s"
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[((counter - 1) %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%.1f %%.1f %%.1f %%.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def wrk_load(port: int, paths: list[str], cookie: str, seconds: float, clients: int = CLIENTS) -> Figure:
    """`wrk`, one thread, `clients` connections, rotating over `paths`."""
    for path in paths:
        if not all(char.isalnum() or char in "/?=&%.-_" for char in path):
            raise ValueError(f"unexpected character in {path!r}")
    script = _WRK_SCRIPT % {"paths": ",".join(f'"{path}"' for path in paths), "cookie": cookie}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
        done = subprocess.run(
            [*command, "-s", file.name, f"http://127.0.0.1:{port}"], capture_output=True, text=True
        )
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    requests, micros, errors, p50, p95, p99, longest = line.split()[1:]
    return Figure(
        int(requests),
        int(micros) / 1e6,
        float(p50) / 1e3,
        float(p95) / 1e3,
        float(p99) / 1e3,
        float(longest) / 1e3,
        int(errors),
    )


def python_load(
    port: int, paths: list[str], cookie: str, seconds: float, clients: int = CLIENTS, once: bool = False
) -> Figure:
    """`clients` keep-alive connections of a small asyncio HTTP/1.1 client (run it in another process),
    rotating over `paths` for `seconds`, or going through them once (`once`)."""
    return asyncio.run(_python_load(port, paths, cookie, seconds, clients, once))


async def _python_load(
    port: int, paths: list[str], cookie: str, seconds: float, clients: int, once: bool
) -> Figure:
    latencies: list[float] = []
    errors = 0
    todo = iter(paths) if once else (paths[i % len(paths)] for i in range(10**12))
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while once or time.perf_counter() < deadline:
                path = next(todo, None)
                if path is None:
                    return
                started = time.perf_counter()
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n".encode()
                )
                status = await _read_answer(reader)
                latencies.append(time.perf_counter() - started)
                errors += status >= 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    cuts = (
        statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    )
    return Figure(
        len(latencies), elapsed, 1e3 * cuts[49], 1e3 * cuts[94], 1e3 * cuts[98], 1e3 * max(latencies), errors
    )


async def _read_answer(reader: asyncio.StreamReader) -> int:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:])
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    return int(head[0].split()[1])


class Loader:
    """Runs the load: `wrk` when installed, else the asyncio client in a process of its own."""

    def __init__(self, tool: str) -> None:
        self.tool = tool
        context = multiprocessing.get_context("spawn")
        self.pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=context)

    def load(
        self, port: int, paths: list[str], cookie: str, seconds: float, clients: int = CLIENTS
    ) -> Figure:
        if self.tool == "wrk":
            return wrk_load(port, paths, cookie, seconds, clients)
        return self.pool.submit(python_load, port, paths, cookie, seconds, clients).result()

    def once(self, port: int, paths: list[str], cookie: str) -> Figure:
        return self.pool.submit(python_load, port, paths, cookie, 0.0, CLIENTS, True).result()

    def close(self) -> None:
        self.pool.shutdown()
