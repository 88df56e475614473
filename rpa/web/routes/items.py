"""One message under review: the page, and every action an agent takes on it.

Each handler parses its form, calls one library function (`rpa.workspace`, or
the store's review transitions as `rpa approve` does), and renders the page or,
for htmx, the part of it that changed. Without JavaScript every form still
works: the handler sends the browser back to the message.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from extractors.htmlpart import mail_html
from rpa.accounts import Actor
from rpa.config import Settings
from rpa.daemon import send_replies
from rpa.errors import Claimed, RpaError
from rpa.models import Intent
from rpa.store.accounts import Accounts
from rpa.store.reviewqueue import neighbours
from rpa.web.auth import allowed, safe_next
from rpa.web.render import page
from rpa.web.routes.queue import filters_of_url
from rpa.web.sanitise import sanitise_mail
from rpa.web.views import item_context
from rpa.workspace import (
    assign,
    change_intent,
    correct_field,
    item_audit,
    open_item,
    redraft,
    release,
    renew_claim,
)

__all__ = ["router", "send_when_configured"]

router = APIRouter()

Back = Annotated[str, Form(max_length=2000)]


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _item_url(message_pk: int, back: str) -> str:
    return f"/messages/{message_pk}?{urlencode({'back': safe_next(back, '/queue')})}"


@router.get("/messages/{message_pk}")
async def message_page(
    request: Request, message_pk: int, back: str = "/queue", actor: Actor = allowed("review")
) -> Response:
    return await _render_item(request, message_pk, back, actor)


async def _render_item(
    request: Request,
    message_pk: int,
    back: str,
    actor: Actor,
    *,
    template: str = "item.html",
    **extra: object,
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    back = safe_next(back, "/queue")

    def load():  # noqa: ANN202 - everything the page shows, in one worker thread
        item = open_item(store, settings, message_pk, actor=actor.name, claim=template == "item.html")
        previous, following = neighbours(store, filters_of_url(back), message_pk, actor=actor.name)
        agents = [u for u in Accounts(store).users() if not u.disabled] if actor.may("reassign") else []
        return item, item_audit(store, item.record), previous, following, agents

    item, audit, previous, following, agents = await run_in_threadpool(load)
    context = item_context(item, actor, settings)
    return page(
        request,
        template,
        item=item,
        audit=audit,
        previous=previous,
        following=following,
        agents=agents,
        back=back,
        intents=[intent.value for intent in Intent],
        **context,
        **extra,
    )


@router.get("/messages/{message_pk}/formatted")
async def formatted(request: Request, message_pk: int, actor: Actor = allowed("review")) -> Response:
    """The mail as its sender formatted it: sanitised, in a sandboxed frame (loaded on demand:
    most reviews need only the text)."""
    store = request.app.state.store
    raw = await run_in_threadpool(store.raw_message, message_pk)
    safe = await run_in_threadpool(lambda: sanitise_mail(mail_html(raw), "/static/mail.css"))
    if request.headers.get("hx-request") == "true":
        return page(request, "parts/formatted.html", mail_html=safe)
    return page(request, "formatted.html", mail_html=safe, message_pk=message_pk)


@router.post("/messages/{message_pk}/claim")
async def keep_claim(request: Request, message_pk: int, actor: Actor = allowed("review")) -> Response:
    """Renewed by the page while it is open; says so when someone else took the message."""
    store, settings = request.app.state.store, request.app.state.settings
    try:
        claim = await run_in_threadpool(renew_claim, store, settings, message_pk, actor=actor.name)
        lost = None
    except Claimed as exc:
        claim, lost = None, exc.holder
    return page(request, "parts/claim_state.html", claim=claim, lost=lost)


@router.post("/messages/{message_pk}/release")
async def let_go(
    request: Request, message_pk: int, back: Back = "/queue", actor: Actor = allowed("review")
) -> Response:
    anyone = actor.may("reassign")
    await run_in_threadpool(release, request.app.state.store, message_pk, actor=actor.name, anyone=anyone)
    return RedirectResponse(safe_next(back, "/queue"), status_code=303)


@router.post("/messages/{message_pk}/assign")
async def give_to(
    request: Request,
    message_pk: int,
    holder: Annotated[str, Form(max_length=150)],
    back: Back = "/queue",
    actor: Actor = allowed("reassign"),
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    await run_in_threadpool(assign, store, settings, message_pk, holder, by=actor.name)
    return RedirectResponse(_item_url(message_pk, back), status_code=303)


@router.post("/messages/{message_pk}/fields")
async def fix_field(
    request: Request,
    message_pk: int,
    name: Annotated[str, Form(max_length=64)],
    value: Annotated[str, Form(max_length=2000)],
    back: Back = "/queue",
    actor: Actor = allowed("review"),
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    error = ""
    try:
        await run_in_threadpool(correct_field, store, settings, message_pk, name, value, actor=actor.name)
    except Claimed:
        raise
    except RpaError as exc:
        if not _is_htmx(request):
            raise
        error = str(exc)
    if not _is_htmx(request):
        return RedirectResponse(_item_url(message_pk, back), status_code=303)
    return await _render_item(
        request, message_pk, back, actor, template="parts/fields.html", field_error=error, edited_field=name
    )


@router.post("/messages/{message_pk}/intent")
async def fix_intent(
    request: Request,
    message_pk: int,
    intent: Annotated[str, Form(max_length=40)],
    back: Back = "/queue",
    actor: Actor = allowed("review"),
) -> Response:
    await run_in_threadpool(change_intent, request.app.state.store, message_pk, intent, actor=actor.name)
    if not _is_htmx(request):
        return RedirectResponse(_item_url(message_pk, back), status_code=303)
    return await _render_item(request, message_pk, back, actor, template="parts/facts.html")


@router.post("/messages/{message_pk}/redraft")
async def draft_again(
    request: Request, message_pk: int, back: Back = "/queue", actor: Actor = allowed("review")
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    backend = request.app.state.backend()
    await run_in_threadpool(redraft, store, settings, message_pk, actor=actor.name, backend=backend)
    if not _is_htmx(request):
        return RedirectResponse(_item_url(message_pk, back), status_code=303)
    return await _render_item(request, message_pk, back, actor, template="parts/draft.html", redrafted=True)


@router.post("/messages/{message_pk}/approve")
async def approve(
    request: Request,
    message_pk: int,
    background: BackgroundTasks,
    body: Annotated[str, Form(max_length=100_000)],
    draft_id: Annotated[int, Form()],
    then: Annotated[str, Form(max_length=10)] = "",
    back: Back = "/queue",
    actor: Actor = allowed("review"),
) -> Response:
    store, settings = request.app.state.store, request.app.state.settings
    body = body.replace("\r\n", "\n")
    await run_in_threadpool(store.approve, message_pk, actor=actor.name, edited_body=body, draft_id=draft_id)
    send_when_configured(background, settings, message_pk, actor)
    return _after_review(message_pk, then, back)


def send_when_configured(
    background: BackgroundTasks, settings: Settings, message_pk: int, actor: Actor
) -> None:
    """With sending configured ([smtp] host), an approved reply leaves after the answer, exactly
    once (the outbox's approved -> sending -> sent transitions), whoever else tries to send it."""
    if settings.smtp.host:
        background.add_task(send_replies, settings, [message_pk], actor=actor.name)


@router.post("/messages/{message_pk}/reject")
async def reject(
    request: Request,
    message_pk: int,
    reason: Annotated[str, Form(max_length=2000)],
    draft_id: Annotated[int, Form()],
    then: Annotated[str, Form(max_length=10)] = "",
    back: Back = "/queue",
    actor: Actor = allowed("review"),
) -> Response:
    store = request.app.state.store
    if not reason.strip():
        raise RpaError("a rejection needs a reason")
    await run_in_threadpool(
        store.reject, message_pk, actor=actor.name, reason=reason.strip(), draft_id=draft_id
    )
    return _after_review(message_pk, then, back)


def _after_review(message_pk: int, then: str, back: str) -> Response:
    back = safe_next(back, "/queue")
    if then == "next":
        return RedirectResponse(f"/queue/next?{urlencode({'back': back})}", status_code=303)
    return RedirectResponse(_item_url(message_pk, back), status_code=303)


@router.get("/messages/{message_pk}/knowledge")
async def knowledge(
    request: Request, message_pk: int, q: str = "", actor: Actor = allowed("review")
) -> Response:
    """Knowledge-base passages for the agent's own question, in the message's language."""
    store = request.app.state.store
    record = await run_in_threadpool(store.message, message_pk)
    query = q.strip()[:500]
    passages = (
        await run_in_threadpool(request.app.state.knowledge.search, query, record.language, 5)
        if query
        else []
    )
    return page(request, "parts/passages.html", passages=passages, query=query, searched=True)
