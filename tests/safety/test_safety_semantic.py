"""The MiniLM encoder (ONNX Runtime, NumPy reference) and the shipped classifier."""

import hashlib
import json

import numpy as np
import pytest

from mhqa.safety import semantic as S


def test_numpy_encoder_matches_sentence_transformers():
    st = pytest.importorskip("sentence_transformers")
    ref_model = st.SentenceTransformer(S.model_path(), device="cpu")
    texts = ["I want to kill myself", "", "this traffic is killing me " * 40, "café 😀 ok", "ok"]
    ref = ref_model.encode(texts, normalize_embeddings=True)
    ours = S.embed(texts)
    assert ours.shape == (5, 384)
    assert np.abs(ref - ours).max() < 1e-4
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_safety_encoder_is_the_fine_tuned_model_merged_in_numpy():
    """The shipped LoRA adapter merged by MiniLMEncoder.with_adapter gives the embeddings of the same
    adapter merged into the torch model; retrieval keeps the original encoder."""
    torch = pytest.importorskip("torch")
    from transformers import AutoModel, AutoTokenizer

    raw = json.loads(S.CLASSIFIER_FILE.read_text())
    adapter = raw["encoder_adapter"]
    assert adapter and adapter["file"] == S.ENCODER_ADAPTER_FILE.name
    assert adapter["sha256"] == hashlib.sha256(S.ENCODER_ADAPTER_FILE.read_bytes()).hexdigest()
    z = np.load(S.ENCODER_ADAPTER_FILE)
    assert sum(k.endswith(".A") for k in z.files) == 6 * 6  # every linear layer of the 6 BERT layers
    model = AutoModel.from_pretrained(S.model_path()).eval()
    with torch.no_grad():
        for name, module in model.named_modules():
            if f"{name}.A" in z.files:
                delta = float(z["scale"]) * (z[f"{name}.B"].astype(np.float32) @ z[f"{name}.A"].astype(np.float32))
                module.weight += torch.from_numpy(delta)
        texts = ["nobody would even notice if i was gone", "this traffic is killing me", "ok"]
        b = AutoTokenizer.from_pretrained(S.model_path())(texts, padding=True, return_tensors="pt")
        h = model(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).float()
        ref = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1).numpy()
    ours = S.get_safety_encoder().with_onnx(int8=False).encode(texts)  # float32: the int8 layers are tested below
    assert np.abs(ours - ref).max() < 1e-4
    assert S.get_safety_encoder() is not S.get_encoder()
    assert np.abs(S.embed(texts) - ours).max() > 0.05  # the adapter changes the embeddings retrieval does not use


def test_onnx_runtime_layers_match_the_numpy_reference(monkeypatch):
    texts = ["i cant do this anymore", "", "my friend said she wants to end it " * 30, "ok"]
    assert S.get_encoder().runtime == "numpy"  # retrieval: no session, no extra memory
    for encoder in (S.get_encoder().with_onnx(), S.get_safety_encoder().with_onnx(int8=False)):
        assert encoder.runtime == "onnxruntime", encoder.runtime_error
        fast = encoder.encode(texts)
        monkeypatch.setenv("MHQA_SAFETY_RUNTIME", "numpy")
        reference = encoder.with_onnx()  # a copy that builds its own session (or not) on first use
        assert reference.runtime == "numpy" and "MHQA_SAFETY_RUNTIME" in reference.runtime_error
        assert np.abs(fast - reference.encode(texts)).max() < 1e-5
        monkeypatch.delenv("MHQA_SAFETY_RUNTIME")


def test_int8_layers_are_quantised_and_stay_close_to_float32():
    import collections

    import onnx

    from mhqa.safety.onnx_layers import build_model, quantize_columns

    texts = ["i cant do this anymore", "", "my friend said she wants to end it " * 30, "this traffic is killing me"]
    tuned = S.get_safety_encoder()
    f32, i8 = tuned.with_onnx(int8=False), tuned.with_onnx(int8=True)
    assert (f32.precision, i8.precision) == ("float32", "int8"), i8.runtime_error
    a, b = f32.encode(texts), i8.encode(texts)
    assert not np.allclose(a, b, atol=1e-4)  # really another computation
    assert (a * b).sum(1).min() > 0.95  # measured: cosine 0.97 at worst, 0.99 on average over the eval set
    ops = collections.Counter(n.op_type for n in onnx.load_from_string(build_model(tuned.layers, int8=True)).graph.node)
    assert ops["DynamicQuantizeMatMul"] == 6 * 4 and ops["MatMul"] == 6 * 2  # every linear layer; attention stays float
    w = np.random.default_rng(0).normal(size=(384, 16)).astype(np.float32)
    q, scale = quantize_columns(w)
    assert q.dtype == np.int8 and scale.shape == (16,) and (np.abs(q).max(0) == 127).all()
    assert np.abs(q * scale - w).max() <= scale.max() / 2 + 1e-6


