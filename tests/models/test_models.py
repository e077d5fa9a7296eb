"""Base-model resolution, device choice and LoRA targets, on real (tiny and shipped) models."""

import json
import time

import pytest

from mhqa.config import ModelConfig
from mhqa.errors import ModelLoadError
from mhqa.models import (builtin_gguf_path, choose_device, default_lora_targets, ensure_builtin_checkpoint,
                         load_model_and_tokenizer, resolve_base_model)


def test_builtin_gguf_ships_with_package():
    path = builtin_gguf_path()
    assert path.name.endswith(".gguf") and path.stat().st_size > 50_000_000


def test_builtin_checkpoint_is_cached_and_plain_safetensors():
    first = ensure_builtin_checkpoint()
    assert (first / "model.safetensors").is_file()
    cfg = json.loads((first / "config.json").read_text())
    assert "quantization_config" not in cfg and cfg["model_type"] == "llama"
    started = time.perf_counter()
    assert ensure_builtin_checkpoint() == first  # second call: no conversion
    assert time.perf_counter() - started < 1.0  # a cache hit is a stat() call, not a 13 s dequantisation


def test_builtin_model_loads_and_is_trainable_layout():
    model, tok, resolved, choice = load_model_and_tokenizer(ModelConfig(dtype="fp32"))
    assert resolved.kind == "builtin" and resolved.gguf_path is not None
    assert sum(p.numel() for p in model.parameters()) == pytest.approx(134.5e6, rel=0.01)
    assert tok.chat_template and model.config.tie_word_embeddings
    assert default_lora_targets(model) == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def test_local_folder_goes_through_from_pretrained(tiny_gpt2_dir):
    model, tok, resolved, choice = load_model_and_tokenizer(ModelConfig(base_model=str(tiny_gpt2_dir), device="cpu"))
    assert resolved.kind == "local"
    assert default_lora_targets(model) == ["c_attn", "c_proj", "c_fc"]
    assert tok.pad_token is not None


def test_unknown_sources_fail_cleanly(tmp_path):
    with pytest.raises(ModelLoadError, match="no config.json"):
        resolve_base_model(str(tmp_path))
    with pytest.raises(ModelLoadError, match="unknown built-in"):
        resolve_base_model("builtin:nope")
    with pytest.raises(ModelLoadError, match="cannot load model"):
        load_model_and_tokenizer(ModelConfig(base_model="mhqa-test/definitely-not-a-model"))


def test_device_choice_on_this_machine():
    choice = choose_device("auto", "auto")
    assert choice.device in {"cpu", "cuda", "mps"}
    assert choose_device("cpu", "fp32").dtype == "fp32"
    assert choose_device("cpu", "fp16").dtype in {"bf16", "fp32"}  # GPU recipes fall back on CPU
