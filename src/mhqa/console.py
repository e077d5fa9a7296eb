"""Terminal output shared by the commands: one rich console, progress bars, training display."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

console = Console(stderr=False)
err_console = Console(stderr=True)


def progress_bar() -> Progress:
    """A progress display (on stderr) for steps that take more than a second."""
    return Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=err_console,
    )


def _trainer_callback_base():
    from transformers import TrainerCallback

    return TrainerCallback


class RichTrainerCallback(_trainer_callback_base()):  # type: ignore[misc]
    """Shows a rich progress bar over optimizer steps with the latest train and val loss."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task = None
        self.last = {"loss": None, "val": None}

    def on_train_begin(self, args, state, control, **kw):
        self.progress = progress_bar()
        self.progress.start()
        self.task = self.progress.add_task("Training", total=state.max_steps, completed=state.global_step)

    def on_step_end(self, args, state, control, **kw):
        if self.progress is not None:
            self.progress.update(self.task, completed=state.global_step, description=self._describe())

    def on_log(self, args, state, control, logs=None, **kw):
        logs = logs or {}
        if "loss" in logs:
            self.last["loss"] = logs["loss"]
        if "eval_loss" in logs:
            self.last["val"] = logs["eval_loss"]
        if self.progress is not None:
            self.progress.update(self.task, description=self._describe())

    def on_train_end(self, args, state, control, **kw):
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def _describe(self) -> str:
        parts = ["Training"]
        if self.last["loss"] is not None:
            parts.append(f"loss {self.last['loss']:.3f}")
        if self.last["val"] is not None:
            parts.append(f"val {self.last['val']:.3f}")
        return "  ".join(parts)


def print_training_summary(result: Any) -> None:
    r = result.results
    table = Table(title=f"Run {result.run_dir}", show_header=True)
    table.add_column("metric")
    table.add_column("before", justify="right")
    table.add_column("after", justify="right")
    table.add_row("val loss", _f(r.get("base_val_loss")), _f(r.get("final_val_loss")))
    table.add_row("val perplexity", _f(r.get("base_val_perplexity")), _f(r.get("final_val_perplexity")))
    table.add_row("train loss (sample)", _f(r.get("initial_train_loss")), _f(r.get("final_train_loss")))
    console.print(table)
    console.print(f"{r.get('steps')} steps in {r.get('train_runtime_s')} s, {r.get('train_tokens_per_s')} tokens/s "
                  f"({r.get('device')}, {r.get('dtype')}); trainable {r.get('trainable_params'):,} "
                  f"({r.get('trainable_percent')}%)")
    console.print(f"adapter: {result.run_dir / 'adapter'}   curves: {result.run_dir / 'training_curves.png'}")
    if getattr(result, "gguf", None):
        console.print(f"llama.cpp model: {result.gguf}   (try: mhqa chat --run {result.run_dir})")


def _f(x: Any) -> str:
    return "-" if x is None else f"{x:.3f}"
