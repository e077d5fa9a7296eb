"""The prompt format is one source of truth: our jinja rendering must equal the tokenizer's."""

import pytest

from mhqa.prompting import PromptFormat, render_example, render_prompt, resolve_prompt_format

CONVERSATION = [
    {"role": "user", "content": "I can't sleep before exams."},
    {"role": "assistant", "content": "That is very common. A wind-down routine can help."},
    {"role": "user", "content": "What kind of routine?"},
]


def test_chat_template_matches_tokenizer(tiny_llama_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_llama_dir)
    fmt = resolve_prompt_format("auto", tok, "Be kind.")
    assert fmt.kind == "chat_template"
    ours = render_prompt(CONVERSATION, fmt)
    theirs = tok.apply_chat_template([{"role": "system", "content": "Be kind."}] + CONVERSATION,
                                     tokenize=False, add_generation_prompt=True)
    assert ours == theirs
    assert fmt.stop[0] == "<|im_end|>"


def test_builtin_smollm2_template_matches(tmp_path):
    from transformers import AutoTokenizer

    from mhqa.models import ensure_builtin_checkpoint

    tok = AutoTokenizer.from_pretrained(ensure_builtin_checkpoint())
    fmt = resolve_prompt_format("auto", tok, "You help.")
    theirs = tok.apply_chat_template([{"role": "system", "content": "You help."}] + CONVERSATION,
                                     tokenize=False, add_generation_prompt=True)
    assert render_prompt(CONVERSATION, fmt) == theirs


def test_example_split_is_prefix_and_answer(tiny_llama_dir):
    from transformers import AutoTokenizer

    fmt = resolve_prompt_format("auto", AutoTokenizer.from_pretrained(tiny_llama_dir), None)
    prompt, completion = render_example("What is stress?", "Pressure you feel.", fmt)
    assert prompt.endswith("<|im_start|>assistant\n")
    assert completion.startswith("Pressure you feel.") and "<|im_end|>" in completion


def test_user_assistant_multi_turn(tiny_gpt2_dir):
    from transformers import AutoTokenizer

    fmt = resolve_prompt_format("auto", AutoTokenizer.from_pretrained(tiny_gpt2_dir), "ignored")
    assert fmt.kind == "user_assistant" and fmt.system_prompt is None
    text = render_prompt(CONVERSATION, fmt)
    assert text == ("User: I can't sleep before exams.\nAssistant: That is very common. A wind-down routine can help."
                    "\nUser: What kind of routine?\nAssistant:")
    assert "\nUser:" in fmt.stop


def test_round_trip(tmp_path):
    fmt = PromptFormat("chat_template", "s", "{{ messages[0]['content'] }}", "", "</s>", ("</s>",))
    fmt.save(tmp_path / "p.json")
    assert PromptFormat.load(tmp_path / "p.json") == fmt


def test_chat_template_required_when_asked(tiny_gpt2_dir):
    from transformers import AutoTokenizer

    from mhqa.errors import ConfigError

    with pytest.raises(ConfigError, match="has none"):
        resolve_prompt_format("chat_template", AutoTokenizer.from_pretrained(tiny_gpt2_dir), None)
