"""Both backends get the same prompt, the same tokens, and (same weights) the same greedy answer.

Templates: the built-in SmolLM2 base (tokenizer chat template vs the GGUF's own template).
Outputs: a short SmolLM2 run, transformers (adapter merged) vs llama.cpp on its q8_0 export. The
built-in Q4_1 GGUF is not compared with its dequantised copy: llama.cpp quantises activations for
Q4_1 matmuls, so greedy paths part after a token or two.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mhqa.assistant import Assistant, base_prompt_format, load_prompt_format, select_grounding
from mhqa.backends import DEFAULT_BASE, GenerationSettings, run_base_model

pytest.importorskip("llama_cpp")

CONVERSATION = [
    {"role": "user", "content": "I've been feeling stressed about work."},
    {"role": "assistant", "content": "That sounds hard. What part of work weighs on you most?"},
    {"role": "user", "content": "Deadlines. How can I stop panicking when they pile up?"},
]


@pytest.fixture(scope="module")
def base():
    from mhqa.models import builtin_gguf_path, resolve_base_model

    return resolve_base_model(DEFAULT_BASE).path, builtin_gguf_path(DEFAULT_BASE)


@pytest.fixture(scope="module")
def prompt(base):
    from mhqa.retrieval import FaqIndex

    fmt = base_prompt_format(base[0])
    index = FaqIndex.from_file(None)
    assistant = Assistant(object(), fmt, index)  # only build_prompt is used: no model needed
    hits = [h for h in index.search(CONVERSATION[-1]["content"], 2) if h.score >= index.min_score]
    return assistant, assistant.build_prompt(CONVERSATION, select_grounding(hits))


def _system_and_turns(assistant, prompt):
    # the system message the Assistant built, recovered from the rendered prompt
    system = prompt.split("<|im_start|>system\n", 1)[1].split("<|im_end|>", 1)[0]
    assert system.startswith(assistant.fmt.system_prompt) and "FAQ:" in system
    return [{"role": "system", "content": system}, *CONVERSATION]


def test_both_backends_template_the_conversation_identically(base, prompt):
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter
    from transformers import AutoTokenizer

    assistant, text = prompt
    messages = _system_and_turns(assistant, text)
    tok = AutoTokenizer.from_pretrained(base[0])
    assert tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True) == text
    llm = Llama(model_path=str(base[1]), vocab_only=True, verbose=False)
    gguf_template = llm.metadata["tokenizer.chat_template"]
    formatter = Jinja2ChatFormatter(gguf_template, eos_token=tok.eos_token, bos_token=tok.bos_token or "")
    assert formatter(messages=messages).prompt == text
    # and the same token ids reach both models
    hf_ids = tok(text, add_special_tokens=False)["input_ids"]
    cpp_ids = llm.tokenize(text.encode(), add_bos=llm._model.add_bos_token(), special=True)
    assert hf_ids == cpp_ids


@pytest.mark.slow
def test_exported_run_agrees_with_transformers(tmp_path):
    """A (very short) SmolLM2 run: transformers + merged adapter vs llama.cpp on the q8_0 export."""
    from mhqa.backends import load_backend
    from mhqa.config import RunConfig
    from mhqa.export import export
    from mhqa.train import train

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        cfg = RunConfig.from_dict({"train": {"max_steps": 2, "eval_steps": 2, "save_steps": 2, "learning_rate": 1e-3}})
        run = train(cfg, out=tmp_path / "run").run_dir
    finally:
        os.chdir(cwd)
    export(run, "gguf", quant="q8_0")
    assistant = Assistant(object(), load_prompt_format(run))
    text = assistant.build_prompt(CONVERSATION, [])
    # the classic recipe, greedy; llama.cpp has no n-gram blocking, so that one is off
    settings = GenerationSettings(max_new_tokens=20, greedy=True, no_repeat_ngram_size=0, stop=assistant.fmt.stop)
    hf, cpp = load_backend(run, "transformers"), load_backend(run, "auto")
    assert cpp.name == "llamacpp"
    # fp32 on both sides: on a CPU with native bf16 the transformers backend autocasts to bf16, whose
    # rounding (not the export) moves near-tied greedy choices
    hf.autocast_bf16 = False
    a, b = hf.generate(text, settings), cpp.generate(text, settings)
    assert a.text.split()[:8] == b.text.split()[:8], (a.text, b.text)