def test_int8_weights_take_the_exact_kernel_on_every_cpu(monkeypatch):
    """Without VNNI, ONNX Runtime's uint8 x int8 kernel saturates (all-mpnet-base-v2's layers came out as noise on an
    AVX2-only CPU); the weights are then stored as uint8 with zero point 128, the same integers. Both formats must give
    the same numbers where both are exact, and the one this CPU picks must stay close to float32."""
    import onnx
    from onnx import numpy_helper

    from mhqa.models import device
    from mhqa.safety import onnx_layers as OL

    for flags, chosen in ((frozenset({"avx2", "fma"}), "u8"), (frozenset({"avx2", "avx512_vnni"}), "s8"),
                          (frozenset({"avx_vnni"}), "s8"), (frozenset(), "u8")):
        monkeypatch.setattr(device, "cpu_flags", lambda flags=flags: flags)
        assert OL.weight_format() == chosen
    monkeypatch.setenv("MHQA_INT8_WEIGHTS", "s8")
    assert OL.weight_format() == "s8"
    monkeypatch.undo()

    tuned = S.get_safety_encoder()
    graph = onnx.load_from_string(OL.build_model(tuned.layers[:1], int8=True, weights="u8")).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    signed = {t.name: numpy_helper.to_array(t) for t in
              onnx.load_from_string(OL.build_model(tuned.layers[:1], int8=True, weights="s8")).graph.initializer}
    assert init["l0.qkv.wq"].dtype == np.uint8 and (init["l0.qkv.wz"] == 128).all()
    assert np.array_equal(init["l0.qkv.wq"].astype(np.int16) - 128, signed["l0.qkv.wq"])  # the same integers
    texts = ["i cant do this anymore", "this traffic is killing me"]
    a = tuned.with_onnx(int8=False).encode(texts)
    b = tuned.with_onnx(int8=True).encode(texts)  # this CPU's format
    assert (a * b).sum(1).min() > 0.97
    if OL.weight_format() == "s8":  # a VNNI CPU: the shifted weights give the same embedding
        monkeypatch.setenv("MHQA_INT8_WEIGHTS", "u8")
        assert np.abs(b - tuned.with_onnx(int8=True).encode(texts)).max() < 1e-4


def test_the_detector_runs_the_precision_its_thresholds_were_picked_for():
    clf = S.load_classifier()
    assert clf.encoder_precision in ("float32", "int8")
    assert S.get_safety_encoder().precision == clf.encoder_precision
    assert S.status() == "loaded (onnxruntime" + (", int8)" if clf.encoder_precision == "int8" else ")")


def test_bad_thread_setting_falls_back_to_numpy_and_says_why(monkeypatch):
    monkeypatch.setenv("MHQA_SAFETY_THREADS", "two")
    encoder = S.get_encoder().with_onnx()
    assert encoder.runtime == "numpy"
    assert "MHQA_SAFETY_THREADS must be a positive integer" in encoder.runtime_error
    assert np.allclose(np.linalg.norm(encoder.encode(["still works"]), axis=1), 1.0, atol=1e-5)
    monkeypatch.setenv("MHQA_SAFETY_THREADS", "1")
    one = S.get_encoder().with_onnx()
    assert one.runtime == "onnxruntime" and one._onnx.threads == 1


