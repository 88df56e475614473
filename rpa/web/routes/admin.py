"""Admins manage the team's accounts: add, disable, set a new password (as `rpa user` does)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor, add_user, disable_user, list_users, set_password
from rpa.config import ROLES
from rpa.web.auth import allowed
from rpa.web.render import page

__all__ = ["router"]

router = APIRouter()


@router.get("/admin/users")
async def users(request: Request, actor: Actor = allowed("manage_users")) -> Response:
    found = await run_in_threadpool(list_users, request.app.state.store)
    return page(request, "users.html", users=found, roles=ROLES)


@router.post("/admin/users")
async def create(
    request: Request,
    name: Annotated[str, Form(max_length=150)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=1000)],
    actor: Actor = allowed("manage_users"),
) -> Response:
    await run_in_threadpool(add_user, request.app.state.store, name, role, password, actor=actor.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/disable")
async def disable(request: Request, name: str, actor: Actor = allowed("manage_users")) -> Response:
    await run_in_threadpool(disable_user, request.app.state.store, name, actor=actor.name)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/password")
async def new_password(
    request: Request,
    name: str,
    password: Annotated[str, Form(max_length=1000)],
    actor: Actor = allowed("manage_users"),
) -> Response:
    await run_in_threadpool(set_password, request.app.state.store, name, password, actor=actor.name)
    return RedirectResponse("/admin/users", status_code=303)
