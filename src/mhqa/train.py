"""`mhqa train`: LoRA fine-tuning that writes a complete run folder.

Reads top to bottom: settings -> run folder -> data -> model -> tokenise -> LoRA -> base metrics
-> train -> final metrics -> artifacts.

Loss covers answer tokens only (prompt tokens are labelled -100). With packing (the default)
each batch is one flattened row whose position ids restart at 0 for every example, so no
example attends to another and no compute is spent on padding; otherwise batches use dynamic
padding. Two things keep a step cheap where the work would be wasted: attention is computed per
packed example rather than over the whole row (:mod:`mhqa.models.attention`), and the language-model
head (576 x 49,152 for SmolLM2, ~20% of the model's FLOPs per token) runs only at positions followed
by an answer token (:class:`AnswerLossTrainer`). On CPUs, LoRA dropout draws its masks cheaply and
once per input tensor (:mod:`mhqa.models.lora_dropout`). On CPUs with native bf16, bf16 autocast
roughly doubles matmul throughput.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from mhqa.config import RunConfig, save_yaml
from mhqa.errors import ConfigError, RunError
from mhqa.prompting import PromptFormat, render_example, resolve_prompt_format

LABEL_IGNORE = -100
TRAIN_SAMPLE_FOR_LOSS = 16  # fixed training examples scored before and after training


@dataclass
class TrainingResult:
    run_dir: Path
    results: dict[str, Any] = field(default_factory=dict)
    gguf: Path | None = None  # RUN/export/model.gguf when it was written


# ---------------------------------------------------------------------------------------------
# run folder


def new_run_dir(out: Path | None) -> Path:
    """`out` or runs/<timestamp>; a folder that already holds a run is refused (use --resume)."""
    run_dir = Path(out) if out else Path("runs") / datetime.now().strftime("%Y%m%d-%H%M%S")
    if (run_dir / "adapter").exists() or (run_dir / "checkpoints").exists():
        raise RunError(f"{run_dir} already holds a run; pass --resume to continue it or choose another --out")
    run_dir.mkdir(parents=True, exist_ok=True)
    return run_dir


def point_latest(run_dir: Path) -> None:
    """Make <parent>/latest a symlink to the newest run."""
    link = run_dir.parent / "latest"
    tmp = run_dir.parent / f".latest-{os.getpid()}"
    try:
        if tmp.is_symlink():
            tmp.unlink()
        tmp.symlink_to(run_dir.name, target_is_directory=True)
        tmp.replace(link)
    except OSError:  # file systems without symlinks: a plain text pointer
        (run_dir.parent / "latest.txt").write_text(run_dir.name + "\n", encoding="utf-8")


def last_checkpoint(run_dir: Path) -> Path | None:
    ckpts = sorted((run_dir / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return ckpts[-1] if ckpts else None


# ---------------------------------------------------------------------------------------------
# tokenisation


def tokenize_example(prompt: str, completion: str, tokenizer: Any, max_len: int) -> dict[str, list[int]]:
    """Token ids with prompt positions masked out of the loss.

    A too-long example keeps its prompt (left-trimmed to at most half the budget) and loses the
    end of its answer.
    """
    p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    c_ids = tokenizer(completion, add_special_tokens=False)["input_ids"]
    if tokenizer.bos_token_id is not None and getattr(tokenizer, "add_bos_token", False):
        if not p_ids or p_ids[0] != tokenizer.bos_token_id:
            p_ids = [tokenizer.bos_token_id] + p_ids
    p_ids = p_ids[-(max_len // 2):] if len(p_ids) > max_len // 2 else p_ids
    c_ids = c_ids[: max_len - len(p_ids)]
    return {"input_ids": p_ids + c_ids, "labels": [LABEL_IGNORE] * len(p_ids) + c_ids}


def tokenize_rows(rows: list[dict], fmt: PromptFormat, tokenizer: Any, max_len: int, progress=None, label="") -> list[dict]:
    task = progress.add_task(f"Tokenising {label}", total=len(rows)) if progress else None
    out = []
    for row in rows:
        prompt, completion = render_example(row["question"], row["answer"], fmt)
        out.append(tokenize_example(prompt, completion, tokenizer, max_len))
        if task is not None:
            progress.advance(task)
    return out


def make_collator(tokenizer: Any, packing: bool, boundaries: bool = False):
    """Packing: one flattened row per batch with restarting position ids (no padding at all), and
    with ``boundaries`` the examples' start offsets (``cu_seq_lens_*``) for per-example attention
    (:mod:`mhqa.models.attention`); otherwise pad each batch to its own longest example."""
    if packing:
        from transformers import DataCollatorWithFlattening

        return DataCollatorWithFlattening(return_position_ids=True, separator_id=LABEL_IGNORE,
                                          return_flash_attn_kwargs=boundaries)
    from transformers import DataCollatorForSeq2Seq

    return DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=LABEL_IGNORE, return_tensors="pt")


def answer_positions(labels):
    """Positions whose next token is a label: where a causal LM's logits are needed (bool, labels' shape)."""
    import torch

    keep = torch.zeros_like(labels, dtype=torch.bool)
    keep[..., :-1] = labels[..., 1:] != LABEL_IGNORE
    return keep


def answer_token_loss(outputs, labels, num_items_in_batch=None):
    """Cross-entropy of logits computed only at :func:`answer_positions` (``logits_to_keep``) against
    the labels that follow them; a sum over tokens divided by the Trainer's token count (the same
    normalisation transformers' own causal-LM loss uses, so gradient accumulation stays exact)."""
    import torch

    targets = labels[..., 1:][labels[..., 1:] != LABEL_IGNORE]
    logits = outputs["logits"] if isinstance(outputs, dict) else outputs[0]
    logits = logits.reshape(-1, logits.shape[-1]).float()
    total = torch.nn.functional.cross_entropy(logits, targets.to(logits.device), reduction="sum")
    count = num_items_in_batch if num_items_in_batch is not None else targets.numel()
    count = count.to(total.device).clamp(min=1) if isinstance(count, torch.Tensor) else max(count, 1)
    return total / count