def test_classifier_file_matches_exemplars():
    raw = json.loads(S.CLASSIFIER_FILE.read_text())
    assert raw["model_id"] == S.MODEL_ID and raw["dim"] == 384 and len(raw["coef"]) == 384
    sha = hashlib.sha256((S.DATA_DIR / "exemplars.jsonl").read_bytes()).hexdigest()
    assert raw["exemplars_sha256"] == sha, "exemplars changed: rerun scripts/train_safety_classifier.py"
    cal = raw["calibration"]
    assert cal["split"] == "dev" and cal["folds"] >= 3
    # the thresholds kept the held-out FPR bound (the mean of our own messages' and the real questions')
    assert cal["held_out_fpr_bounded"] <= cal["max_fpr"]
    # trained on the real questions' dev half, with the labels shipped now
    assert raw["n_counsel_chat"] > 400
    from mhqa.safety.evaluate import COUNSEL_CHAT_LABELS
    assert raw["counsel_chat_labels_sha256"] == hashlib.sha256(COUNSEL_CHAT_LABELS.read_bytes()).hexdigest()
    assert raw["stack"]["inputs"] == ["embedding", "lexical", "chars", "memory_margin"] and len(raw["stack"]["coef"]) == 4
    memory = S.DATA_DIR / raw["memory"]["file"]
    assert raw["memory"]["sha256"] == hashlib.sha256(memory.read_bytes()).hexdigest(), "memory and classifier.json disagree"
    # an ensemble of three encoders (MiniLM seeds 0 and 1, all-mpnet-base-v2's first 4 layers weighed as much as the
    # pair): every file it names ships, as trained
    assert raw["encoder_adapter"]["seed"] == 0
    assert [(m["seed"], m.get("model", S.MODEL_ID), m.get("weight", 1)) for m in raw["members"]] == \
        [(1, S.MODEL_ID, 1), (0, S.MPNET_ID, 2.0)]
    for m in raw["members"]:
        for part in ("adapter", "memory"):
            path = S.DATA_DIR / m[part]["file"]
            assert m[part]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), f"{path.name} and classifier.json disagree"
    assert len(S.load_classifier().members) == len(S.get_member_encoders()) == 2 and S.fallback_note() is None
    # without all-mpnet-base-v2 (it may fail to load), the MiniLM pair with its own stacker and thresholds
    fallback = raw["fallback"]
    assert fallback["without"] == S.MPNET_ID and fallback["members"] == [0]
    assert 0 < fallback["threshold"] <= fallback["threshold_benign"] < 1 and len(fallback["stack"]["coef"]) == 4
    assert 0 < raw["threshold"] <= raw["threshold_benign"] < 1
    assert set(raw["categories"]["models"]) == {"suicidal_ideation", "self_harm", "lethal_means", "overdose",
                                                 "harm_to_others", "abuse", "third_party"}


def test_exemplars_are_balanced_and_labelled():
    rows = [json.loads(line) for line in (S.DATA_DIR / "exemplars.jsonl").read_text().splitlines() if line.strip()]
    assert len(rows) >= 2000
    pos = sum(r["crisis"] for r in rows)
    assert 0.35 < pos / len(rows) < 0.65
    # Newer rows carry categories; crisis exactly when there is at least one.
    labelled = [r for r in rows if "categories" in r]
    assert len(labelled) >= 1200 and all(bool(r["categories"]) == r["crisis"] for r in labelled)


def test_exemplars_that_near_copy_the_eval_set_were_left_out_of_training(trainer):
    T = trainer
    rows = [json.loads(line) for line in (S.DATA_DIR / "exemplars.jsonl").read_text().splitlines() if line.strip()]
    ev = [json.loads(line)["text"] for line in (S.DATA_DIR / "eval_set.jsonl").read_text().splitlines() if line.strip()]
    # the rows added with categories (the first 670 were checked with word-set Jaccard)
    close = T.near_copy_ids(rows[670:], ev)
    # Until session 7 this check built SequenceMatcher(None, text), which leaves b empty: every ratio was 0 and
    # it could not fail. Fixed, it finds these 13 rows, near copies of eval messages: 8 of test-split messages
    # (e0088, a crisis one, and seven safe ones) and 5 of dev ones. They stay in exemplars.jsonl (its hash is
    # the training data's) and the shipped classifier was trained without them (--drop-near-copies), as
    # classifier.json records. A new near copy fails here until the classifier is retrained without it.
    assert set(close) >= {"x3168", "x4101", "x4332", "x4339", "x4349", "x4374", "x4411", "x4423", "x4440", "x4445",
                          "x4456", "x4497", "x4550"}
    left_out = set(json.loads(S.CLASSIFIER_FILE.read_text()).get("exemplars_left_out", []))
    assert set(close) <= left_out, sorted(set(close) - left_out)


def test_category_classifiers_name_the_risk():
    _, cats, _ = S.analyse("my dad hits me and locks me in my room when he drinks")
    assert max(cats, key=cats.get) == "abuse"
    _, cats, _ = S.analyse("my best friend keeps saying she wants to die and gave away her things")
    assert cats["third_party"] > 0.5


def test_urgency_head_ships_and_reads_explicit_intent_above_passive_wishes():
    raw = json.loads(S.CLASSIFIER_FILE.read_text())["urgency"]
    assert len(raw["coef"]) == 384 and raw["threshold"] == 0.5
    assert raw["report"]["rows"] > 600 and raw["report"]["concern"] > 100  # the dev splits' crisis messages
    clf = S.load_classifier()
    [intent, passive] = S.embed_for_safety(["i'm going to end my life this weekend, i've decided",
                                            "sometimes i wish i could just not exist"])
    assert clf.urgent_probability(intent) > 0.5 > clf.urgent_probability(passive)
    assert S.analyse("")[2] is None


