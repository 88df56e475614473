"""The workspace application: pages, the JSON API, static files, and how errors look.

`create_app(settings)` builds a FastAPI app over one store. Every route goes
through `auth.gate` (session, language, CSRF) and names the permission it needs;
the store's errors become pages (or JSON under /api) with the right status.
Static files (our CSS and scripts, htmx from its npm package) are served by the
app itself: nothing is fetched from another host.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from drafting import make_backend
from rpa.config import Settings
from rpa.errors import (
    Claimed,
    ExtractionError,
    Forbidden,
    InvalidTransition,
    LoginFailed,
    NotFound,
    RpaError,
)
from rpa.knowledge import KnowledgeCache
from rpa.resources import templates_folder
from rpa.secret import web_secret_key
from rpa.store import Store
from rpa.store.reviewqueue import RecentCounts
from rpa.web.auth import CsrfRefused, LoginRequired, gate
from rpa.web.i18n import translator
from rpa.web.render import page
from rpa.web.routes import admin, api, attachments, items, login, oidc, queue, supervision
from rpa.web.security import SecurityHeaders

__all__ = ["STATIC", "create_app"]

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("rpa.web")


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The workspace over `store` (by default the configured one, closed with the app)."""
    if settings.oidc.enabled:
        web_secret_key(settings)  # an unreadable key file stops `rpa web` now, not the first login
    own_store = store is None
    store = store or Store.open(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        yield
        if own_store:
            store.close()

    app = FastAPI(
        title="rpa workspace",
        summary="Review, correct and approve the replies rpa drafted.",
        version="1",
        openapi_url=None,  # served under /api, behind the session like every route
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(gate)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.knowledge = KnowledgeCache(store, settings)
    app.state.recent_counts = RecentCounts()
    app.state.backend = _backend_factory(settings)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, oidc, queue, items, attachments, supervision, admin, api):
        app.include_router(module.router)
    _add_error_pages(app)
    return app


def _backend_factory(settings: Settings):  # noqa: ANN202 - a function returning the drafting backend
    """The drafting backend, made on first use (a language model loads once per process)."""
    made = []

    def backend():  # noqa: ANN202
        if not made:
            made.append(make_backend(settings, templates_folder(settings)))
        return made[0]

    return backend


# -- errors -------------------------------------------------------------------------

_STATUS: list[tuple[type[Exception], int, str]] = [
    (NotFound, 404, "Not found"),
    (Claimed, 409, "Someone else is on it"),
    (InvalidTransition, 409, "This changed meanwhile"),
    (Forbidden, 403, "Not allowed"),
    (LoginFailed, 401, "Not allowed"),
    (ExtractionError, 422, "The document cannot be shown"),
    (RpaError, 400, "That did not work"),
]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, title: str, detail: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": title, "detail": detail}, status_code=status)
    _ = translator(getattr(request.state, "language", "en"))
    response = page(
        request, "error.html", status_code=status, title=_(title), detail=detail, back=_referer(request)
    )
    if request.headers.get("hx-request") == "true":
        # htmx does not swap error answers: have it show the error page instead.
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _referer(request: Request) -> str:
    referer = request.headers.get("referer", "")
    base = str(request.base_url)
    return "/" + referer[len(base) :] if referer.startswith(base) else "/queue"


def _add_error_pages(app: FastAPI) -> None:
    def rpa_error(request: Request, exc: RpaError) -> Response:
        for kind, status, title in _STATUS:
            if isinstance(exc, kind):
                return _error(request, status, title, str(exc))
        return _error(request, 400, "That did not work", str(exc))

    def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "Login required"}, status_code=401)
        target = "/login?next=" + request.url.path if request.method == "GET" else "/login"
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        log.warning("refused a %s to %s without a valid CSRF token", request.method, request.url.path)
        return _error(
            request, 403, "Not allowed", "The form has expired or did not come from rpa: reload the page."
        )

    def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(part) for part in error["loc"][1:]) for error in exc.errors())
        return _error(request, 422, "That did not work", f"missing or invalid: {fields}")

    app.add_exception_handler(RpaError, rpa_error)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(RequestValidationError, invalid)