def accepts_logits_to_keep(model) -> bool:
    """True when the (possibly peft-wrapped) model's forward takes ``logits_to_keep``."""
    import inspect

    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    try:
        return "logits_to_keep" in inspect.signature(base.forward).parameters
    except (TypeError, ValueError):
        return False


def _answer_loss_trainer_class():
    from transformers import Trainer

    class AnswerLossTrainer(Trainer):
        """A Trainer that computes the LM head only where a label follows (see :func:`answer_token_loss`)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, compute_loss_func=answer_token_loss, **kwargs)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            if inputs.get("labels") is not None:
                inputs = {**inputs, "logits_to_keep": answer_positions(inputs["labels"])}
            return super().compute_loss(model, inputs, return_outputs=return_outputs,
                                        num_items_in_batch=num_items_in_batch)

    return AnswerLossTrainer


# ---------------------------------------------------------------------------------------------
# the run


def train(cfg: RunConfig, *, data: Path | None = None, out: Path | None = None, resume: bool = False) -> TrainingResult:
    """Fine-tune `cfg.model.base_model` with LoRA on FAQ data; return where the run went.

    Raises:
        RunError: --resume without a run to resume, or an existing run in `out` without it.
        DataError, ModelLoadError, ConfigError: from the stages below.
    """
    from accelerate import PartialState

    from mhqa.console import progress_bar
    from mhqa.models import choose_device, resolve_base_model
    from mhqa.models.attention import use_varlen_attention
    from mhqa.models.lora_dropout import use_shared_lora_dropout

    # Under torchrun / accelerate launch every process runs this function; only the main one
    # writes the run folder, the others read what it prepared.
    state = PartialState(cpu=choose_device(cfg.model.device, cfg.model.dtype).is_cpu)  # cpu=True: gloo on CPUs
    main = state.is_main_process
    if state.num_processes > 1 and out is None:
        raise ConfigError("distributed training needs an explicit --out RUN_DIR shared by every process")
    if not cfg.model.base_model.startswith("builtin:"):
        resolve_base_model(cfg.model.base_model)  # fail fast on a bad path, before any work
    run_dir, cfg, resume_from = _open_run(cfg, out, resume, check_existing=main)
    with progress_bar() as progress:
        with state.main_process_first():
            splits, prepare_report = _prepare_splits(cfg, data, run_dir, resume or not main, progress)
            model, tokenizer, resolved, choice = _load_base(cfg, progress)
        fmt = resolve_prompt_format(cfg.model.prompt_format, tokenizer, cfg.model.system_prompt)
        if main:
            fmt.save(run_dir / "prompt_format.json")
            if not resume:  # token stats from the real tokenizer
                _add_token_stats(run_dir, splits, fmt, tokenizer)
        tok = {name: tokenize_rows(rows, fmt, tokenizer, cfg.train.max_seq_len, progress, name)
               for name, rows in splits.items() if name in ("train", "val")}
    if not tok["train"]:
        raise ConfigError("the training split is empty; add data or lower data.val_fraction/test_fraction")
    varlen = cfg.train.packing and use_varlen_attention(model)  # attention per packed example, not per row
    model, lora_info = _attach_lora(model, cfg)
    use_shared_lora_dropout(model)  # cheap masks, one per input tensor (CPU only)
    if main:
        _print_trainable(lora_info)
        save_yaml(cfg, run_dir / "config.yaml", extra=_provenance(resolved, choice))

    trainer = _build_trainer(model, tokenizer, cfg, choice, run_dir, tok, varlen)
    sample = tok["train"][:TRAIN_SAMPLE_FOR_LOSS]
    base = {"val": trainer.evaluate(tok["val"], metric_key_prefix="val") if tok["val"] else {},
            "train": trainer.evaluate(sample, metric_key_prefix="train")}
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    runtime = time.perf_counter() - started
    final = {"val": trainer.evaluate(tok["val"], metric_key_prefix="val") if tok["val"] else {},
             "train": trainer.evaluate(sample, metric_key_prefix="train")}

    results = _results(cfg, resolved, choice, lora_info, base, final, trainer, runtime, tok, prepare_report)
    results["processes"] = state.num_processes
    if main:
        _save_adapter(trainer.model, tokenizer, run_dir)
        _write_json(run_dir / "training_results.json", results)
        from mhqa.plots import plot_training_curves

        plot_training_curves(results, run_dir / "training_curves.png")
        point_latest(run_dir)
    gguf = None
    if main and cfg.train.export_gguf and resolved.gguf_path is not None:
        del trainer, model  # the export loads its own merged copy
        gguf = _export_gguf(run_dir, progress_bar)
    state.wait_for_everyone()
    return TrainingResult(run_dir=run_dir, results=results, gguf=gguf)


def _export_gguf(run_dir: Path, progress_bar) -> Path | None:
    """RUN/export/model.gguf for llama.cpp (so `mhqa chat` is fast from the start); a failure only warns:
    the adapter is the run's result, and `mhqa export` can be retried."""
    from mhqa.errors import ExportError
    from mhqa.export import export

    with progress_bar() as progress:
        task = progress.add_task("export GGUF (q8_0) for llama.cpp", total=None)
        try:
            result = export(run_dir, "gguf")
        except ExportError as exc:
            from mhqa.console import console

            console.print(f"[yellow]warning:[/] no GGUF for llama.cpp ({exc}); try `mhqa export --format gguf` later")
            return None
        finally:
            progress.update(task, total=1, completed=1)
    return result.path


