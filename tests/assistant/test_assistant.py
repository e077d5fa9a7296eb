"""The Assistant pipeline on a real tiny fine-tuned run (transformers backend)."""

from __future__ import annotations

import pytest

from mhqa.assistant import (NO_MATCH, POLICY, Assistant, Reply, _Turn, format_grounding, history_window,
                            select_grounding, trim_words)
from mhqa.backends import GenerationSettings
from mhqa.errors import MhqaError, RunError
from mhqa.safety import AI_DISCLOSURE, SAFE_FALLBACK, assess, resources_for
from mhqa.safety.policy import STAND_DOWN

GREEDY = GenerationSettings(max_new_tokens=12, greedy=True)
SLEEP_Q = "I lie awake for hours every night and can't drift off, what helps?"


def user(text):
    return [{"role": "user", "content": text}]


def test_crisis_gets_fixed_reply_without_model_call(assistant, counted_backend):
    reply = assistant.reply(user("I want to kill myself tonight"), locale="en-GB")
    assert counted_backend.calls == 0
    assert reply.crisis and reply.level in ("urgent", "emergency")
    assert reply.backend == "safety" and reply.sources == []
    gb = resources_for("en-GB")
    assert [r["name"] for r in reply.resources] == [r.name for r in gb.resources]
    assert gb.emergency in reply.text
    assert reply.tokens == {"prompt": 0, "completion": 0}


def test_crisis_earlier_in_conversation_keeps_safe_mode(assistant, counted_backend):
    msgs = [{"role": "user", "content": "I have a plan to end my life"},
            {"role": "assistant", "content": "..."},
            {"role": "user", "content": "what is stress?"}]
    reply = assistant.reply(msgs)
    assert reply.crisis and counted_backend.calls == 0


def test_a_no_to_the_direct_question_gets_a_fixed_answer_and_the_chat_goes_on(assistant, counted_backend):
    # "gonna go for a walk" is flagged by the classifier alone (tests/safety/test_check_in.py): the crisis reply
    # asks directly, and a clear "no" is answered with fixed text, after which the model answers again
    first = assistant.reply(user("gonna go for a walk"))
    assert first.crisis and "ask you directly" in first.text
    msgs = [*user("gonna go for a walk"), {"role": "assistant", "content": first.text},
            *user("no, I meant an actual walk")]
    reply = assistant.reply(msgs)
    assert not reply.crisis and reply.level == "none" and reply.backend == "safety" and counted_backend.calls == 0
    assert STAND_DOWN in reply.text and AI_DISCLOSURE in reply.text
    msgs += [{"role": "assistant", "content": reply.text}, *user(SLEEP_Q)]
    later = assistant.reply(msgs, settings=GREEDY)
    assert not later.crisis and counted_backend.calls == 1


def test_normal_message_has_sources_disclosure_timings_tokens(assistant, counted_backend):
    reply = assistant.reply(user(SLEEP_Q), settings=GREEDY)
    assert counted_backend.calls == 1
    assert not reply.crisis and reply.level == "none"
    assert reply.sources and reply.sources[0].startswith("sleep-")
    assert reply.text.rstrip().endswith(AI_DISCLOSURE)
    assert set(reply.timings) >= {"retrieval_s", "first_token_s", "total_s"}
    assert reply.timings["total_s"] >= reply.timings["retrieval_s"] >= 0
    assert reply.tokens["prompt"] > 0 and 0 < reply.tokens["completion"] <= GREEDY.max_new_tokens
    assert reply.backend == "transformers"
    assert Reply(**reply.to_dict()) == reply


def test_stream_chunks_add_up_to_the_reply(assistant):
    items = list(assistant.stream(user(SLEEP_Q), settings=GREEDY))
    reply = items[-1]
    assert isinstance(reply, Reply) and all(isinstance(x, str) for x in items[:-1])
    assert not reply.guard
    assert "".join(items[:-1]) == reply.text


def test_greedy_reply_is_deterministic(assistant):
    a = assistant.reply(user(SLEEP_Q), settings=GREEDY)
    b = assistant.reply(user(SLEEP_Q), settings=GREEDY)
    assert a.text == b.text


def test_prompt_carries_policy_grounding_and_run_system_prompt(assistant):
    hits = assistant.index.search(SLEEP_Q, 2)
    prompt = assistant.build_prompt(user(SLEEP_Q), select_grounding(hits))
    assert assistant.fmt.system_prompt and prompt.index(assistant.fmt.system_prompt) < prompt.index(POLICY)
    assert hits[0].question in prompt
    assert prompt.count("<|im_start|>user") == 1 and prompt.endswith("<|im_start|>assistant\n")
    # the user turn is exactly what was typed: the grounding sits in the system message
    assert f"<|im_start|>user\n{SLEEP_Q}<|im_end|>" in prompt


