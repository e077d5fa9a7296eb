"""Fixtures for the server tests: a tiny trained run, the real Assistant on it, and live servers
on 127.0.0.1 (uvicorn in a thread, or `mhqa serve` in a subprocess) that always shut down."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CRISIS = "I want to kill myself tonight"


@pytest.fixture(scope="session")
def tiny_run(tiny_llama_dir, tmp_path_factory) -> Path:
    """A run folder trained for 4 steps on the built-in FAQ with the tiny Llama."""
    from mhqa.config import RunConfig
    from mhqa.train import train

    out = tmp_path_factory.mktemp("serve-runs") / "run"
    cfg = RunConfig.from_dict({"model": {"base_model": str(tiny_llama_dir)},
                               "train": {"max_steps": 4, "eval_steps": 2, "save_steps": 2}})
    return train(cfg, out=out).run_dir


@pytest.fixture(scope="session")
def assistant(tiny_run):
    """The real Assistant on the tiny run (transformers backend, retrieval on)."""
    from mhqa.assistant import Assistant
    from mhqa.backends.base import GenerationSettings

    return Assistant.from_run(tiny_run, backend="transformers", settings=GenerationSettings(max_new_tokens=24, seed=0))


class LiveServer:
    """uvicorn serving an app on a free 127.0.0.1 port in a daemon thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="on",
                                                    timeout_graceful_shutdown=2))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@contextlib.contextmanager
def live_server(assistant, **settings):
    from mhqa.server import ServerSettings, create_app

    with LiveServer(create_app(ServerSettings(**settings), assistant=assistant)) as srv:
        yield srv


@pytest.fixture(scope="module")
def server(assistant):
    """A live server on the tiny run with default settings."""
    with live_server(assistant) as srv:
        yield srv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def serve_subprocess(args: list[str], env: dict, cwd: Path, log_path: Path) -> subprocess.Popen:
    """`serve_command` (the function behind `mhqa serve`) in a child process, output to ``log_path``."""
    code = "import typer; from mhqa.commands.serve import serve_command; typer.run(serve_command)"
    full_env = {**os.environ, **env}
    with open(log_path, "wb") as out:
        return subprocess.Popen([sys.executable, "-c", code, *args], cwd=cwd, env=full_env, stdout=out,
                                stderr=subprocess.STDOUT)
