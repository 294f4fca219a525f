"""Security headers on every answer and a cap on request body size."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from wordofmouth import i18n

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"frame-ancestors 'none'; form-action 'self'; base-uri 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
# The interactive API docs load their own script and styles from the package's CDN by
# default; /docs is served with local assets only, so the strict policy holds there too.


def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    """`send`, with the `extra` headers added to the response's start unless already set."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            headers.extend(h for h in extra if h[0] not in present)
            message["headers"] = headers
        await send(message)

    return sending


class HttpOnly:
    """A middleware for HTTP requests; anything else (lifespan, websockets) passes by."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class SecurityHeaders(HttpOnly):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, _adding(send, SECURITY_HEADERS))


class BodyLimit:
    """Refuse bodies over `max_bytes` with 413, whether announced or streamed; the file
    uploads (`uploads`: path → limit) may be larger."""

    def __init__(self, app: ASGIApp, max_bytes: int,
                 uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = uploads or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope.get("path", ""), self.max_bytes)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await _too_large(send, limit)
                return
        seen = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    too_large = True
                    raise _BodyTooLarge()
            return message

        replaced = False

        async def guarded_send(message: Message) -> None:
            # The framework may turn the interrupted read into its own 400; answer 413.
            nonlocal replaced
            if too_large:
                if not replaced:
                    replaced = True
                    await _too_large(send, limit)
                return
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _BodyTooLarge:
            if not replaced:
                await _too_large(send, limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"error": "body_too_large",
                       "detail": f"The request body is larger than {limit} bytes."}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


LANGUAGE_COOKIE = "wom_lang"


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


class Language(HttpOnly):
    """Every request in its reader's language: the user's choice (kept in a cookie at login
    and when changed), else the browser's Accept-Language, else Ukrainian. The language is
    set in a context variable the request's worker threads see too."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k: v.decode("latin-1") for k, v in scope.get("headers", [])}
        chosen = i18n.supported(_cookie(headers.get(b"cookie", ""), LANGUAGE_COOKIE))
        language = chosen or i18n.choose(headers.get(b"accept-language", ""))

        with i18n.use(language):
            await self.app(scope, receive,
                           _adding(send, [(b"content-language", language.encode())]))
