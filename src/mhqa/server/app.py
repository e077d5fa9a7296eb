"""The HTTP front door: an OpenAI-compatible chat API and the web chat page, over one Assistant.

Order of one chat request: guards (auth, size, schema) -> safety screen on its own threads (a
crisis is answered there and then, never queued) -> bounded generation queue -> Assistant.
Message content never reaches a log line: the access log names the route template, not the
path or body, and errors are logged by exception type only.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from mhqa.server.errors import ApiError, install_error_handlers
from mhqa.server.middleware import AccessLog, BodyLimit, ErrorGuard, SecurityHeaders
from mhqa.server.queue import GenerationQueue, QueueFull
from mhqa.server.replies import ReplyContext, completion_response, sse_response, sse_single, sse_stream
from mhqa.server.schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    ErrorResponse,
    Health,
    ModelList,
    SafetyCheckRequest,
    SafetyCheckResponse,
)
from mhqa.server.settings import ServerSettings

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("mhqa.server")


@dataclass
class ServerState:
    """What every request shares: the assistant, the generation queue and the safety threads."""

    settings: ServerSettings
    assistant: Any
    queue: GenerationQueue
    safety_pool: ThreadPoolExecutor
    started: int
    source_titles: dict[str, str]  # FAQ source id -> its question, to show sources by name


def create_app(settings: ServerSettings | None = None, assistant: Any = None) -> FastAPI:
    """Build the app; the Assistant is loaded at startup from ``settings.run_dir`` unless given."""
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        nonlocal assistant
        if assistant is None:
            assistant = load_assistant(settings)
        _warm_safety(settings.locale)
        state = ServerState(settings, assistant, GenerationQueue(settings.queue_size, settings.generation_workers,
                                                               settings.generation_nice),
                            ThreadPoolExecutor(settings.safety_workers, thread_name_prefix="mhqa-safety"),
                            int(time.time()), _source_titles(assistant))
        app.state.mhqa = state
        log.info("serving %s (backend %s, mode %s, queue %d, auth %s, cors %s)", settings.model_name,
                 _backend_name(assistant), settings.mode, settings.queue_size,
                 "on" if settings.api_key else "off", ",".join(settings.cors_origins) or "off")
        try:
            yield
        finally:
            state.queue.shutdown()
            state.safety_pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="mhqa", version=_version(), lifespan=lifespan,
                  summary="OpenAI-compatible mental-health FAQ assistant with a safety layer.",
                  responses={401: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
    app.include_router(_api_router(settings))
    app.include_router(_page_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    # Added innermost first: AccessLog > SecurityHeaders > ErrorGuard > BodyLimit > CORS > routes.
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ErrorGuard)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    return app


# ---------------------------------------------------------------------------------------------
# routes

def _state(request: Request) -> ServerState:
    return request.app.state.mhqa


StateDep = Annotated[ServerState, Depends(_state)]


def _require_key(request: Request) -> None:
    key = request.app.state.mhqa.settings.api_key
    if key is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), key.encode()):
        raise ApiError(401, "missing or wrong API key: send 'Authorization: Bearer <key>'",
                       type="authentication_error", code="invalid_api_key",
                       headers={"WWW-Authenticate": "Bearer"})


def _api_router(settings: ServerSettings) -> APIRouter:
    open_api = APIRouter()
    keyed = APIRouter(dependencies=[Depends(_require_key)])

    @open_api.get("/health", response_model=Health)
    async def health(state: StateDep) -> Health:
        """Liveness, the loaded backend, the queue load and the crisis classifier's state."""
        from mhqa.safety.semantic import status

        return Health(model=state.settings.model_name, backend=_backend_name(state.assistant),
                      mode=state.settings.mode, auth_required=state.settings.api_key is not None,
                      queue=state.queue.stats(), safety=status())

    @open_api.get("/v1/safety/resources")
    async def safety_resources() -> dict:
        """Help lines for every country (public: help lines are never behind the API key)."""
        from mhqa.safety.resources import load_resources

        table = load_resources()
        return {"fallback": "INTL", "countries": [table[c].to_dict() for c in sorted(table, key=_country_order)]}

    @keyed.get("/v1/models", response_model=ModelList)
    async def models(state: StateDep) -> ModelList:
        """The one model this server answers with."""
        return ModelList(data=[{"id": state.settings.model_name, "created": state.started}])

    @keyed.post("/v1/safety/check", response_model=SafetyCheckResponse)
    async def safety_check(body: SafetyCheckRequest, request: Request, state: StateDep) -> SafetyCheckResponse:
        """Crisis assessment of a message (or a conversation's last user turn) with local help lines."""
        if (body.text is None) == (body.messages is None):
            raise ApiError(422, "give either 'text' or 'messages'", param="text")
        if body.text is not None:
            _check_length(body.text, state.settings, "text")
            text, history = body.text, []
        else:
            msgs = _messages(body.messages, state.settings)
            text, history = msgs[-1]["content"], msgs[:-1]
        locale = _locale(body.locale, request, state.settings)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(state.safety_pool, _safety_result, text, history, locale)

    @keyed.post("/v1/chat/completions", response_model=ChatCompletion)
    async def chat_completions(body: ChatCompletionRequest, request: Request, state: StateDep):
        """OpenAI Chat Completions (streaming with `stream: true`); replies carry an `mhqa` safety object."""
        messages = _messages(body.messages, state.settings)
        locale = _locale(body.locale, request, state.settings)
        gen = _generation_settings(body, state)
        ctx = ReplyContext(id=f"chatcmpl-{uuid.uuid4().hex}", created=int(time.time()),
                           model=state.settings.model_name, locale=locale, max_new_tokens=gen.max_new_tokens,
                           include_usage=bool(body.stream_options and body.stream_options.include_usage),
                           titles=state.source_titles)
        loop = asyncio.get_running_loop()
        # The safety layer answers a crisis at once, on its own threads: never behind the model queue.
        crisis = await loop.run_in_executor(state.safety_pool, _crisis_reply, state.assistant, messages, locale)
        if crisis is not None:
            if body.stream:
                return sse_response(sse_single(crisis, ctx))
            return completion_response(crisis, ctx)
        try:
            if body.stream:
                items = await state.queue.stream(lambda: state.assistant.stream(messages, locale=locale, settings=gen))
                return sse_response(sse_stream(items, ctx))
            reply = await state.queue.run(lambda: state.assistant.reply(messages, locale=locale, settings=gen))
        except QueueFull as exc:
            raise ApiError(503, str(exc), type="server_busy", code="queue_full", headers={"Retry-After": "2"}) from None
        return completion_response(reply, ctx)

    router = APIRouter()
    router.include_router(open_api)
    router.include_router(keyed)
    return router


