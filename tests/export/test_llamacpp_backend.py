"""LlamaCppBackend on the built-in SmolLM2 GGUF (real llama.cpp)."""

from __future__ import annotations

import pytest

from mhqa.backends.base import Backend, Generation, GenerationSettings
from mhqa.errors import ModelLoadError
from mhqa.prompting import PromptFormat, render_prompt

SYSTEM = "You are a supportive assistant that answers questions about mental health."
CHATML_STOP = ("<|im_end|>",)


@pytest.fixture(scope="module")
def backend():
    from mhqa.backends.llamacpp import LlamaCppBackend
    from mhqa.models import builtin_gguf_path

    return LlamaCppBackend(builtin_gguf_path(), n_ctx=1024)


@pytest.fixture(scope="module")
def fmt() -> PromptFormat:
    from mhqa.models import builtin_gguf_path
    from mhqa.export_gguf import read_metadata

    template = read_metadata(builtin_gguf_path(), ["tokenizer.chat_template"])["tokenizer.chat_template"]
    return PromptFormat("chat_template", SYSTEM, template, "<|im_start|>", "<|im_end|>", CHATML_STOP)


def _prompt(fmt: PromptFormat, question: str, context: str = "") -> str:
    return render_prompt([{"role": "user", "content": context + question}], fmt)


def test_backend_protocol_and_greedy_generation(backend, fmt):
    assert isinstance(backend, Backend) and backend.name == "llamacpp"
    settings = GenerationSettings(greedy=True, max_new_tokens=40, stop=fmt.stop)
    prompt = _prompt(fmt, "What is stress?")
    first = backend.generate(prompt, settings)
    again = backend.generate(prompt, settings)
    assert isinstance(first, Generation) and first.text.strip()
    assert first.text == again.text  # greedy is deterministic, also when the prompt comes from the cache
    assert "<|im_end|>" not in first.text and "<|im_start|>" not in first.text
    assert first.prompt_tokens == backend.count_tokens(prompt) > 20
    assert 1 <= first.completion_tokens <= 40
    assert 0 < first.first_token_s <= first.total_s


def test_stream_yields_the_text_then_the_generation(backend, fmt):
    settings = GenerationSettings(greedy=True, max_new_tokens=30, stop=fmt.stop)
    prompt = _prompt(fmt, "How can I sleep better?")
    items = list(backend.stream(prompt, settings))
    *chunks, final = items
    assert chunks and all(isinstance(c, str) for c in chunks)
    assert isinstance(final, Generation) and "".join(chunks) == final.text
    assert final.text == backend.generate(prompt, settings).text


def test_max_new_tokens_and_seeded_sampling(backend, fmt):
    prompt = _prompt(fmt, "Tell me about mindfulness.")
    short = backend.generate(prompt, GenerationSettings(greedy=True, max_new_tokens=5, stop=fmt.stop))
    assert short.completion_tokens == 5
    sampled = GenerationSettings(max_new_tokens=25, seed=7, temperature=0.9, stop=fmt.stop)
    assert backend.generate(prompt, sampled).text == backend.generate(prompt, sampled).text


def test_a_repeated_prefix_is_not_recomputed(backend, fmt):
    """llama-cpp-python keeps the KV cache of the previous prompt: a second prompt sharing a long
    prefix (system prompt + retrieved context) only evaluates the tokens after it."""
    context = "Context: " + " ".join(["Regular sleep, daylight and movement support mood."] * 30) + "\n\nQuestion: "
    settings = GenerationSettings(greedy=True, max_new_tokens=4, stop=fmt.stop)
    evaluated: list[int] = []
    llm = backend._llm
    original = llm.eval

    def counting_eval(tokens):
        evaluated.append(len(tokens))
        return original(tokens)

    llm.eval = counting_eval
    try:
        backend.generate(_prompt(fmt, "What is anxiety?", context), settings)
        evaluated.clear()
        second = backend.generate(_prompt(fmt, "How do I find a therapist?", context), settings)
    finally:
        del llm.eval
    assert second.prompt_tokens > 300
    prompt_work = evaluated[0]  # the first eval call holds the prompt tokens not in the cache
    assert prompt_work < 30, f"{prompt_work} of {second.prompt_tokens} prompt tokens were recomputed"


def test_load_errors_are_model_load_errors(tmp_path):
    from mhqa.backends.llamacpp import LlamaCppBackend

    with pytest.raises(ModelLoadError, match="no such GGUF"):
        LlamaCppBackend(tmp_path / "missing.gguf")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF but not really a model file")
    with pytest.raises(ModelLoadError) as exc:
        LlamaCppBackend(bad)
    assert "\n" not in str(exc.value) and "bad.gguf" in str(exc.value)


def test_settings_map_to_llama_cpp_arguments():
    from mhqa.backends.llamacpp import completion_kwargs

    greedy = completion_kwargs(GenerationSettings(greedy=True, seed=3, stop=("x",)), 10)
    assert (greedy["temperature"], greedy["top_k"], greedy["seed"], greedy["stop"], greedy["max_tokens"]) == (0.0, 1, 3, ["x"], 10)
    sampled = completion_kwargs(GenerationSettings(), 200)
    assert (sampled["temperature"], sampled["top_p"], sampled["repeat_penalty"], sampled["top_k"], sampled["min_p"]) == (
        0.7, 0.9, 1.2, 0, 0.0)


def test_threads_default_to_the_physical_cores_and_follow_the_environment(monkeypatch):
    import os

    from mhqa.backends import _llama
    from mhqa.errors import ConfigError
    from mhqa.models import builtin_gguf_path
    from mhqa.models.device import physical_cores

    cores = physical_cores()
    assert 1 <= cores <= (os.cpu_count() or 1)
    monkeypatch.delenv("MHQA_LLAMA_THREADS", raising=False)
    llm = _llama(builtin_gguf_path())._llm
    assert (llm.n_threads, llm.n_threads_batch) == (cores, cores)
    monkeypatch.setenv("MHQA_LLAMA_THREADS", "1")
    llm = _llama(builtin_gguf_path())._llm
    assert (llm.n_threads, llm.n_threads_batch) == (1, 1)
    monkeypatch.setenv("MHQA_LLAMA_THREADS", "two")
    with pytest.raises(ConfigError, match="MHQA_LLAMA_THREADS"):
        _llama(builtin_gguf_path())
