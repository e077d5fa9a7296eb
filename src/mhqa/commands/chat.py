"""`mhqa ask` and `mhqa chat`: the Assistant in a terminal.

Both are thin: every step (safety, retrieval, prompt, generation, guard, disclosure) happens in
:class:`mhqa.assistant.Assistant`. Conversations live in memory only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

RunOpt = Annotated[Optional[Path], typer.Option("--run", help="Run folder (default: runs/latest, else the base model alone).")]
FaqOpt = Annotated[Optional[Path], typer.Option("--faq", help="FAQ file to answer from (default: the run's own, else the built-in FAQ).")]
BackendOpt = Annotated[str, typer.Option("--backend", help="auto (llama.cpp when the run has a GGUF), transformers or llamacpp.")]
LocaleOpt = Annotated[str, typer.Option("--locale", help="Locale for help lines, e.g. en-US, en-GB, en-IN.")]

HELP = ("/sources  show the FAQ entries behind the last answer\n"
        "/reset    start a new conversation\n"
        "/help     this list\n"
        "/quit     leave (Ctrl-D works too)")


def ask_command(
    question: Annotated[str, typer.Argument(help="Your question.")],
    run: RunOpt = None,
    faq: FaqOpt = None,
    backend: BackendOpt = "auto",
    locale: LocaleOpt = "en-US",
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole reply as JSON.")] = False,
) -> None:
    """Answer one question from the FAQ, safely."""
    from mhqa.assistant import Assistant

    assistant = Assistant.from_run(run, faq=faq, backend=backend, locale=locale)
    reply = assistant.reply([{"role": "user", "content": question}])
    if as_json:
        typer.echo(json.dumps(reply.to_dict(), ensure_ascii=False, indent=1))
        return
    console = _console()
    if reply.crisis:
        _crisis_panel(console, reply.text)
        return
    console.print(reply.text, markup=False, highlight=False)
    _print_sources(console, assistant, reply.sources)


def chat_command(
    run: RunOpt = None,
    faq: FaqOpt = None,
    backend: BackendOpt = "auto",
    locale: LocaleOpt = "en-US",
) -> None:
    """Talk with the assistant in the terminal (answers stream as they are written)."""
    from mhqa.assistant import Assistant
    from mhqa.safety import AI_DISCLOSURE

    console = _console()
    with console.status("Loading the assistant…"):
        assistant = Assistant.from_run(run, faq=faq, backend=backend, locale=locale)
    console.print(f"[bold]mhqa chat[/bold] ({assistant.backend_name}). {AI_DISCLOSURE}", highlight=False)
    console.print("[dim]Type /help for commands.[/dim]")
    messages: list[dict] = []
    last_sources: list[str] = []
    while True:
        try:
            line = console.input("[bold cyan]you>[/bold cyan] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not line:
            continue
        if line.startswith("/"):
            if _command(console, assistant, line, last_sources):
                return
            if line == "/reset":
                messages, last_sources = [], []
            continue
        messages.append({"role": "user", "content": line})
        reply = _stream_answer(console, assistant, messages)
        messages.append({"role": "assistant", "content": reply.text})
        last_sources = reply.sources


def _command(console, assistant, line: str, last_sources: list[str]) -> bool:
    """Handle a slash command; True means quit."""
    cmd = line.split()[0].lower()
    if cmd in ("/quit", "/exit", "/q"):
        return True
    if cmd == "/reset":
        console.print("[dim]New conversation.[/dim]")
    elif cmd == "/sources":
        if last_sources:
            _print_sources(console, assistant, last_sources, full=True)
        else:
            console.print("[dim]No sources yet: the last answer used no FAQ entry.[/dim]")
    elif cmd == "/help":
        console.print(HELP, markup=False, highlight=False)
    else:
        console.print(f"[yellow]Unknown command {cmd}.[/yellow]", highlight=False)
        console.print(HELP, markup=False, highlight=False)
    return False


def _stream_answer(console, assistant, messages: list[dict]):
    from mhqa.assistant import Reply

    console.print("[bold green]assistant>[/bold green] ", end="")
    reply, held = None, None
    for item in assistant.stream(messages):
        if isinstance(item, Reply):
            reply = item
            break
        # the first chunk waits for the next item: a crisis reply is one chunk followed by a
        # crisis Reply, and is shown in a red panel instead of as plain text
        if held is not None:
            console.print(held, end="", markup=False, highlight=False, soft_wrap=True)
        held = item
    if held is not None and not reply.crisis:
        console.print(held, end="", markup=False, highlight=False, soft_wrap=True)
    console.print()
    if reply.crisis:
        _crisis_panel(console, reply.text)
    elif reply.guard:  # the guard stopped the answer: show what replaces it
        console.print(reply.text, markup=False, highlight=False)
    _print_sources(console, assistant, reply.sources)
    return reply


def _crisis_panel(console, text: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    console.print(Panel(Text(text), title="Please reach out now", border_style="bold red", style="red"))


def _print_sources(console, assistant, sources: list[str], *, full: bool = False) -> None:
    if not sources:
        return
    if not full:
        console.print(f"[dim]sources: {', '.join(sources)}[/dim]", highlight=False)
        return
    by_id = {e.source_id: e for e in (assistant.index.entries if assistant.index else [])}
    for sid in sources:
        entry = by_id.get(sid)
        console.print(f"[bold]{sid}[/bold] {entry.question if entry else ''}", highlight=False)


def _console():
    from rich.console import Console

    return Console()
