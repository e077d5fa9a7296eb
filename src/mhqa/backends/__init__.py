"""Generation backends behind one small interface (see :mod:`mhqa.backends.base`).

- ``transformers``: the base model plus the run's LoRA adapter (merged in memory), KV cache,
  streaming through a ``TextIteratorStreamer``.
- ``llamacpp``: a GGUF file through llama.cpp, either the run's merged export
  (``RUN/export/model*.gguf``) or the built-in base GGUF plus the adapter converted to a GGUF LoRA.

Backends know nothing of safety, retrieval or prompt policy: :mod:`mhqa.assistant` orders those.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mhqa.backends.base import Backend, Generation, GenerationSettings
from mhqa.errors import ConfigError, ModelLoadError, RunError

__all__ = ["Backend", "Generation", "GenerationSettings", "BACKENDS", "load_backend", "run_base_model", "run_gguf"]

BACKENDS = ("auto", "transformers", "llamacpp")
DEFAULT_BASE = "builtin:smollm2-135m-instruct"


def load_backend(run_dir: Path | None, kind: str = "auto", *, use_adapter: bool = True) -> Backend:
    """Load the generator for a run folder (or the base model alone when ``run_dir`` is None).

    Args:
        run_dir: a run folder written by ``mhqa train``; None means the built-in base model.
        kind: ``auto`` (llama.cpp when the run has an exported GGUF, else transformers),
            ``transformers`` or ``llamacpp``.
        use_adapter: False loads the run's base model without its fine-tuning (evaluation).

    Raises:
        ConfigError: unknown ``kind``.
        RunError: the run folder is missing or incomplete.
        ModelLoadError: weights or the llama.cpp library cannot be loaded.
    """
    if kind not in BACKENDS:
        raise ConfigError(f"backend must be one of {', '.join(BACKENDS)}, got {kind!r}")
    if run_dir is not None and not Path(run_dir).is_dir():
        raise RunError(f"{run_dir}: no such run folder (train one with `mhqa train`)")
    if kind == "auto":
        kind = _auto_kind(run_dir, use_adapter)
    if kind == "llamacpp":
        return _load_llamacpp(run_dir, use_adapter)
    from mhqa.backends.transformers import TransformersBackend

    return TransformersBackend.from_run(run_dir, use_adapter=use_adapter)


def run_base_model(run_dir: Path | None) -> tuple[str, Path | None]:
    """The run's base model as (path or name for ``from_pretrained``, built-in GGUF or None)."""
    if run_dir is None:
        return DEFAULT_BASE, _builtin_gguf_or_none(DEFAULT_BASE)
    cfg_path = Path(run_dir) / "config.yaml"
    if not cfg_path.is_file():
        raise RunError(f"{run_dir}: not a run folder (no config.yaml)")
    import yaml

    raw = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    resolved = raw.get("resolved") or {}
    name = (raw.get("model") or {}).get("base_model") or DEFAULT_BASE
    path = resolved.get("base_model_path")
    if not path or not Path(path).exists():
        path = name  # the cache moved or was cleared: resolve the name again
    gguf = resolved.get("base_gguf")
    gguf_path = Path(gguf) if gguf and Path(gguf).is_file() else None
    if gguf_path is None and name.startswith("builtin:"):
        gguf_path = _builtin_gguf_or_none(name)
    return path, gguf_path


def run_gguf(run_dir: Path | None) -> Path | None:
    """The run's exported GGUF with merged weights (``export/model.gguf`` first), if any."""
    if run_dir is None:
        return None
    export = Path(run_dir) / "export"
    preferred = export / "model.gguf"
    if preferred.is_file():
        return preferred
    found = sorted(p for p in export.glob("model*.gguf") if p.is_file()) if export.is_dir() else []
    return found[0] if found else None


def _auto_kind(run_dir: Path | None, use_adapter: bool) -> str:
    if importlib.util.find_spec("llama_cpp") is None:
        return "transformers"
    if run_dir is None:  # the base model alone: its built-in GGUF when there is one
        return "llamacpp" if _builtin_gguf_or_none(DEFAULT_BASE) else "transformers"
    if use_adapter:
        return "llamacpp" if run_gguf(run_dir) else "transformers"
    return "llamacpp" if run_gguf(run_dir) and run_base_model(run_dir)[1] else "transformers"


def _load_llamacpp(run_dir: Path | None, use_adapter: bool) -> Backend:
    try:
        from mhqa.backends.llamacpp import LlamaCppBackend  # noqa: F401  (availability check)
    except ImportError as exc:
        raise ModelLoadError(f"the llama.cpp backend is unavailable ({exc}); pip install llama-cpp-python") from None
    _, base_gguf = run_base_model(run_dir)
    if run_dir is None or not use_adapter:
        if base_gguf is None:
            raise ModelLoadError("llama.cpp needs a GGUF file: this base model has none; "
                                 "use --backend transformers or export the run (`mhqa export`)")
        return _llama(base_gguf)
    merged = run_gguf(run_dir)
    if merged is not None:
        return _llama(merged)
    if base_gguf is None or not (Path(run_dir) / "adapter").is_dir():
        raise ModelLoadError(f"{run_dir}: no GGUF to run with llama.cpp; run `mhqa export --run {run_dir}` "
                             "or use --backend transformers")
    from mhqa.export import adapter_to_gguf_lora

    return _llama(base_gguf, adapter_to_gguf_lora(Path(run_dir)))


def _llama(model_path: Path, lora_path: Path | None = None) -> Backend:
    """A LlamaCppBackend using every physical core for generation and for prompt batches.

    llama-cpp-python's default (half the logical CPUs for generation) leaves one of two cores idle
    where there is no SMT: on this 2-core CPU decoding ran at 70 tok/s with one thread and 115 with
    two. ``MHQA_LLAMA_THREADS=N`` sets the thread count, e.g. on a machine shared with other busy
    work, where threads spinning for a core made the first token 5-10x slower.
    """
    from mhqa.backends.llamacpp import LlamaCppBackend
    from mhqa.models.device import physical_cores, threads_from_env

    threads = threads_from_env("MHQA_LLAMA_THREADS", physical_cores())
    return LlamaCppBackend(model_path, lora_path=lora_path, n_threads=threads, n_threads_batch=threads)


def _builtin_gguf_or_none(name: str) -> Path | None:
    from mhqa.models import builtin_gguf_path

    try:
        return builtin_gguf_path(name)
    except ModelLoadError:
        return None


