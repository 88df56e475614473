"""An OAuth2 token introspection endpoint (RFC 7662) for the XOAUTH2 tests, on 127.0.0.1.

Dovecot's oauth2 passdb POSTs `token=...` to it (`introspection_mode = post`)
and reads `active` and `username` from the answer; the SMTP sink asks it
directly. Tokens are granted by the test, for one user each, and can be revoked.
`token_command` writes a token helper handing out the tokens a test chose, in turn.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

__all__ = ["TokenIntrospection", "token_command"]


class TokenIntrospection:
    def __init__(self) -> None:
        self._users: dict[str, str] = {}  # token -> user
        self._lock = threading.Lock()
        self.seen: list[str] = []  # every token asked about, in order
        # Called with a token the endpoint is about to refuse: a token helper refreshing meanwhile.
        self.on_refused: Callable[[str], None] | None = None

    def grant(self, user: str) -> str:
        token = f"ya29.test-{secrets.token_urlsafe(16)}"
        with self._lock:
            self._users[token] = user
        return token

    def revoke(self, token: str) -> None:
        with self._lock:
            self._users.pop(token, None)

    def user_of(self, token: str) -> str | None:
        with self._lock:
            self.seen.append(token)
            user = self._users.get(token)
        if user is None and self.on_refused is not None:
            self.on_refused(token)
        return user

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/introspect"
        threading.Thread(target=self._server.serve_forever, name="introspection", daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def token_command(folder: Path, *tokens: str) -> str:
    """A token helper printing `tokens` one per call, then the last one ever after, each as
    JSON valid for an hour (so that rpa caches it until the server refuses it)."""
    queue = folder / "tokens"
    queue.write_text("\n".join(tokens))
    script = folder / "token_helper.py"
    script.write_text(
        "import json, pathlib, sys\n"
        "queue = pathlib.Path(sys.argv[1])\n"
        "tokens = queue.read_text().split()\n"
        "queue.write_text('\\n'.join(tokens[1:] or tokens))\n"
        "print(json.dumps({'access_token': tokens[0], 'expires_in': 3600}))\n"
    )
    return f"{sys.executable} {script} {queue}"


def _handler_for(endpoint: TokenIntrospection) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            token = parse_qs(body).get("token", [""])[0]
            user = endpoint.user_of(token)
            answer = {"active": True, "username": user} if user else {"active": False}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the test output stays about the test

    return Handler
