"""LoRA training on tiny real models: what the run folder holds and that learning happened."""

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mhqa.train import LABEL_IGNORE, make_collator, tokenize_example

MHQA = str(Path(sys.executable).with_name("mhqa"))


def test_tokenize_masks_prompt_and_truncates_answer(tiny_llama_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_llama_dir)
    ex = tokenize_example("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", "hello there<|im_end|>\n", tok, 64)
    n_prompt = sum(1 for x in ex["labels"] if x == LABEL_IGNORE)
    assert n_prompt > 0 and ex["labels"][n_prompt:] == ex["input_ids"][n_prompt:]
    short = tokenize_example("q " * 10, "a " * 200, tok, 32)
    assert len(short["input_ids"]) == 32 and short["labels"][0] == LABEL_IGNORE


@pytest.mark.parametrize("fixture", ["tiny_gpt2_dir", "tiny_llama_dir"])
def test_packed_rows_do_not_attend_across_examples(fixture, request):
    """The packing collator's position ids must isolate examples: packed logits == separate logits."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(request.getfixturevalue(fixture)).eval()
    a = {"input_ids": list(range(5, 17)), "labels": list(range(5, 17))}
    b = {"input_ids": list(range(40, 49)), "labels": list(range(40, 49))}
    batch = make_collator(None, packing=True)([a, b])
    assert batch["input_ids"].shape == (1, 21)  # one row, no padding
    with torch.no_grad():
        packed = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
        alone_a = model(input_ids=torch.tensor([a["input_ids"]]), use_cache=False).logits
        alone_b = model(input_ids=torch.tensor([b["input_ids"]]), use_cache=False).logits
    assert torch.allclose(packed[:, :12], alone_a, atol=1e-4)
    assert torch.allclose(packed[:, 12:], alone_b, atol=1e-4)


@pytest.mark.parametrize("fixture", ["tiny_gpt2_dir", "tiny_llama_dir"])
def test_varlen_attention_runs_each_packed_example_alone(fixture, request, monkeypatch):
    """Per-example attention gives the logits of running each example alone, computes attention on
    each example's slice only, and leaves padded batches to the stock sdpa path."""
    from transformers import AutoModelForCausalLM

    from mhqa.models.attention import NAME, use_varlen_attention

    model = AutoModelForCausalLM.from_pretrained(request.getfixturevalue(fixture), attn_implementation="sdpa").eval()
    examples = [{"input_ids": list(range(5, 17)), "labels": list(range(5, 17))},
                {"input_ids": list(range(40, 49)), "labels": list(range(40, 49))}, {"input_ids": [7], "labels": [7]}]
    with torch.no_grad():
        alone = [model(input_ids=torch.tensor([e["input_ids"]]), use_cache=False).logits[0] for e in examples]
    assert use_varlen_attention(model) and model.config._attn_implementation == NAME
    batch = make_collator(None, packing=True, boundaries=True)(examples)
    assert batch["cu_seq_lens_q"].tolist() == [0, 12, 21, 22]
    lengths = []
    real_sdpa = torch.nn.functional.scaled_dot_product_attention
    monkeypatch.setattr(torch.nn.functional, "scaled_dot_product_attention",
                        lambda q, *a, **kw: lengths.append(q.shape[2]) or real_sdpa(q, *a, **kw))
    with torch.no_grad():
        packed = model(**{k: v for k, v in batch.items() if k != "labels"}, use_cache=False).logits[0]
    assert set(lengths) == {12, 9, 1}  # never the whole 22-token row
    assert torch.allclose(packed, torch.cat(alone), atol=1e-4)
    lengths.clear()
    with torch.no_grad():
        padded = model(input_ids=torch.tensor([[5, 6, 7, 0], [5, 6, 7, 8]]),
                       attention_mask=torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])).logits
    assert set(lengths) == {4} and torch.allclose(padded[1, :3], padded[0, :3], atol=1e-4)


