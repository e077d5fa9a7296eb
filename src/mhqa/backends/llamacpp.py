"""The llama.cpp backend (llama-cpp-python): GGUF models on CPU, ~5x faster than transformers here.

Prompts arrive fully rendered (mhqa.prompting, through the Assistant); llama.cpp's own chat
formatting is never used for generation, so both backends see the same prompt string.

llama-cpp-python keeps the previous prompt's KV cache and, on the next call, only evaluates the
tokens after the longest common prefix: a fixed system prompt and retrieved context at the start
of every prompt are computed once. One model context serves one request at a time (a lock).
The last few prompt tokens are always evaluated again (_REEVALUATE): a prompt found whole in the cache
would otherwise have its last token evaluated alone, and llama.cpp's single-token kernels round
differently from its batched ones (on this AVX-512 CPU the same greedy answer then changed after ~40
tokens); with a batch of several tokens a repeated prompt gives the answer a fresh context gives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mhqa.backends.base import Generation, GenerationSettings
from mhqa.errors import MhqaError, ModelLoadError


_REEVALUATE = 8  # prompt tokens evaluated on every call, even when cached (see the module docstring)


class LlamaCppBackend:
    """Generate from a GGUF model, optionally with a GGUF LoRA adapter applied at load time."""

    name = "llamacpp"

    def __init__(self, model_path: Path | str, *, lora_path: Path | str | None = None, n_ctx: int = 2048,
                 n_threads: int | None = None, n_threads_batch: int | None = None) -> None:
        """Load the model.

        Raises:
            ModelLoadError: the file is missing or llama.cpp cannot load it (or the adapter).
        """
        self.model_path = Path(model_path)
        self.lora_path = Path(lora_path) if lora_path else None
        for path in (self.model_path, self.lora_path):
            if path is not None and not path.is_file():
                raise ModelLoadError(f"{path}: no such GGUF file")
        started = time.perf_counter()
        self._llm = _load(self.model_path, self.lora_path, n_ctx, n_threads, n_threads_batch)
        self.load_s = time.perf_counter() - started
        self.n_ctx = self._llm.n_ctx()
        self._lock = threading.Lock()

    def generate(self, prompt: str, settings: GenerationSettings) -> Generation:
        """Generate a whole continuation of `prompt`."""
        text = []
        for item in self.stream(prompt, settings):
            if isinstance(item, Generation):
                return item
            text.append(item)
        raise AssertionError("stream ended without a Generation")  # pragma: no cover

    def stream(self, prompt: str, settings: GenerationSettings) -> Iterator[str | Generation]:
        """Yield text chunks as llama.cpp produces them, then the final Generation."""
        with self._lock:
            started = time.perf_counter()
            prompt_tokens = self.count_tokens(prompt)
            max_new = min(settings.max_new_tokens, self.n_ctx - prompt_tokens)
            if max_new < 1:
                raise MhqaError(f"the prompt has {prompt_tokens} tokens, the model context only {self.n_ctx}; "
                                "shorten the conversation or load with a larger n_ctx")
            from llama_cpp import StoppingCriteriaList

            # reuse at most the prompt less its last _REEVALUATE tokens (llama-cpp-python matches the cache
            # against its first n_tokens tokens and drops the rest of the cache)
            self._llm.n_tokens = min(self._llm.n_tokens, max(0, prompt_tokens - _REEVALUATE))
            counter = _TokenCounter()
            chunks: list[str] = []
            first_token_s = None
            for part in self._llm.create_completion(prompt, stream=True, stopping_criteria=StoppingCriteriaList([counter]),
                                                    **completion_kwargs(settings, max_new)):
                text = part["choices"][0]["text"]
                if text:
                    if first_token_s is None:
                        first_token_s = time.perf_counter() - started
                    chunks.append(text)
                    yield text
            total_s = time.perf_counter() - started
            yield Generation(text="".join(chunks), prompt_tokens=prompt_tokens, completion_tokens=min(counter.count, max_new),
                             first_token_s=counter.first_s(started) or first_token_s or total_s, total_s=total_s)

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes as a prompt (special tokens parsed, BOS when the model adds one)."""
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=self._llm._model.add_bos_token(), special=True))


def completion_kwargs(settings: GenerationSettings, max_tokens: int) -> dict[str, Any]:
    """GenerationSettings in llama-cpp-python's create_completion terms.

    Greedy decoding is temperature 0 with top_k 1. When sampling, only temperature and top_p
    shape the distribution (llama.cpp's extra top_k=40 and min_p=0.05 are switched off) to match
    the transformers backend. `no_repeat_ngram_size` has no llama.cpp equivalent and is ignored.

    >>> completion_kwargs(GenerationSettings(greedy=True, stop=("<|im_end|>",)), 50)["temperature"]
    0.0
    """
    kwargs: dict[str, Any] = {
        "max_tokens": max_tokens,
        "repeat_penalty": settings.repetition_penalty,
        "stop": list(settings.stop),
        "seed": settings.seed,
        "min_p": 0.0,
    }
    if settings.greedy:
        kwargs.update(temperature=0.0, top_k=1, top_p=1.0)
    else:
        kwargs.update(temperature=settings.temperature, top_p=settings.top_p, top_k=0)
    return kwargs


class _TokenCounter:
    """A llama.cpp stopping criterion that never stops: it counts sampled tokens and times the first."""

    def __init__(self) -> None:
        self.count = 0
        self.first_at: float | None = None

    def __call__(self, input_ids, logits) -> bool:
        self.count += 1
        if self.first_at is None:
            self.first_at = time.perf_counter()
        return False

    def first_s(self, started: float) -> float | None:
        return None if self.first_at is None else self.first_at - started


def _load(model_path: Path, lora_path: Path | None, n_ctx: int, n_threads: int | None, n_threads_batch: int | None):
    try:
        from llama_cpp import Llama
    except ImportError:
        raise ModelLoadError("the llama.cpp backend needs llama-cpp-python: pip install llama-cpp-python") from None
    try:
        return Llama(model_path=str(model_path), lora_path=str(lora_path) if lora_path else None, n_ctx=n_ctx,
                     n_threads=n_threads, n_threads_batch=n_threads_batch, verbose=False)
    except (ValueError, RuntimeError, OSError) as exc:
        what = f"{model_path.name} with adapter {lora_path.name}" if lora_path else model_path.name
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise ModelLoadError(f"llama.cpp cannot load {what}: {first}") from None
