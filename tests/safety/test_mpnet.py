"""all-mpnet-base-v2's first layers as an ensemble member: the packaged model, the NumPy/ONNX encoder, training."""

import collections
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from mhqa.safety import mpnet
from mhqa.safety import semantic as S

TEXTS = ["i keep standing on the bridge looking down", "", "this traffic is killing me " * 30, "café 😀 ok"]


@pytest.fixture(scope="module")
def reference():
    """transformers' MPNet with its layer list cut to four, as the trainer fine-tunes it: mean-pooled unit vectors."""
    torch = pytest.importorskip("torch")
    from transformers import AutoModel, AutoTokenizer

    folder = str(mpnet.model_folder())
    model = AutoModel.from_pretrained(folder).eval()
    model.encoder.layer = model.encoder.layer[:4]
    tok = AutoTokenizer.from_pretrained(folder)

    def embed(model, texts):
        with torch.no_grad():
            out = []
            for text in texts:
                b = tok([text], truncation=True, max_length=256, return_tensors="pt")
                h = model(**b).last_hidden_state[0].mean(0)
                out.append((h / h.norm()).numpy())
            return np.stack(out)

    return model, embed


def test_the_packaged_model_unpacks_into_the_cache_once():
    folder = mpnet.model_folder()
    assert folder.parent.name == "safety" and all((folder / f).is_file() for f in ("model.safetensors", "tokenizer.json"))
    assert json.loads((folder / "config.json").read_text())["hidden_size"] == 768
    assert mpnet.model_folder() == folder  # found, not unpacked again


def test_a_missing_package_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(mpnet, "DIST", "mhqa-no-such-model-part-{:03d}")
    with pytest.raises(Exception, match="mhqa-no-such-model-part-001"):
        mpnet.model_folder(tmp_path)
    assert not any(tmp_path.iterdir())  # nothing half-made


def test_relative_position_buckets_match_transformers():
    torch = pytest.importorskip("torch")
    from transformers.models.mpnet.modeling_mpnet import MPNetEncoder

    pos = torch.arange(300)
    ref = MPNetEncoder.relative_position_bucket(pos[None, :] - pos[:, None]).numpy()
    ours = mpnet.relative_buckets(300)
    assert np.array_equal(ours, ref)
    assert len(np.unique(ours)) == 31  # both halves, exact and log-spaced (16, "offset 0 after", cannot occur)


def test_numpy_and_onnx_layers_match_transformers(reference):
    model, embed = reference
    ref = embed(model, TEXTS)
    base = S.base_encoder(S.MPNET_ID, 4)
    assert base is S.base_encoder(S.MPNET_ID, 4) and len(base.layers) == 4  # loaded once per process
    ours = base.encode(TEXTS)
    assert ours.shape == (4, 768) and np.abs(ours - ref).max() < 1e-4
    fast = base.with_onnx()
    assert fast.runtime == "onnxruntime", fast.runtime_error
    assert np.abs(fast.encode(TEXTS) - ref).max() < 1e-4


def test_int8_layers_stay_close_to_float32():
    import onnx

    from mhqa.safety.onnx_layers import build_model

    base = S.base_encoder(S.MPNET_ID, 4)
    f32, i8 = base.with_onnx(int8=False).encode(TEXTS), base.with_onnx(int8=True).encode(TEXTS)
    assert not np.allclose(f32, i8, atol=1e-4)
    assert (f32 * i8).sum(1).min() > 0.97  # measured: 0.984-0.997 on these
    graph = onnx.load_from_string(build_model(base.layers, int8=True, hidden=768, eps=1e-5, position_bias=True)).graph
    ops = collections.Counter(n.op_type for n in graph.node)
    assert ops["DynamicQuantizeMatMul"] == 4 * 4 and [i.name for i in graph.input] == ["x", "bias"]


