"""LoRA dropout that costs what it should on CPUs.

peft applies ``nn.Dropout`` to the input of every LoRA branch. On a CPU that dropout is far
dearer than its arithmetic suggests: ``bernoulli_`` draws one random number per element from a
generator that runs at roughly 100 M draws/s here, so masking a (1,250 x 576) row costs more
than multiplying it by a 576 x 576 weight. In a LoRA step on SmolLM2 it took ~15% of the time.

:class:`SharedLoraDropout` computes the same inverted dropout (keep with probability 1 - p,
scale kept values by 1 / (1 - p)) with two changes:

- **One 64-bit draw per four elements.** The keep mask compares 16-bit lanes of 64-bit random
  words against a threshold, so ``p`` is used at a resolution of 1/65,536 (0.05 becomes
  0.050003; the scale uses the exact effective value). Each mask is seeded by one draw from
  torch's default generator, so seeding, ``Trainer`` reproducibility and gradient-checkpoint
  replays behave as with ``nn.Dropout``.
- **One mask per input tensor.** q/k/v (and gate/up) read the same hidden states; peft drops
  them out three (two) times with independent masks. Here the branches that read the same
  tensor share one dropped-out copy, as if the fused qkv projection of GPT-2 (``c_attn``, one
  LoRA branch) were split. Each branch still sees Bernoulli dropout with the same ``p``.

Only CPU tensors take this path; CUDA and MPS keep ``torch.nn.functional.dropout``, whose
kernels are already fast. In eval mode it is the identity, like ``nn.Dropout``.
"""

from __future__ import annotations

import weakref

import numpy as np
import torch
from torch import nn

_LANES = 65536  # 16-bit lanes


def keep_scale(x: torch.Tensor, p: float) -> tuple[torch.Tensor, float]:
    """(float32 tensor of x's shape: 0 where dropped, 1 / keep where kept; keep, the exact keep probability).

    The random words come from numpy's SFC64 generator (about twice as fast as torch's CPU
    generator here), seeded by one draw from torch's default generator, so ``torch.manual_seed``
    and the RNG state ``Trainer`` checkpoints still decide every mask.
    """
    n = x.numel()
    seed = int(torch.randint(0, 2 ** 63 - 1, (), dtype=torch.int64))
    words = np.random.Generator(np.random.SFC64(seed)).bit_generator.random_raw((n + 3) // 4)
    lanes = words.view(np.int16)[:n]  # uniform over [-32768, 32767]
    dropped = min(max(round(p * _LANES), 0), _LANES - 1)
    keep = 1.0 - dropped / _LANES
    scale = np.empty(n, np.float32)
    np.greater_equal(lanes, np.int16(dropped - _LANES // 2), out=scale, casting="unsafe")
    scale *= np.float32(1.0 / keep)
    return torch.from_numpy(scale).view(x.shape), keep


class _Scale(torch.autograd.Function):
    """y = x * scale (scale holds 0 or 1 / keep), without autograd tracking the scale tensor."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(scale)
        return x * scale

    @staticmethod
    def backward(ctx, grad):
        (scale,) = ctx.saved_tensors
        return grad * scale, None


class _LastInput:
    """One-entry cache: the dropped-out copy of the most recent input tensor."""

    __slots__ = ("ref", "version", "p", "out")

    def __init__(self):
        self.ref = self.version = self.p = self.out = None

    def get(self, x: torch.Tensor, p: float) -> torch.Tensor | None:
        if self.ref is not None and self.ref() is x and self.version == x._version and self.p == p:
            return self.out
        return None

    def put(self, x: torch.Tensor, p: float, out: torch.Tensor) -> None:
        self.ref, self.version, self.p, self.out = weakref.ref(x), x._version, p, out


class SharedLoraDropout(nn.Module):
    """Drop-in for the ``nn.Dropout`` peft puts in front of a LoRA branch (see the module docstring)."""

    def __init__(self, p: float, cache: _LastInput):
        super().__init__()
        self.p = float(p)
        self._cache = cache

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        if x.device.type != "cpu" or self.p >= 1.0:
            return nn.functional.dropout(x, self.p, True)
        out = self._cache.get(x, self.p)
        if out is None:
            scale, _ = keep_scale(x, self.p)
            out = _Scale.apply(x, scale.to(x.dtype))
            self._cache.put(x, self.p, out)
        return out

    def extra_repr(self) -> str:
        return f"p={self.p}, shared per input"


def use_shared_lora_dropout(model: nn.Module) -> int:
    """Replace every LoRA ``nn.Dropout`` in a peft model by :class:`SharedLoraDropout`; returns how many.

    All replaced modules share one cache, so consecutive branches fed the same tensor share a mask.
    The adapter's saved format is unchanged (dropout has no weights).
    """
    cache = _LastInput()
    replaced = 0
    for module in model.modules():
        drops = getattr(module, "lora_dropout", None)
        if not isinstance(drops, nn.ModuleDict):
            continue
        for name, drop in list(drops.items()):
            if type(drop) is nn.Dropout and drop.p > 0:
                drops[name] = SharedLoraDropout(drop.p, cache)
                replaced += 1
    return replaced
