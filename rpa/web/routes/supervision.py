"""What supervisors see besides the queue: the team's dashboard, the audit log, failed mails."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from babel.dates import format_timedelta
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor
from rpa.daemon import retry_mail
from rpa.dashboard import AGE_BUCKETS, Dashboard, team_dashboard
from rpa.store.auditlog import audit_page
from rpa.web.auth import allowed
from rpa.web.charts import Series, as_percent, horizontal_bars, median_p90_chart, stacked_bars
from rpa.web.i18n import translator
from rpa.web.render import page

__all__ = ["router"]

router = APIRouter()
_AUDIT_PAGE = 100
WINDOWS = (7, 14, 30, 90)  # days the dashboard looks back over


@router.get("/dashboard")
async def dashboard(request: Request, days: int = 14, actor: Actor = allowed("dashboard")) -> Response:
    """The team's figures over the last `days` days: charts, and the numbers behind them."""
    days = days if days in WINDOWS else 14
    figures = await run_in_threadpool(
        team_dashboard, request.app.state.store, request.app.state.settings, days=days
    )
    language = request.state.language
    return page(
        request,
        "dashboard.html",
        board=figures,
        days=days,
        windows=WINDOWS,
        charts=_charts(figures, translator(language), language),
        duration=_duration(language),
        percent=as_percent,
    )


def _duration(language: str) -> Callable[[float | None], str]:
    def duration(seconds: float | None) -> str:
        if seconds is None:
            return "–"
        return format_timedelta(timedelta(seconds=seconds), threshold=1.0, format="short", locale=language)

    return duration


def _charts(board: Dashboard, _: Callable[..., str], language: str) -> dict[str, object]:
    """The dashboard's charts, labels translated here (the chart functions take plain data)."""
    days = [f"{day.day:%d/%m}" for day in board.days]
    per_day = stacked_bars(
        days,
        [
            Series(_("Approved unchanged"), [d.approved_unchanged for d in board.days], "approved"),
            Series(_("Approved after an edit"), [d.approved_edited for d in board.days], "edited"),
            Series(_("Rejected"), [d.rejected for d in board.days], "rejected"),
        ],
        beside=Series(_("Messages in"), [d.messages_in for d in board.days], "in"),
        label=_("Messages in and drafts reviewed, per day"),
    )
    backlog = board.backlog
    ages = horizontal_bars(
        [_("age:" + name) for name, _count in backlog.by_age],
        [count for _name, count in backlog.by_age],
        kind=[f"age-{n}" for n in range(len(AGE_BUCKETS))],
        label=_("Messages waiting, by how long they have waited"),
        empty=_("Nothing waits."),
    )
    breaches = horizontal_bars(
        [_("intent:" + row.intent) for row in backlog.by_intent],
        [row.breaches for row in backlog.by_intent],
        kind="breach",
        label=_("Messages past their SLA, per intent"),
        empty=_("Nothing waits."),
    )
    duration = _duration(language)
    agents = [row.agent for row in board.agents]
    times = {
        key: median_p90_chart(
            agents,
            [getattr(row, key).median_seconds for row in board.agents],
            [getattr(row, key).p90_seconds for row in board.agents],
            label=title,
            median_name=_("median"),
            p90_name=_("90th percentile"),
            number=duration,
            empty=_("No message was taken in this period."),
        )
        for key, title in (
            ("to_claim", _("Time from arrival to first claim, per agent")),
            ("to_approval", _("Time from arrival to approval, per agent")),
        )
    }
    quality = horizontal_bars(
        [_("intent:" + row.key) for row in board.quality_by_intent],
        [row.mean_similarity or 0.0 for row in board.quality_by_intent],
        kind="approved",
        maximum=1.0,
        number=as_percent,
        label=_("How much of the draft agents kept, per intent"),
        empty=_("No draft was approved in this period."),
    )
    flags = {
        name: horizontal_bars(
            [_("flag:" + rate.flag) for rate in rates.rates],
            [rate.share for rate in rates.rates],
            kind="rate",
            maximum=1.0,
            number=as_percent,
            label=title,
            empty=_("None."),
        )
        for name, rates, title in (
            ("guards", board.guard_flags, _("Share of drafts each guard flagged")),
            ("messages", board.message_flags, _("Share of messages carrying each flag")),
        )
    }
    return {"per_day": per_day, "ages": ages, "breaches": breaches, "quality": quality, **times, **flags}


@router.get("/audit")
async def audit(
    request: Request, who: str = "", page_number: int = 1, actor: Actor = allowed("audit")
) -> Response:
    number = max(1, min(page_number, 100_000))
    rows = await run_in_threadpool(
        audit_page,
        request.app.state.store,
        actor=who[:150],
        offset=(number - 1) * _AUDIT_PAGE,
        limit=_AUDIT_PAGE,
    )
    return page(request, "audit.html", rows=rows, who=who, page_number=number, more=len(rows) == _AUDIT_PAGE)


@router.post("/failed/{record_id}/retry")
async def retry(request: Request, record_id: int, actor: Actor = allowed("retry")) -> Response:
    """Process a mail the daemon could not, again, now (as `rpa retry ID`)."""
    settings = request.app.state.settings
    await run_in_threadpool(retry_mail, settings, record_id, actor=actor.name)
    return RedirectResponse("/dashboard#daemon", status_code=303)
