"""A real SMTP server on loopback (aiosmtpd) and a local HTTP server that answers like the
SMS and Viber providers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.live import free_port
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.settings import service as store_settings


@dataclass
class SmtpSink:
    port: int
    received: list[Message] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address → SMTP answer

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        return sorted(m["To"] for m in self.received)


@contextmanager
def smtp_server(kind: type[SmtpSink] = SmtpSink) -> Iterator[SmtpSink]:
    """A real SMTP server on a free loopback port, answering like `kind`."""
    sink = kind(free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with smtp_server() as sink:
        yield sink


def use_smtp(db: Session, port: int) -> None:
    mail_settings.update(db, actor="owner", email_transport="smtp", smtp_host="127.0.0.1",
                         smtp_port=port, smtp_security="none", email_per_second=1000,
                         sender_email="shop@beauty.example", sender_name="Beauty Corner",
                         public_url="https://shop.example")
    store_settings.update(db, actor="owner", language="en")  # these customers read English


@dataclass
class Provider:
    """Answers like Twilio (SMS) and Infobip (Viber); `script` is the list of (status,
    body, headers) to answer next; every request is kept."""

    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider(free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.requests.append({"path": self.path, "headers": dict(self.headers),
                                   "body": raw.decode()})
            status, body, headers = state.script.pop(0) if state.script else (
                201, {"sid": "SM1", "status": "queued"}, {})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", state.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def joined(db: Session) -> Any:
    """A session factory on the test's connection, for the worker (each of its transactions
    becomes a savepoint the test rolls back)."""
    connection = db.connection()
    return lambda: Session(bind=connection, join_transaction_mode="create_savepoint",
                           expire_on_commit=False)


__all__ = ["Engine", "Provider", "SmtpSink", "use_smtp"]
