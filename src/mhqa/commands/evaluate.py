"""`mhqa evaluate`: the lead registers :func:`evaluate_command` as a top-level command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def evaluate_command(
    run: Annotated[Optional[Path], typer.Option("--run", help="Run folder (default: runs/latest, else the base model alone).")] = None,
    data: Annotated[Optional[Path], typer.Option("--data", help="Evaluate on this FAQ file (CSV or JSONL) instead of the run's test split.")] = None,
    systems: Annotated[str, typer.Option("--systems", help="Comma-separated: base, tuned, retrieval, tuned+retrieval.")] = "base,tuned,retrieval,tuned+retrieval",
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the first N questions (quick runs).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of decoding and torch.")] = 42,
    max_new_tokens: Annotated[int, typer.Option(help="Longest answer in tokens.", min=1)] = 200,
    backend: Annotated[str, typer.Option(help="auto, transformers or llamacpp.")] = "auto",
    bertscore: Annotated[bool, typer.Option("--bertscore/--no-bertscore", help="BERTScore on the shipped MiniLM model.")] = True,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Report folder (default: RUN/eval).")] = None,
) -> None:
    """Evaluate base, fine-tuned and retrieval systems on held-out questions; write report.{json,md,html}."""
    from mhqa.evaluation import EvalSettings, evaluate
    from mhqa.evaluation.console import print_summary

    settings = EvalSettings(run_dir=run, data=data, systems=tuple(s.strip() for s in systems.split(",") if s.strip()),
                            limit=limit, seed=seed, max_new_tokens=max_new_tokens, backend=backend,
                            bertscore=bertscore, out=out)
    print_summary(evaluate(settings))
