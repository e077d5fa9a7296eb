"""Assistant replies as OpenAI Chat Completions: whole responses and server-sent event chunks,
each carrying the ``mhqa`` extension (crisis, level, categories, resources, sources)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse, StreamingResponse

log = logging.getLogger("mhqa.server")


@dataclass
class ReplyContext:
    """What every piece of one reply repeats: its id, time, model, locale and limits."""

    id: str
    created: int
    model: str
    locale: str
    max_new_tokens: int
    include_usage: bool
    titles: dict[str, str]


def _extension(reply: Any, ctx: ReplyContext, streamed_text: str | None = None) -> dict[str, Any]:
    from mhqa.safety import AI_DISCLOSURE, resources_for

    res = resources_for(ctx.locale)
    resources = list(getattr(reply, "resources", None) or [])
    if reply.crisis and not resources:
        resources = res.to_dict()["resources"]
    ext = {"crisis": bool(reply.crisis), "level": reply.level, "categories": list(reply.categories),
           "resources": resources, "sources": list(reply.sources),
           "source_questions": [ctx.titles.get(s, s) for s in reply.sources], "emergency": res.emergency,
           "country": res.country_code, "disclaimer": AI_DISCLOSURE}
    if streamed_text is not None and streamed_text != reply.text:
        ext["final_text"] = reply.text  # the output guard changed what was streamed: show this instead
    return ext


def _usage(reply: Any) -> dict[str, int]:
    tokens = getattr(reply, "tokens", None) or {}
    p, c = int(tokens.get("prompt", 0)), int(tokens.get("completion", 0))
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _finish_reason(reply: Any, ctx: ReplyContext) -> str:
    if reply.crisis:
        return "stop"
    return "length" if _usage(reply)["completion_tokens"] >= ctx.max_new_tokens else "stop"


def completion_response(reply: Any, ctx: ReplyContext) -> JSONResponse:
    body = {"id": ctx.id, "object": "chat.completion", "created": ctx.created, "model": ctx.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                         "finish_reason": _finish_reason(reply, ctx)}],
            "usage": _usage(reply), "mhqa": _extension(reply, ctx)}
    return JSONResponse(body)


def _chunk(ctx: ReplyContext, delta: dict, finish_reason: str | None = None, **extra: Any) -> str:
    body = {"id": ctx.id, "object": "chat.completion.chunk", "created": ctx.created, "model": ctx.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}], **extra}
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def _closing(reply: Any, ctx: ReplyContext, streamed: str) -> list[str]:
    out = [_chunk(ctx, {}, _finish_reason(reply, ctx), mhqa=_extension(reply, ctx, streamed))]
    if ctx.include_usage:
        out.append(f"data: {json.dumps({'id': ctx.id, 'object': 'chat.completion.chunk', 'created': ctx.created, 'model': ctx.model, 'choices': [], 'usage': _usage(reply)})}\n\n")
    out.append("data: [DONE]\n\n")
    return out


async def sse_single(reply: Any, ctx: ReplyContext) -> AsyncIterator[str]:
    yield _chunk(ctx, {"role": "assistant", "content": ""})
    yield _chunk(ctx, {"content": reply.text})
    for line in _closing(reply, ctx, reply.text):
        yield line


async def sse_stream(items: AsyncIterator[Any], ctx: ReplyContext) -> AsyncIterator[str]:
    yield _chunk(ctx, {"role": "assistant", "content": ""})
    parts: list[str] = []
    reply = None
    try:
        async for item in items:
            if isinstance(item, str):
                if item:
                    parts.append(item)
                    yield _chunk(ctx, {"content": item})
            else:
                reply = item
    except Exception as exc:  # the response has started: report in-band, log the type only
        log.error("generation failed: %s", type(exc).__name__)
        yield f"data: {json.dumps({'error': {'message': 'generation failed', 'type': 'server_error'}})}\n\n"
        yield "data: [DONE]\n\n"
        return
    finally:
        await items.aclose()
    if reply is None:
        yield f"data: {json.dumps({'error': {'message': 'the assistant ended without a reply', 'type': 'server_error'}})}\n\n"
        yield "data: [DONE]\n\n"
        return
    for line in _closing(reply, ctx, "".join(parts)):
        yield line


def sse_response(gen: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(gen, media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
