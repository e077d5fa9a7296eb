"""mhqa.export on the built-in SmolLM2 with a real (randomised, non-zero) LoRA adapter.

Ground truth is transformers + peft in fp32 (tests/export/conftest.py `reference`). Exported
artifacts are loaded by the tools users would load them with: peft, transformers, llama.cpp.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from export_helpers import QUESTIONS, forced_disagreements, hf_greedy, llama_greedy, make_run
from mhqa.errors import ExportError
from mhqa.export import (GGUF_NAME, RunInfo, adapter_to_gguf_lora, chat_template_for, export, modelfile_text,
                         template_pieces)
from mhqa.prompting import PromptFormat, render_prompt

GREEDY_TOKENS = 20
CONVERSATION = [
    {"role": "system", "content": "A caller's own system message, which the trained format replaces."},
    {"role": "user", "content": "I have been sleeping badly for weeks."},
    {"role": "assistant", "content": "That sounds exhausting. What usually keeps you awake?"},
    {"role": "user", "content": "Mostly worrying about work."},
]


def _prompts(fmt: PromptFormat) -> list[str]:
    return [render_prompt([{"role": "user", "content": q}], fmt) for q in QUESTIONS]


def _logits(model, tokenizer, prompt: str):
    import torch

    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        return model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0]


@pytest.fixture(scope="module")
def gguf_f32(builtin_run, tmp_path_factory) -> Path:
    return export(builtin_run, "gguf", quant="f32", out=tmp_path_factory.mktemp("gguf-f32")).path


@pytest.fixture(scope="module")
def llm_f32(gguf_f32):
    return _load_llama(gguf_f32)


@pytest.fixture(scope="module")
def reference_greedy(reference) -> dict[str, list[int]]:
    run, model, tokenizer = reference
    return {p: hf_greedy(model, tokenizer, p, GREEDY_TOKENS) for p in _prompts(run.fmt)}


def _load_llama(path: Path, **kwargs):
    from llama_cpp import Llama

    return Llama(model_path=str(path), n_ctx=512, verbose=False, **kwargs)


def _assert_same_greedy(llm, reference_greedy: dict[str, list[int]], tokenizer, min_tokens: int = 16) -> None:
    for prompt, expected in reference_greedy.items():
        assert len(expected) >= min_tokens, "the reference stopped early; pick a longer-answer question"
        got = llama_greedy(llm, prompt, len(expected))
        assert got == expected, f"llama.cpp: {tokenizer.decode(got)!r}\ntransformers: {tokenizer.decode(expected)!r}"


# ---------------------------------------------------------------------------------------------
# adapter and merged


def test_the_adapter_changes_the_model(reference, reference_greedy):
    """Guards every comparison below: a zero LoRA would make them pass trivially."""
    run, model, tokenizer = reference
    with model.disable_adapter():
        base = {p: hf_greedy(model, tokenizer, p, GREEDY_TOKENS) for p in reference_greedy}
    assert base != reference_greedy


def test_adapter_export_loads_with_peft(builtin_run, reference, tmp_path):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    run, model, tokenizer = reference
    out = export(builtin_run, "adapter", out=tmp_path).path
    assert {"adapter_config.json", "adapter_model.safetensors", "README.md", "prompt_format.json"} <= {
        p.name for p in out.iterdir()}
    assert "builtin:smollm2-135m-instruct" in (out / "README.md").read_text()
    loaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(run.base_path, dtype=torch.float32), out)
    prompt = _prompts(run.fmt)[0]
    assert torch.equal(_logits(loaded.eval(), tokenizer, prompt), _logits(model, tokenizer, prompt))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left behind"


@pytest.mark.slow  # merges, saves and reloads 540 MB
def test_merged_export_gives_the_logits_of_base_plus_adapter(builtin_run, reference, tmp_path):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    run, model, tokenizer = reference
    out = export(builtin_run, "merged", out=tmp_path).path
    merged = AutoModelForCausalLM.from_pretrained(out).eval()
    merged_tokenizer = AutoTokenizer.from_pretrained(out)
    for prompt in _prompts(run.fmt):
        expected = _logits(model, tokenizer, prompt)
        got = _logits(merged, merged_tokenizer, prompt)
        assert torch.allclose(got, expected, atol=2e-3), (got - expected).abs().max()
    # the saved chat template asks the merged model in the trained format
    rendered = merged_tokenizer.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True)
    assert rendered == render_prompt(CONVERSATION, run.fmt)


# ---------------------------------------------------------------------------------------------
# GGUF


def test_gguf_f32_reproduces_transformers_greedy(llm_f32, reference, reference_greedy):
    _assert_same_greedy(llm_f32, reference_greedy, reference[2])


@pytest.mark.slow  # quantises and scores every position on both sides
def test_gguf_q8_0_agrees_with_transformers(gguf_f32, reference, reference_greedy, tmp_path):
    """q8_0 (llama.cpp's own quantiser on our f32 file) picks transformers' token at every position
    that is not a near tie."""
    from mhqa.export_gguf import quantize

    run, model, tokenizer = reference
    q8 = quantize(gguf_f32, tmp_path / "q8.gguf", "q8_0")
    assert q8.stat().st_size < 0.3 * gguf_f32.stat().st_size
    llm = _load_llama(q8, logits_all=True)
    for prompt, expected in reference_greedy.items():
        assert forced_disagreements(llm, model, tokenizer, prompt, expected, min_margin=0.05) == []


@pytest.mark.slow
def test_gguf_exports_in_every_quantisation(builtin_run, reference, reference_greedy, tmp_path):
    """The whole export path per --quant: loads in llama.cpp, agrees with transformers except at near ties."""
    run, model, tokenizer = reference
    for quant, min_margin in (("q8_0", 0.05), ("f16", 0.05), ("q4_0", 1.5), ("q4_k_m", 1.5)):
        result = export(builtin_run, "gguf", quant=quant, out=tmp_path / quant)
        assert sorted(p.name for p in result.path.parent.iterdir()) == ["Modelfile", GGUF_NAME]
        llm = _load_llama(result.path, logits_all=True)
        for prompt, expected in reference_greedy.items():
            assert forced_disagreements(llm, model, tokenizer, prompt, expected, min_margin) == [], quant


def test_gguf_chat_template_round_trip(gguf_f32, builtin_run):
    """The template in the GGUF renders the trained prompt, through llama.cpp and through mhqa."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from mhqa.export_gguf import read_metadata

    fmt = RunInfo.load(builtin_run).fmt
    template = read_metadata(gguf_f32, ["tokenizer.chat_template"])["tokenizer.chat_template"]
    assert template == chat_template_for(fmt)
    expected = render_prompt(CONVERSATION, fmt)
    assert fmt.system_prompt in expected
    llama_side = Jinja2ChatFormatter(template, eos_token=fmt.eos_token, bos_token=fmt.bos_token)(messages=CONVERSATION)
    assert llama_side.prompt == expected
    mhqa_side = PromptFormat("chat_template", None, template, fmt.bos_token, fmt.eos_token, fmt.stop)
    assert render_prompt(CONVERSATION, mhqa_side) == expected


def test_exported_tokenizer_template_renders_the_trained_prompt(reference):
    """The template `merged` saves with the tokenizer: transformers' apply_chat_template gives our prompt."""
    run, _, tokenizer = reference
    tokenizer = type(tokenizer).from_pretrained(run.adapter_dir)
    tokenizer.chat_template = chat_template_for(run.fmt)
    rendered = tokenizer.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True)
    assert rendered == render_prompt(CONVERSATION, run.fmt)


