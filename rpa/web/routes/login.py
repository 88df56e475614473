"""Logging in and out, and the user's own language."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor, LoginResult, log_in, log_out, login_delay, set_language
from rpa.errors import LoginFailed, LoginLocked
from rpa.web.auth import allowed, client_address, login_csrf, safe_next
from rpa.web.i18n import LANGUAGES
from rpa.web.render import page
from rpa.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, cookie_options

__all__ = ["router", "set_session_cookie"]

router = APIRouter()


def _secure(request: Request) -> bool:
    return request.app.state.settings.web.secure_cookies or request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, result: LoginResult) -> None:
    """A fresh session id at every login (no fixation), in an HttpOnly, SameSite=Lax cookie."""
    seconds = int(request.app.state.settings.web.session_hours * 3600)
    response.set_cookie(SESSION_COOKIE, result.token, max_age=seconds, **cookie_options(_secure(request)))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")


def _login_page(
    request: Request, *, error: str = "", status_code: int = 200, name: str = "", next_url: str = "/queue"
):
    token = login_csrf(request)
    response = page(
        request, "login.html", status_code=status_code, error=error, name=name, next_url=safe_next(next_url)
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_options(_secure(request)))
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "/queue") -> Response:  # noqa: A002 - the query's name
    if request.state.actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_url=next)


@router.post("/login")
async def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/queue",  # noqa: A002 - the form's field name
) -> Response:
    store, web = request.app.state.store, request.app.state.settings.web
    address = client_address(request)
    try:
        delay = await run_in_threadpool(login_delay, store, web, username, address)
        if delay:
            await asyncio.sleep(delay)  # slows guessing without holding a worker thread
        result = await run_in_threadpool(log_in, store, web, username, password, address)
    except LoginLocked as exc:
        response = _login_page(request, error="locked", status_code=429, name=username, next_url=next)
        response.headers["Retry-After"] = str(max(1, round(exc.retry_after)))
        return response
    except LoginFailed:
        return _login_page(request, error="failed", status_code=401, name=username, next_url=next)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, result)
    return response


@router.post("/logout")
async def logout(request: Request, actor: Actor = allowed("review")) -> Response:
    await run_in_threadpool(log_out, request.app.state.store, actor)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/me/language")
async def choose_language(
    request: Request,
    language: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/queue",
    actor: Actor = allowed("review"),
) -> Response:
    chosen = language if language in LANGUAGES else None
    await run_in_threadpool(set_language, request.app.state.store, actor, chosen)
    return RedirectResponse(safe_next(back), status_code=303)