def test_a_classifier_without_an_urgency_head_loads_and_a_wrong_one_is_refused(tmp_path):
    raw = json.loads(S.CLASSIFIER_FILE.read_text())
    raw["memory"], raw["members"] = None, []  # their files sit beside the shipped classifier only
    raw.pop("fallback")  # it names the shipped members
    raw.pop("urgency")
    (tmp_path / "old.json").write_text(json.dumps(raw))
    clf = S.load_classifier.__wrapped__(tmp_path / "old.json")
    assert clf.urgency == () and clf.urgent_probability(np.zeros(384, np.float32)) is None
    raw["urgency"] = {"coef": [0.0] * 10, "intercept": 0.0, "threshold": 0.5}
    (tmp_path / "bad.json").write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="urgency head has 10 weights"):
        S.load_classifier.__wrapped__(tmp_path / "bad.json")


def test_urgency_rows_are_the_dev_splits_crisis_messages(trainer):
    texts, urgent = trainer.level_rows(S.DATA_DIR / "eval_set.jsonl", S.DATA_DIR / "eval_other_writers.jsonl", None)
    dev = [json.loads(line) for f in ("eval_set.jsonl", "eval_other_writers.jsonl")
           for line in (S.DATA_DIR / f).read_text().splitlines() if line.strip()]
    dev = [r for r in dev if r["split"] == "dev" and r["crisis"]]
    assert len(texts) == len(dev) and int((~urgent).sum()) == sum(r["level"] == "concern" for r in dev)


def test_probabilities_order_clear_cases():
    clf = S.load_classifier()
    p_crisis = S.crisis_probability("i have nothing left to live for and i have the pills")
    p_calm = S.crisis_probability("what time does the library open on sunday")
    assert 0.0 <= p_calm < 0.5 < p_crisis <= 1.0
    assert clf.probability(S.embed(["hello"])[0]) < clf.threshold


def test_long_text_scored_in_chunks():
    text = "we went to the shops and bought bread. " * 200 + "i am going to end my life tonight."
    assert S.crisis_probability(text) > 0.5


def test_lexical_classifier_reproduces_scikit_learn(trainer):
    """The shipped TF-IDF weights (words and characters), applied by hand, give scikit-learn's probabilities."""
    T = trainer

    from mhqa.safety.normalize import normalize

    if not T.COUNSEL_CHAT_CSV.is_file():
        pytest.skip(f"{T.COUNSEL_CHAT_CSV} not present: the shipped classifier was trained with it")
    # exemplars (less those it records as left out) + dev + CounselChat's dev half, as the shipped classifier
    # was trained
    raw = json.loads(S.CLASSIFIER_FILE.read_text())
    rows = T.training_rows(S.DATA_DIR / "exemplars.jsonl", S.DATA_DIR / "eval_set.jsonl", T.COUNSEL_CHAT_CSV,
                           skip=frozenset(raw.get("exemplars_left_out", [])))
    texts = [r["text"] for r in rows]
    y = np.array([int(r["crisis"]) for r in rows])
    vec, lex = T.fit_lexical(texts, y, raw["lexical"]["C"])
    probe = ["i want to die", "kill the process", "nobody would miss me", "what a lovely day it is today"]
    ref = lex.predict_proba(vec.transform(probe))[:, 1]
    clf = S.load_classifier()
    ours = np.array([clf.lexical_probability(t) for t in probe])
    assert np.abs(ref - ours).max() < 1e-3
    cvec, chars = T.fit_chars(texts, y, raw["chars"]["C"])
    probe += ["i w4nt t0 d!e", "a b", "suicdal", "x"]
    ref = chars.predict_proba(cvec.transform(probe))[:, 1]
    ours = np.array([clf.char_probability(t) for t in probe])
    assert np.abs(ref - ours).max() < 1e-3


def test_fine_tuning_scores_a_long_message_by_its_riskiest_chunk(trainer):
    """Training sees long messages as the detector does: cut into chunks, the message's logit is the
    largest chunk logit (so the risk in a late chunk is what the label teaches)."""
    import torch

    T = trainer

    long = ("the bus was late again and work dragged on. " * 16) + "i have been saving up my pills for tonight."
    texts = ["i want to die", "kill the process", long, "what a lovely day"]
    chunks, owner = T.split_chunks(texts)
    assert len(chunks) > len(texts) and owner == sorted(owner)
    assert chunks == [c for t in texts for c in S._chunks(t)]
    tuned = T.FineTuned(texts, np.array([1, 0, 1, 0]), epochs=1, lr=5e-4, rank=4)
    with torch.no_grad():
        per_message = tuned._logits(texts).numpy()
        per_chunk = tuned.head(tuned._embed(chunks) * T.HEAD_SCALE).squeeze(-1).numpy()
    expected = [max(per_chunk[j] for j, o in enumerate(owner) if o == i) for i in range(len(texts))]
    assert np.allclose(per_message, expected, atol=1e-6)
    probs = tuned.probabilities_per_chunk(chunks)
    assert np.allclose(probs, 1 / (1 + np.exp(-per_chunk)), atol=1e-6)


