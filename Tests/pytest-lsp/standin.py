"""A deterministic stand-in for an OpenAI-compatible model server (llama-server's dialect).

It answers what selfmoa-lsp's backend client asks of a real server, without a model:

- ``GET /health``, ``GET /props`` (context size, slots, model alias), ``GET /v1/models``
- ``POST /tokenize`` (one token per four UTF-8 bytes, so counts are stable)
- ``POST /v1/chat/completions``: non-streaming (with ``n`` choices) and SSE streaming, ending
  with a usage chunk and ``data: [DONE]``
- ``POST /infill``: 404, like a server without fill-in-the-middle

Which answer a chat request gets depends on its system message (the role the prompt gives the
model): a reviewer gets ``REVIEW_ANSWER``, an explainer ``EXPLAIN_ANSWER``, anything else is a
code request and gets ``CODE_ANSWER``. These three constants are the one place where answers
are scripted. A prompt that contains ``SLOW_MARKER`` is answered only after ``slow_seconds``,
so a test can cancel the request while it runs; the stand-in notices when the client hangs up
and records it in ``events``.

Use it in-process (``StandIn().start()``, as the suite does, so tests can read ``requests``) or
as a program: ``python standin.py`` prints ``PORT <n>`` on its first line and serves until its
stdin closes.
"""

from __future__ import annotations

import json
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# The scripted answers. The review format is the one the server's review prompt asks for
# (`L<line> <severity>: <problem>`, optionally followed by a fenced fix).
REVIEW_ANSWER = (
    "L2 error: dividing by `b` fails when `b` is 0 (STANDIN finding)\n"
    "```\n"
    "    return a / b if b else 0\n"
    "```\n"
)
EXPLAIN_ANSWER = (
    "`divide` returns `a` divided by `b` (STANDIN explanation).\n"
    "\n"
    "- It raises `ZeroDivisionError` when `b` is 0.\n"
)
CODE_ANSWER = "return standin_value(a, b)"

# A prompt containing this is answered only after `StandIn.slow_seconds`.
SLOW_MARKER = "STANDIN_SLOW"

MODEL_NAME = "standin"
CONTEXT_TOKENS = 8192
SLOTS = 4


def count_tokens(text: str) -> list[int]:
    """One token per four UTF-8 bytes: deterministic, and roughly what code tokenizers do."""
    data = text.encode("utf-8")
    return [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]


def classify(messages: list[dict[str, Any]]) -> str:
    """``review``, ``explain``, ``code`` or ``probe``: what the request asks for."""
    system = " ".join(
        str(m.get("content", "")) for m in messages if m.get("role") == "system"
    ).lower()
    if not system:
        first_user = next(
            (str(m.get("content", "")) for m in messages if m.get("role") == "user"), ""
        )
        if first_user.strip() == "Reply with OK.":
            return "probe"
        system = first_user.lower()[:400]
    if "review" in system:
        return "review"
    if "explain" in system:
        return "explain"
    return "code"