@pytest.mark.parametrize("fixture", ["tiny_gpt2_dir", "tiny_llama_dir"])
def test_answer_only_head_gives_the_standard_loss_and_gradients(fixture, request, tmp_path):
    """The LM head run only where an answer token follows: same loss and LoRA gradients as the full head."""
    from transformers import AutoModelForCausalLM, TrainingArguments

    from mhqa.config import RunConfig
    from mhqa.train import _answer_loss_trainer_class, _attach_lora, accepts_logits_to_keep, answer_positions

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(request.getfixturevalue(fixture))
    cfg = RunConfig.from_dict({"lora": {"lora_dropout": 0.0}})
    model, _ = _attach_lora(model, cfg)
    for name, p in model.named_parameters():  # LoRA B starts at zero: make the adapter matter
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.02)
    assert accepts_logits_to_keep(model)
    ex = lambda ids, n_prompt: {"input_ids": ids, "labels": [LABEL_IGNORE] * n_prompt + ids[n_prompt:]}  # noqa: E731
    batch = make_collator(None, packing=True)([ex(list(range(5, 17)), 5), ex(list(range(40, 49)), 3)])
    keep = answer_positions(batch["labels"])
    assert keep.sum() == (batch["labels"][:, 1:] != LABEL_IGNORE).sum()
    args = TrainingArguments(output_dir=str(tmp_path), use_cpu=True, report_to=[])
    trainer = _answer_loss_trainer_class()(model=model, args=args)
    n_items = (batch["labels"][:, 1:] != LABEL_IGNORE).sum()
    ours = trainer.compute_loss(model, dict(batch), num_items_in_batch=n_items)
    ours.backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    model.zero_grad()
    reference = model(**batch, use_cache=False).loss
    reference.backward()
    assert torch.allclose(ours, reference, atol=1e-5)
    for n, p in model.named_parameters():
        if p.requires_grad:
            assert torch.allclose(grads[n], p.grad, atol=1e-6), n


def test_run_folder_is_complete(tiny_gpt2_run):
    run = tiny_gpt2_run.run_dir
    for name in ("config.yaml", "prompt_format.json", "training_results.json", "training_curves.png",
                 "data/train.jsonl", "data/val.jsonl", "data/test.jsonl", "data/prepare_report.json",
                 "adapter/adapter_config.json", "adapter/adapter_model.safetensors"):
        assert (run / name).is_file(), name
    assert (run.parent / "latest").resolve() == run.resolve()
    results = json.loads((run / "training_results.json").read_text())
    for key in ("base_model", "initial_train_loss", "final_train_loss", "base_val_loss", "base_val_perplexity",
                "final_val_loss", "final_val_perplexity", "train_runtime_s", "train_tokens_per_s",
                "trainable_params", "trainable_percent", "seed", "versions"):
        assert results[key] is not None, key
    assert results["steps"] == 8 and results["versions"]["torch"]
    report = json.loads((run / "data" / "prepare_report.json").read_text())
    stats = report["example_tokens"]  # real tokenizer statistics (before truncation to max_seq_len)
    assert stats["tokenizer"] and 0 < stats["train"]["min"] <= stats["train"]["median"] <= stats["train"]["max"]


def test_training_lowers_val_loss(tiny_gpt2_run):
    r = tiny_gpt2_run.results
    assert r["final_val_loss"] < r["base_val_loss"] - 0.05
    assert r["final_train_loss"] < r["initial_train_loss"]
    assert r["final_val_perplexity"] == pytest.approx(2.718281828 ** r["final_val_loss"], rel=1e-3)


def test_adapter_reloads_all_lora_weights_moved_base_frozen(tiny_gpt2_run, tiny_gpt2_dir):
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM, set_seed

    base = AutoModelForCausalLM.from_pretrained(tiny_gpt2_dir)
    frozen = {k: v.clone() for k, v in base.state_dict().items()}
    tuned = PeftModel.from_pretrained(base, tiny_gpt2_run.run_dir / "adapter").eval()
    # the same seed gives the adapter's initial values: every LoRA tensor must differ from them
    set_seed(42)
    init = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_gpt2_dir),
                          LoraConfig(r=16, lora_alpha=32, target_modules=["c_attn", "c_proj", "c_fc"]))
    init_lora = {k: v for k, v in init.state_dict().items() if "lora_" in k}
    trained_lora = {k: v for k, v in tuned.state_dict().items() if "lora_" in k}
    assert trained_lora.keys() == init_lora.keys() and trained_lora
    assert all(not torch.equal(trained_lora[k], init_lora[k]) for k in trained_lora)
    for name, tensor in tuned.get_base_model().state_dict().items():
        key = name.replace(".base_layer", "")
        if key in frozen:
            assert torch.equal(tensor, frozen[key]), name
    x = torch.tensor([[1, 2, 3, 4, 5]])
    with torch.no_grad():
        with_adapter = tuned(input_ids=x).logits
        with tuned.disable_adapter():
            without = tuned(input_ids=x).logits
    assert not torch.allclose(with_adapter, without)


