"""Admission: at most as many requests at work as the connection pool can serve at once.

Each request holds at most one database connection; FastAPI runs its dependencies and its
handler on worker threads, and a request may hold its connection while it waits for a
thread. Unbounded, hundreds of requests could each take a connection and then wait for a
thread held by another request waiting for a connection — the pool's timeout, then a 500.
Admitting no more requests than there are connections (less those the background jobs
need) means a request that is admitted never waits for a connection; the others wait here
for a slot, briefly, and past that are answered 503 with Retry-After at once."""

from __future__ import annotations

import asyncio
import json

from wordofmouth.web.middleware import ASGIApp, Receive, Scope, Send

# Paths that touch no database (or, for /r/, are answered before this middleware).
FREE = ("/static/", "/docs-assets/", "/healthz", "/r/")


class Admission:
    def __init__(self, app: ASGIApp, slots: int, wait_seconds: float) -> None:
        self.app = app
        self.slots = slots
        self.wait_seconds = wait_seconds
        self.gate: asyncio.Semaphore | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.refused = 0

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self.gate is None or loop is not self.loop:  # one gate per server loop
            self.gate, self.loop = asyncio.Semaphore(self.slots), loop
        return self.gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(FREE):
            await self.app(scope, receive, send)
            return
        gate = self._gate()
        try:
            await asyncio.wait_for(gate.acquire(), self.wait_seconds)
        except TimeoutError:
            self.refused += 1
            await overloaded(send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            gate.release()


async def overloaded(send: Send) -> None:
    body = json.dumps({"error": "overloaded", "detail": "The server is busy; try again in a "
                       "moment."}).encode()
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"application/json"), (b"retry-after", b"1"),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
