"""`mhqa serve`: the OpenAI-compatible API and the web chat page (registered by mhqa.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def serve_command(
    run: Annotated[Optional[Path], typer.Option("--run", help="Run folder (default: runs/latest, else the base model).")] = None,
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 exposes the server to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    backend: Annotated[str, typer.Option(help="auto, transformers or llamacpp.")] = "auto",
    mode: Annotated[str, typer.Option(help="model (generate answers) or retrieval (nearest FAQ answer, no model).")] = "model",
    locale: Annotated[str, typer.Option(help="Help-line locale when a request names none and sends no Accept-Language.")] = "en-US",
    api_key: Annotated[Optional[str], typer.Option("--api-key", envvar="MHQA_API_KEY", show_default=False,
                                                   help="Require 'Authorization: Bearer KEY' on /v1 routes.")] = None,
    cors_origin: Annotated[Optional[list[str]], typer.Option("--cors-origin", envvar="MHQA_CORS_ORIGINS",
                                                             help="Allow browser calls from this origin (repeatable); CORS is off without it.")] = None,
    queue_size: Annotated[int, typer.Option(help="Generations waiting or running before new ones get 503.")] = 32,
    max_body_kb: Annotated[int, typer.Option(help="Largest request body in KiB (413 above).")] = 128,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """Serve the assistant: OpenAI-compatible API at /v1 and a web chat page at /."""
    import uvicorn

    from mhqa.server import ServerSettings, create_app
    from mhqa.server.app import load_assistant
    from mhqa.server.logconfig import log_config

    origins = tuple(o for value in (cors_origin or []) for o in value.split(","))
    settings = ServerSettings.from_env(run_dir=run, backend=backend, mode=mode, locale=locale, api_key=api_key,
                                       cors_origins=origins, queue_size=queue_size, max_body_bytes=max_body_kb * 1024)
    assistant = load_assistant(settings)  # before uvicorn, so a bad run is one clean error line
    typer.echo(f"mhqa serving on http://{host}:{port}  (chat page /, API /v1, docs /docs)", err=True)
    uvicorn.run(create_app(settings, assistant=assistant), host=host, port=port, log_config=log_config(log_level), access_log=False,
                server_header=False, date_header=True, proxy_headers=False, timeout_graceful_shutdown=5)
