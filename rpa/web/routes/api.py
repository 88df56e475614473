"""The JSON API beside the pages, for integrators and scripts: the same session, CSRF token and
roles as the pages, the same library calls. Its OpenAPI schema is /api/openapi.json.

A script logs in with `GET /api/session` (which sets the login CSRF cookie and returns its
token) then `POST /api/session` with that token in `X-CSRF-Token`; the answer carries the
session's own CSRF token for the requests that change something.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor, log_in, log_out, login_delay
from rpa.store.reviewqueue import queue_page
from rpa.views import message_json
from rpa.web.auth import allowed, client_address, login_csrf
from rpa.web.routes.items import send_when_configured
from rpa.web.routes.login import set_session_cookie
from rpa.web.routes.queue import filters_from
from rpa.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, cookie_options
from rpa.workspace import correct_field, open_item, release, renew_claim

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


class Credentials(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class SessionInfo(BaseModel):
    user: str
    role: str
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every request that changes something")


class LoginToken(BaseModel):
    csrf_token: str = Field(description="Send it as X-CSRF-Token with POST /api/session")


class QueueItem(BaseModel):
    id: int
    draft_id: int | None
    status: str
    language: str | None
    intent: str | None
    intent_confidence: float | None
    customer: str
    subject: str
    received: datetime
    flags: list[str]
    held_by: str | None
    urgent: bool = False  # shown first in the queue
    sentiment: str | None = None  # negative, neutral, positive


class QueueAnswer(BaseModel):
    total: int
    page: int
    pages: int
    intent_counts: dict[str, int]
    items: list[QueueItem]


class Approval(BaseModel):
    draft_id: int = Field(description="The draft you reviewed: refused if another replaced it meanwhile")
    body: str | None = Field(
        default=None, max_length=100_000, description="Your edit; omit to approve as written"
    )


class Rejection(BaseModel):
    draft_id: int
    reason: str = Field(min_length=1, max_length=2000)


class Correction(BaseModel):
    name: str = Field(max_length=64)
    value: str = Field(max_length=2000)


class FieldInForce(BaseModel):
    name: str
    value: str
    confidence: float
    source: str
    page: int | None
    box: list[float] | None
    extracted: str | None
    corrected_by: str | None


class ClaimAnswer(BaseModel):
    holder: str
    expires_at: datetime


@router.get("/session", response_model=LoginToken)
async def login_token(request: Request) -> Response:
    token = login_csrf(request)
    response = JSONResponse({"csrf_token": token})
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_options(request.url.scheme == "https")
    )
    return response


@router.post("/session", response_model=SessionInfo)
async def open_session(request: Request, credentials: Credentials) -> Response:
    store, web = request.app.state.store, request.app.state.settings.web
    address = client_address(request)
    await run_in_threadpool(login_delay, store, web, credentials.username, address)
    result = await run_in_threadpool(log_in, store, web, credentials.username, credentials.password, address)
    response = JSONResponse(
        {"user": result.actor.name, "role": result.actor.role, "csrf_token": result.actor.csrf_token}
    )
    set_session_cookie(request, response, result)
    return response


@router.delete("/session", status_code=204)
async def close_session(request: Request, actor: Actor = allowed("review")) -> Response:
    await run_in_threadpool(log_out, request.app.state.store, actor)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/openapi.json", include_in_schema=False)
async def schema(request: Request, actor: Actor = allowed("review")) -> Response:
    return JSONResponse(request.app.openapi())


@router.get("/queue", response_model=QueueAnswer)
async def queue(
    request: Request,
    status: str = "pending_review",
    intent: str = "",
    language: str = "",
    flag: str = "",
    assignee: str = "anyone",
    q: str = "",
    order: str = "oldest",
    page: int = 1,
    actor: Actor = allowed("review"),
) -> QueueAnswer:
    filters = filters_from(
        {
            "status": status,
            "intent": intent,
            "language": language,
            "flag": flag,
            "assignee": assignee,
            "q": q,
            "order": order,
        }
    )
    size = request.app.state.settings.web.page_size
    result = await run_in_threadpool(
        partial(queue_page, recent=request.app.state.recent_counts),
        request.app.state.store,
        filters,
        actor=actor.name,
        page=page,
        page_size=size,
    )
    items = [
        QueueItem(
            id=row.message_pk,
            draft_id=row.draft_id,
            status=row.status,
            language=row.language,
            intent=row.intent,
            intent_confidence=row.intent_confidence,
            customer=row.customer,
            subject=row.subject,
            received=row.created_at,
            flags=row.flags,
            held_by=row.holder,
            urgent=row.urgent,
            sentiment=row.sentiment,
        )
        for row in result.rows
    ]
    return QueueAnswer(
        total=result.total,
        page=result.page,
        pages=result.pages,
        intent_counts=result.intent_counts,
        items=items,
    )


@router.get("/messages/{message_pk}")
async def message(request: Request, message_pk: int, actor: Actor = allowed("review")) -> dict:
    """The message as `rpa process --json` prints it, with the fields in force (agents'
    corrections applied) and who holds it. Reading does not claim it."""
    store, settings = request.app.state.store, request.app.state.settings
    item = await run_in_threadpool(open_item, store, settings, message_pk, actor=actor.name, claim=False)
    answer = message_json(item.record)
    answer["fields"] = {f.name: _field(f).model_dump() for f in item.fields}
    answer["held_by"] = item.claim.holder if item.claim else None
    return answer


@router.get("/messages/{message_pk}/fields", response_model=list[FieldInForce])
async def fields(request: Request, message_pk: int, actor: Actor = allowed("review")) -> list[FieldInForce]:
    store, settings = request.app.state.store, request.app.state.settings
    item = await run_in_threadpool(open_item, store, settings, message_pk, actor=actor.name, claim=False)
    return [_field(f) for f in item.fields]


@router.post("/messages/{message_pk}/fields", response_model=list[FieldInForce])
async def fix_field(
    request: Request, message_pk: int, correction: Correction, actor: Actor = allowed("review")
) -> list[FieldInForce]:
    store, settings = request.app.state.store, request.app.state.settings
    await run_in_threadpool(
        correct_field, store, settings, message_pk, correction.name, correction.value, actor=actor.name
    )
    item = await run_in_threadpool(open_item, store, settings, message_pk, actor=actor.name, claim=False)
    return [_field(f) for f in item.fields]


@router.post("/messages/{message_pk}/claim", response_model=ClaimAnswer)
async def claim(request: Request, message_pk: int, actor: Actor = allowed("review")) -> ClaimAnswer:
    """Take the message (or keep it): 409 when another agent holds it."""
    store, settings = request.app.state.store, request.app.state.settings
    held = await run_in_threadpool(renew_claim, store, settings, message_pk, actor=actor.name)
    return ClaimAnswer(holder=held.holder, expires_at=held.expires_at)


@router.delete("/messages/{message_pk}/claim", status_code=204)
async def unclaim(request: Request, message_pk: int, actor: Actor = allowed("review")) -> Response:
    await run_in_threadpool(
        release, request.app.state.store, message_pk, actor=actor.name, anyone=actor.may("reassign")
    )
    return Response(status_code=204)


@router.post("/messages/{message_pk}/approve")
async def approve(
    request: Request,
    message_pk: int,
    approval: Approval,
    background: BackgroundTasks,
    actor: Actor = allowed("review"),
) -> dict:
    """Approve the draft (with your edit): exactly one of two simultaneous approvals succeeds,
    the other gets 409."""
    store = request.app.state.store
    draft = await run_in_threadpool(
        store.approve, message_pk, actor=actor.name, edited_body=approval.body, draft_id=approval.draft_id
    )
    send_when_configured(background, request.app.state.settings, message_pk, actor)
    return {
        "id": message_pk,
        "draft_id": draft.id,
        "status": draft.status.value,
        "edited": draft.final_body is not None,
    }


@router.post("/messages/{message_pk}/reject")
async def reject(
    request: Request, message_pk: int, rejection: Rejection, actor: Actor = allowed("review")
) -> dict:
    store = request.app.state.store
    draft = await run_in_threadpool(
        store.reject, message_pk, actor=actor.name, reason=rejection.reason, draft_id=rejection.draft_id
    )
    return {"id": message_pk, "draft_id": draft.id, "status": draft.status.value}


def _field(f) -> FieldInForce:  # noqa: ANN001 - a ReviewField
    return FieldInForce(
        name=f.name,
        value=f.value,
        confidence=f.confidence,
        source=f.source,
        page=f.page,
        box=list(f.box) if f.box else None,
        extracted=f.extracted,
        corrected_by=f.corrected_by,
    )
