"""Settings: defaults run, every shipped recipe loads, YAML < CLI precedence, clear errors."""

from pathlib import Path

import pytest

from mhqa.config import RunConfig, save_yaml
from mhqa.errors import ConfigError

CONFIGS = sorted((Path(__file__).resolve().parents[1] / "configs").glob("*.yaml"))


def test_shipped_configs_exist():
    assert {p.name for p in CONFIGS} >= {"smollm2-135m-cpu.yaml", "dialogpt-medium.yaml"}


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_every_shipped_config_loads(path):
    cfg = RunConfig.from_yaml(path)
    assert cfg.train.epochs > 0 and cfg.lora.r > 0
    assert path.read_text().startswith("#") and "mhqa train --config" in path.read_text()


def test_default_recipe_equals_defaults():
    assert RunConfig.from_yaml(CONFIGS[[p.name for p in CONFIGS].index("smollm2-135m-cpu.yaml")]) == RunConfig()


def test_classic_recipe_values():
    cfg = RunConfig.from_yaml([p for p in CONFIGS if p.name == "dialogpt-medium.yaml"][0])
    assert cfg.model.base_model == "microsoft/DialoGPT-medium" and cfg.model.prompt_format == "user_assistant"
    assert (cfg.lora.r, cfg.lora.lora_alpha, cfg.lora.lora_dropout) == (16, 32, 0.1)
    assert cfg.lora.target_modules == ["c_attn", "c_proj", "c_fc"]
    t = cfg.train
    assert (t.epochs, t.batch_size, t.gradient_accumulation_steps, t.learning_rate, t.warmup_steps) == (3, 2, 4, 5e-4, 50)
    assert (t.eval_steps, t.save_steps, cfg.model.dtype) == (25, 25, "fp16")


def test_precedence_defaults_yaml_cli(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train:\n  epochs: 3\n  batch_size: 4\n", encoding="utf-8")
    cfg = RunConfig.from_yaml(path).override("train", epochs=5, batch_size=None)
    assert (cfg.train.epochs, cfg.train.batch_size, cfg.train.learning_rate) == (5, 4, RunConfig().train.learning_rate)


def test_unknown_key_lists_valid_ones(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train:\n  epoch: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key\(s\) epoch; valid: epochs, max_steps"):
        RunConfig.from_yaml(path)
    with pytest.raises(ConfigError, match="unknown key"):
        RunConfig.from_dict({"optimizer": {}})


@pytest.mark.parametrize("raw, needle", [
    ({"train": {"epochs": "many"}}, "expected a number"),
    ({"lora": {"r": 0}}, "lora.r must be a positive integer"),
    ({"data": {"val_fraction": 0.6, "test_fraction": 0.5}}, "must leave data for training"),
    ({"model": {"dtype": "int3"}}, "model.dtype"),
    ({"train": {"report_to": "mlflow"}}, "train.report_to"),
    ({"train": {"packing": "sometimes"}}, "expected true or false"),
])
def test_bad_values_are_explained(raw, needle):
    with pytest.raises(ConfigError, match=needle):
        RunConfig.from_dict(raw)


def test_saved_run_config_round_trips(tmp_path):
    cfg = RunConfig().override("train", epochs=2.5)
    save_yaml(cfg, tmp_path / "config.yaml", extra={"resolved": {"device": "cpu"}})
    assert RunConfig.from_yaml(tmp_path / "config.yaml") == cfg
