"""A webhook receiver on loopback: a real HTTP server that keeps every request and answers
as a test tells it (given statuses first, then 204; or slowly)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from tests.live import free_port
from wordofmouth.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def no_webhooks(engine: Engine) -> None:
    """Clear the webhooks a test before left in the module's committed database."""
    with Session(engine) as s:
        for table in (WebhookAttempt, WebhookDelivery, WebhookEndpoint):
            s.execute(delete(table))
        s.commit()


@dataclass
class Received:
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)  # the next answers, in turn
    delay: float = 0.0  # seconds before each answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ids(self) -> list[str]:
        with self.lock:
            return [r.headers["webhook-id"] for r in self.received]


@contextmanager
def receiver() -> Iterator[Receiver]:
    port = free_port()
    sink = Receiver(f"http://127.0.0.1:{port}/hooks")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            if sink.delay:
                time.sleep(sink.delay)
            with sink.lock:
                sink.received.append(Received({k.lower(): v for k, v in self.headers.items()},
                                              body))
                status, text = sink.answers.pop(0) if sink.answers else (204, "")
            self.send_response(status)
            self.send_header("content-length", str(len(text.encode())))
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    with receiver() as sink:
        yield sink
