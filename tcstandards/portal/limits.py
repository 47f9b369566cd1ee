"""Two ASGI middlewares: the upload size limit, and the security headers of every answer.

Uploads over the configured size are refused with 413 before they are stored whole.

A pure ASGI middleware: a declared ``Content-Length`` over the limit is
refused before the body is read; a body sent without one (chunked) is counted
as it arrives and refused as soon as it passes the limit.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tcstandards.portal.words import best_language, say


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        received = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit and not started:
                    refused = True  # answered now; the application sees the client leave
                    await self._refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not refused:
                raise  # the application's own error; after a 413, only its complaint of the body cut short

    async def _refuse(self, scope: Scope, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        lang = best_language(headers.get(b"accept-language", b"").decode("latin-1"))
        said = say("error.too-large", lang, megabytes=self.limit // (1024 * 1024))
        api = str(scope.get("path", "")).startswith("/api/")
        body = json.dumps({"detail": said}).encode() if api else _page(said, lang).encode()
        kind = b"application/json" if api else b"text/html; charset=utf-8"
        start: dict[str, Any] = {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        }  # fmt: skip
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _page(said: str, lang: str) -> str:
    from html import escape

    return f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>413</title><p>{escape(said)}</p>'


HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    ),
]


class SecurityHeaders:
    """No sniffing of types, no framing, no script from anywhere: on every answer, pages, files, API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)