def test_llama_cpp_chat_completion_answers_like_our_prompt(llm_f32, builtin_run):
    """llama.cpp's own chat path (template from the GGUF metadata) gives the answer our prompt gives."""
    fmt = RunInfo.load(builtin_run).fmt
    llm = llm_f32
    settings = {"temperature": 0.0, "top_k": 1, "repeat_penalty": 1.0, "max_tokens": 20}
    chat = llm.create_chat_completion(messages=CONVERSATION, **settings)["choices"][0]["message"]["content"]
    ours = llm.create_completion(render_prompt(CONVERSATION, fmt), stop=list(fmt.stop), **settings)
    assert chat.strip() and chat == ours["choices"][0]["text"]


def test_modelfile_has_template_parameters_and_stops(gguf_f32):
    text = (gguf_f32.parent / "Modelfile").read_text()
    assert f"FROM ./{GGUF_NAME}" in text
    for line in ("PARAMETER temperature 0.7", "PARAMETER top_p 0.9", "PARAMETER repeat_penalty 1.2",
                 'PARAMETER stop "<|im_end|>"'):
        assert line in text.splitlines()
    assert 'TEMPLATE """' in text and "{{ range $i, $m := .Messages }}" in text


@pytest.mark.parametrize("kind", ["chat_template", "user_assistant"])
def test_modelfile_template_pieces_rebuild_render_prompt(builtin_run, kind):
    fmt = RunInfo.load(builtin_run).fmt
    if kind == "user_assistant":
        fmt = PromptFormat("user_assistant", None, None, "", "<|endoftext|>", ("<|endoftext|>", "\nUser:"))
    head, ua, au, tail = template_pieces(fmt)
    turns = [m for m in CONVERSATION if m["role"] != "system"]
    rebuilt = head + turns[0]["content"] + ua + turns[1]["content"] + au + turns[2]["content"] + tail
    assert rebuilt == render_prompt(turns, fmt)
    text = modelfile_text(fmt)
    for piece in (head, ua, au, tail):
        assert json.dumps(piece, ensure_ascii=False) in text or not piece


