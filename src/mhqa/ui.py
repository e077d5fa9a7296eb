"""Terminal output of the commands (rich tables); the library never prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def print_prepare_report(report: Any, out_dir: Path | str) -> None:
    """Print a compact summary of `mhqa prepare`: rows and groups per split, what cleaning
    changed, skipped rows as warnings (on stderr), and where the files went."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    out, err = Console(), Console(stderr=True)
    for item in report.skipped[:10]:
        err.print(f"[yellow]warning:[/yellow] {escape(item['message'])}", highlight=False, soft_wrap=True)
    if len(report.skipped) > 10:
        err.print(f"[yellow]warning:[/yellow] ... and {len(report.skipped) - 10} more skipped rows "
                  "(see prepare_report.json)", highlight=False)
    source = report.source
    title = escape(f"prepared {Path(source['path']).name} ({source['schema']['name']})")
    table = Table(title=title, title_justify="left")
    for name in ("split", "rows", "groups", "original", "paraphrase", "augmented"):
        table.add_column(name, justify="left" if name == "split" else "right")
    for split, counts in report.splits.items():
        table.add_row(split, *(str(counts[k]) for k in ("rows", "groups", "original", "paraphrase", "augmented")))
    out.print(table)
    out.print(f"{report.rows_in} rows in, {report.rows_out} out; repaired {report.repaired['count']}, "
              f"whitespace fixed {report.whitespace_fixed}, duplicates removed {report.duplicates_removed}, "
              f"skipped {len(report.skipped)}", highlight=False, markup=False, soft_wrap=True)
    files = ", ".join([*report.files.values()])
    out.print(f"wrote {files} to {out_dir}", highlight=False, markup=False, soft_wrap=True)
