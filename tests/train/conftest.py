from pathlib import Path

import pytest


def tiny_cfg(base: Path, **train):
    from mhqa.config import RunConfig

    settings = {"max_steps": 8, "eval_steps": 4, "save_steps": 4, "logging_steps": 2, "learning_rate": 1e-2,
                "warmup_steps": 0, "batch_size": 4, "max_seq_len": 128, **train}
    return RunConfig.from_dict({"model": {"base_model": str(base)}, "train": settings,
                                "data": {"augment_variants": 1}})


@pytest.fixture(scope="session")
def make_cfg():
    """Settings for a short, fast run of a tiny model: make_cfg(base_dir, **train_overrides)."""
    return tiny_cfg


@pytest.fixture(scope="session")
def tiny_gpt2_run(tiny_gpt2_dir, tmp_path_factory):
    """A finished 8-step run of the tiny GPT-2 (User:/Assistant: format)."""
    from mhqa.train import train

    out = tmp_path_factory.mktemp("runs") / "gpt2"
    return train(tiny_cfg(tiny_gpt2_dir), out=out)
