"""The `mhqa` command line: one thin function per command; the work happens in the library.

Library errors (mhqa.errors.MhqaError) become one line on stderr and exit code 2, never a
traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mhqa.errors import MhqaError

app = typer.Typer(
    name="mhqa",
    help="Turn a small mental-health FAQ into a safe, fast support assistant.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


# Commands that live in their own modules (mhqa/commands/): (module, attribute, command name).
# Each module imports only typer at load time, so `mhqa --help` stays fast.
_COMMANDS = (
    ("mhqa.commands.chat", "ask_command", "ask"),
    ("mhqa.commands.chat", "chat_command", "chat"),
    ("mhqa.commands.evaluate", "evaluate_command", "evaluate"),
    ("mhqa.commands.export", "export_command", "export"),
    ("mhqa.commands.serve", "serve_command", "serve"),
)
_GROUPS = (("mhqa.commands.faq", "faq"), ("mhqa.commands.safety", "safety"))


def _register_subapps() -> None:
    import importlib

    for module, attr, name in _COMMANDS:
        try:
            app.command(name)(getattr(importlib.import_module(module), attr))
        except (ModuleNotFoundError, AttributeError):
            continue
    for module, name in _GROUPS:
        try:
            sub = importlib.import_module(module).app
        except (ModuleNotFoundError, AttributeError):
            continue
        app.add_typer(sub, name=name)


ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="YAML recipe (see configs/).")]


@app.command()
def prepare(
    data: Annotated[Optional[Path], typer.Argument(help="FAQ file (CSV or JSONL); default: the built-in FAQ.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for train/val/test JSONL and the report.")] = Path("data/prepared"),
    config: ConfigOpt = None,
    question_col: Annotated[Optional[str], typer.Option(help="Column or field holding the question.")] = None,
    answer_col: Annotated[Optional[str], typer.Option(help="Column or field holding the answer.")] = None,
    id_col: Annotated[Optional[str], typer.Option(help="Column or field holding a stable id (default: detected, else row number).")] = None,
    strict: Annotated[Optional[bool], typer.Option("--strict/--no-strict", help="Fail on the first bad row.")] = None,
    val_fraction: Annotated[Optional[float], typer.Option(help="Share of question groups for validation.")] = None,
    test_fraction: Annotated[Optional[float], typer.Option(help="Share of question groups for testing.")] = None,
    augment_variants: Annotated[Optional[int], typer.Option(help="Paraphrase variants per training question.")] = None,
    use_paraphrases: Annotated[Optional[bool], typer.Option("--paraphrases/--no-paraphrases", help="Use paraphrases shipped with the source as training variants.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed of split and augmentation.")] = None,
) -> None:
    """Repair, validate, split (leak-free) and augment FAQ data."""
    from mhqa.config import RunConfig
    from mhqa.data import prepare as run_prepare
    from mhqa.ui import print_prepare_report

    cfg = RunConfig.from_yaml(config).override(
        "data", question_col=question_col, answer_col=answer_col, id_col=id_col, strict=strict,
        val_fraction=val_fraction, test_fraction=test_fraction, augment_variants=augment_variants,
        use_paraphrases=use_paraphrases, seed=seed,
    )
    report = run_prepare(data, out, cfg.data)
    print_prepare_report(report, out)


@app.command()
def train(
    config: ConfigOpt = None,
    data: Annotated[Optional[Path], typer.Option(help="FAQ file `prepare` reads; default: the built-in FAQ.")] = None,
    base_model: Annotated[Optional[str], typer.Option(help="builtin:smollm2-135m-instruct, a hub id or a local folder.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Run folder (default runs/<timestamp>).")] = None,
    epochs: Annotated[Optional[float], typer.Option(help="Passes over the training split.")] = None,
    max_steps: Annotated[Optional[int], typer.Option(help="Stop after this many optimizer steps.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed for weights, dropout, data order and split.")] = None,
    learning_rate: Annotated[Optional[float], typer.Option("--lr", help="Peak learning rate.")] = None,
    batch_size: Annotated[Optional[int], typer.Option(help="Examples per device batch.")] = None,
    eval_steps: Annotated[Optional[int], typer.Option(help="Evaluate on val every N steps.")] = None,
    save_steps: Annotated[Optional[int], typer.Option(help="Checkpoint every N steps.")] = None,
    packing: Annotated[Optional[bool], typer.Option("--packing/--no-packing", help="Pack examples (else dynamic padding).")] = None,
    report_to: Annotated[Optional[str], typer.Option(help="none, tensorboard or wandb.")] = None,
    load_in_4bit: Annotated[Optional[bool], typer.Option("--4bit/--no-4bit", help="QLoRA (CUDA only).")] = None,
    export_gguf: Annotated[Optional[bool], typer.Option("--export-gguf/--no-export-gguf", help="Also write RUN/export/model.gguf for llama.cpp (built-in bases).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run in --out from its last checkpoint.")] = False,
) -> None:
    """Fine-tune the base model with LoRA and write a complete run folder."""
    from mhqa.config import RunConfig
    from mhqa.train import train as run_train
    from mhqa.console import print_training_summary

    cfg = RunConfig.from_yaml(config)
    cfg = cfg.override("model", base_model=base_model, load_in_4bit=load_in_4bit)
    cfg = cfg.override("train", epochs=epochs, max_steps=max_steps, seed=seed, learning_rate=learning_rate,
                       batch_size=batch_size, eval_steps=eval_steps, save_steps=save_steps, packing=packing,
                       report_to=report_to, export_gguf=export_gguf)
    if seed is not None:
        cfg = cfg.override("data", seed=seed)
    result = run_train(cfg, data=data, out=out, resume=resume)
    print_training_summary(result)


def _quiet_libraries() -> None:
    """mhqa draws its own progress bars; keep the libraries' bars and advice out of the terminal."""
    import os
    import warnings

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"(peft|transformers|torch)\.")


def main() -> None:
    """Console entry point: library errors become one line and exit code 2."""
    _quiet_libraries()
    try:
        app()
    except MhqaError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)


_register_subapps()
