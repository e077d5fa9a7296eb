"""Test loss and perplexity: real tiny models, checked against an independent computation."""

from __future__ import annotations

import math

import pytest

from mhqa.data import read_jsonl
from mhqa.evaluation.loss import answer_loss, base_and_tuned_loss, load_run_model
from mhqa.prompting import PromptFormat, render_example


def _reference_loss(model, tokenizer, rows, fmt) -> float:
    """Per example, unpacked: -log p(answer tokens | prompt), token-weighted over all rows."""
    import torch

    total, count = 0.0, 0
    for row in rows:
        prompt, completion = render_example(row["question"], row["answer"], fmt)
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        c = tokenizer(completion, add_special_tokens=False)["input_ids"]
        ids = torch.tensor([p + c])
        with torch.inference_mode():
            logp = model(input_ids=ids, use_cache=False).logits[0].float().log_softmax(-1)  # (T, V)
        for i, tok in enumerate(c):
            total -= float(logp[len(p) + i - 1, tok])
        count += len(c)
    return total / count


def test_packed_loss_matches_unpacked_reference(tiny_run):
    model, tokenizer, cfg = load_run_model(tiny_run)
    fmt = PromptFormat.load(tiny_run / "prompt_format.json")
    rows = read_jsonl(tiny_run / "data" / "test.jsonl")[:6]
    got = answer_loss(model, tokenizer, rows, fmt, max_len=2048, packing=True)
    assert got.loss == pytest.approx(_reference_loss(model, tokenizer, rows, fmt), rel=1e-4)
    assert got.perplexity == pytest.approx(math.exp(got.loss))
    padded = answer_loss(model, tokenizer, rows, fmt, max_len=2048, packing=False)
    assert padded.loss == pytest.approx(got.loss, rel=1e-4)
    assert padded.tokens == got.tokens


def test_tuned_test_loss_is_below_base_after_training(tiny_run):
    rows = read_jsonl(tiny_run / "data" / "test.jsonl")
    losses = base_and_tuned_loss(tiny_run, rows)
    assert losses["tuned"].tokens == losses["base"].tokens > 0
    assert losses["tuned"].loss < losses["base"].loss
    assert losses["base"].to_dict()["test_perplexity"] == pytest.approx(math.exp(losses["base"].loss), rel=1e-3)
