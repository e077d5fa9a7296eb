"""`mhqa serve`: its options, its registration in the CLI, and settings validation."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from mhqa.commands.serve import serve_command
from mhqa.errors import ConfigError
from mhqa.server import ServerSettings


def test_serve_help_lists_the_options():
    app = typer.Typer()
    app.command()(serve_command)
    out = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    for option in ("--run", "--host", "--port", "--api-key", "--cors-origin", "--backend", "--queue-size"):
        assert option in out
    assert "127.0.0.1" in out and "8000" in out


def test_mhqa_cli_registers_serve():
    from mhqa.cli import app

    out = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200)
    assert out.exit_code == 0, "register mhqa.commands.serve.serve_command as `mhqa serve` in mhqa.cli"
    assert "--api-key" in out.output


def test_settings_take_key_and_origins_from_the_environment(monkeypatch):
    monkeypatch.setenv("MHQA_API_KEY", "k1")
    monkeypatch.setenv("MHQA_CORS_ORIGINS", "https://a.example, https://b.example")
    s = ServerSettings.from_env()
    assert s.api_key == "k1" and s.cors_origins == ("https://a.example", "https://b.example")
    monkeypatch.setenv("MHQA_API_KEY", "")
    monkeypatch.delenv("MHQA_CORS_ORIGINS")
    s = ServerSettings.from_env()
    assert s.api_key is None and s.cors_origins == ()


@pytest.mark.parametrize("kwargs, needle", [
    ({"queue_size": 0}, "queue_size"),
    ({"api_key": "k", "cors_origins": ("*",)}, "'*'"),
    ({"mode": "dream"}, "mode"),
    ({"default_max_tokens": 600}, "default_max_tokens"),
])
def test_bad_settings_are_config_errors(kwargs, needle):
    with pytest.raises(ConfigError, match=needle):
        ServerSettings(**kwargs)


def test_a_missing_run_fails_before_the_server_starts(tmp_path):
    from mhqa.cli import app
    from mhqa.errors import RunError

    result = CliRunner().invoke(app, ["serve", "--run", str(tmp_path / "nope"), "--port", "0"])
    assert isinstance(result.exception, RunError)  # mhqa.cli.main turns it into one line, exit code 2
