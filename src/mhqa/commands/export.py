"""`mhqa export`: write a run's model as a PEFT adapter, merged safetensors or GGUF (+ Modelfile)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def export_command(
    format: Annotated[str, typer.Option("--format", "-f", help="adapter, merged or gguf.")],
    run: Annotated[Optional[Path], typer.Option("--run", help="Run folder (default runs/latest).")] = None,
    quant: Annotated[Optional[str], typer.Option(help="For gguf: f32, f16, q8_0 (default), q4_0 (fastest on CPU) or q4_k_m.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default RUN/export).")] = None,
) -> None:
    """Export a trained run for transformers, peft, llama.cpp or Ollama."""
    from mhqa.console import console
    from mhqa.export import export

    with console.status(f"Exporting {format}..."):
        result = export(run, format.lower(), quant=quant, out=out)
    console.print(f"[green]Exported {result.format}[/green] in {result.seconds:.1f} s:")
    for path in result.files:
        console.print(f"  {path}  ({_size(path)})", markup=False)
    if result.format == "gguf":
        console.print(f"For Ollama: cd {result.path.parent} && ollama create mhqa -f Modelfile", markup=False)


def _size(path: Path) -> str:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    return f"{total / 1e6:.1f} MB"
