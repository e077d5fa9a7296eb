"""Errors as OpenAI-style JSON (``{"error": {"message", "type", "param", "code"}}``) with the right
status; validation messages never echo the request's content."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mhqa.errors import MhqaError

log = logging.getLogger("mhqa.server")

class ApiError(Exception):
    """An error answered as OpenAI-style JSON: ``{"error": {"message", "type", "param", "code"}}``."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = headers


def _error(status: int, message: str, type: str, param: str | None = None, code: str | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": type, "param": param, "code": code}},
                        status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, exc.type, exc.param, exc.code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc.errors()), "invalid_request_error", code="invalid_request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "not found: see /docs for the routes", 405: "method not allowed on this route",
                    413: f"request body too large (limit {request.app.state.mhqa.settings.max_body_bytes} bytes)"}
        kind = {404: "not_found_error", 413: "request_too_large"}.get(exc.status_code, "invalid_request_error")
        return _error(exc.status_code, messages.get(exc.status_code, str(exc.detail)), kind,
                      headers=getattr(exc, "headers", None))

    @app.exception_handler(MhqaError)
    async def mhqa_error(_: Request, exc: MhqaError) -> JSONResponse:
        log.error("request failed: %s", type(exc).__name__)
        return _error(500, f"the assistant failed ({type(exc).__name__})", "server_error")


def _validation_message(errors: list[dict]) -> str:
    """Pydantic errors -> one readable line, never echoing the input values."""
    parts = []
    for e in errors[:5]:
        if e.get("type") == "json_invalid":
            parts.append(f"body is not valid JSON ({e.get('ctx', {}).get('error', 'parse error')})")
            continue
        loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
        parts.append(f"{loc or 'body'}: {e.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "invalid request: " + "; ".join(parts) + more
