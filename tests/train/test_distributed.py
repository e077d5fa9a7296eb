"""Training beyond one machine goes through torchrun/accelerate: two CPU processes (gloo) train the
tiny Llama with data parallelism through mhqa.train.train, and the run ends with an adapter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import os, sys, json
    import torch.distributed as dist
    from mhqa.config import RunConfig
    from mhqa.train import train

    base, out = sys.argv[1], sys.argv[2]
    cfg = RunConfig.from_dict({"model": {"base_model": base},
                               "train": {"max_steps": 4, "eval_steps": 2, "save_steps": 2, "batch_size": 4}})
    result = train(cfg, out=out)
    rank = int(os.environ.get("RANK", "0"))
    world = dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1
    with open(os.path.join(out, f"rank{rank}.json"), "w") as f:
        json.dump({"rank": rank, "world": world}, f)
""")


@pytest.mark.slow
def test_two_process_cpu_data_parallel_training(tiny_llama_dir, tmp_path):
    script = tmp_path / "train_ddp.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "run"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    # --standalone: a local rendezvous on a free port (an explicit --master_port 0 hangs in init)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(script), str(tiny_llama_dir), str(out)]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count("LoRA on") == 1, "only the main process reports and writes"
    ranks = sorted(json.loads((out / f"rank{r}.json").read_text())["world"] for r in (0, 1))
    assert ranks == [2, 2], "both processes must have joined one process group"
    assert (out / "adapter" / "adapter_config.json").is_file()
    assert (out / "adapter" / "adapter_model.safetensors").is_file()
    results = json.loads((out / "training_results.json").read_text())
    assert results["processes"] == 2 and results["steps"] == 4  # written once, by the main process
