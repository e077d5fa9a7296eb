"""The safety encoders' transformer layers as an ONNX Runtime session, built in memory.

NumPy runs the six BERT layers op by op: every op is a separate pass with its own temporaries,
and GELU goes through SciPy's ``erf``. ONNX Runtime runs the same graph with its optimised CPU
kernels and graph fusions on two threads: on this 2-core CPU the full ``assess`` over the 938
eval messages went from p50 16 / p99 35 ms to p50 6.4 / p99 16 ms (``benchmarks/safety_latency.py``).

The graph is written here from the weights :class:`mhqa.safety.semantic.MiniLMEncoder` already
holds (with the crisis adapter merged where it is), so nothing is exported, downloaded or cached
on disk: building it takes ~0.1 s and creating the session ~0.1 s. Input: the embedded,
layer-normed tokens (T, 384); output: the last hidden states (T, 384). Token embedding and pooling
stay in NumPy, where they are cheap.

With ``int8=True`` every linear layer is ONNX Runtime's ``DynamicQuantizeMatMul``: weights stored as
int8 with one symmetric scale per output column, activations quantised per call (to uint8). Where the CPU has no
VNNI instructions (AVX2-only x86, such as AMD Zen 3 or Intel before Ice Lake), ONNX Runtime multiplies uint8 by
int8 with ``vpmaddubsw``, whose 16-bit pair sums saturate: all-mpnet-base-v2's first layers then came out as noise
(cosine ~0.03 to float32) and even MiniLM lost precision (0.989 against 0.993). There the same integers are stored
as uint8 with zero point 128 (``weight_format``), which takes the exact uint8 x uint8 kernel: the same arithmetic,
so the same scores as the int8 kernel gives where VNNI accumulates in 32 bits. On this CPU the
layers alone run ~1.5x faster and the full assess's p50 and p99 fall to about 0.75x of float32's
(``benchmarks/safety_latency.py``, which runs both in one process), and the sentence embedding keeps a
cosine of 0.99 on average (0.97 at worst) to the float32 one. The crisis classifier says which precision
its thresholds were picked for (``encoder_precision`` in classifier.json, from
``scripts/train_safety_classifier.py --int8``), and the detector runs that one.
"""

from __future__ import annotations

_HEADS, _HIDDEN = 12, 384  # all-MiniLM-L6-v2's; all-mpnet-base-v2 has 12 heads of 64 (768)


def quantize_columns(w):
    """Symmetric int8 weights with one scale per output column: (int8 (in, out), float32 scale (out,))."""
    import numpy as np

    scale = np.maximum(np.abs(w).max(0), 1e-12).astype(np.float32) / 127.0
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale


def weight_format() -> str:
    """How int8 layers store their weights: ``"s8"`` (int8, zero point 0) where ONNX Runtime's uint8 x int8 kernel
    is exact (x86 with AVX-512 VNNI or AVX-VNNI, which accumulate in 32 bits), else ``"u8"`` (the same integers
    plus 128, zero point 128: the uint8 x uint8 kernel, exact everywhere). ``MHQA_INT8_WEIGHTS=s8|u8`` overrides."""
    import os

    from mhqa.models.device import cpu_flags

    chosen = os.environ.get("MHQA_INT8_WEIGHTS", "").strip().lower()
    if chosen in ("s8", "u8"):
        return chosen
    return "s8" if cpu_flags() & {"avx512_vnni", "avx_vnni", "amx_int8"} else "u8"