def test_the_three_probabilities_are_combined_by_the_shipped_stacker():
    import dataclasses
    import math

    clf = S.load_classifier()
    assert len(clf.stack_coef) == 4 and clf.stack_coef[0] > 0 and clf.stack_coef[1] > 0 and clf.stack_coef[3] > 0
    text = "nobody would even notice if i was gone"
    e = S.embed_for_safety([text])[0]
    more = [encoder.encode([text])[0] for encoder in S.get_member_encoders()]
    ps = [clf.encoder_probability(e, more), clf.lexical_probability(text), clf.char_probability(text)]
    logit = lambda p: math.log(min(max(p, 1e-6), 1 - 1e-6) / (1 - min(max(p, 1e-6), 1 - 1e-6)))  # noqa: E731
    margin = clf.ensemble_margin(e, more)
    z = clf.stack_intercept + sum(a * logit(p) for a, p in zip(clf.stack_coef, ps)) + clf.stack_coef[3] * margin
    assert abs(clf.text_probability(e, text, more) - 1 / (1 + math.exp(-z))) < 1e-9
    # without a stacker (or with a classifier missing) the shipped probabilities are averaged
    plain = dataclasses.replace(clf, stack_coef=())
    assert abs(plain.text_probability(e, text, more) - sum(ps) / 3) < 1e-9


def _classifier_with_a_member(tmp_path, shift: float):
    """The shipped classifier's first encoder with one ensemble member that is the first again (its adapter and
    memory), its head's bias moved by ``shift``."""
    import shutil

    raw = json.loads(S.CLASSIFIER_FILE.read_text())
    for name in (raw["encoder_adapter"]["file"], raw["memory"]["file"]):
        shutil.copy(S.DATA_DIR / name, tmp_path / name)
        shutil.copy(S.DATA_DIR / name, tmp_path / name.replace(".npz", "_1.npz"))  # replaces the shipped member
    raw.pop("fallback", None)  # it names members of the shipped ensemble
    raw["members"] = [{"seed": 1, "adapter": {"file": raw["encoder_adapter"]["file"].replace(".npz", "_1.npz")},
                       "coef": raw["coef"], "intercept": raw["intercept"] + shift,
                       "memory": {**raw["memory"], "file": raw["memory"]["file"].replace(".npz", "_1.npz")}}]
    (tmp_path / "classifier.json").write_text(json.dumps(raw))
    return S.load_classifier.__wrapped__(tmp_path / "classifier.json")


def test_an_ensemble_averages_its_encoders_logits_and_memory_margins(tmp_path):
    import math

    import dataclasses

    clf = dataclasses.replace(S.load_classifier(), members=())  # the first encoder alone
    text = "nobody would even notice if i was gone"
    e = S.embed_for_safety([text])[0]
    same = _classifier_with_a_member(tmp_path, 0.0)
    assert len(same.members) == 1 and same.members[0].adapter == tmp_path / "encoder_lora_1.npz"
    # a member identical to the first changes nothing
    assert abs(same.text_probability(e, text, [e]) - clf.text_probability(e, text)) < 1e-9
    assert abs(same.ensemble_margin(e, [e]) - clf.memory_margin(e)) < 1e-6
    # a member whose logit is 2 higher moves the encoder's logit by the mean, 1
    up = _classifier_with_a_member(tmp_path, 2.0)
    z = lambda p: math.log(p / (1 - p))  # noqa: E731
    assert abs(z(up.encoder_probability(e, [e])) - (z(clf.probability(e)) + 1.0)) < 1e-6
    with pytest.raises(ValueError, match="1 further encoders, got 0"):
        up.text_probability(e, text)


def test_the_detector_loads_the_ensemble_members_encoders(tmp_path, monkeypatch):
    import dataclasses

    text = "i keep thinking everyone would be better off without me"
    e = S.embed_for_safety([text])[0]
    single = dataclasses.replace(S.load_classifier(), members=()).text_probability(e, text)
    clf = _classifier_with_a_member(tmp_path, 0.0)
    monkeypatch.setattr(S, "load_classifier", lambda path=None: clf)
    saved = S._state.pop("member_encoders", None)
    try:
        [member] = S.get_member_encoders()
        assert member is not S.get_safety_encoder() and member.precision == clf.encoder_precision
        assert np.allclose(member.encode([text]), S.embed_for_safety([text]), atol=1e-6)
        assert abs(S.analyse(text)[0] - single) < 1e-9  # an identical member: the same score
    finally:
        S._state.pop("member_encoders", None)
        if saved is not None:
            S._state["member_encoders"] = saved


