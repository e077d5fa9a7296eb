"""Pure ASGI middleware: body-size limit, security headers, a content-free access log, and a last
guard that turns any escaped exception into a JSON 500 logged by type only (a traceback may
quote a user's message)."""

from __future__ import annotations

import json
import logging
import time

from starlette.exceptions import HTTPException

access_log = logging.getLogger("mhqa.server.access")
error_log = logging.getLogger("mhqa.server")

# Everything the page needs comes from this server: no third-party requests are possible.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_SECURITY_HEADERS = [
    (b"content-security-policy", _CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"x-frame-options", b"DENY"),
]


async def _send_json(send, status: int, payload: dict, headers: list | None = None) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for bodies above ``max_bytes``, by Content-Length up front or by counting a streamed body."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                return await _send_json(send, 400, {"error": {"message": "bad Content-Length header",
                                                              "type": "invalid_request_error"}})
            if too_big:
                return await _send_json(send, 413, _too_large(self.max_bytes))
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413)  # FastAPI passes HTTPException through body parsing
            return message

        await self.app(scope, counted, send)


def _too_large(limit: int) -> dict:
    return {"error": {"message": f"request body too large (limit {limit} bytes)", "type": "request_too_large",
                      "param": None, "code": None}}


class SecurityHeaders:
    """CSP (self only), no-store, nosniff and no-referrer on every response; no cookies are ever set."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _SECURITY_HEADERS if k not in names]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"set-cookie"]
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, with_headers)


class AccessLog:
    """One line per request: method, route template (never the raw path or query), status, time."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 0

        async def spy(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, spy)
        finally:
            access_log.info("%s %s %d %.0fms", scope.get("method", "-"), _route_of(scope), status,
                            (time.perf_counter() - started) * 1000)


def _route_of(scope) -> str:
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return route.path
    if scope.get("path", "").startswith("/static/"):
        return "/static/*"
    return "<unmatched>"


class ErrorGuard:
    """Outermost guard: an escaped exception becomes a JSON 500 and a log line naming its type only."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def track(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, track)
        except Exception as exc:
            error_log.error("internal error on %s: %s", _route_of(scope), type(exc).__name__)
            if not started:
                await _send_json(send, 500, {"error": {"message": "internal server error", "type": "server_error",
                                                       "param": None, "code": None}})
