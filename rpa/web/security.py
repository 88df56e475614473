"""What every response carries, and the cookies the workspace sets.

The Content-Security-Policy allows scripts, styles, fonts and frames from the
app itself only (no inline script, no inline style), pictures from the app or
`data:` URIs (the mail's own inline pictures), and no framing of the app by
another site. The sanitised mail's iframe inherits this policy. Pages carry
`Cache-Control: no-store`: customer data stays out of shared caches.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "SecurityHeaders",
    "cookie_options",
]

SESSION_COOKIE = "rpa_session"
LOGIN_CSRF_COOKIE = "rpa_login_csrf"  # the login form's token, before there is a session

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]


class SecurityHeaders:
    """Pure ASGI middleware: the headers above on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    header for header in _HEADERS if header[0] not in present
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def cookie_options(secure: bool) -> dict[str, object]:
    """HttpOnly, SameSite=Lax, path /, and Secure when the workspace is served over HTTPS."""
    return {"httponly": True, "samesite": "lax", "secure": secure, "path": "/"}