def _open_run(cfg: RunConfig, out: Path | None, resume: bool, *, check_existing: bool = True
              ) -> tuple[Path, RunConfig, Path | None]:
    if not resume:
        if not check_existing:  # a non-main distributed process: the main one checks and creates it
            return Path(out), cfg, None
        return new_run_dir(out), cfg, None
    if out is None:
        latest = Path("runs") / "latest"
        if not latest.exists():
            raise RunError("--resume needs --out RUN_DIR (no runs/latest found)")
        out = latest.resolve()
    run_dir = Path(out)
    if not (run_dir / "config.yaml").is_file():
        raise RunError(f"{run_dir}: nothing to resume (no config.yaml)")
    saved = RunConfig.from_dict(_strip_provenance(_load_yaml(run_dir / "config.yaml")), source=str(run_dir / "config.yaml"))
    ckpt = last_checkpoint(run_dir)
    if ckpt is None:
        raise RunError(f"{run_dir}: no checkpoint to resume from (checkpoints/ is empty)")
    return run_dir, saved, ckpt


def _load_yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _strip_provenance(raw: dict) -> dict:
    return {k: v for k, v in raw.items() if k in ("data", "model", "lora", "train")}


def _prepare_splits(cfg: RunConfig, data: Path | None, run_dir: Path, reuse: bool, progress) -> tuple[dict, dict]:
    """Prepare the data into RUN/data (or reuse it there when `reuse` and it exists)."""
    from mhqa.data import prepare, read_jsonl

    data_dir = run_dir / "data"
    if not (reuse and (data_dir / "train.jsonl").is_file()):
        task = progress.add_task("Preparing data", total=None)
        prepare(data, data_dir, cfg.data)
        progress.update(task, total=1, completed=1)
    splits = {name: read_jsonl(data_dir / f"{name}.jsonl") for name in ("train", "val", "test")}
    report = json.loads((data_dir / "prepare_report.json").read_text(encoding="utf-8"))
    return splits, report


