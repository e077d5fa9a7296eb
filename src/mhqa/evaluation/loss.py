"""Test loss and perplexity of the base model and of base + adapter.

Scored exactly like training scores its validation split: the same prompt rendering
(:func:`mhqa.prompting.render_example`), the same tokenisation with answer-only labels
(:func:`mhqa.train.tokenize_rows`) and the same collator (packed rows with restarting position
ids, so ``use_cache=False`` keeps examples apart). The loss is the token-weighted mean
cross-entropy over every answer token of the split; perplexity is ``exp(loss)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mhqa.errors import ModelLoadError, RunError

BATCH_EXAMPLES = 4  # (B*T, V) logits for a 49k vocabulary stay under ~200 MB per batch


@dataclass
class LossResult:
    loss: float
    perplexity: float
    tokens: int  # answer tokens scored

    def to_dict(self) -> dict[str, float | int]:
        return {"test_loss": round(self.loss, 4), "test_perplexity": round(self.perplexity, 3), "test_tokens": self.tokens}


def load_run_model(run_dir: Path) -> tuple[Any, Any, Any]:
    """The run's base model with its adapter attached (peft), its tokenizer and its RunConfig.

    Raises:
        RunError: the run folder has no config.yaml or adapter/.
        ModelLoadError: the base model or the adapter cannot be loaded.
    """
    from mhqa.config import RunConfig, load_yaml
    from mhqa.models import load_model_and_tokenizer

    run_dir = Path(run_dir)
    if not (run_dir / "config.yaml").is_file() or not (run_dir / "adapter").is_dir():
        raise RunError(f"{run_dir}: not a finished run (needs config.yaml and adapter/)")
    raw = load_yaml(run_dir / "config.yaml")
    cfg = RunConfig.from_dict(raw, source=str(run_dir / "config.yaml"))
    base_path = (raw.get("resolved") or {}).get("base_model_path")
    if base_path and Path(base_path).is_dir():  # the resolved local copy: no second resolution
        cfg = cfg.override("model", base_model=base_path)
    model, tokenizer, _, _ = load_model_and_tokenizer(cfg.model)
    try:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(run_dir / "adapter"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"{run_dir / 'adapter'}: cannot load the adapter ({exc})") from None
    model.eval()
    return model, tokenizer, cfg


def answer_loss(model: Any, tokenizer: Any, rows: list[dict], fmt: Any, *, max_len: int, packing: bool = True,
                progress=None, label: str = "") -> LossResult:
    """Token-weighted mean cross-entropy over the answer tokens of ``rows`` (question/answer dicts)."""
    import torch
    import torch.nn.functional as F

    from mhqa.train import LABEL_IGNORE, make_collator, tokenize_rows

    examples = tokenize_rows(rows, fmt, tokenizer, max_len)
    collate = make_collator(tokenizer, packing)
    device = next(model.parameters()).device
    total, count = 0.0, 0
    task = progress.add_task(f"Test loss {label}", total=len(examples)) if progress else None
    with torch.inference_mode():
        for start in range(0, len(examples), BATCH_EXAMPLES):
            chunk = examples[start:start + BATCH_EXAMPLES]
            batch = {k: v.to(device) for k, v in collate(chunk).items()}
            labels = batch.pop("labels")
            logits = model(**batch, use_cache=False).logits.float()  # (B, T, V)
            targets = labels[:, 1:]  # token t is predicted from positions < t
            nll = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), targets.reshape(-1),
                                  ignore_index=LABEL_IGNORE, reduction="sum")
            total += float(nll)
            count += int((targets != LABEL_IGNORE).sum())
            if task is not None:
                progress.advance(task, len(chunk))
    if count == 0:
        raise RunError("no answer tokens to score (empty test split?)")
    loss = total / count
    return LossResult(loss, math.exp(min(loss, 50.0)), count)


def base_and_tuned_loss(run_dir: Path, rows: list[dict], *, progress=None) -> dict[str, LossResult]:
    """Test loss of the base model (adapter disabled) and of the fine-tuned model on ``rows``."""
    from mhqa.prompting import PromptFormat

    model, tokenizer, cfg = load_run_model(run_dir)
    fmt = PromptFormat.load(Path(run_dir) / "prompt_format.json")
    kw = {"max_len": cfg.train.max_seq_len, "packing": cfg.train.packing, "progress": progress}
    with model.disable_adapter():
        base = answer_loss(model, tokenizer, rows, fmt, label="base", **kw)
    tuned = answer_loss(model, tokenizer, rows, fmt, label="tuned", **kw)
    return {"base": base, "tuned": tuned}