class StandIn:
    """The server and what it saw: ``requests`` (method, path, JSON body) and ``events``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, refuse_with: str | None = None):
        # When set, every request is answered 500 with this message (a decoy backend).
        self.refuse_with = refuse_with
        self.answers = {
            "review": REVIEW_ANSWER,
            "explain": EXPLAIN_ANSWER,
            "code": CODE_ANSWER,
            "probe": "OK",
        }
        self.slow_seconds = 30.0
        self.requests: list[tuple[str, str, Any]] = []
        self.events: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StandIn:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def record(self, method: str, path: str, body: Any) -> None:
        with self._lock:
            self.requests.append((method, path, body))

    def event(self, text: str) -> None:
        with self._lock:
            self.events.append(text)

    def chat_requests(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The bodies of chat requests so far, optionally only those of one kind."""
        with self._lock:
            bodies = [b for (m, p, b) in self.requests if p == "/v1/chat/completions"]
        if kind is None:
            return bodies
        return [b for b in bodies if classify(b.get("messages", [])) == kind]

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

            def _json(self, status: int, value: Any) -> None:
                data = json.dumps(value).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    return json.loads(raw or b"null")
                except json.JSONDecodeError:
                    return None

            def _refused(self) -> bool:
                if standin.refuse_with is None:
                    return False
                self._json(500, {"error": {"message": standin.refuse_with, "code": 500, "type": "server_error"}})
                return True

            def do_GET(self) -> None:  # noqa: N802
                standin.record("GET", self.path, None)
                if self._refused():
                    return
                if self.path == "/health":
                    self._json(200, {"status": "ok"})
                elif self.path == "/props":
                    self._json(
                        200,
                        {
                            "default_generation_settings": {"n_ctx": CONTEXT_TOKENS},
                            "total_slots": SLOTS,
                            "model_alias": MODEL_NAME,
                        },
                    )
                elif self.path == "/v1/models":
                    self._json(200, {"object": "list", "data": [{"id": MODEL_NAME, "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}", "code": 404}})

            def do_POST(self) -> None:  # noqa: N802
                body = self._body()
                standin.record("POST", self.path, body)
                if self._refused():
                    return
                if self.path == "/tokenize":
                    content = body.get("content", "") if isinstance(body, dict) else ""
                    self._json(200, {"tokens": count_tokens(str(content))})
                elif self.path == "/v1/chat/completions":
                    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                        self._json(400, {"error": {"message": "messages must be an array", "code": 400}})
                        return
                    self._chat(body)
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}", "code": 404}})

            def _client_gone_within(self, seconds: float) -> bool:
                """Waits up to `seconds`; True as soon as the client closes its connection."""
                sock: socket.socket = self.connection
                deadline = time.monotonic() + seconds
                while (left := deadline - time.monotonic()) > 0:
                    readable, _, _ = select.select([sock], [], [], min(left, 0.05))
                    if readable:
                        try:
                            if sock.recv(1, socket.MSG_PEEK) == b"":
                                return True
                        except OSError:
                            return True
                return False

            def _chat(self, body: dict[str, Any]) -> None:
                messages = body["messages"]
                kind = classify(messages)
                text = standin.answers[kind]
                n = max(1, int(body.get("n") or 1))
                prompt = "\n".join(str(m.get("content", "")) for m in messages)
                prompt_tokens = len(count_tokens(prompt))
                completion_tokens = len(count_tokens(text))
                usage = {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                }
                if SLOW_MARKER in prompt and kind != "probe":
                    standin.event("slow request started")
                    if self._client_gone_within(standin.slow_seconds):
                        standin.event("client hung up")
                        self.close_connection = True
                        return
                created = int(time.time())
                if body.get("stream"):
                    self._stream(text, n, usage, created)
                    return
                self._json(
                    200,
                    {
                        "id": "chatcmpl-standin",
                        "object": "chat.completion",
                        "created": created,
                        "model": MODEL_NAME,
                        "choices": [
                            {
                                "index": i,
                                "message": {"role": "assistant", "content": text},
                                "finish_reason": "stop",
                            }
                            for i in range(n)
                        ],
                        "usage": {**usage, "completion_tokens": completion_tokens * n},
                    },
                )

            def _stream(self, text: str, n: int, usage: dict[str, int], created: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True

                def chunk(choices: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> None:
                    payload = {
                        "id": "chatcmpl-standin",
                        "object": "chat.completion.chunk",
                        "created": created,
                        "model": MODEL_NAME,
                        "choices": choices,
                        **(extra or {}),
                    }
                    self.wfile.write(b"data: " + json.dumps(payload).encode("utf-8") + b"\n\n")
                    self.wfile.flush()

                pieces = [text[i : i + 16] for i in range(0, len(text), 16)] or [""]
                try:
                    for index in range(n):
                        chunk([{"index": index, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
                        for piece in pieces:
                            chunk([{"index": index, "delta": {"content": piece}, "finish_reason": None}])
                        chunk([{"index": index, "delta": {}, "finish_reason": "stop"}])
                    chunk([], {"usage": {**usage, "completion_tokens": usage["completion_tokens"] * n}})
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    standin.event("client hung up")

        return Handler


def main() -> int:
    standin = StandIn().start()
    print(f"PORT {standin.port}", flush=True)
    try:
        while sys.stdin.read(65536):
            pass
    finally:
        standin.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