def test_retrieval_grounds_the_prompt_in_the_sentences_that_answer(assistant):
    from mhqa.assistant import ANSWER_WORDS
    from mhqa.retrieval import split_sentences

    turn = assistant._prepare(user(SLEEP_Q), None)
    assistant._retrieve(turn)
    assert turn.hits and all(h.excerpt for h in turn.hits)
    for hit in turn.hits:  # sentences of the answer (one cut short at most), not the whole entry
        assert all(s in hit.answer for s in split_sentences(hit.excerpt.rstrip("…")))
    prompt = assistant.build_prompt(turn.messages, turn.hits)
    assert all(h.excerpt in prompt for h in turn.hits)
    assert sum(len(h.excerpt.split()) for h in turn.hits) <= ANSWER_WORDS


def test_history_window_is_bounded(assistant):
    msgs = []
    for i in range(12):
        msgs += [{"role": "user", "content": f"question number {i}"}, {"role": "assistant", "content": f"answer {i} " * 80}]
    msgs.append({"role": "user", "content": "the last question"})
    prompt = assistant.build_prompt(msgs, [])
    assert "question number 10" in prompt and "question number 11" in prompt
    assert "question number 9" not in prompt and "question number 0" not in prompt
    window = history_window(msgs)
    assert len(window) == 5 and window[0]["role"] == "user" and window[-1]["content"] == "the last question"
    assert all(len(m["content"].split()) <= 50 for m in window)


def test_output_guard_replaces_a_violating_generation(assistant):
    turn = _Turn(user("how much sertraline should I take?"), "en-US", 0.0, assess("how much?"))
    reply = assistant._finish("You should take 150 mg of sertraline each morning.", turn)
    assert reply.guard == ["dose"]
    assert "150 mg" not in reply.text and SAFE_FALLBACK in reply.text
    assert reply.text.count(AI_DISCLOSURE) == 1


def test_an_accident_gets_an_answer_that_points_to_a_clinician(assistant, counted_backend):
    """Not a crisis (the classifier alone would have flagged it: the physical veto), so the model answers, and the
    answer ends by pointing to a doctor, nurse or pharmacist and the locale's emergency number."""
    reply = assistant.reply(user("my dad hurt himself falling down the stairs"), locale="en-GB", settings=GREEDY)
    assert not reply.crisis and counted_backend.calls == 1
    note = reply.text.split("\n\n")[-2]
    assert "doctor, nurse or pharmacist" in note and resources_for("en-GB").emergency in note
    assert reply.text.endswith(AI_DISCLOSURE) and reply.text.count(AI_DISCLOSURE) == 1
    calm = assistant.reply(user(SLEEP_Q), settings=GREEDY)
    assert "pharmacist" not in calm.text


def test_off_topic_question_gets_no_grounding(assistant):
    reply = assistant.reply(user("who won the football match yesterday"), settings=GREEDY)
    assert reply.sources == []


def test_retrieval_mode_answers_with_the_entry_without_a_model(tiny_run):
    a = Assistant.from_run(tiny_run, mode="retrieval")
    assert a.backend is None
    reply = a.reply(user(SLEEP_Q))
    entry = {e.entry_id: e for e in a.index.entries}[reply.sources[0]]
    assert reply.text.startswith(entry.answer.split(".")[0]) and reply.backend == "retrieval"
    assert a.reply(user("recommend a pizza topping")).text.startswith(NO_MATCH)


def test_without_retrieval_there_are_no_sources(tiny_run):
    a = Assistant.from_run(tiny_run, backend="transformers", retrieval=False)
    assert a.index is None
    assert a.reply(user(SLEEP_Q), settings=GREEDY).sources == []


def test_faq_option_uses_kaggle_question_ids(tiny_run, kaggle_csv):
    a = Assistant.from_run(tiny_run, faq=kaggle_csv, mode="retrieval")
    reply = a.reply(user("how do I find a support group near me"))
    assert reply.sources and reply.sources[0] in {"9539480", "9630578"}


def test_bad_input_is_a_clean_error(assistant, tmp_path):
    with pytest.raises(MhqaError):
        assistant.reply([{"role": "assistant", "content": "hi"}])
    with pytest.raises(MhqaError):
        assistant.reply([])
    with pytest.raises(RunError):
        Assistant.from_run(tmp_path / "nope")


def test_grounding_is_lean():
    from mhqa.retrieval import Hit

    long = " ".join(f"Sentence {i} says something useful." for i in range(60))
    a, b = Hit("a", "a", 0.80, "Q1?", long), Hit("b", "b", 0.78, "Q2?", long)
    c = Hit("c", "c", 0.60, "Q3?", long)
    assert select_grounding([a, b, c]) == [a, b]
    assert select_grounding([a, c]) == [a]
    block = format_grounding([a, b])
    assert len(block.split()) <= 80 + 10
    assert trim_words(long, 80).endswith(".")