def test_a_trained_adapter_merges_as_in_torch(trainer, reference, tmp_path):
    """FineTuned on all-mpnet-base-v2's first layers: the adapter it saves, merged by MPNetEncoder.with_adapter,
    gives the fine-tuned torch model's embeddings; the runtime encoder (int8) stays close."""
    T = trainer
    texts = ["i want to die tonight", "i am going to kill myself", "nice weather today", "the cake was lovely"] * 4
    y = np.array([1, 1, 0, 0] * 4, bool)
    tuned = T.FineTuned(texts, y, epochs=1, lr=5e-3, rank=4, model=S.MPNET_ID, layers=4)
    tuned.save_adapter(tmp_path / "a.npz")
    z = np.load(tmp_path / "a.npz")
    assert sum(k.endswith(".A") for k in z.files) == 4 * 6  # every linear layer of the four kept
    merged = S.base_encoder(S.MPNET_ID, 4).with_adapter(tmp_path / "a.npz")
    ours, ref = merged.encode(texts[:4]), tuned.embeddings(texts[:4])
    assert np.abs(ours - ref).max() < 1e-4
    assert np.abs(ours - S.base_encoder(S.MPNET_ID, 4).encode(texts[:4])).max() > 1e-3  # the adapter changed them
    runtime = tuned.runtime_encoder(int8=True)
    assert runtime.precision == "int8" and (runtime.encode(texts[:4]) * ref).sum(1).min() > 0.97
    w, b = tuned.head_weights()
    assert len(w) == 768


def _with_mpnet_member(tmp_path, weight: float, coef=None, model=S.MPNET_ID):
    """The shipped classifier plus one all-mpnet-base-v2 member (a zero adapter, a small memory, ``coef``)."""
    raw = json.loads(S.CLASSIFIER_FILE.read_text())
    files = [raw["encoder_adapter"]["file"], raw["memory"]["file"]] + [m[p]["file"] for m in raw["members"]
                                                                        for p in ("adapter", "memory")]
    for name in files:
        shutil.copy(S.DATA_DIR / name, tmp_path / name)
    np.savez(tmp_path / "mp_lora.npz", scale=np.float32(1.0))  # no layer adapted: the plain model
    rng = np.random.default_rng(0)
    e = rng.normal(size=(6, 768)).astype(np.float16)
    np.savez(tmp_path / "mp_memory.npz", embeddings=e, crisis=np.array([1, 1, 1, 0, 0, 0], bool))
    coef = rng.normal(size=768).tolist() if coef is None else coef
    raw["members"].append({"model": model, "layers": 4, "weight": weight, "adapter": {"file": "mp_lora.npz"},
                           "coef": coef, "intercept": 0.5, "memory": {"file": "mp_memory.npz", "chunks": 6}})
    (tmp_path / "classifier.json").write_text(json.dumps(raw))
    return S.load_classifier.__wrapped__(tmp_path / "classifier.json")


def test_a_weighted_member_of_another_width_joins_the_ensemble(tmp_path):
    shipped = S.load_classifier()
    clf = _with_mpnet_member(tmp_path, weight=2.0)
    member = clf.members[-1]
    assert (member.model, member.layers, member.weight, member.coef.shape) == (S.MPNET_ID, 4, 2.0, (768,))
    assert member.memory[0].shape == (3, 768)
    text = "nobody would even notice if i was gone"
    e = S.embed_for_safety([text])[0]
    others = [enc.encode([text])[0] for enc in S.get_member_encoders()]
    mp = S.base_encoder(S.MPNET_ID, 4).encode([text])[0]
    z = lambda p: math.log(p / (1 - p))  # noqa: E731
    pair = z(shipped.encoder_probability(e, others))
    mp_logit = float(member.coef @ mp) + 0.5
    # the shipped encoders' weighted mean logit and the new member's, weighed by their sums
    w = shipped.encoder_weight + sum(m.weight for m in shipped.members)
    assert abs(z(clf.encoder_probability(e, others + [mp])) - (w * pair + 2 * mp_logit) / (w + 2)) < 1e-5
    mp_margin = float((member.memory[0] @ mp).max() - (member.memory[1] @ mp).max())
    margin = (w * shipped.ensemble_margin(e, others) + 2 * mp_margin) / (w + 2)
    assert abs(clf.ensemble_margin(e, others + [mp]) - margin) < 1e-5
    with pytest.raises(ValueError, match=f"{len(others) + 1} further encoders, got {len(others)}"):
        clf.encoder_probability(e, others)


def test_a_member_of_the_wrong_width_or_an_unknown_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match="has 384 weights, expected 768"):
        _with_mpnet_member(tmp_path, 1.0, coef=[0.0] * 384)
    with pytest.raises(ValueError, match="unknown model 'acme/encoder'"):
        _with_mpnet_member(tmp_path, 1.0, model="acme/encoder")