def test_gguf_lora_on_the_base_gguf_reproduces_transformers_peft(builtin_run, reference, reference_greedy):
    """llama.cpp: Q4_1 base GGUF + our GGUF LoRA == transformers: dequantised base + peft adapter."""
    run, model, tokenizer = reference
    lora = adapter_to_gguf_lora(builtin_run)
    assert lora == builtin_run / "export" / "adapter.gguf"
    mtime = lora.stat().st_mtime_ns
    assert adapter_to_gguf_lora(builtin_run).stat().st_mtime_ns == mtime  # cached
    llm = _load_llama(run.base_gguf, lora_path=str(lora))
    _assert_same_greedy(llm, reference_greedy, tokenizer)


def test_gguf_of_a_llama_hf_folder_gives_the_same_logits(tiny_llama_dir, tmp_path):
    """Bases without a GGUF (any Llama folder with a byte-level BPE tokenizer): we write the
    hyperparameters and the tokenizer ourselves; llama.cpp must compute the same logits."""
    import numpy as np

    from mhqa.export import merged_model

    run_dir = make_run(tmp_path / "run", base_model=str(tiny_llama_dir), r=4, lora_alpha=8, b_std=0.2)
    path = export(run_dir, "gguf", quant="f32").path
    run = RunInfo.load(run_dir)
    model, tokenizer = merged_model(run)
    prompt = render_prompt(CONVERSATION, run.fmt)
    expected = _logits(model, tokenizer, prompt).numpy()
    llm = _load_llama(path, logits_all=True)
    tokens = llm.tokenize(prompt.encode(), add_bos=False, special=True)
    assert tokens == tokenizer(prompt, add_special_tokens=False)["input_ids"]
    llm.eval(tokens)
    # llama.cpp keeps its KV cache in f16 (differences ~1e-2); a wrong layout differs by ~1
    np.testing.assert_allclose(np.array(llm.scores[: len(tokens)]), expected, atol=2e-2)