def test_thresholds_keep_the_mean_fpr_of_our_messages_and_real_questions(trainer):
    """pick_thresholds: the bound is on the mean of the groups' FPRs, and a vetoable pattern verdict
    only stands when the classifier would flag the message too."""
    T = trainer

    rng = np.random.default_rng(0)
    n = 400
    groups = np.array(["ours"] * 300 + ["real"] * 100)
    y = rng.random(n) < 0.4
    probs = np.clip(np.where(y, 0.75, 0.3) + rng.normal(0, 0.15, n), 0, 1)
    probs[(groups == "real") & ~y] += 0.2  # real questions look riskier to the classifier
    none = np.zeros(n, bool)
    t, tb = T.pick_thresholds(probs, none, none, y, 0.05, groups)
    pred = probs >= t
    fprs = [(pred & ~y & (groups == g)).sum() / (~y & (groups == g)).sum() for g in ("ours", "real")]
    assert np.mean(fprs) <= 0.05 and tb >= t
    t_pooled, _ = T.pick_thresholds(probs, none, none, y, 0.05)  # pooled: the 300 of ours outvote the real 100
    assert t_pooled < t
    # a vetoable pattern verdict counts only where the classifier also fires: the same thresholds as none
    pat = np.ones(n, bool)
    assert T.pick_thresholds(probs, pat, none, y, 0.05, groups, vetoable=pat) == (t, tb)
    # a pattern firing on everything, not vetoable: no pair keeps the bound, the lowest FPR (all 1.0) wins
    assert T.pick_thresholds(probs, pat, none, y, 0.05, groups)[0] == 0.2
    # physical messages (an accident, a bodily pain) are not the classifier's to flag: safe rows among them cost no FPR
    physical = ~y & (probs > 0.5)
    t_phys, _ = T.pick_thresholds(probs, none, none, y, 0.05, groups, physical=physical)
    assert t_phys < t
    verdict = T.detector_verdict(probs, none, none, t_phys, t_phys, physical=physical)
    assert not (verdict & physical).any() and (verdict == ((probs >= t_phys) & ~physical)).all()


def test_the_memory_margin_is_computed_as_in_training(trainer):
    """semantic.Classifier.memory_margin (the detector) and train_safety_classifier.memory_margin (the
    held-out scores the stacker was fitted on) agree, and the memory separates plain cases."""
    T = trainer

    clf = S.load_classifier()
    z = np.load(S.MEMORY_FILE)
    texts = ["i have been stockpiling my tablets for the weekend", "my code keeps dying when the server restarts"]
    e = S.embed_for_safety(texts)
    ours = [clf.memory_margin(v) for v in e]
    theirs = T.memory_margin(e, z["embeddings"], z["crisis"])
    assert np.allclose(ours, theirs, atol=1e-5)
    assert ours[0] > 0 > ours[1]


@pytest.mark.parametrize("int8", [False, True], ids=["float32", "int8"])
def test_held_out_components_include_the_memory_margin_and_the_stacker_reads_it(trainer, int8):
    """component_scores with fine-tuning: (chunks, 4), the fourth column the margin against the fold's own
    training chunks; the stacker takes the probabilities' logits and the margin as it is. With int8 the
    encoder's columns come from the fold model's int8 ONNX layers, close to its float32 ones."""
    T = trainer

    t_tr = ["i want to die tonight", "i am going to kill myself", "nice weather today", "the cake was lovely"] * 3
    y_tr = np.array([1, 1, 0, 0] * 3, bool)
    t_te = ["i want to kill myself tonight", "what a lovely cake"]
    comps, owner = T.component_scores(None, t_tr, y_tr, None, t_te, 4.0, 16.0, {"epochs": 1, "lr": 5e-4, "rank": 4},
                                      int8=int8)
    assert comps.shape == (2, 4) and list(owner) == [0, 1]
    assert comps[0, 3] > comps[1, 3]  # nearer the crisis examples than the cake is
    if int8:  # the same fold model (same seed) in float32
        ref, _ = T.component_scores(None, t_tr, y_tr, None, t_te, 4.0, 16.0, {"epochs": 1, "lr": 5e-4, "rank": 4})
        assert not np.array_equal(comps[:, [0, 3]], ref[:, [0, 3]])  # really computed another way
        assert np.abs(T.logit(comps[:, 0]) - T.logit(ref[:, 0])).max() < 0.5
        assert np.abs(comps[:, 3] - ref[:, 3]).max() < 0.05
        assert np.array_equal(comps[:, 1:3], ref[:, 1:3])  # the n-gram models do not read the encoder
    feats = T.stack_features(comps)
    assert np.allclose(feats[:, :3], T.logit(comps[:, :3])) and np.allclose(feats[:, 3], comps[:, 3])
    stack = T.fit_stacker(np.vstack([comps, comps]), np.array([1, 0, 1, 0], bool))
    assert stack.coef_.shape == (1, 4)


