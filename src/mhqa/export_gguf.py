"""Write GGUF files for llama.cpp with the `gguf` package: merged models and LoRA adapters.

Only the Llama architecture is written here (the built-in SmolLM2 and any Llama-architecture
Hugging Face folder with a byte-level BPE tokenizer). Two details decide whether llama.cpp then
reproduces transformers token for token:

- llama.cpp stores the q/k projections of Llama models with the rows of every head reordered
  for its rotary kernel (:func:`permute_qk`). Merged q/k weights and the ``lora_b`` halves of q/k
  LoRA pairs get the same reordering; v is left alone.
- A LoRA update is ``B @ A * scale``; llama.cpp applies ``scale = adapter.lora.alpha / rank``.
  When peft's scale differs (rsLoRA, per-module alpha) the difference is folded into ``B``.
  LoRA tensors stay f32: f16 drifted from transformers after ~20 greedy tokens.

numpy and gguf are light; torch and safetensors are imported inside the functions that need them.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from mhqa.errors import ExportError

# llama.cpp file types for --quant (LLAMA_FTYPE_* in llama.h)
FILE_TYPES = {"f32": 0, "f16": 1, "q8_0": 7, "q4_0": 2, "q4_k_m": 15}
QUANTS = tuple(FILE_TYPES)

# metadata we set ourselves instead of copying from the base GGUF
_OWN_KEYS = {"general.architecture", "general.file_type", "general.quantization_version", "general.type",
             "tokenizer.chat_template"}
_CONVERT_HINT = ("convert it with llama.cpp's convert_hf_to_gguf.py (in the llama.cpp repository) from the "
                 "`--format merged` export")


def permute_qk(w: np.ndarray, n_head: int) -> np.ndarray:
    """Reorder the rows of a q/k projection (or of its LoRA B) from the HF rotary layout to llama.cpp's.

    Within each head, HF keeps the two rotary halves apart; llama.cpp interleaves them.

    >>> permute_qk(np.arange(8).reshape(8, 1), n_head=2).ravel().tolist()
    [0, 2, 1, 3, 4, 6, 5, 7]
    """
    rows = w.shape[0]
    if rows % (2 * n_head):
        raise ExportError(f"cannot reorder a q/k matrix of {rows} rows for {n_head} heads")
    return w.reshape(n_head, 2, rows // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def check_llama(config: Any) -> None:
    """Raise ExportError unless `config` (a transformers config) is a plain Llama architecture."""
    model_type = getattr(config, "model_type", "?")
    if model_type != "llama":
        raise ExportError(f"GGUF export supports Llama-architecture bases (the built-in SmolLM2, Llama, "
                          f"SmolLM); this base is '{model_type}': {_CONVERT_HINT}")
    rope = _rope_parameters(config)
    if rope.get("rope_type", "default") not in ("default", None):
        raise ExportError(f"GGUF export does not write rope scaling '{rope.get('rope_type')}': {_CONVERT_HINT}")
    if getattr(config, "attention_bias", False) or getattr(config, "mlp_bias", False):
        raise ExportError(f"GGUF export does not write Llama models with bias terms: {_CONVERT_HINT}")


def _rope_parameters(config: Any) -> dict:
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    if "rope_theta" not in rope and getattr(config, "rope_theta", None) is not None:
        rope = {**rope, "rope_theta": config.rope_theta}
    return dict(rope)


def _tensor_map(config: Any):
    import gguf

    return gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, config.num_hidden_layers)


def gguf_tensor_name(hf_name: str, tensor_map) -> str:
    """'model.layers.3.self_attn.q_proj.weight' -> 'blk.3.attn_q.weight' (ExportError when unknown)."""
    name = tensor_map.get_name(hf_name, try_suffixes=(".weight", ".bias"))
    if name is None:
        raise ExportError(f"no llama.cpp tensor for '{hf_name}': {_CONVERT_HINT}")
    return name


def _qk_heads(gguf_name: str, config: Any) -> int | None:
    if ".attn_q." in gguf_name:
        return config.num_attention_heads
    if ".attn_k." in gguf_name:
        return config.num_key_value_heads or config.num_attention_heads
    return None


# ---------------------------------------------------------------------------------------------
# merged model


def write_model_gguf(
    state_dict: dict[str, Any], config: Any, out: Path, *, dtype: str, chat_template: str,
    base_gguf: Path | None = None, tokenizer: Any = None, name: str = "mhqa model",
) -> Path:
    """Write a Llama model (HF state dict, fp32 tensors) as an f32 or f16 GGUF.

    Metadata comes from `base_gguf` when given (every key, so the tokenizer is exactly the one
    llama.cpp already uses for the base), else from `config` and `tokenizer`. The chat template
    is always `chat_template`: the run's own prompt format.
    """
    import gguf

    if dtype not in ("f32", "f16"):
        raise ValueError(dtype)
    check_llama(config)
    writer = gguf.GGUFWriter(str(out), "llama")
    writer.add_type("model")
    if base_gguf is not None:
        _copy_metadata(writer, base_gguf)
    else:
        _write_hparams(writer, config, name)
        _write_tokenizer(writer, tokenizer)
    writer.add_file_type(FILE_TYPES[dtype])
    writer.add_chat_template(chat_template)
    tmap = _tensor_map(config)
    tied = bool(getattr(config, "tie_word_embeddings", False))
    for hf_name, tensor in state_dict.items():
        if hf_name == "lm_head.weight" and tied:
            continue  # llama.cpp reuses token_embd when output.weight is absent
        if hf_name.endswith("rotary_emb.inv_freq"):
            continue
        gname = gguf_tensor_name(hf_name, tmap)
        data = tensor.detach().to("cpu").float().numpy() if hasattr(tensor, "detach") else np.asarray(tensor, np.float32)
        heads = _qk_heads(gname, config)
        if heads:
            data = permute_qk(data, heads)
        # norms and other 1-D tensors stay f32, as llama.cpp's own converter keeps them
        data = data.astype(np.float16 if dtype == "f16" and data.ndim > 1 else np.float32)
        writer.add_tensor(gname, np.ascontiguousarray(data))
    _finish(writer)
    return out


def _finish(writer) -> None:
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _copy_metadata(writer, base_gguf: Path) -> None:
    import gguf

    reader = gguf.GGUFReader(str(base_gguf))
    arch = reader.fields.get("general.architecture")
    if arch is None or arch.contents() != "llama":
        raise ExportError(f"{base_gguf}: not a Llama GGUF; {_CONVERT_HINT}")
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key in _OWN_KEYS:
            continue
        vtype = field.types[0]
        sub_type = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(key, field.contents(), vtype, sub_type)


def _write_hparams(writer, config: Any, name: str) -> None:
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    writer.add_name(name)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(heads)
    writer.add_head_count_kv(config.num_key_value_heads or heads)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_rope_freq_base(float(_rope_parameters(config).get("rope_theta", 10000.0)))
    writer.add_rope_dimension_count(head_dim)
    if head_dim != config.hidden_size // heads:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    writer.add_vocab_size(config.vocab_size)


def _write_tokenizer(writer, tokenizer: Any) -> None:
    """Byte-level BPE tokenizers (GPT-2 style) only: the kind llama.cpp calls 'gpt2'."""
    spec = json.loads(tokenizer.backend_tokenizer.to_str())
    model, pre = spec.get("model") or {}, spec.get("pre_tokenizer") or {}
    if model.get("type") != "BPE" or pre.get("type") != "ByteLevel" or not pre.get("use_regex", True) \
            or pre.get("add_prefix_space"):
        raise ExportError("GGUF export writes GPT-2-style byte-level BPE tokenizers only; "
                          f"this one is {model.get('type')}/{pre.get('type')}: {_CONVERT_HINT}")
    vocab: dict[str, int] = dict(model["vocab"])
    added = {t["content"]: t for t in spec.get("added_tokens", [])}
    for content, tok in added.items():
        vocab[content] = tok["id"]
    size = max(vocab.values()) + 1
    tokens = [f"[PAD{i}]" for i in range(size)]
    types = [5] * size  # UNUSED until filled
    for text, idx in vocab.items():
        tokens[idx] = text
        tok = added.get(text)
        types[idx] = 1 if tok is None else (3 if tok.get("special") else 4)  # NORMAL, CONTROL, USER_DEFINED
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt-2")  # llama.cpp's name for the GPT-2 split regex
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    for role in ("bos", "eos", "pad", "unk"):
        token_id = getattr(tokenizer, f"{role}_token_id", None)
        if token_id is not None:
            getattr(writer, f"add_{role}_token_id")(token_id)
    probe = tokenizer("a")["input_ids"]
    writer.add_add_bos_token(bool(tokenizer.bos_token_id is not None and probe[:1] == [tokenizer.bos_token_id]))
    writer.add_add_eos_token(False)


# ---------------------------------------------------------------------------------------------
# LoRA adapter


def write_lora_gguf(adapter_dir: Path, config: Any, out: Path) -> Path:
    """Convert a PEFT LoRA adapter (on a Llama base) into a GGUF LoRA for `Llama(lora_path=...)`."""
    import gguf
    from safetensors.numpy import load_file

    check_llama(config)
    acfg = _adapter_config(adapter_dir)
    weights_file = adapter_dir / "adapter_model.safetensors"
    if not weights_file.is_file():
        raise ExportError(f"{adapter_dir}: no adapter_model.safetensors")
    weights = load_file(str(weights_file))
    pairs = _lora_pairs(weights)
    tmap = _tensor_map(config)
    writer = gguf.GGUFWriter(str(out), "llama")
    writer.add_type("adapter")
    writer.add_string("adapter.type", "lora")
    alpha = float(acfg.get("lora_alpha", acfg["r"]))
    writer.add_float32("adapter.lora.alpha", alpha)
    for module, (a, b) in pairs.items():
        gname = gguf_tensor_name(module + ".weight", tmap)
        rank = a.shape[0]
        # peft: W + B @ A * peft_scale; llama.cpp: W + B @ A * alpha / rank -> fold the ratio into B
        ratio = _peft_scale(acfg, module, rank) / (alpha / rank)
        b = b.astype(np.float32)
        if not math.isclose(ratio, 1.0, rel_tol=1e-7):
            b = b * np.float32(ratio)
        heads = _qk_heads(gname, config)
        if heads:
            b = permute_qk(b, heads)
        writer.add_tensor(gname + ".lora_a", np.ascontiguousarray(a.astype(np.float32)))
        writer.add_tensor(gname + ".lora_b", np.ascontiguousarray(b))
    _finish(writer)
    return out


def _adapter_config(adapter_dir: Path) -> dict:
    path = adapter_dir / "adapter_config.json"
    try:
        acfg = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{path}: cannot read the adapter config ({exc})") from None
    if acfg.get("peft_type", "LORA") != "LORA":
        raise ExportError(f"{adapter_dir}: a {acfg.get('peft_type')} adapter; only LoRA converts to GGUF")
    unsupported = [k for k in ("use_dora", "modules_to_save") if acfg.get(k)]
    if acfg.get("bias", "none") != "none":
        unsupported.append("bias")
    if unsupported:
        raise ExportError(f"{adapter_dir}: LoRA options {', '.join(unsupported)} have no GGUF LoRA form; "
                          "export `--format gguf` (merged) instead")
    return acfg


def _lora_pairs(weights: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{'model.layers.0.self_attn.q_proj': (A (r, in), B (out, r))} from peft's saved keys."""
    pairs: dict[str, dict[str, np.ndarray]] = {}
    for key, value in weights.items():
        for part in ("lora_A", "lora_B"):
            marker = f".{part}."
            if marker in key:
                module = key.split(marker)[0].removeprefix("base_model.model.")
                pairs.setdefault(module, {})[part] = value
                break
        else:
            raise ExportError(f"adapter tensor '{key}' is not a LoRA A/B matrix; export `--format gguf` (merged) instead")
    out = {}
    for module, ab in pairs.items():
        if set(ab) != {"lora_A", "lora_B"}:
            raise ExportError(f"adapter module '{module}' lacks its A or B matrix")
        out[module] = (ab["lora_A"], ab["lora_B"])
    return out


