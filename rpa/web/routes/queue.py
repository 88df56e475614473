"""The review queue: filters, search, counts per intent, pages; and the next message to take."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor
from rpa.config import WebSettings
from rpa.errors import RpaError
from rpa.models import URGENT, Intent
from rpa.store import QueueEntry
from rpa.store.queuecolumns import ATTACHMENT_ERROR
from rpa.store.reviewqueue import ASSIGNEES, STATUSES, QueueFilter, next_in_queue, queue_page
from rpa.web.auth import allowed
from rpa.web.render import page

__all__ = ["FLAGS", "filters_from", "queue_url", "router"]

router = APIRouter()

# The flags an agent filters on, in the order the filter lists them.
FLAGS = (
    "needs_triage",
    "injection_suspected",
    "unsupported_fact",
    "unsupported_commitment",
    ATTACHMENT_ERROR,
    URGENT,
    "open_question",
)
_FILTER_KEYS = ("status", "intent", "language", "flag", "assignee", "q", "order")


def filters_from(params: dict[str, str]) -> QueueFilter:
    """A queue filter from query parameters; unknown values are a clear error."""
    try:
        intent = params.get("intent", "")
        if intent and intent not in Intent._value2member_map_:
            raise ValueError(f"unknown intent {intent!r}")
        language = params.get("language", "")
        if language not in ("", "fr", "en"):
            raise ValueError(f"unknown language {language!r}")
        flag = params.get("flag", "")
        if flag and flag not in FLAGS:
            raise ValueError(f"unknown flag {flag!r}")
        return QueueFilter(
            status=params.get("status") or "pending_review",
            intent=intent,
            language=language,
            flag=flag,
            assignee=params.get("assignee") or "anyone",
            search=params.get("q", "")[:200],
            order=params.get("order") or "oldest",
        )
    except ValueError as exc:
        raise RpaError(f"invalid queue filter: {exc}") from exc


def filters_of_url(url: str | None) -> QueueFilter:
    """The filter of a queue address such as `/queue?intent=complaint` (the default one otherwise)."""
    if not url or not url.startswith("/queue"):
        return QueueFilter()
    try:
        return filters_from(dict(parse_qsl(urlsplit(url).query)))
    except RpaError:
        return QueueFilter()


def queue_url(filters: QueueFilter, **changes: object) -> str:
    values = {
        "status": filters.status,
        "intent": filters.intent,
        "language": filters.language,
        "flag": filters.flag,
        "assignee": filters.assignee,
        "q": filters.search,
        "order": filters.order,
    }
    values.update({key: str(value) for key, value in changes.items()})
    defaults = {"status": "pending_review", "assignee": "anyone", "order": "oldest", "page": "1"}
    query = {key: value for key, value in values.items() if value and defaults.get(key) != value}
    return "/queue" + (f"?{urlencode(query)}" if query else "")


@router.get("/")
async def home(actor: Actor = allowed("review")) -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
async def queue(request: Request, actor: Actor = allowed("review")) -> Response:
    params = dict(request.query_params)
    filters = filters_from(params)
    number = _page_number(params.get("page"))
    settings = request.app.state.settings
    result = await run_in_threadpool(
        partial(queue_page, recent=request.app.state.recent_counts),
        request.app.state.store,
        filters,
        actor=actor.name,
        page=number,
        page_size=settings.web.page_size,
    )
    fragment = request.headers.get("hx-target") == "queue-results"
    return page(
        request,
        "queue_results.html" if fragment else "queue.html",
        result=result,
        filters=filters,
        statuses=(*STATUSES, "all"),
        assignees=ASSIGNEES,
        intents=[intent.value for intent in Intent],
        flags=FLAGS,
        queue_url=queue_url,
        here=queue_url(filters, page=number),
        late=_past_sla(result.rows, settings.web),
    )


def _past_sla(rows: list[QueueEntry], web: WebSettings) -> dict[int, int]:
    """The waiting messages past their intent's SLA, with that SLA in hours."""
    now = datetime.now(UTC)
    return {
        row.message_pk: round(web.sla(row.intent))
        for row in rows
        if row.status == "pending_review"
        and (now - row.created_at).total_seconds() > web.sla(row.intent) * 3600
    }


@router.get("/queue/next")
async def next_message(request: Request, back: str = "/queue", actor: Actor = allowed("review")) -> Response:
    """The oldest message of the queue nobody else holds: opening it claims it."""
    filters = filters_of_url(back)
    found = await run_in_threadpool(next_in_queue, request.app.state.store, filters, actor=actor.name)
    if found is None:
        return RedirectResponse(
            queue_url(filters) if back.startswith("/queue") else "/queue", status_code=303
        )
    return RedirectResponse(f"/messages/{found}?{urlencode({'back': back})}", status_code=303)


def _page_number(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 100_000))
    except ValueError:
        return 1
