"""Load a base model and tokenizer through the real `from_pretrained` path."""

from __future__ import annotations

from typing import Any

from mhqa.config import ModelConfig
from mhqa.errors import ConfigError, ModelLoadError
from mhqa.models.device import DeviceChoice, choose_device
from mhqa.models.resolve import ResolvedModel, resolve_base_model

# LoRA targets per architecture family (config.model_type). Llama-like models get all seven
# projections; GPT-2-style models use fused Conv1D layers.
_LLAMA_LIKE = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
LORA_TARGETS: dict[str, list[str]] = {
    **{t: _LLAMA_LIKE for t in ("llama", "mistral", "mixtral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "phi3", "olmo", "olmo2", "smollm3", "granite")},
    **{t: ["c_attn", "c_proj", "c_fc"] for t in ("gpt2", "gpt_bigcode")},
    "gpt_neox": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "gptj": ["q_proj", "k_proj", "v_proj", "out_proj", "fc_in", "fc_out"],
    "phi": ["q_proj", "k_proj", "v_proj", "dense", "fc1", "fc2"],
    "falcon": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
    "opt": ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
}


def default_lora_targets(model: Any) -> list[str]:
    """LoRA target module names for a model: the known list for its family, else every Linear
    layer except the output head."""
    model_type = getattr(model.config, "model_type", "")
    if model_type in LORA_TARGETS:
        return list(LORA_TARGETS[model_type])
    import torch.nn as nn

    names = {
        name.rsplit(".", 1)[-1]
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and not name.endswith(("lm_head", "embed_out", "output"))
    }
    if not names:
        raise ConfigError(f"no Linear layers found in a '{model_type}' model; set lora.target_modules")
    return sorted(names)


def load_tokenizer(path: str, *, trust_remote_code: bool = False):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(_load_hint(path, exc)) from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model_and_tokenizer(
    cfg: ModelConfig, *, choice: DeviceChoice | None = None, progress=None
) -> tuple[Any, Any, ResolvedModel, DeviceChoice]:
    """Load the base model (on its device, in its dtype) and its tokenizer.

    Returns:
        (model, tokenizer, resolved, choice)
    Raises:
        ModelLoadError: the model cannot be found or read.
        ConfigError: the settings cannot work on this machine (e.g. 4-bit without CUDA).
    """
    from transformers import AutoModelForCausalLM

    choice = choice or choose_device(cfg.device, cfg.dtype)
    resolved = resolve_base_model(cfg.base_model, progress=progress)
    tokenizer = load_tokenizer(resolved.path, trust_remote_code=cfg.trust_remote_code)
    kwargs: dict[str, Any] = {"trust_remote_code": cfg.trust_remote_code}
    if cfg.load_in_4bit:
        kwargs.update(_four_bit_kwargs(choice))
    elif not choice.is_cpu:
        kwargs["dtype"] = choice.torch_dtype()  # CPU keeps fp32 weights; bf16 comes from autocast
    try:
        model = AutoModelForCausalLM.from_pretrained(resolved.path, **kwargs)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(_load_hint(resolved.path, exc)) from None
    if not cfg.load_in_4bit:
        model.to(choice.device)
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return model, tokenizer, resolved, choice


def _four_bit_kwargs(choice: DeviceChoice) -> dict[str, Any]:
    if not choice.device.startswith("cuda"):
        raise ConfigError("model.load_in_4bit (QLoRA) needs a CUDA GPU; set `load_in_4bit: false` on this machine")
    try:
        from transformers import BitsAndBytesConfig
        import bitsandbytes  # noqa: F401
    except ImportError:
        raise ConfigError("model.load_in_4bit needs bitsandbytes: pip install 'mhqa[cuda]'") from None
    return {
        "quantization_config": BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=choice.torch_dtype(),
        ),
        "device_map": {"": choice.device},
    }


def _load_hint(path: str, exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"cannot load model '{path}': {first[:300]} (a hub id needs network access or a local copy in the HF cache)"
