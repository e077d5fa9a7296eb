"""Tiny trained runs for the Assistant tests (session-scoped: trained once)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def train_tiny_run(base_dir: Path, out: Path) -> Path:
    from mhqa.config import RunConfig
    from mhqa.train import train

    cfg = RunConfig.from_dict({"model": {"base_model": str(base_dir)},
                               "train": {"max_steps": 4, "eval_steps": 2, "save_steps": 2}})
    cwd = os.getcwd()
    os.chdir(out.parent)  # train() points <parent>/latest at the run; keep it out of the project
    try:
        return train(cfg, out=out).run_dir
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def tiny_run(tiny_llama_dir, tmp_path_factory) -> Path:
    """A tiny Llama (ChatML template) fine-tuned for 4 steps on the built-in FAQ."""
    return train_tiny_run(tiny_llama_dir, tmp_path_factory.mktemp("runs") / "tiny")


@pytest.fixture(scope="session")
def assistant(tiny_run):
    from mhqa.assistant import Assistant

    return Assistant.from_run(tiny_run, backend="transformers")


class CallCounter:
    """Counts calls on a real backend object without changing what it does."""

    def __init__(self, backend):
        self.calls = 0
        for name in ("generate", "stream"):
            original = getattr(backend, name)

            def counted(*args, _original=original, **kwargs):
                self.calls += 1
                return _original(*args, **kwargs)

            setattr(backend, name, counted)
        self.backend = backend

    def restore(self):
        for name in ("generate", "stream"):
            delattr(self.backend, name)


@pytest.fixture
def counted_backend(assistant):
    counter = CallCounter(assistant.backend)
    yield counter
    counter.restore()
