"""Shared fixtures: tiny randomly initialised models built offline, saved to temp folders.

They go through the same `from_pretrained` path as hub models, so every loading, LoRA, training
and export code path runs for real in seconds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# The hub is unreachable here: fail at once instead of waiting for network time-outs.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
KAGGLE_CSV = SHARED_DATA / "Mental_Health_FAQ.csv"

CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def _corpus() -> list[str]:
    from mhqa.data.builtin import BUILTIN_FAQ_PATH

    texts: list[str] = []
    if BUILTIN_FAQ_PATH.is_file():
        for line in BUILTIN_FAQ_PATH.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts += [row["question"], row["answer"], *row.get("paraphrases", [])]
    texts += ["User: Assistant: How can I sleep better? Talking to someone you trust can help."] * 3
    return texts


def build_tokenizer(out: Path, *, chat: bool):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_corpus(), trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>" if chat else "<|endoftext|>",
                                   bos_token="<|endoftext|>" if not chat else None, pad_token="<|endoftext|>")
    if chat:
        fast.chat_template = CHATML
    fast.save_pretrained(out)
    return fast


@pytest.fixture(scope="session")
def tiny_gpt2_dir(tmp_path_factory) -> Path:
    """A 2-layer GPT-2 (no chat template: the User:/Assistant: format)."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    out = tmp_path_factory.mktemp("tiny-gpt2")
    tok = build_tokenizer(out, chat=False)
    torch.manual_seed(0)
    # initializer_range 0.2 (not 0.02): with near-zero embeddings a frozen tiny model cannot move its
    # logits through LoRA at all, so learning would be invisible in a few steps
    cfg = GPT2Config(vocab_size=len(tok), n_positions=512, n_embd=32, n_layer=2, n_head=2, initializer_range=0.2,
                     bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    GPT2LMHeadModel(cfg).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_llama_dir(tmp_path_factory) -> Path:
    """A 2-layer Llama with grouped-query attention and a ChatML chat template."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    out = tmp_path_factory.mktemp("tiny-llama")
    tok = build_tokenizer(out, chat=True)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, initializer_range=0.2,
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, tie_word_embeddings=True)
    LlamaForCausalLM(cfg).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def kaggle_csv() -> Path:
    if not KAGGLE_CSV.is_file():
        pytest.skip(f"{KAGGLE_CSV} not present (shared/data sits beside the project root)")
    return KAGGLE_CSV


@pytest.fixture(scope="session")
def trainer():
    """scripts/train_safety_classifier.py as a module (the safety tests check its data rules)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "train_safety_classifier.py"
    spec = importlib.util.spec_from_file_location("train_safety_classifier", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
