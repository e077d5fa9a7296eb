"""Base-model resolution, device/dtype choice and LoRA targets.

Heavy libraries (torch, transformers, peft) are imported inside the functions that need them.
"""

from mhqa.models.resolve import (
    BUILTIN_MODELS,
    ResolvedModel,
    builtin_gguf_path,
    cache_dir,
    ensure_builtin_checkpoint,
    resolve_base_model,
)
from mhqa.models.device import DeviceChoice, choose_device
from mhqa.models.loading import default_lora_targets, load_model_and_tokenizer

__all__ = [
    "BUILTIN_MODELS", "ResolvedModel", "builtin_gguf_path", "cache_dir", "ensure_builtin_checkpoint",
    "resolve_base_model", "DeviceChoice", "choose_device", "default_lora_targets", "load_model_and_tokenizer",
]
