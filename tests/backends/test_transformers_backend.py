"""The transformers backend on real tiny models, and load_backend's choices."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mhqa.backends import Generation, GenerationSettings, load_backend, run_gguf
from mhqa.backends.base import StopScanner, cut_at_stop
from mhqa.backends.transformers import TransformersBackend
from mhqa.errors import ConfigError, ModelLoadError, RunError

PROMPT = "<|im_start|>user\nHow can I sleep better?<|im_end|>\n<|im_start|>assistant\n"


@pytest.fixture(scope="module")
def tiny_run(tiny_llama_dir, tmp_path_factory) -> Path:
    from mhqa.config import RunConfig
    from mhqa.train import train

    out = tmp_path_factory.mktemp("backend-runs") / "tiny"
    cfg = RunConfig.from_dict({"model": {"base_model": str(tiny_llama_dir)},
                               "train": {"max_steps": 4, "eval_steps": 2, "save_steps": 2, "learning_rate": 5e-2}})
    cwd = os.getcwd()
    os.chdir(out.parent)
    try:
        return train(cfg, out=out).run_dir
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def backend(tiny_run) -> TransformersBackend:
    return load_backend(tiny_run, "transformers")


def test_auto_picks_transformers_without_an_exported_gguf(tiny_run):
    assert run_gguf(tiny_run) is None
    assert load_backend(tiny_run, "auto").name == "transformers"


def test_greedy_is_deterministic_and_bounded(backend):
    s = GenerationSettings(max_new_tokens=10, greedy=True)
    a, b = backend.generate(PROMPT, s), backend.generate(PROMPT, s)
    assert isinstance(a, Generation) and a.text == b.text
    assert 0 < a.completion_tokens <= 10
    assert a.prompt_tokens == len(backend.tokenizer(PROMPT, add_special_tokens=False)["input_ids"])
    assert 0 <= a.first_token_s <= a.total_s


def test_seeded_sampling_is_reproducible(backend):
    s = GenerationSettings(max_new_tokens=10, seed=7, temperature=1.0)
    assert backend.generate(PROMPT, s).text == backend.generate(PROMPT, s).text


def test_stream_yields_chunks_then_generation(backend):
    s = GenerationSettings(max_new_tokens=10, greedy=True)
    items = list(backend.stream(PROMPT, s))
    final = items[-1]
    assert isinstance(final, Generation) and all(isinstance(x, str) for x in items[:-1])
    assert "".join(items[:-1]).strip() == final.text == backend.generate(PROMPT, s).text


def test_stop_strings_end_the_text(backend):
    s = GenerationSettings(max_new_tokens=12, greedy=True)
    full = backend.generate(PROMPT, s).text
    assert len(full) > 3
    stop = full[2:4]
    cut = backend.generate(PROMPT, GenerationSettings(max_new_tokens=12, greedy=True, stop=(stop,))).text
    assert stop not in cut and full.startswith(cut)


def test_closing_the_stream_early_stops_generation(backend):
    stream = backend.stream(PROMPT, GenerationSettings(max_new_tokens=200, greedy=True))
    next(stream)
    stream.close()  # must return promptly and leave the backend usable
    assert backend.generate(PROMPT, GenerationSettings(max_new_tokens=3, greedy=True)).completion_tokens <= 3


def test_merged_adapter_equals_peft_adapter(tiny_run):
    from mhqa.backends import run_base_model

    base, _ = run_base_model(tiny_run)
    s = GenerationSettings(max_new_tokens=12, greedy=True)
    merged = TransformersBackend.load(base, adapter_dir=tiny_run / "adapter", merge=True)
    peft = TransformersBackend.load(base, adapter_dir=tiny_run / "adapter", merge=False)
    plain = TransformersBackend.from_run(tiny_run, use_adapter=False)
    assert merged.generate(PROMPT, s).text == peft.generate(PROMPT, s).text
    import torch

    ids = merged._encode(PROMPT, 1)
    with torch.no_grad():
        lm, lp, lb = (b.model(ids).logits[0, -1] for b in (merged, peft, plain))
    assert torch.allclose(lm, lp, atol=1e-4)
    assert not torch.allclose(lm, lb, atol=1e-4)  # the adapter really changes the model


def test_llamacpp_without_gguf_is_a_clean_error(tiny_run):
    with pytest.raises(ModelLoadError):
        load_backend(tiny_run, "llamacpp")


def test_bad_kind_and_missing_run(tmp_path):
    with pytest.raises(ConfigError):
        load_backend(None, "onnx")
    with pytest.raises(RunError):
        load_backend(tmp_path / "nope", "transformers")


def test_settings_validate():
    with pytest.raises(ValueError):
        GenerationSettings(temperature=0)
    assert GenerationSettings(temperature=0, greedy=True).greedy


def test_stop_helpers():
    assert cut_at_stop("abc<|im_end|>x", ("<|im_end|>",)) == ("abc", True)
    s = StopScanner(("<|im_end|>",))
    assert s.feed("Hi <") == "Hi " and s.feed("3") == "<3" and s.feed(" ok<|im_") == " ok"
    assert s.feed("end|>tail") == "" and s.stopped and s.flush() == ""


def test_penalties_look_at_the_answer_only():
    import torch

    from mhqa.backends.transformers import _answer_no_repeat_ngram, _answer_repetition_penalty

    ids = torch.tensor([[5, 6, 7, 1, 2, 1]])  # prompt [5, 6, 7], answer [1, 2, 1]
    scores = torch.tensor([[1.0, 2.0, -2.0, 0.5, 0.5, 4.0, 4.0, 4.0]])
    out = _answer_repetition_penalty(3, 2.0)(ids, scores.clone())
    assert out[0, 1] == 1.0 and out[0, 2] == -4.0  # answer tokens penalised
    assert out[0, 5] == 4.0  # prompt tokens are not
    banned = _answer_no_repeat_ngram(3, 2)(ids, scores.clone())
    assert banned[0, 2] == float("-inf")  # "1 2" was said: after "1", 2 is banned
    assert torch.isfinite(banned[0, [0, 1, 3, 4, 5]]).all()
