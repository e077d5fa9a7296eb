"""Tiny trained runs for the evaluation tests (built once per session, offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

FAQ_ENTRIES = 40  # a slice of the built-in FAQ keeps training and its evaluations short


@pytest.fixture(scope="session")
def tiny_run(tiny_llama_dir, tmp_path_factory) -> Path:
    """A short but real LoRA training of the tiny Llama (ChatML prompts) on part of the built-in FAQ."""
    from mhqa.config import RunConfig
    from mhqa.data.builtin import BUILTIN_FAQ_PATH
    from mhqa.train import train

    root = tmp_path_factory.mktemp("eval-runs")
    faq = root / "faq.jsonl"
    lines = BUILTIN_FAQ_PATH.read_text(encoding="utf-8").splitlines()[:FAQ_ENTRIES]
    faq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = RunConfig.from_dict({
        "model": {"base_model": str(tiny_llama_dir)},
        "train": {"max_steps": 8, "eval_steps": 8, "save_steps": 8, "learning_rate": 5e-3,
                  "warmup_steps": 2, "max_seq_len": 128, "batch_size": 4},
    })
    return train(cfg, data=faq, out=root / "run").run_dir