def test_gguf_lora_folds_rslora_scaling(tiny_llama_dir, tmp_path):
    """rsLoRA scales by alpha/sqrt(r), llama.cpp by alpha/r: the writer folds the difference into B."""
    import numpy as np
    from gguf import GGUFReader
    from safetensors.numpy import load_file
    from transformers import AutoConfig

    from mhqa.export_gguf import permute_qk, write_lora_gguf

    run_dir = make_run(tmp_path / "run", base_model=str(tiny_llama_dir), r=4, lora_alpha=8, use_rslora=True)
    lora = write_lora_gguf(run_dir / "adapter", AutoConfig.from_pretrained(tiny_llama_dir), tmp_path / "a.gguf")
    reader = GGUFReader(str(lora))
    assert reader.fields["adapter.lora.alpha"].contents() == 8.0
    assert reader.fields["adapter.type"].contents() == "lora"
    tensors = {t.name: np.array(t.data) for t in reader.tensors}
    peft = load_file(str(run_dir / "adapter" / "adapter_model.safetensors"))
    for proj, name, heads in (("q_proj", "attn_q", 4), ("k_proj", "attn_k", 2), ("v_proj", "attn_v", None)):
        key = f"base_model.model.model.layers.1.self_attn.{proj}"
        peft_update = peft[f"{key}.lora_B.weight"] @ peft[f"{key}.lora_A.weight"] * (8 / np.sqrt(4))
        if heads:
            peft_update = permute_qk(peft_update, heads)
        # what llama.cpp computes: B @ A * alpha / rank
        gguf_update = tensors[f"blk.1.{name}.weight.lora_b"] @ tensors[f"blk.1.{name}.weight.lora_a"] * (8 / 4)
        np.testing.assert_allclose(gguf_update, peft_update, rtol=1e-5, atol=1e-7)


# ---------------------------------------------------------------------------------------------
# errors: one line each, nothing written


def _one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert text and "\n" not in text
    return text


def test_no_run_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError) as exc:
        export(None, "adapter")
    assert "runs/latest" in _one_line(exc) and "mhqa train" in str(exc.value)
    with pytest.raises(ExportError) as exc:
        export(tmp_path / "missing", "gguf")
    assert "missing" in _one_line(exc)
    (tmp_path / "half").mkdir()
    with pytest.raises(ExportError) as exc:
        export(tmp_path / "half", "merged")
    assert "not a finished run" in _one_line(exc)


def test_bad_names_are_clear_errors(builtin_run):
    for kwargs, words in (({"format": "onnx"}, "adapter, merged, gguf"), ({"format": "gguf", "quant": "q3"}, "q4_k_m"),
                          ({"format": "merged", "quant": "f16"}, "gguf only")):
        with pytest.raises(ExportError) as exc:
            export(builtin_run, **kwargs)
        assert words in _one_line(exc)
    assert not (builtin_run / "export" / GGUF_NAME).exists()


def test_non_llama_base_is_a_clear_gguf_error(tiny_gpt2_dir, tmp_path):
    run_dir = make_run(tmp_path / "gpt2-run", base_model=str(tiny_gpt2_dir), r=4, lora_alpha=8)
    with pytest.raises(ExportError) as exc:
        export(run_dir, "gguf")
    assert "Llama" in _one_line(exc) and "convert_hf_to_gguf.py" in str(exc.value)
    with pytest.raises(ExportError) as exc:
        adapter_to_gguf_lora(run_dir)
    assert "no GGUF" in _one_line(exc)
    assert not (run_dir / "export").exists() or not any((run_dir / "export").iterdir())
    # the other formats still work for any base
    assert (export(run_dir, "adapter").path / "adapter_model.safetensors").is_file()


def test_cli_command(builtin_run, tmp_path):
    import typer
    from typer.testing import CliRunner

    from mhqa.commands.export import export_command

    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("export")(export_command)
    runner = CliRunner()
    ok = runner.invoke(app, ["export", "--run", str(builtin_run), "--format", "adapter", "--out", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert "Exported adapter" in ok.output and (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
    bad = runner.invoke(app, ["export", "--run", str(builtin_run), "--format", "gguf", "--quant", "q2"])
    assert isinstance(bad.exception, ExportError)  # mhqa.cli.main prints it as one line
