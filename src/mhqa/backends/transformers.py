"""transformers backend: base model + the run's LoRA adapter, merged in memory.

Fastest mode on a CPU: LoRA merged into the weights (no adapter overhead per token), KV cache on,
fp32 weights with bf16 autocast only where the CPU runs bf16 natively (``choose_device``; on a
CPU without AVX-512 BF16/AMX, bf16 is ~100x slower). Prompts arrive fully rendered and are
tokenised exactly as in training: no special tokens added, a BOS only where the tokenizer asks.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mhqa.backends.base import Generation, GenerationSettings, StopScanner, cut_at_stop
from mhqa.errors import ModelLoadError


class TransformersBackend:
    """Generate with a Hugging Face causal LM (optionally with a PEFT LoRA adapter)."""

    name = "transformers"

    def __init__(self, model: Any, tokenizer: Any, *, autocast_bf16: bool = False, source: str = ""):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.autocast_bf16 = autocast_bf16
        self.source = source

    @classmethod
    def from_run(cls, run_dir: Path | None, *, use_adapter: bool = True, merge: bool = True) -> "TransformersBackend":
        """Load a run's base model (+ adapter, merged when ``merge``) or the base model alone.

        Raises:
            ModelLoadError: the base model or the adapter cannot be loaded.
        """
        from mhqa.backends import run_base_model

        base, _ = run_base_model(run_dir)
        merged = Path(run_dir) / "export" / "merged" if run_dir is not None else None
        if use_adapter and merged is not None and (merged / "config.json").is_file():
            return cls.load(str(merged))  # `mhqa export --format merged` already did the merge
        adapter = Path(run_dir) / "adapter" if run_dir is not None and use_adapter else None
        if adapter is not None and not (adapter / "adapter_config.json").is_file():
            raise ModelLoadError(f"{adapter}: no adapter_config.json (did training finish?)")
        return cls.load(base, adapter_dir=adapter, merge=merge)

    @classmethod
    def load(cls, base: str, *, adapter_dir: Path | None = None, merge: bool = True) -> "TransformersBackend":
        """Load ``base`` (a folder, hub id or ``builtin:`` name) and an optional adapter folder."""
        from transformers import AutoModelForCausalLM

        from mhqa.models import choose_device, resolve_base_model
        from mhqa.models.loading import load_tokenizer

        _quiet_transformers()
        path = resolve_base_model(base).path if base.startswith("builtin:") else base
        choice = choose_device("cpu", "auto")
        tokenizer = load_tokenizer(str(adapter_dir) if adapter_dir else path)
        try:
            model = AutoModelForCausalLM.from_pretrained(path)
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot load model '{path}': {str(exc).splitlines()[0][:300]}") from None
        if adapter_dir is not None:
            model = _attach_adapter(model, adapter_dir, merge)
        if model.config.pad_token_id is None:
            model.config.pad_token_id = tokenizer.pad_token_id
        source = f"{path}" + (f" + {adapter_dir}" if adapter_dir else "")
        return cls(model, tokenizer, autocast_bf16=choice.bf16, source=source)

    # --- the Backend interface --------------------------------------------------------------
    def generate(self, prompt: str, settings: GenerationSettings) -> Generation:
        """Generate a whole continuation of ``prompt``."""
        final = None
        for item in self.stream(prompt, settings):
            if isinstance(item, Generation):
                final = item
        assert final is not None
        return final

    def stream(self, prompt: str, settings: GenerationSettings) -> Iterator[str | Generation]:
        """Yield text chunks as tokens are decoded, then the final :class:`Generation`."""
        started = time.perf_counter()
        input_ids = self._encode(prompt, settings.max_new_tokens)  # (1, T)
        streamer = _TimedStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=False)
        result: dict[str, Any] = {"cancel": threading.Event()}
        worker = threading.Thread(target=self._run, args=(input_ids, settings, streamer, result), daemon=True)
        worker.start()
        scanner, parts = StopScanner(settings.stop), []
        try:
            for chunk in streamer:
                out = scanner.feed(chunk)
                if out:
                    parts.append(out)
                    yield out
        finally:  # the caller stopped reading (or an error): stop the generation thread too
            result["cancel"].set()
            worker.join()
        if "error" in result:
            raise result["error"]
        tail = scanner.flush()
        if tail:
            parts.append(tail)
            yield tail
        text, _ = cut_at_stop("".join(parts), settings.stop)
        text = text.replace(self.tokenizer.eos_token or "\x00", "")
        total = time.perf_counter() - started
        first = (streamer.first_token_at - started) if streamer.first_token_at else total
        yield Generation(text=text.strip(), prompt_tokens=int(input_ids.shape[1]),
                         completion_tokens=result.get("completion_tokens", 0), first_token_s=first, total_s=total)

    # --- internals ----------------------------------------------------------------------------
    def _encode(self, prompt: str, max_new_tokens: int):
        import torch

        tok = self.tokenizer
        ids = tok(prompt, add_special_tokens=False)["input_ids"]
        if tok.bos_token_id is not None and getattr(tok, "add_bos_token", False) and (not ids or ids[0] != tok.bos_token_id):
            ids = [tok.bos_token_id] + ids
        limit = getattr(self.model.config, "max_position_embeddings", None) or getattr(self.model.config, "n_positions", None)
        if limit and len(ids) + max_new_tokens > limit:
            ids = ids[-max(1, limit - max_new_tokens):]  # keep the end: the question and the turn marker
        return torch.tensor([ids], dtype=torch.long)

    def _generation_kwargs(self, settings: GenerationSettings, prompt_len: int) -> dict[str, Any]:
        from transformers import LogitsProcessorList

        # Penalties look at the answer only, as llama.cpp's do (its penalty window holds sampled
        # tokens, the last 64): greedy output is then the same in both backends, and the answer
        # may reuse phrases of the FAQ entries in its prompt.
        processors = []
        if settings.repetition_penalty != 1.0:
            processors.append(_answer_repetition_penalty(prompt_len, settings.repetition_penalty))
        if settings.no_repeat_ngram_size:
            processors.append(_answer_no_repeat_ngram(prompt_len, settings.no_repeat_ngram_size))
        kwargs: dict[str, Any] = {
            "max_new_tokens": settings.max_new_tokens,
            "logits_processor": LogitsProcessorList(processors),
            "pad_token_id": self.model.config.pad_token_id,
            "eos_token_id": self.tokenizer.eos_token_id,
            "use_cache": True,
        }
        if settings.greedy:
            kwargs["do_sample"] = False
        else:
            kwargs.update(do_sample=True, temperature=settings.temperature, top_p=settings.top_p, top_k=0)
        if settings.stop:
            kwargs.update(stop_strings=list(settings.stop), tokenizer=self.tokenizer)
        return kwargs

    def _run(self, input_ids, settings: GenerationSettings, streamer, result: dict) -> None:
        import torch

        try:
            if settings.seed is not None:
                torch.manual_seed(settings.seed)
            autocast = torch.autocast("cpu", dtype=torch.bfloat16) if self.autocast_bf16 else contextlib.nullcontext()
            with torch.inference_mode(), autocast:
                out = self.model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                                          streamer=streamer, stopping_criteria=_cancel_criteria(result["cancel"]),
                                          **self._generation_kwargs(settings, int(input_ids.shape[1])))
            result["completion_tokens"] = int(out.shape[1] - input_ids.shape[1])
        except Exception as exc:  # surfaced in the caller's thread
            result["error"] = exc
            streamer.end()


PENALTY_LAST_N = 64  # llama.cpp's default penalty window (llama-cpp-python last_n_tokens_size)


def _answer_repetition_penalty(prompt_len: int, penalty: float, last_n: int = PENALTY_LAST_N):
    """Repetition penalty over the last ``last_n`` generated tokens (the prompt is exempt)."""
    import torch

    def process(input_ids, scores):  # input_ids (B, T), scores (B, V)
        recent = input_ids[:, prompt_len:][:, -last_n:]
        if recent.shape[1] == 0:
            return scores
        picked = torch.gather(scores, 1, recent)
        picked = torch.where(picked <= 0, picked * penalty, picked / penalty)
        return scores.scatter(1, recent, picked)

    return _processor(process)


def _answer_no_repeat_ngram(prompt_len: int, n: int):
    """Forbid the answer to repeat one of its own n-grams (n-grams of the prompt may be reused)."""

    def process(input_ids, scores):
        for row in range(input_ids.shape[0]):
            answer = input_ids[row, prompt_len:].tolist()
            if len(answer) < n:
                continue
            prefix = tuple(answer[len(answer) - n + 1:])
            banned = {answer[i + n - 1] for i in range(len(answer) - n + 1) if tuple(answer[i:i + n - 1]) == prefix}
            if banned:
                scores[row, list(banned)] = float("-inf")
        return scores

    return _processor(process)


def _processor(fn):
    from transformers import LogitsProcessor

    class _Fn(LogitsProcessor):
        def __call__(self, input_ids, scores):
            return fn(input_ids, scores)

    return _Fn()


def _cancel_criteria(event: threading.Event):
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _Cancelled(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            import torch

            return torch.full((input_ids.shape[0],), event.is_set(), dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([_Cancelled()])


def _attach_adapter(model: Any, adapter_dir: Path, merge: bool) -> Any:
    from peft import PeftModel

    try:
        model = PeftModel.from_pretrained(model, str(adapter_dir))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelLoadError(f"{adapter_dir}: cannot load the LoRA adapter ({str(exc).splitlines()[0][:200]})") from None
    # merging removes the adapter's extra matmuls from every layer: same outputs, faster tokens
    return model.merge_and_unload() if merge else model


def _quiet_transformers() -> None:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


@functools.cache
def _timed_streamer_class():
    from transformers import TextIteratorStreamer

    class TimedStreamer(TextIteratorStreamer):
        """A TextIteratorStreamer that notes when the first new token arrived."""

        first_token_at: float | None = None

        def put(self, value):
            if not (self.skip_prompt and self.next_tokens_are_prompt) and self.first_token_at is None:
                self.first_token_at = time.perf_counter()
            super().put(value)

    return TimedStreamer


def _TimedStreamer(*args, **kwargs):  # noqa: N802 - a factory that reads like the class it builds
    return _timed_streamer_class()(*args, **kwargs)