def _peft_scale(acfg: dict, module: str, rank: int) -> float:
    alpha = float(acfg.get("lora_alpha", rank))
    for pattern, value in (acfg.get("alpha_pattern") or {}).items():
        if module == pattern or module.endswith("." + pattern):
            alpha = float(value)
    return alpha / math.sqrt(rank) if acfg.get("use_rslora") else alpha / rank


# ---------------------------------------------------------------------------------------------
# quantisation and checks


def quantize(src: Path, dst: Path, quant: str, *, threads: int | None = None) -> Path:
    """Quantise a f32/f16 GGUF with llama.cpp's own quantiser (`llama_model_quantize`)."""
    import llama_cpp

    _quiet_llama_logs()
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = FILE_TYPES[quant]
    params.nthread = threads or (os.cpu_count() or 1)
    rc = llama_cpp.llama_model_quantize(str(src).encode(), str(dst).encode(), params)
    if rc != 0 or not dst.is_file():
        raise ExportError(f"llama.cpp could not quantise {src.name} to {quant} (code {rc})")
    return dst


def _quiet_llama_logs() -> None:
    try:
        from llama_cpp._logger import set_verbose
    except ImportError:  # pragma: no cover - older llama-cpp-python
        return
    set_verbose(False)


def read_metadata(path: Path, keys: Iterable[str]) -> dict[str, Any]:
    """Selected metadata values of a GGUF file (missing keys are left out)."""
    import gguf

    reader = gguf.GGUFReader(str(path))
    return {k: reader.fields[k].contents() for k in keys if k in reader.fields}