def _load_base(cfg: RunConfig, progress):
    from mhqa.models import load_model_and_tokenizer

    task = progress.add_task(f"Loading {cfg.model.base_model}", total=None)
    loaded = load_model_and_tokenizer(cfg.model, progress=progress)
    progress.update(task, total=1, completed=1)
    return loaded


def _add_token_stats(run_dir: Path, splits: dict, fmt: PromptFormat, tokenizer: Any) -> None:
    """Replace the approximate token counts of prepare_report.json with the model's tokenizer."""
    from mhqa.data.prepare import length_stats

    path = run_dir / "data" / "prepare_report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    lengths = {}
    for name, rows in splits.items():
        n = [len(tokenizer("".join(render_example(r["question"], r["answer"], fmt)), add_special_tokens=False)["input_ids"])
             for r in rows]
        if n:
            lengths[name] = length_stats(n)
    report["example_tokens"] = {"tokenizer": getattr(tokenizer, "name_or_path", "model"), **lengths}
    _write_json(path, report)


def _attach_lora(model: Any, cfg: RunConfig):
    from peft import LoraConfig, get_peft_model
    from transformers import set_seed

    from mhqa.models import default_lora_targets

    set_seed(cfg.train.seed)  # LoRA A matrices are initialised randomly
    targets = cfg.lora.target_modules or default_lora_targets(model)
    if cfg.model.load_in_4bit:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=cfg.train.gradient_checkpointing)
    lora = LoraConfig(r=cfg.lora.r, lora_alpha=cfg.lora.lora_alpha, lora_dropout=cfg.lora.lora_dropout,
                      target_modules=targets, bias=cfg.lora.bias, task_type="CAUSAL_LM")
    try:
        model = get_peft_model(model, lora)
    except ValueError as exc:
        raise ConfigError(f"lora.target_modules {targets}: {exc}") from None
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    model.config.use_cache = False  # packed rows are only isolated without a KV cache
    info = {"targets": targets, "trainable_params": trainable, "total_params": total,
            "trainable_percent": round(100 * trainable / total, 4)}
    return model, info


def _print_trainable(info: dict) -> None:
    from mhqa.console import console

    console.print(f"LoRA on {', '.join(info['targets'])}: trainable params {info['trainable_params']:,} "
                  f"of {info['total_params']:,} ({info['trainable_percent']:.2f}%)")


