"""Useful training tokens per second: mhqa's trainer against the classic recipe, same run.

Same base model, same training examples, same LoRA (r=16 on the architecture's default targets),
same transformers Trainer. The rows differ in batching, attention, LM head, dropout masks and precision:

  classic   every example padded to 512 tokens, batch 2 x gradient accumulation 4, fp32
            (the notebook this project replaces; it used fp16 only on CUDA)
  dynamic   dynamic padding (pad each batch to its longest example), batch 8, fp32
  packed    packing alone (one flattened row per batch, positions restart per example, transformers'
            stock sdpa with a block-diagonal mask over the row, full LM head), fp32
  mhqa      what `mhqa train` runs: packing with attention per packed example, the LM head only
            where an answer token follows, LoRA dropout with cheap masks shared by branches that
            read the same tensor (mhqa.models.lora_dropout; the other rows use peft's nn.Dropout,
            same p), and the dtype mhqa picks for this machine (bf16 autocast where the CPU has
            native bf16, else fp32)

"Useful" tokens are the non-padding tokens of the examples; each row is timed over the same
examples, excluding one warm-up step. Prints a table and, last, `speedup: X.XX` (mhqa / classic).

    python benchmarks/train_throughput.py [--examples 32] [--base-model builtin:smollm2-135m-instruct]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import torch
from rich.console import Console
from rich.table import Table
from transformers import Trainer, TrainerCallback, TrainingArguments

from mhqa.config import RunConfig
from mhqa.data import prepare, read_jsonl
from mhqa.models import choose_device, load_model_and_tokenizer
from mhqa.prompting import resolve_prompt_format
from mhqa.models.attention import use_varlen_attention
from mhqa.models.lora_dropout import use_shared_lora_dropout
from mhqa.train import LABEL_IGNORE, _answer_loss_trainer_class, _attach_lora, make_collator, tokenize_rows


class _StepTimer(TrainerCallback):
    """Wall time of optimizer steps after the first (warm-up) one."""

    def __init__(self):
        self.marks: list[float] = []

    def on_step_end(self, args, state, control, **kw):
        self.marks.append(time.perf_counter())


def _pad_to(examples: list[dict], length: int, pad_id: int) -> list[dict]:
    out = []
    for ex in examples:
        ids, labels = ex["input_ids"][:length], ex["labels"][:length]
        n = length - len(ids)
        out.append({"input_ids": ids + [pad_id] * n, "labels": labels + [LABEL_IGNORE] * n,
                    "attention_mask": [1] * len(ids) + [0] * n})
    return out


def _fixed_collator(features):
    return {k: torch.tensor([f[k] for f in features]) for k in features[0]}


def run_setup(name, cfg, examples, *, batch, accum, dtype, packing, pad512, tmp, mhqa_step=False):
    choice = choose_device(cfg.model.device, dtype)
    model, tokenizer, _, choice = load_model_and_tokenizer(replace(cfg.model, dtype=dtype), choice=choice)
    varlen = mhqa_step and packing and use_varlen_attention(model)
    model, _ = _attach_lora(model, cfg)
    if mhqa_step:
        use_shared_lora_dropout(model)
    useful = sum(len(e["input_ids"]) for e in examples)
    data = _pad_to(examples, 512, tokenizer.pad_token_id) if pad512 else examples
    collator = _fixed_collator if pad512 else make_collator(tokenizer, packing, boundaries=varlen)
    steps = len(examples) // (batch * accum)
    args = TrainingArguments(output_dir=str(tmp / name), max_steps=steps, per_device_train_batch_size=batch,
                             gradient_accumulation_steps=accum, learning_rate=2e-4, save_strategy="no",
                             eval_strategy="no", report_to=[], bf16=choice.bf16, use_cpu=choice.is_cpu,
                             remove_unused_columns=False, disable_tqdm=True, logging_strategy="no", seed=0,
                             dataloader_num_workers=0)
    timer = _StepTimer()
    trainer_cls = _answer_loss_trainer_class() if mhqa_step else Trainer
    trainer = trainer_cls(model=model, args=args, train_dataset=data, data_collator=collator, callbacks=[timer])
    start = time.perf_counter()
    trainer.train()
    timed_steps = len(timer.marks) - 1
    seconds = timer.marks[-1] - timer.marks[0] if timed_steps > 0 else timer.marks[-1] - start
    tokens = useful * (timed_steps / steps) if timed_steps > 0 else useful
    return {"setup": name, "batch": f"{batch} x {accum}", "dtype": choice.dtype, "steps": steps,
            "useful_tokens": int(tokens), "seconds": seconds, "tok_s": tokens / seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=32, help="training examples per setup (multiple of 8)")
    ap.add_argument("--base-model", default=RunConfig().model.base_model)
    ap.add_argument("--skip", default="", help="comma-separated setups to skip (e.g. dynamic)")
    args = ap.parse_args()

    import tempfile
    from pathlib import Path

    cfg = RunConfig.from_dict({"model": {"base_model": args.base_model}})
    tmp = Path(tempfile.mkdtemp(prefix="mhqa-bench-"))
    prepare(None, tmp / "data", cfg.data)
    rows = read_jsonl(tmp / "data" / "train.jsonl")[: args.examples]
    _, tokenizer, _, _ = load_model_and_tokenizer(cfg.model)
    fmt = resolve_prompt_format(cfg.model.prompt_format, tokenizer, cfg.model.system_prompt)
    examples = tokenize_rows(rows, fmt, tokenizer, 512)

    setups = [
        ("classic", dict(batch=2, accum=4, dtype="fp32", packing=False, pad512=True)),
        ("dynamic", dict(batch=8, accum=1, dtype="fp32", packing=False, pad512=False)),
        ("packed", dict(batch=8, accum=1, dtype="fp32", packing=True, pad512=False)),
        ("mhqa", dict(batch=8, accum=1, dtype="auto", packing=True, pad512=False, mhqa_step=True)),
    ]
    skip = {s for s in args.skip.split(",") if s}
    results = [run_setup(name, cfg, examples, tmp=tmp, **kw) for name, kw in setups if name not in skip]

    base = results[0]["tok_s"]
    table = Table(title=f"LoRA training throughput, {args.base_model}, {len(examples)} examples "
                        f"(mean {sum(len(e['input_ids']) for e in examples) / len(examples):.0f} tokens)")
    for col in ("setup", "batch", "dtype", "steps", "useful tokens", "seconds", "useful tok/s", "vs classic"):
        table.add_column(col, justify="left" if col == "setup" else "right")
    for r in results:
        table.add_row(r["setup"], r["batch"], r["dtype"], str(r["steps"]), str(r["useful_tokens"]),
                      f"{r['seconds']:.1f}", f"{r['tok_s']:.1f}", f"{r['tok_s'] / base:.2f}x")
    Console().print(table)
    mhqa = next(r for r in results if r["setup"] == "mhqa")
    print(f"speedup: {mhqa['tok_s'] / base:.2f}")


if __name__ == "__main__":
    main()
