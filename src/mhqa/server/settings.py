"""Settings of the HTTP server: limits, queue, auth and CORS. Defaults are safe and run as they are."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mhqa.errors import ConfigError

API_KEY_ENV = "MHQA_API_KEY"
CORS_ENV = "MHQA_CORS_ORIGINS"


@dataclass
class ServerSettings:
    """How `mhqa serve` loads the assistant and guards its doors."""

    run_dir: Path | None = field(default=None, metadata={"help": "Run folder; None = runs/latest, else the base model."})
    backend: str = field(default="auto", metadata={"help": "auto, transformers or llamacpp."})
    mode: str = field(default="model", metadata={"help": "model (generate) or retrieval (nearest FAQ answer)."})
    locale: str = field(default="en-US", metadata={"help": "Help-line locale when a request names none."})
    model_name: str = field(default="mhqa", metadata={"help": "Model id shown by /v1/models and in replies."})
    api_key: str | None = field(default=None, metadata={"help": "Bearer key every /v1 request must carry (None = open)."})
    cors_origins: tuple[str, ...] = field(default=(), metadata={"help": "Origins allowed by CORS (empty = CORS off)."})
    max_body_bytes: int = field(default=128 * 1024, metadata={"help": "Largest request body accepted (413 above)."})
    max_messages: int = field(default=50, metadata={"help": "Most messages in one chat request (422 above)."})
    max_message_chars: int = field(default=8000, metadata={"help": "Longest single message (422 above)."})
    max_tokens_limit: int = field(default=512, metadata={"help": "Largest max_tokens a client may ask for."})
    default_max_tokens: int = field(default=200, metadata={"help": "max_tokens when a request gives none."})
    queue_size: int = field(default=32, metadata={"help": "Generation requests waiting or running before 503."})
    generation_workers: int = field(default=1, metadata={"help": "Generations that run at once (models are not thread-safe)."})
    generation_nice: int = field(default=5, metadata={"help": "Nice value added to generation threads (0 = off) so crisis replies get the CPU first."})
    safety_workers: int = field(default=2, metadata={"help": "Threads for safety checks and crisis replies (never queued behind generation)."})

    def __post_init__(self) -> None:
        if self.api_key is not None and not self.api_key.strip():
            self.api_key = None
        self.cors_origins = tuple(o.strip() for o in self.cors_origins if o and o.strip())
        if "*" in self.cors_origins and self.api_key:
            # A wildcard origin with a key would let any page spend the key a user pasted in.
            raise ConfigError("CORS origin '*' cannot be combined with an API key; list the allowed origins")
        for name in ("max_body_bytes", "max_messages", "max_message_chars", "max_tokens_limit", "queue_size",
                     "generation_workers", "safety_workers", "default_max_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(f"server.{name} must be >= 1")
        if self.default_max_tokens > self.max_tokens_limit:
            raise ConfigError("server.default_max_tokens must be <= server.max_tokens_limit")
        if self.mode not in ("model", "retrieval"):
            raise ConfigError(f"mode must be 'model' or 'retrieval', got {self.mode!r}")

    @classmethod
    def from_env(cls, **overrides) -> "ServerSettings":
        """Settings with the API key and CORS origins taken from the environment unless given."""
        if overrides.get("api_key") is None:
            overrides["api_key"] = os.environ.get(API_KEY_ENV) or None
        if not overrides.get("cors_origins"):
            overrides["cors_origins"] = tuple(os.environ.get(CORS_ENV, "").split(","))
        return cls(**overrides)