def _page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @router.get("/favicon.ico")
    async def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "icon.svg", media_type="image/svg+xml")

    return router


# ---------------------------------------------------------------------------------------------
# request -> assistant inputs

def _check_length(text: str, settings: ServerSettings, param: str) -> None:
    if len(text) > settings.max_message_chars:
        raise ApiError(422, f"{param} is {len(text)} characters long; the limit is {settings.max_message_chars}",
                       param=param, code="message_too_long")


def _messages(raw: list, settings: ServerSettings) -> list[dict[str, str]]:
    """OpenAI messages -> the Assistant's ``[{"role", "content"}]``; enforces count and length limits."""
    if len(raw) > settings.max_messages:
        raise ApiError(422, f"{len(raw)} messages sent; the limit is {settings.max_messages}: "
                            "trim older turns of the conversation", param="messages", code="too_many_messages")
    out = []
    for i, m in enumerate(raw):
        text = m.text()
        _check_length(text, settings, f"messages[{i}].content")
        if m.role == "tool":  # tool results have no place in this assistant's prompt
            continue
        out.append({"role": "system" if m.role == "developer" else m.role, "content": text})
    if not out or out[-1]["role"] != "user" or not out[-1]["content"].strip():
        raise ApiError(422, "the last message must be a non-empty 'user' message", param="messages")
    return out


