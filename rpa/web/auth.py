"""Every request has an actor, checked in one place.

`gate` runs before every route of the app: it turns the session cookie into an
`Actor` (or None), picks the page language, refuses an anonymous request to
anything but the public routes, and checks the CSRF token of every request that
changes state (a form field `csrf_token` or an `X-CSRF-Token` header, compared
with the session's; before login, with the login form's cookie). Each route then
names the permission it needs with `allowed("review")`, checked by
`rpa.accounts.ensure`; a test walks the app's route table to prove that none
forgot.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor, ensure, session_actor
from rpa.web.i18n import choose_language
from rpa.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE

__all__ = [
    "PUBLIC_PATHS",
    "CsrfRefused",
    "LoginRequired",
    "allowed",
    "client_address",
    "gate",
    "login_csrf",
    "safe_next",
]

PUBLIC_PATHS = frozenset({"/login", "/api/session", "/oidc/login", "/oidc/callback"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(Exception):
    """No live session: the browser goes to the login page, a script gets 401."""


class CsrfRefused(Exception):
    """A state-changing request without the right CSRF token."""


async def gate(request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    store = request.app.state.store
    actor = await run_in_threadpool(session_actor, store, token) if token else None
    request.state.actor = actor
    request.state.language = choose_language(
        actor.language if actor else None, request.headers.get("accept-language")
    )
    if actor is None and request.url.path not in PUBLIC_PATHS:
        raise LoginRequired()
    if request.method not in _SAFE_METHODS:
        await _check_csrf(request, actor)


async def _check_csrf(request: Request, actor: Actor | None) -> None:
    expected = actor.csrf_token if actor is not None else request.cookies.get(LOGIN_CSRF_COOKIE)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(_FORMS):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


def allowed(permission: str):  # noqa: ANN201 - a FastAPI dependency marker
    """The route's actor, when their role allows `permission` (else `Forbidden`, a 403)."""

    def actor_allowed(request: Request) -> Actor:
        actor = getattr(request.state, "actor", None)
        if actor is None:
            raise LoginRequired()
        ensure(actor, permission)
        return actor

    actor_allowed.permission = permission  # type: ignore[attr-defined] - read by the route-table test
    return Depends(actor_allowed)


def login_csrf(request: Request) -> str:
    """The login form's CSRF token: the cookie's, or a new one (the caller sets the cookie)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(32)
    request.state.login_csrf = token
    return token


def client_address(request: Request) -> str | None:
    """The client's address as uvicorn saw it (X-Forwarded-For only from `[web] forwarded_allow_ips`)."""
    return request.client.host if request.client else None


def safe_next(target: str | None, default: str = "/queue") -> str:
    """Where to go after login: a path of this site only, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
