"""Serving the workspace with uvicorn, in one process or several.

Several processes (`[web] workers`) share nothing but the store, where sessions,
claims and throttles live, so any number works. Each process builds its app
from the same configuration file, passed down by name.
"""

from __future__ import annotations

import logging
import os

from rpa.config import Settings, load_settings

__all__ = ["serve", "worker_app"]

_CONFIG_VARIABLE = "_RPA_WEB_CONFIG_PATH"  # the parent's --config, for worker processes
log = logging.getLogger("rpa.web")


def serve(
    settings: Settings, *, host: str | None = None, port: int | None = None, workers: int | None = None
) -> None:
    """Run the workspace until Ctrl-C or SIGTERM. No access log: its URLs would carry customer data."""
    import uvicorn

    from rpa.web.app import create_app

    workers = workers or settings.web.workers
    options = {
        "host": host or settings.web.host,
        "port": port or settings.web.port,
        "access_log": False,
        "proxy_headers": bool(settings.web.forwarded_allow_ips),
        "forwarded_allow_ips": settings.web.forwarded_allow_ips or None,
        "server_header": False,
        "log_level": "info",
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    os.environ[_CONFIG_VARIABLE] = str(settings.config_path or "")
    uvicorn.run("rpa.web.server:worker_app", factory=True, workers=workers, **options)


def worker_app():  # noqa: ANN201 - a FastAPI app, for uvicorn's worker processes
    from rpa.web.app import create_app

    return create_app(load_settings(os.environ.get(_CONFIG_VARIABLE) or None))