def _locale(given: str | None, request: Request, settings: ServerSettings) -> str:
    if given and given.strip():
        return given.strip()
    from mhqa.safety import locale_from_accept_language

    return locale_from_accept_language(request.headers.get("accept-language"), default=settings.locale)


def _generation_settings(body: ChatCompletionRequest, state: ServerState):
    from mhqa.backends.base import GenerationSettings

    limit = state.settings.max_tokens_limit
    max_tokens = body.max_completion_tokens or body.max_tokens or state.settings.default_max_tokens
    if max_tokens > limit:
        raise ApiError(422, f"max_tokens is {max_tokens}; this server allows at most {limit}", param="max_tokens")
    base = getattr(state.assistant, "settings", None)
    base = base if isinstance(base, GenerationSettings) else GenerationSettings()
    changes: dict[str, Any] = {"max_new_tokens": max_tokens}
    if body.temperature is not None:
        changes["greedy"] = body.temperature == 0
        if body.temperature > 0:
            changes["temperature"] = body.temperature
    if body.top_p is not None:
        changes["top_p"] = body.top_p
    if body.seed is not None:
        changes["seed"] = body.seed
    if body.stop:
        changes["stop"] = tuple(dict.fromkeys((*base.stop, *body.stop)))
    try:
        return replace(base, **changes)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None


# ---------------------------------------------------------------------------------------------
# safety

def _warm_safety(locale: str) -> None:
    """Load the crisis classifier before the first request so the first crisis is not slow."""
    from mhqa.safety import assess, resources_for

    assess("hello", locale=locale)
    resources_for(locale)


def _crisis_reply(assistant: Any, messages: list[dict], locale: str):
    """The Assistant's reply when the safety layer flags the conversation (or answers a "no" to its direct question
    with fixed text), else None (no model call)."""
    screen = getattr(assistant, "screen", None)
    if callable(screen):
        return screen(messages, locale=locale)
    from mhqa.safety import assess

    verdict = assess(messages[-1]["content"], locale=locale, history=messages[:-1])
    if not (verdict.crisis or verdict.stood_down):
        return None
    return assistant.reply(messages, locale=locale)


def _safety_result(text: str, history: list[dict], locale: str) -> SafetyCheckResponse:
    from mhqa.safety import assess, crisis_reply, resources_for

    verdict = assess(text, locale=locale, history=history)
    res = resources_for(locale)
    return SafetyCheckResponse(**verdict.to_dict(), country=res.country, emergency=res.emergency,
                               resources=res.to_dict()["resources"],
                               reply=crisis_reply(verdict, locale) if verdict.crisis else None)


def _country_order(code: str) -> tuple[int, str]:
    return (code == "INTL", code)


# ---------------------------------------------------------------------------------------------
# loading

def load_assistant(settings: ServerSettings):
    """The Assistant for ``settings`` (raises RunError, ModelLoadError, ... when it cannot load)."""
    from mhqa.assistant import Assistant

    return Assistant.from_run(settings.run_dir, backend=settings.backend, locale=settings.locale, mode=settings.mode)


def _source_titles(assistant: Any) -> dict[str, str]:
    entries = getattr(getattr(assistant, "index", None), "entries", None) or []
    return {e.source_id: e.question for e in entries if getattr(e, "source_id", None) and getattr(e, "question", None)}


def _backend_name(assistant: Any) -> str:
    name = getattr(assistant, "backend_name", None) or getattr(getattr(assistant, "backend", None), "name", None)
    return str(name) if name else ("none" if getattr(assistant, "mode", "") == "retrieval" else "unknown")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("mhqa")
    except Exception:
        return "0"


__all__ = ["create_app", "load_assistant"]