def build_model(layers, int8: bool = False, *, hidden: int = _HIDDEN, heads: int = _HEADS, eps: float = 1e-12,
                position_bias: bool = False, weights: str | None = None) -> bytes:
    """Serialized ONNX model (opset 17) of BERT layers given as MiniLMEncoder.layers tuples; with ``int8``,
    the linear layers as int8 ``DynamicQuantizeMatMul`` (ONNX Runtime's com.microsoft domain). ``hidden``,
    ``heads`` and the layer norms' ``eps`` give the model's shape; with ``position_bias`` the graph takes a second
    input, ``bias`` (heads, T, T), added to every layer's attention scores (MPNet's relative position bias);
    ``weights``: the int8 layers' :func:`weight_format` (default: this CPU's)."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    head_dim = hidden // heads
    nodes, tensors = [], []
    unsigned = int8 and (weights or weight_format()) == "u8"

    def const(name, value):
        tensors.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind, inputs, output, **attrs):
        nodes.append(helper.make_node(kind, inputs, [output], **attrs))
        return output

    const("heads", np.array([0, heads, head_dim], np.int64))  # 0: keep T
    const("flat", np.array([0, hidden], np.int64))
    const("split", np.array([hidden] * 3, np.int64))
    const("scale", np.array(1 / np.sqrt(head_dim), np.float32))
    const("half", np.array(0.5, np.float32))
    const("one", np.array(1.0, np.float32))
    const("inv_sqrt2", np.array(1 / np.sqrt(2.0), np.float32))

    def linear(x, w, b, name):
        if int8:
            q, scale = quantize_columns(w)
            zero = np.zeros(q.shape[1], np.int8)
            if unsigned:  # the same integers, shifted: (q + 128) - 128
                q, zero = (q.astype(np.int16) + 128).astype(np.uint8), np.full(q.shape[1], 128, np.uint8)
            nodes.append(helper.make_node(
                "DynamicQuantizeMatMul", [x, const(name + ".wq", q), const(name + ".ws", scale),
                                          const(name + ".wz", zero), const(name + ".b", b)],
                [name], domain="com.microsoft"))
            return name
        return op("Add", [op("MatMul", [x, const(name + ".w", w)], name + ".xw"), const(name + ".b", b)], name)

    def layer_norm(x, wb, name):
        return op("LayerNormalization", [x, const(name + ".g", wb[0]), const(name + ".b", wb[1])], name,
                  axis=-1, epsilon=eps)

    x = "x"
    for i, (qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, o2_w, o2_b, ln2) in enumerate(layers):
        p = f"l{i}."
        qkv = linear(x, qkv_w, qkv_b, p + "qkv")
        nodes.append(helper.make_node("Split", [qkv, "split"], [p + "q0", p + "k0", p + "v0"], axis=1))
        split = {n: op("Reshape", [p + n + "0", "heads"], p + n + "1") for n in "qkv"}
        q = op("Transpose", [split["q"]], p + "q", perm=[1, 0, 2])  # (heads, T, head_dim)
        k = op("Transpose", [split["k"]], p + "k", perm=[1, 2, 0])  # (heads, head_dim, T)
        v = op("Transpose", [split["v"]], p + "v", perm=[1, 0, 2])
        scores = op("Mul", [op("MatMul", [q, k], p + "qk"), "scale"], p + "scores")
        if position_bias:
            scores = op("Add", [scores, "bias"], p + "biased")
        attn = op("Softmax", [scores], p + "attn", axis=-1)
        ctx = op("Transpose", [op("MatMul", [attn, v], p + "ctx0")], p + "ctx1", perm=[1, 0, 2])
        ctx = op("Reshape", [ctx, "flat"], p + "ctx")
        x = layer_norm(op("Add", [linear(ctx, o_w, o_b, p + "o"), x], p + "res1"), ln1, p + "ln1")
        h = linear(x, i_w, i_b, p + "up")
        erf = op("Erf", [op("Mul", [h, "inv_sqrt2"], p + "h_s")], p + "erf")
        gelu = op("Mul", [op("Mul", [h, "half"], p + "h_half"), op("Add", [erf, "one"], p + "erf1")], p + "gelu")
        x = layer_norm(op("Add", [linear(gelu, o2_w, o2_b, p + "down"), x], p + "res2"), ln2, p + "ln2")
    nodes.append(helper.make_node("Identity", [x], ["y"]))
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", hidden])]
    if position_bias:
        inputs.append(helper.make_tensor_value_info("bias", TensorProto.FLOAT, [heads, "T", "T"]))
    graph = helper.make_graph(nodes, "encoder_layers", inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["T", hidden])], tensors)
    opsets = [helper.make_opsetid("", 17)] + ([helper.make_opsetid("com.microsoft", 1)] if int8 else [])
    return helper.make_model(graph, opset_imports=opsets, ir_version=8).SerializeToString()


def session_threads() -> int:
    """Threads for the session: ``MHQA_SAFETY_THREADS`` if set, else the physical cores, at most 2
    (a 55-token message, this eval set's 99th percentile, gains ~40% from a second core and
    little from more)."""
    from mhqa.models.device import physical_cores, threads_from_env

    return threads_from_env("MHQA_SAFETY_THREADS", min(physical_cores(), 2))


class OnnxLayers:
    """Callable (T, hidden) float32 [, bias (heads, T, T)] -> (T, hidden) float32 running the layers with ONNX
    Runtime on the CPU; ``shape``: :func:`build_model`'s keywords (hidden, heads, eps, position_bias)."""

    def __init__(self, layers, threads: int | None = None, int8: bool = False, **shape):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or session_threads()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only
        # Workers spin between the ops of a run (fast) but stop as soon as the run returns: on a small
        # CPU, threads left spinning would take cores from llama.cpp answering right after the check.
        options.add_session_config_entry("session.force_spinning_stop", "1")
        self.threads = options.intra_op_num_threads
        self.precision = "int8" if int8 else "float32"
        self.session = ort.InferenceSession(build_model(layers, int8, **shape), options, providers=["CPUExecutionProvider"])

    def __call__(self, x, bias=None):
        return self.session.run(["y"], {"x": x} if bias is None else {"x": x, "bias": bias})[0]
