"""The built-in GGUF served through llama.cpp behind `mhqa serve`, asked with the OpenAI client."""

from __future__ import annotations

import importlib.util

import openai
import pytest

from server_helpers import CRISIS, live_server

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python not installed")]


def test_base_gguf_on_llamacpp_answers_streaming_and_not(tmp_path, monkeypatch):
    from mhqa.assistant import Assistant
    from mhqa.backends.base import GenerationSettings

    monkeypatch.chdir(tmp_path)  # no runs/latest here: the base model alone
    assistant = Assistant.from_run(None, backend="llamacpp", settings=GenerationSettings(max_new_tokens=40, seed=0))
    with live_server(assistant) as srv:
        client = openai.OpenAI(base_url=srv.url + "/v1", api_key="unused", max_retries=0, timeout=300)
        messages = [{"role": "user", "content": "What can I do when I feel anxious?"}]
        plain = client.chat.completions.create(model="mhqa", messages=messages, max_tokens=40, temperature=0)
        assert plain.model_extra["mhqa"]["crisis"] is False
        assert len(plain.choices[0].message.content.split()) > 5
        assert plain.usage.completion_tokens > 0
        chunks = list(client.chat.completions.create(model="mhqa", messages=messages, max_tokens=40,
                                                     temperature=0, stream=True))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        ext = next(c.model_extra["mhqa"] for c in chunks if c.model_extra.get("mhqa"))
        assert (ext.get("final_text") or text) == plain.choices[0].message.content
        crisis = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": CRISIS}])
        assert crisis.model_extra["mhqa"]["crisis"] is True and "988" in crisis.choices[0].message.content
