"""Request and response schemas of the HTTP API (OpenAI Chat Completions, plus the `mhqa` extension)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class TextPart(BaseModel):
    """One part of a multi-part message; only text is understood."""

    model_config = ConfigDict(extra="ignore")
    type: Literal["text"]
    text: str


class ChatMessage(BaseModel):
    """One chat turn as OpenAI clients send it (content a string or a list of text parts)."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text for p in self.content)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """`POST /v1/chat/completions`. Unknown OpenAI fields are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str | None = Field(default=None, description="Ignored: this server serves one model.")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(default=None, ge=0, le=2, description="0 = greedy decoding.")
    top_p: float | None = Field(default=None, gt=0, le=1)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    n: int = Field(default=1, ge=1, le=1, description="Only one choice is generated.")
    seed: int | None = None
    stop: str | list[str] | None = None
    locale: str | None = Field(default=None, max_length=64,
                               description="mhqa extension: help-line locale such as en-GB (else Accept-Language).")

    @field_validator("stop")
    @classmethod
    def _stop_list(cls, v: str | list[str] | None) -> list[str] | None:
        if v is None:
            return None
        v = [v] if isinstance(v, str) else v
        if len(v) > 4:
            raise ValueError("at most 4 stop sequences")
        return v


class SafetyCheckRequest(BaseModel):
    """`POST /v1/safety/check`: one text, or a conversation whose last user turn is checked."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    messages: list[ChatMessage] | None = None
    locale: str | None = Field(default=None, max_length=64)


class MhqaExtension(BaseModel):
    """Safety and provenance a client needs to show help lines prominently."""

    crisis: bool
    level: str
    categories: list[str]
    resources: list[dict[str, Any]]
    sources: list[str]
    source_questions: list[str] = []
    emergency: str | None = None
    final_text: str | None = None
    country: str | None = None
    disclaimer: str


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop", "length"]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    mhqa: MhqaExtension


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "mhqa"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class SafetyCheckResponse(BaseModel):
    crisis: bool
    level: str
    categories: list[str]
    evidence: list[str]
    score: float | None
    locale: str
    from_history: bool
    check_in: bool = False
    stood_down: bool = False
    language: str | None = None
    physical: bool = False
    country: str
    emergency: str
    resources: list[dict[str, Any]]
    reply: str | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    model: str
    backend: str
    mode: str
    auth_required: bool
    queue: dict[str, int]
    # the crisis classifier: "loaded (onnxruntime, int8)", with "; fallback without ... (why)" when a member's model
    # could not load, or the load error (then the pattern layer checks messages alone)
    safety: str = ""


class ErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