def test_an_ensemble_of_seeds_averages_the_encoders_logits_and_margins_in_training(trainer, tmp_path):
    """--seeds 0,1: the held-out encoder column is the sigmoid of the two seeds' mean logit and the margin their mean
    (as semantic.Classifier computes them), and the final training writes one adapter and memory per seed."""
    T = trainer
    t_tr = ["i want to die tonight", "i am going to kill myself", "nice weather today", "the cake was lovely"] * 3
    y_tr = np.array([1, 1, 0, 0] * 3, bool)
    t_te = ["i want to kill myself tonight", "what a lovely cake"]
    ft = {"epochs": 1, "lr": 5e-4, "rank": 4}
    both, _ = T.component_scores(None, t_tr, y_tr, None, t_te, 4.0, 16.0, {**ft, "seeds": (0, 1)}, int8=True)
    one = [T.component_scores(None, t_tr, y_tr, None, t_te, 4.0, 16.0, {**ft, "seeds": (s,)}, int8=True)[0] for s in (0, 1)]
    assert not np.allclose(one[0][:, 0], one[1][:, 0])  # the seeds give different encoders
    assert np.allclose(T.logit(both[:, 0]), (T.logit(one[0][:, 0]) + T.logit(one[1][:, 0])) / 2, atol=1e-5)
    assert np.allclose(both[:, 3], (one[0][:, 3] + one[1][:, 3]) / 2, atol=1e-6)
    member = T.train_member(t_tr, y_tr, {**ft, "seeds": (0, 1)}, 1, T.member_path(tmp_path / "a.npz", 1),
                            T.member_path(tmp_path / "m.npz", 1), int8=True)
    assert (tmp_path / "a_1.npz").is_file() and member["memory"]["file"] == "m_1.npz" and len(member["coef"]) == 384


def test_training_rows_take_other_writers_dev_split_and_leave_out_near_copies(trainer):
    T = trainer
    ex, ev, other = S.DATA_DIR / "exemplars.jsonl", S.DATA_DIR / "eval_set.jsonl", S.DATA_DIR / "eval_other_writers.jsonl"
    base = T.training_rows(ex, ev)
    more = T.training_rows(ex, ev, other_writers=other, skip=frozenset({"x4101", "x4456"}))
    n_other_dev = sum(json.loads(line)["split"] == "dev" for line in other.read_text().splitlines() if line.strip())
    assert sum(r["source"] == "other" for r in more) == n_other_dev == 762
    assert sum(r["source"] == "exemplar" for r in more) == sum(r["source"] == "exemplar" for r in base) - 2
    assert len(more) == len(base) + n_other_dev - 2


def test_a_missing_member_adapter_is_reported_once_and_not_reloaded_per_message(tmp_path, monkeypatch):
    clf = _classifier_with_a_member(tmp_path, 0.0)
    (tmp_path / "encoder_lora_1.npz").unlink()
    monkeypatch.setattr(S, "load_classifier", lambda path=None: clf)
    saved = {k: S._state.pop(k) for k in ("member_encoders", "member_error") if k in S._state}
    calls = []
    real = S.MiniLMEncoder.with_adapter
    monkeypatch.setattr(S.MiniLMEncoder, "with_adapter", lambda self, path: calls.append(path) or real(self, path))
    try:
        for _ in range(2):
            with pytest.raises(RuntimeError, match="ensemble encoder unavailable"):
                S.get_member_encoders()
        assert len(calls) == 1
        assert S.status().startswith("ensemble encoder unavailable")  # as /health reports it
    finally:
        for k in ("member_encoders", "member_error"):
            S._state.pop(k, None)
        S._state.update(saved)


