"""`mhqa faq`: browse and search the built-in mental-health FAQ."""

from __future__ import annotations

from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mhqa.data.builtin import get_entry, load_builtin_faq, search_faq
from mhqa.errors import MhqaError

app = typer.Typer(help="Browse the built-in mental-health FAQ.", no_args_is_help=True)
_console = Console()


def _fail(exc: MhqaError) -> NoReturn:
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(1)


def _table(*columns: str) -> Table:
    table = Table()
    table.add_column("id", no_wrap=True)  # ids are what users copy into `show`: never cut them
    for column in columns:
        table.add_column(column)
    return table


@app.command("list")
def list_entries(
    topic: Annotated[Optional[str], typer.Option(help="Only entries of this topic slug.")] = None,
) -> None:
    """List the FAQ entries (id, topic, question)."""
    entries = [e for e in load_builtin_faq() if topic is None or e.topic == topic]
    if not entries:
        _fail(MhqaError(f"no entries with topic {topic!r}"))
    table = _table("topic", "question")
    for entry in entries:
        table.add_row(entry.id, entry.topic, entry.question)
    _console.print(table)


@app.command("show")
def show(entry_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id.")]) -> None:
    """Show one entry: question, paraphrases, answer and source."""
    try:
        entry = get_entry(entry_id)
    except MhqaError as exc:
        _fail(exc)
    _console.print(f"[bold]{escape(entry.question)}[/bold]  ({entry.id})")
    for paraphrase in entry.paraphrases:
        _console.print(f"  - {paraphrase}", markup=False)
    _console.print(f"\n{entry.answer}\n", markup=False)
    _console.print(f"Source: {entry.source}", markup=False)


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    k: Annotated[int, typer.Option("-k", help="How many results.", min=1)] = 5,
) -> None:
    """Search the FAQ (BM25) and show the best matches with their scores."""
    table = _table("score", "question")
    for entry, score in search_faq(query, k=k):
        table.add_row(entry.id, f"{score:.2f}", entry.question)
    _console.print(table if table.row_count else "No matching entries.")
