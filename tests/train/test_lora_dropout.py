"""The CPU LoRA dropout: right statistics, right gradients, shared per input, installed into peft models."""

import pytest
import torch
from torch import nn

from mhqa.models.lora_dropout import SharedLoraDropout, _LastInput, keep_scale, use_shared_lora_dropout


@pytest.mark.parametrize("p", [0.05, 0.1, 0.5])
def test_drop_mask_drops_p_of_elements_in_every_lane(p):
    torch.manual_seed(0)
    x = torch.empty(400, 1000)
    scale, keep = keep_scale(x, p)
    assert scale.shape == x.shape and scale.dtype == torch.float32
    assert keep == pytest.approx(1 - p, abs=1 / 65536)
    assert scale.unique().tolist() == [0.0, pytest.approx(1 / keep)]
    mask = scale == 0
    # 400k draws: the standard error of the fraction is < 0.001; each 16-bit lane of the 64-bit words too
    assert mask.float().mean().item() == pytest.approx(p, abs=0.004)
    lanes = mask.flatten().view(-1, 4).float().mean(0)
    assert torch.allclose(lanes, torch.full((4,), p), atol=0.006), lanes


def test_odd_sizes_and_seeding():
    torch.manual_seed(1)
    a, _ = keep_scale(torch.empty(7, 3), 0.3)
    c, _ = keep_scale(torch.empty(7, 3), 0.3)
    torch.manual_seed(1)
    b, _ = keep_scale(torch.empty(7, 3), 0.3)
    assert a.shape == (7, 3) and torch.equal(a, b)  # torch's seed decides the mask
    assert not torch.equal(a, c)


def test_forward_and_backward_are_inverted_dropout():
    torch.manual_seed(0)
    drop = SharedLoraDropout(0.25, _LastInput()).train()
    x = torch.randn(64, 48, requires_grad=True)
    y = drop(x)
    zeroed = y == 0
    assert 0.15 < zeroed.float().mean().item() < 0.35
    keep = 1 - round(0.25 * 65536) / 65536
    assert torch.allclose(y[~zeroed], x[~zeroed] / keep)
    g = torch.randn_like(y)
    y.backward(g)
    assert torch.allclose(x.grad, torch.where(zeroed, 0.0, g / keep))


def test_eval_mode_and_p0_are_the_identity():
    x = torch.randn(4, 8)
    assert SharedLoraDropout(0.3, _LastInput()).eval()(x) is x
    assert SharedLoraDropout(0.0, _LastInput()).train()(x) is x


def test_branches_reading_the_same_tensor_share_one_mask():
    cache = _LastInput()
    q, k = SharedLoraDropout(0.5, cache).train(), SharedLoraDropout(0.5, cache).train()
    x = torch.randn(32, 32)
    assert q(x) is k(x)  # one draw for both branches
    x2 = torch.randn(32, 32)
    assert not torch.equal(q(x2) == 0, q(x) == 0)  # a new tensor gets a new mask
    before = q(x)
    x.mul_(2)  # changed in place: the cached copy is stale
    after = q(x)
    kept = after != 0
    assert after is not before and torch.allclose(after[kept], x[kept] / (1 - round(0.5 * 65536) / 65536))


def test_installed_into_a_peft_model_that_still_trains_and_saves(tiny_llama_dir, tmp_path):
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_llama_dir)
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.1, target_modules=targets))
    assert use_shared_lora_dropout(model) == 7 * 2  # every LoRA branch of both layers
    drops = [m for m in model.modules() if isinstance(m, SharedLoraDropout)]
    assert len({id(d._cache) for d in drops}) == 1

    seen = {}

    def record(name):
        def hook(module, args, out):
            seen.setdefault(name.split(".")[-3], out)  # ...layers.0.self_attn.q_proj.lora_dropout.default
        return hook

    for name, module in model.named_modules():
        if isinstance(module, SharedLoraDropout):
            module.register_forward_hook(record(name))
    model.train()
    ids = torch.randint(3, 50, (1, 24))
    out = model(input_ids=ids, labels=ids)
    out.loss.backward()
    assert seen["q_proj"] is seen["k_proj"] is seen["v_proj"]  # one dropped-out copy of the hidden states
    assert seen["gate_proj"] is seen["up_proj"]
    assert seen["o_proj"] is not seen["q_proj"]
    grads = [p.grad for n, p in model.named_parameters() if "lora_" in n]
    assert grads and all(g is not None and torch.isfinite(g).all() for g in grads)

    model.save_pretrained(tmp_path / "adapter")
    again = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_llama_dir), tmp_path / "adapter")
    sd = {k: v for k, v in model.state_dict().items() if "lora_" in k}
    assert all(torch.equal(v, again.state_dict()[k]) for k, v in sd.items())


def test_no_dropout_configured_leaves_the_model_alone(tiny_gpt2_dir):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_gpt2_dir),
                           LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["c_attn"],
                                      fan_in_fan_out=True))
    assert use_shared_lora_dropout(model) == 0
    assert not any(isinstance(m, SharedLoraDropout) for m in model.modules())
    assert any(isinstance(m, nn.Identity) for m in model.modules())
