"""A small OpenAI-compatible chat server on 127.0.0.1, for the `openai` backend's tests.

It speaks `POST /v1/chat/completions` like vLLM or llama.cpp's server do. Each
request takes the next queued answer: a string (the reply), a callable of the
request's messages returning a string, or an int (an HTTP error status).
With nothing queued it answers `default`. Every request body is kept in
`requests`, so tests can check what left the machine.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = str | int | Callable[[list[dict]], str]


class ChatServer:
    def __init__(self, default: Answer = "Bonjour,\n\nCordialement,\nService clients") -> None:
        self.answers: deque[Answer] = deque()
        self.default = default
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    def _next(self, body: dict) -> Answer:
        with self._lock:
            self.requests.append(body)
            answer = self.answers.popleft() if self.answers else self.default
        return answer(body["messages"]) if callable(answer) else answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                answer = server._next(body)
                if isinstance(answer, int):
                    self._send(answer, {"error": {"message": f"status {answer}", "type": "server_error"}})
                    return
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", ""),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": answer},
                            }
                        ],
                        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    },
                )

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:  # quiet: tests read `requests` instead
                pass

        return Handler
