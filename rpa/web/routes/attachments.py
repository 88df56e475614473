"""Attachments in the page: each page as a picture rendered on the server (once, then cached),
and the file itself as a download. URLs name the message and the attachment's position,
never a path. The reply by post to a paper letter is a download here too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from rpa.accounts import Actor
from rpa.errors import NotFound
from rpa.letters import letter_pdf
from rpa.pages import PAGE_WIDTHS, original_message, page_image
from rpa.web.auth import allowed

__all__ = ["router"]

router = APIRouter()


@router.get("/messages/{message_pk}/attachments/{position}/pages/{page}.png")
async def page_picture(
    request: Request,
    message_pk: int,
    position: int,
    page: int,
    w: int = PAGE_WIDTHS[1],
    actor: Actor = allowed("review"),
) -> Response:
    width = min(PAGE_WIDTHS, key=lambda allowed_width: abs(allowed_width - w))
    store, settings = request.app.state.store, request.app.state.settings
    path = await run_in_threadpool(page_image, store, settings, message_pk, position, page, width)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/messages/{message_pk}/attachments/{position}")
async def download(
    request: Request, message_pk: int, position: int, actor: Actor = allowed("review")
) -> Response:
    """The attachment's bytes, always as a download: never shown inline, whatever its type."""
    store, settings = request.app.state.store, request.app.state.settings
    message = await run_in_threadpool(original_message, store, settings, message_pk)
    attachments = message.all_attachments()
    if not 0 <= position < len(attachments) or not attachments[position].data:
        raise NotFound(f"message {message_pk} has no attachment {position} to download")
    attachment = attachments[position]
    return Response(
        attachment.data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": _disposition(attachment.filename),
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/messages/{message_pk}/letter.pdf")
async def reply_by_post(request: Request, message_pk: int, actor: Actor = allowed("review")) -> Response:
    """The reply by post to a letter received on paper, as a PDF to print (a download)."""
    store, settings = request.app.state.store, request.app.state.settings
    record = await run_in_threadpool(store.message, message_pk)
    pdf = await run_in_threadpool(letter_pdf, record, settings)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": _disposition(f"reply-{message_pk}.pdf"),
            "Cache-Control": "private, no-store",
        },
    )


def _disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266), quotes and controls removed."""
    from urllib.parse import quote

    cleaned = "".join(char for char in filename if char.isprintable() and char not in '"\\/') or "attachment"
    ascii_name = cleaned.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(cleaned)}"