def test_the_detector_runs_an_mpnet_member(tmp_path, monkeypatch):
    clf = _with_mpnet_member(tmp_path, weight=2.0)
    monkeypatch.setattr(S, "load_classifier", lambda path=None: clf)
    saved = {k: S._state.pop(k) for k in ("member_encoders", "member_error") if k in S._state}
    try:
        encoders = S.get_member_encoders()
        assert len(encoders) == len(clf.members) and isinstance(encoders[-1], mpnet.MPNetEncoder)
        assert encoders[-1].precision == clf.encoder_precision
        text = "i keep thinking everyone would be better off without me"
        p, _, _ = S.analyse(text)
        e = S.embed_for_safety([text])[0]
        assert abs(p - clf.text_probability(e, text, [enc.encode([text])[0] for enc in encoders])) < 1e-9
    finally:
        for k in ("member_encoders", "member_error"):
            S._state.pop(k, None)
        S._state.update(saved)


def test_adding_a_member_re_scores_each_fold_and_weighs_it_in(trainer, monkeypatch):
    """add_member_components: with the saved ensemble weighed 0 the encoder column is the new encoder's own held-out
    probability (its fold models trained again give the same), with the new one weighed 0 nothing changes, and the
    n-gram columns never move; components from other folds are refused."""
    T = trainer
    monkeypatch.setattr(T, "FOLDS", 2)
    texts = ["i want to die tonight", "i am going to kill myself", "nice weather today", "the cake was lovely"] * 3
    y = np.array([1, 1, 0, 0] * 3, bool)
    rows = [{"text": t, "crisis": bool(c), "source": "exemplar"} for t, c in zip(texts, y)]
    ft = {"epochs": 1, "lr": 5e-4, "rank": 4, "seeds": (0,)}
    comps, owner = T.held_out_components(rows, None, texts, y, 4.0, 16.0, ft, int8=False)
    kw = dict(finetune=ft, int8=False, model=S.MPNET_ID, layers=1)
    same = T.add_member_components(rows, texts, y, comps, owner, old_weight=1.0, new_weight=0.0, **kw)
    assert np.allclose(same, comps)
    new = T.add_member_components(rows, texts, y, comps, owner, old_weight=0.0, new_weight=1.0, **kw)
    assert np.array_equal(new[:, 1:3], comps[:, 1:3]) and not np.allclose(new[:, 0], comps[:, 0])
    tr, te = T._folds(rows)[0]
    tuned = T.FineTuned([texts[i] for i in tr], y[tr], epochs=1, lr=5e-4, rank=4, model=S.MPNET_ID, layers=1)
    own = tuned.probabilities_per_chunk([texts[i] for i in te])
    assert np.allclose(new[np.isin(owner, te), 0], own, atol=1e-5)
    with pytest.raises(SystemExit, match="other folds"):
        T.add_member_components(rows, texts, y, comps, owner[::-1], old_weight=1.0, new_weight=1.0, **kw)


def test_without_the_larger_model_the_detector_falls_back_to_the_minilm_pair(tmp_path):
    """A cache that cannot be written (here: a file where the folder should be) stops all-mpnet-base-v2 from
    unpacking: the detector then runs the shipped fallback (the MiniLM pair, its stacker and thresholds), says so
    in the evidence, and still scores the message; the pattern layer is not left alone."""
    import os
    import subprocess
    import sys

    clf = S.load_classifier()
    fallback = clf.fallback
    assert fallback is not None and clf.fallback_without == S.MPNET_ID
    assert [m.model for m in fallback.members] == [S.MODEL_ID] and fallback.fallback is None
    assert (fallback.threshold, fallback.stack_coef) != (clf.threshold, clf.stack_coef)
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    env = {**os.environ, "MHQA_CACHE_DIR": str(blocked)}
    text = "i dont really see the point of anything lately"
    mhqa = Path(sys.executable).with_name("mhqa")  # the console script beside this interpreter
    out = subprocess.run([str(mhqa), "safety", "check", "--json", text], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    row = json.loads(out.stdout)
    assert row["score"] is not None and row["crisis"] is (row["score"] >= fallback.threshold)  # its own threshold
    assert any(e.startswith("semantic:fallback without all-mpnet-base-v2") for e in row["evidence"]), row["evidence"]
    # the score is the fallback's (computed here from the same encoders), not the full ensemble's
    from mhqa.safety.normalize import normalize

    norm = normalize(text)
    e = S.embed_for_safety([norm])[0]
    members = [enc.encode([norm])[0] for enc in S.get_member_encoders()]
    assert S.fallback_note() is None  # this process has the larger model
    assert abs(row["score"] - fallback.text_probability(e, norm, members[:len(fallback.members)])) < 1e-3
    assert abs(row["score"] - clf.text_probability(e, norm, members)) > 0.05  # measured: 0.79 vs 0.92