def test_resume_ends_where_an_uninterrupted_run_ends(tiny_gpt2_dir, tmp_path, make_cfg):
    """Train 8 steps; separately, drop the last checkpoint of a copy and resume from step 4."""
    from safetensors.torch import load_file

    from mhqa.train import train

    full = train(make_cfg(tiny_gpt2_dir), out=tmp_path / "full").run_dir
    cut = tmp_path / "cut"
    shutil.copytree(full, cut)
    shutil.rmtree(cut / "checkpoints" / "checkpoint-8")
    shutil.rmtree(cut / "adapter")
    resumed = train(make_cfg(tiny_gpt2_dir, max_steps=999), out=cut, resume=True)  # saved config wins
    assert resumed.results["steps"] == 8
    a = load_file(full / "adapter" / "adapter_model.safetensors")
    b = load_file(cut / "adapter" / "adapter_model.safetensors")
    assert a.keys() == b.keys()
    for k in a:
        assert torch.allclose(a[k], b[k], atol=1e-6), k


def test_chat_template_model_trains(tiny_llama_dir, tmp_path, make_cfg):
    from mhqa.prompting import PromptFormat
    from mhqa.train import train

    result = train(make_cfg(tiny_llama_dir, max_steps=4), out=tmp_path / "llama")
    fmt = PromptFormat.load(result.run_dir / "prompt_format.json")
    assert fmt.kind == "chat_template" and fmt.stop[0] == "<|im_end|>"
    assert result.results["lora_targets"] == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    assert result.results["final_val_loss"] < result.results["base_val_loss"]


def test_bf16_autocast_path_trains(tiny_llama_dir, tmp_path, make_cfg):
    """The step a CPU with native bf16 runs (bf16 autocast + per-example attention + answer-only head):
    forced here, where bf16 is slow but correct, so that path is exercised on every machine."""
    from dataclasses import replace

    from mhqa.train import train

    cfg = make_cfg(tiny_llama_dir, max_steps=3, eval_steps=3, save_steps=3)
    result = train(replace(cfg, model=replace(cfg.model, dtype="bf16")), out=tmp_path / "bf16")
    assert result.results["dtype"] == "bf16"
    assert all(math.isfinite(result.results[k]) for k in ("final_train_loss", "final_val_loss"))
    assert (result.run_dir / "adapter" / "adapter_model.safetensors").is_file()


def test_cli_errors_are_one_line(tmp_path, tiny_gpt2_dir):
    for args, needle in ((["--resume", "--out", str(tmp_path / "nothing")], "nothing to resume"),
                         (["--base-model", str(tmp_path)], "no config.json"),
                         (["--config", str(tmp_path / "missing.yaml")], "config file not found")):
        proc = subprocess.run([MHQA, "train", *args], capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("error: "), proc.stderr


def test_cli_refuses_to_overwrite_a_run(tiny_gpt2_run):
    proc = subprocess.run([MHQA, "train", "--out", str(tiny_gpt2_run.run_dir), "--max-steps", "1"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "already holds a run" in proc.stderr


def test_default_model_short_real_training(tmp_path):
    """A few real steps of the default recipe (built-in SmolLM2 + built-in FAQ), as `mhqa train` runs it."""
    cfg = tmp_path / "short.yaml"
    cfg.write_text("train:\n  max_steps: 2\n  batch_size: 2\n  eval_steps: 2\n  save_steps: 2\n  max_seq_len: 192\n"
                   "data:\n  val_fraction: 0.03\n  test_fraction: 0.03\n", encoding="utf-8")
    proc = subprocess.run([MHQA, "train", "--config", str(cfg), "--out", str(tmp_path / "run")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads((tmp_path / "run" / "training_results.json").read_text())
    assert results["base_model"] == "builtin:smollm2-135m-instruct"
    assert results["trainable_params"] == 4_884_480  # r=16 on all 7 projections of 30 layers
    assert 2.0 < results["base_val_loss"] < 6.0 and results["steps"] == 2
    # the run is ready for the fast backend: a merged q8_0 GGUF, picked by --backend auto
    from mhqa.backends import _auto_kind, run_gguf

    assert run_gguf(tmp_path / "run") == tmp_path / "run" / "export" / "model.gguf"
    assert _auto_kind(tmp_path / "run", use_adapter=True) == "llamacpp"
    assert "llama.cpp model:" in proc.stdout
