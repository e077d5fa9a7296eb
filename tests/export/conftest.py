"""Run folders for export tests.

`builtin_run`: the built-in SmolLM2 with a real PEFT LoRA adapter whose B matrices are random
and non-zero, so the adapter visibly changes the model's output (a freshly initialised LoRA has
B = 0 and would hide every scaling or layout bug). Written in seconds, in the same layout
`mhqa train` writes (config.yaml with provenance, prompt_format.json, adapter/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from export_helpers import make_run


@pytest.fixture(scope="session")
def builtin_run(tmp_path_factory) -> Path:
    return make_run(tmp_path_factory.mktemp("export") / "run")


@pytest.fixture(scope="session")
def reference(builtin_run):
    """transformers + peft (fp32, unmerged) and the run's prompt format: the ground truth."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from mhqa.export import RunInfo

    run = RunInfo.load(builtin_run)
    base = AutoModelForCausalLM.from_pretrained(run.base_path, dtype=torch.float32)
    model = PeftModel.from_pretrained(base, run.adapter_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(run.adapter_dir)
    return run, model, tokenizer