def _build_trainer(model, tokenizer, cfg: RunConfig, choice, run_dir: Path, tok: dict, varlen: bool = False):
    from transformers import PrinterCallback, Trainer, TrainingArguments

    from mhqa.console import RichTrainerCallback

    t = cfg.train
    args = TrainingArguments(
        output_dir=str(run_dir / "checkpoints"),
        num_train_epochs=t.epochs, max_steps=t.max_steps,
        per_device_train_batch_size=t.batch_size, per_device_eval_batch_size=t.batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate, warmup_steps=t.warmup_steps, lr_scheduler_type=t.lr_scheduler,
        weight_decay=t.weight_decay,
        eval_strategy="steps" if tok["val"] else "no", eval_steps=t.eval_steps,
        save_strategy="steps", save_steps=t.save_steps, save_total_limit=t.save_total_limit,
        logging_strategy="steps", logging_steps=t.logging_steps, logging_first_step=True,
        seed=t.seed, data_seed=t.seed,
        bf16=choice.bf16, fp16=choice.fp16, use_cpu=choice.is_cpu,
        **_checkpointing_arg(TrainingArguments, t.gradient_checkpointing),
        report_to=[] if t.report_to == "none" else [t.report_to],
        remove_unused_columns=False, label_names=["labels"],
        prediction_loss_only=True,  # evaluation needs the loss only: never gather (tokens x vocab) logits
        dataloader_num_workers=0, disable_tqdm=True,
    )
    trainer_cls = _answer_loss_trainer_class() if accepts_logits_to_keep(model) else Trainer
    trainer = trainer_cls(model=model, args=args, train_dataset=tok["train"], eval_dataset=tok["val"] or None,
                      data_collator=make_collator(tokenizer, t.packing, boundaries=varlen), callbacks=[RichTrainerCallback()])
    trainer.remove_callback(PrinterCallback)
    return trainer


def _checkpointing_arg(args_cls, enabled: bool) -> dict[str, bool]:
    """transformers renamed gradient_checkpointing to activation_checkpointing in v5."""
    import inspect

    params = inspect.signature(args_cls).parameters
    return {"activation_checkpointing" if "activation_checkpointing" in params else "gradient_checkpointing": enabled}


def _save_adapter(model, tokenizer, run_dir: Path) -> None:
    """Write adapter/ atomically (temp folder, then rename)."""
    final = run_dir / "adapter"
    tmp = run_dir / ".adapter.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)


def _results(cfg, resolved, choice, lora_info, base, final, trainer, runtime, tok, prepare_report) -> dict[str, Any]:
    state = trainer.state
    # every example is one pass of its tokens (packing adds no padding); epochs may be fractional
    tokens_seen = sum(len(x["input_ids"]) for x in tok["train"]) * float(state.epoch or 0)
    history = [h for h in state.log_history if "loss" in h or "eval_val_loss" in h or "eval_loss" in h]
    return {
        "base_model": cfg.model.base_model,
        "base_model_path": resolved.path,
        "initial_train_loss": _r(base["train"].get("train_loss")),
        "final_train_loss": _r(final["train"].get("train_loss")),
        "base_val_loss": _r(base["val"].get("val_loss")),
        "base_val_perplexity": _ppl(base["val"].get("val_loss")),
        "final_val_loss": _r(final["val"].get("val_loss")),
        "final_val_perplexity": _ppl(final["val"].get("val_loss")),
        "train_runtime_s": round(runtime, 2),
        "train_tokens": int(tokens_seen),
        "train_tokens_per_s": round(tokens_seen / runtime, 1) if runtime > 0 else None,
        "steps": state.global_step,
        "epochs": round(state.epoch or 0, 3),
        **{k: lora_info[k] for k in ("trainable_params", "total_params", "trainable_percent")},
        "lora_targets": lora_info["targets"],
        "seed": cfg.train.seed,
        "device": choice.device,
        "dtype": choice.dtype,
        "packing": cfg.train.packing,
        "examples": {k: len(v) for k, v in tok.items()},
        "versions": _versions(),
        "log_history": [{k: v for k, v in h.items()} for h in history],
    }


def _r(x):
    return None if x is None else round(float(x), 4)


def _ppl(loss):
    return None if loss is None else round(math.exp(min(float(loss), 50)), 3)


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("mhqa", "torch", "transformers", "peft", "accelerate"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def _provenance(resolved, choice) -> dict[str, Any]:
    return {"resolved": {"base_model_path": resolved.path, "base_model_kind": resolved.kind,
                         "base_gguf": str(resolved.gguf_path) if resolved.gguf_path else None,
                         "device": choice.device, "dtype": choice.dtype, "versions": _versions()}}


def _write_json(path: Path, payload: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    tmp.replace(path)
