"""The one small interface every generation backend implements.

Backends turn a fully rendered prompt into text. They know nothing of safety, retrieval
or prompt policy: :mod:`mhqa.assistant` orders those steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass
class GenerationSettings:
    """Sampling settings; the defaults are the classic recipe for this task."""

    max_new_tokens: int = field(default=200, metadata={"help": "Upper bound on generated tokens."})
    temperature: float = field(default=0.7, metadata={"help": "Softmax temperature when sampling."})
    top_p: float = field(default=0.9, metadata={"help": "Nucleus sampling mass."})
    repetition_penalty: float = field(default=1.2, metadata={"help": "Penalty on repeated tokens (1.0 = off)."})
    no_repeat_ngram_size: int = field(
        default=3, metadata={"help": "Forbid repeating n-grams of this size (0 = off), where supported."}
    )
    greedy: bool = field(default=False, metadata={"help": "Argmax decoding (evaluation)."})
    seed: int | None = field(default=None, metadata={"help": "Sampling seed for reproducible output."})
    stop: tuple[str, ...] = field(default=(), metadata={"help": "Strings that end generation (not returned)."})

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {self.max_new_tokens}")
        if not self.greedy and self.temperature <= 0:
            raise ValueError("temperature must be > 0 when sampling; set greedy=True for argmax decoding")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        self.stop = tuple(self.stop)


@dataclass
class Generation:
    """What one generate call produced, with its cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    first_token_s: float
    total_s: float


@runtime_checkable
class Backend(Protocol):
    """A text generator: a rendered prompt in, a continuation out."""

    name: str  # "transformers" | "llamacpp"

    def generate(self, prompt: str, settings: GenerationSettings) -> Generation:
        """Generate a whole continuation of ``prompt``."""
        ...

    def stream(self, prompt: str, settings: GenerationSettings) -> Iterator[str | Generation]:
        """Yield text chunks as they are produced, then the final :class:`Generation`."""
        ...


def cut_at_stop(text: str, stop: tuple[str, ...]) -> tuple[str, bool]:
    """Cut ``text`` at the first stop string.

    >>> cut_at_stop("Hi there<|im_end|>junk", ("<|im_end|>",))
    ('Hi there', True)
    """
    cut = len(text)
    for s in stop:
        if s:
            i = text.find(s)
            if i != -1:
                cut = min(cut, i)
    return text[:cut], cut < len(text)


class StopScanner:
    """Hold back streamed text that could be the start of a stop string.

    >>> s = StopScanner(("<|im_end|>",))
    >>> s.feed("Hello <|im"), s.feed("_end|> junk"), s.stopped
    ('Hello ', '', True)
    """

    def __init__(self, stop: tuple[str, ...]):
        self.stop = tuple(s for s in stop if s)
        self.buffer = ""
        self.stopped = False

    def feed(self, chunk: str) -> str:
        """Add a chunk; return the text that is now safe to emit."""
        if self.stopped:
            return ""
        self.buffer += chunk
        text, hit = cut_at_stop(self.buffer, self.stop)
        if hit:
            self.stopped, self.buffer = True, ""
            return text
        keep = max((len(s) - 1 for s in self.stop), default=0)
        # keep only a tail that is a real prefix of some stop string
        hold = 0
        for n in range(min(keep, len(text)), 0, -1):
            if any(s.startswith(text[-n:]) for s in self.stop):
                hold = n
                break
        out, self.buffer = text[: len(text) - hold], text[len(text) - hold:]
        return out

    def flush(self) -> str:
        """Emit whatever is held back once the stream has ended."""
        out, self.buffer = ("" if self.stopped else self.buffer), ""
        return out
