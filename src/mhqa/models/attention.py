"""Attention for packed training rows that computes each example's attention on its own.

A packed row holds several examples back to back (``DataCollatorWithFlattening``). transformers'
``sdpa`` path isolates them with a block-diagonal mask over the whole row, so it still computes
attention for every pair of tokens in the row and throws most of it away: with 8 examples of
~180 tokens a row of ~1,440 tokens does 8x the attention work that is needed. Without flash
attention (CPUs, MPS) that waste is a large part of a LoRA training step.

``varlen_sdpa`` reads the example boundaries the collator passes (``cu_seq_lens_q``, as for
flash-attention varlen kernels) and runs causal SDPA on each example's slice. Everything else
(padding masks, generation with a KV cache, rows without boundaries) goes to the stock sdpa
function, so a model switched to it behaves exactly as with ``sdpa`` outside packed training.
"""

from __future__ import annotations

NAME = "mhqa_varlen_sdpa"


def varlen_sdpa(module, query, key, value, attention_mask, dropout: float = 0.0, scaling: float | None = None,
                is_causal: bool | None = None, **kwargs):
    """Causal attention per packed example; the stock sdpa forward when the input is not a packed row.

    Shapes as transformers' attention functions: query (1, heads, T, d), key/value (1, kv_heads, T, d);
    returns ((1, T, heads, d), None).
    """
    import torch
    from transformers.integrations.sdpa_attention import repeat_kv, sdpa_attention_forward

    cu = kwargs.get("cu_seq_lens_q")
    packed = (cu is not None and query.shape[0] == 1 and query.shape[2] == key.shape[2] == int(cu[-1])
              and kwargs.get("position_bias") is None and getattr(module, "is_causal", True))
    if not packed:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      is_causal=is_causal, **kwargs)
    groups = getattr(module, "num_key_value_groups", 1)
    if groups > 1:
        key, value = repeat_kv(key, groups), repeat_kv(value, groups)
    bounds = cu.tolist()
    parts = [torch.nn.functional.scaled_dot_product_attention(
        query[:, :, s:e], key[:, :, s:e], value[:, :, s:e], dropout_p=dropout, scale=scaling, is_causal=e - s > 1)
        for s, e in zip(bounds[:-1], bounds[1:]) if e > s]
    return torch.cat(parts, dim=2).transpose(1, 2).contiguous(), None


def register() -> str:
    """Register ``varlen_sdpa`` (and sdpa's mask builder for it) with transformers; returns its name."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(NAME, varlen_sdpa)
    AttentionMaskInterface.register(NAME, sdpa_mask)
    return NAME


def use_varlen_attention(model) -> bool:
    """Switch a model that runs sdpa to ``varlen_sdpa``; False (unchanged) when it cannot be switched."""
    config = getattr(model, "config", None)
    if config is None or getattr(config, "_attn_implementation", None) != "sdpa":
        return False
    register()
    try:
        model.set_attn_implementation(NAME)
    except (ValueError, AttributeError, TypeError):
        return False
    return getattr(model.config, "_attn_implementation", None) == NAME