def test_thresholds_only_re_picks_the_fallbacks_thresholds_from_its_own_held_out_scores(trainer, tmp_path, monkeypatch):
    """--thresholds-only after a pattern change: the main thresholds from the OOF file's ``oof`` and the fallback's
    (the ensemble without all-mpnet-base-v2) from its ``fallback_oof``, which --add-mpnet saves; without it the
    fallback's are kept and the run says so."""
    T = trainer
    safe = ["the weather is nice today", "i made pasta for dinner", "my cat sleeps all day", "work was busy",
            "we watched a film", "i started running again", "the bus was late", "i like my new job"]
    risky = ["i have been feeling low for weeks", "nothing feels worth it", "i cry every night", "i feel empty"]
    rows = [{"id": f"x{i}", "text": t, "crisis": c} for i, (t, c) in
            enumerate([(t, False) for t in safe * 5] + [(t, True) for t in risky * 5])]
    (tmp_path / "ex.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (tmp_path / "eval.jsonl").write_text("", encoding="utf-8")  # no dev rows
    y = np.array([r["crisis"] for r in rows])
    rng = np.random.default_rng(1)
    oof = np.where(y, 0.7, 0.2) + rng.uniform(0, 0.05, len(y))  # separable above 0.25
    fallback_oof = np.where(y, 0.9, 0.5) + rng.uniform(0, 0.05, len(y))  # separable above 0.55
    fallback = {"without": S.MPNET_ID, "members": [0], "stack": {"coef": [1.0]}, "threshold": 0.5, "threshold_benign": 0.9}
    out = tmp_path / "classifier.json"

    def run(**saved):
        out.write_text(json.dumps({"threshold": 0.5, "threshold_benign": 0.9, "calibration": {}, "fallback": fallback}))
        np.savez(tmp_path / "oof.npz", oof=oof, y=y, folds=3, **saved)
        monkeypatch.setattr(T, "COUNSEL_CHAT_CSV", tmp_path / "absent.csv")
        monkeypatch.setattr("sys.argv", ["train", "--exemplars", str(tmp_path / "ex.jsonl"), "--eval-set",
                                         str(tmp_path / "eval.jsonl"), "--out", str(out),
                                         "--thresholds-only", str(tmp_path / "oof.npz")])
        T.main()
        return json.loads(out.read_text())

    w = run(fallback_oof=fallback_oof)
    assert 0.2 < w["threshold"] <= 0.7
    fb = w["fallback"]
    assert 0.5 < fb["threshold"] <= 0.9 and fb["threshold"] > w["threshold"] + 0.2
    assert fb["calibration"]["all"]["recall"] == 1.0 and fb["calibration"]["held_out_fpr_bounded"] == 0.0
    assert (fb["members"], fb["stack"], fb["without"]) == ([0], {"coef": [1.0]}, S.MPNET_ID)
    w = run()
    assert (w["fallback"]["threshold"], w["fallback"]["threshold_benign"]) == (0.5, 0.9)


def test_saved_held_out_scores_for_other_rows_or_not_from_the_trainer_are_refused(trainer, tmp_path):
    y = np.array([True, False, True])
    np.savez(tmp_path / "ok.npz", y=y, oof=np.zeros(3))
    assert list(trainer.load_saved(tmp_path / "ok.npz", y, "held-out scores")["oof"]) == [0, 0, 0]
    np.savez(tmp_path / "other.npz", y=np.array([True, True, True]))
    np.savez(tmp_path / "no_labels.npz", oof=np.zeros(3))
    (tmp_path / "text.npz").write_text("not numpy")
    for name, why in (("other.npz", "are for other training rows"), ("no_labels.npz", "not a file written by --oof-out"),
                      ("text.npz", "not readable"), ("absent.npz", "not readable")):
        with pytest.raises(SystemExit, match=why) as exc:
            trainer.load_saved(tmp_path / name, y, "held-out scores")
        assert str(tmp_path / name) in str(exc.value)


def test_texts_scored_together_score_as_each_alone():
    """analyse_many (the two-sentence pass scores its pairs in one call, the memories read once for all of them)
    gives each text what analyse gives it alone, long texts' chunks and empty text included."""
    texts = ["i have nothing left to live for and i have the pills", "", "what time does the library open on sunday",
             "my exam went fine. " * 60 + "some nights i sit in the garage with the engine running."]
    together = S.analyse_many(texts)
    assert len(together) == len(texts)
    for text, (score, cats, urgent) in zip(texts, together):
        alone_score, alone_cats, alone_urgent = S.analyse(text)
        assert abs(score - alone_score) < 1e-6 and cats.keys() == alone_cats.keys()
        assert all(abs(cats[k] - alone_cats[k]) < 1e-6 for k in cats)
        assert (urgent is None) == (alone_urgent is None) and (urgent is None or abs(urgent - alone_urgent) < 1e-6)
    assert together[0][0] > 0.9 > 0.1 > together[2][0] and together[1] == (0.0, {}, None)
    clf = S.active_classifier()
    e = S.embed_for_safety(texts[:3])
    members = [encoder.encode(texts[:3]) for encoder in S.get_member_encoders()]
    batched = clf.ensemble_margins(e, members)
    assert np.allclose(batched, [clf.ensemble_margin(e[i], [m[i] for m in members]) for i in range(3)], atol=1e-6)


def test_the_fallback_reads_a_pair_the_ensemble_is_sure_of_as_likely_too():
    """fallback_probabilities: the MiniLM pair alone (the classifier's fallback) scores what the ensemble scores near 1
    high as well, and everyday text low, which is what lets the two-sentence pass skip the ensemble below 0.5."""
    pairs = ["some nights i sit in the car with the garage door shut and think about starting the engine. then i think of "
             "the boys and go inside.", "my manager keeps changing the rota at short notice. what can i do to sleep better?", ""]
    cheap = S.fallback_probabilities(pairs)
    full = [score for score, _, _ in S.analyse_many(pairs)]
    assert full[0] >= 0.99 and cheap[0] >= 0.9 and cheap[1] < 0.5 and cheap[2] == 0.0
