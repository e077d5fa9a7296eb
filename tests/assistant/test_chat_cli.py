"""`mhqa ask` and `mhqa chat` through typer's CliRunner on a tiny run."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from mhqa.commands.chat import ask_command, chat_command
from mhqa.safety import AI_DISCLOSURE, resources_for


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    app.command("ask")(ask_command)
    app.command("chat")(chat_command)
    return app


def run(app, args, **kw):
    result = CliRunner().invoke(app, args, catch_exceptions=False, **kw)
    assert result.exit_code == 0, result.output
    return result.output


def test_ask_json_prints_the_reply(app, tiny_run):
    out = run(app, ["ask", "I can't fall asleep at night, what can I do?", "--run", str(tiny_run),
                    "--backend", "transformers", "--json"])
    reply = json.loads(out)
    assert reply["sources"] and reply["sources"][0].startswith("sleep-")
    assert AI_DISCLOSURE in reply["text"] and reply["backend"] == "transformers"
    assert set(reply["timings"]) >= {"retrieval_s", "first_token_s", "total_s"}


def test_ask_crisis_shows_help_lines_for_the_locale(app, tiny_run):
    out = run(app, ["ask", "I want to end my life", "--run", str(tiny_run), "--locale", "en-GB"])
    assert "Please reach out now" in out
    assert resources_for("en-GB").resources[0].name.split()[0] in out


def test_chat_session_with_commands(app, tiny_run):
    out = run(app, ["chat", "--run", str(tiny_run), "--backend", "transformers"],
              input="how can I stop worrying about exams?\n/sources\n/reset\n/help\n/quit\n")
    assert AI_DISCLOSURE.split(",")[0] in out  # disclosure at the start (and under answers)
    assert "sources:" in out
    assert "New conversation." in out and "/quit" in out


def test_chat_ends_on_eof(app, tiny_run):
    out = run(app, ["chat", "--run", str(tiny_run), "--backend", "transformers"], input="/sources\n")
    assert "No sources yet" in out
