"""assess() never crashes: arbitrary Unicode, empty text, very long input."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhqa.safety import LEVELS, assess, guard_output, locale_from_accept_language, resources_for
from mhqa.safety.normalize import normalize


def _valid(a):
    assert a.level in LEVELS and a.crisis == (a.level != "none")
    assert isinstance(a.categories, tuple) and isinstance(a.evidence, tuple)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_patterns_never_crash_on_unicode(text):
    _valid(assess(text, semantic=False))
    assert isinstance(normalize(text), str)


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_full_assess_never_crashes(text):
    _valid(assess(text))


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.one_of(st.text(), st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]),
                                                                        "content": st.text()})), max_size=5))
def test_history_never_crashes(text, history):
    _valid(assess(text, history=history, semantic=False))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_guard_and_locale_never_crash(text):
    assert isinstance(guard_output(text).ok, bool)
    assert resources_for(text).emergency
    assert isinstance(locale_from_accept_language(text), str)


def test_empty_and_whitespace():
    for text in ("", " ", "\n\t", "\u200b"):
        _valid(assess(text))
        assert not assess(text).crisis


def test_100k_characters():
    filler = "I had a normal day at work and then cooked dinner. " * 2000  # ~100k chars
    _valid(assess(filler))
    assert not assess(filler, semantic=False).crisis
    a = assess(filler[:50_000] + " I want to kill myself. " + filler[:50_000], semantic=False)
    assert len(filler) >= 100_000
    _valid(a)


def test_100k_characters_crisis_at_the_end():
    text = ("lorem ipsum dolor sit amet " * 4000) + " i am going to kill myself"
    assert len(text) > 100_000
    assert assess(text).crisis


@pytest.mark.parametrize("sentence", ["years ago i overdosed. ", "today i graduated. "])
def test_100k_characters_of_one_repeated_sentence(sentence):
    """Thousands of matches, each looking at its own sentence: the pattern layer reads a window around
    each, not the whole message again (this took ~7 s before the window)."""
    text = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    a = assess(text, semantic=False)
    _valid(a)
    assert a.level != "emergency"


def test_non_string_input():
    _valid(assess(12345, semantic=False))
    _valid(assess(None, semantic=False))


_QUESTION = "I'd like to ask you directly: are you having thoughts of ending your life or of hurting yourself?"
_TURN = st.one_of(st.sampled_from(["gonna go for a walk", "no", "nope, I meant a walk", "i want to kill myself", "ok",
                                   "not really", "yes", "the train at 11:40 doesnt stop here"]), st.text(max_size=60))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TURN, st.sampled_from([_QUESTION, "How can I help?", ""])), max_size=6), _TURN)
def test_check_in_conversations_never_crash_nor_drop_a_patterns_crisis(pairs, text):
    # the withdrawal of a classifier-only flag (assess._released) on arbitrary mixes of flags, questions and answers
    history = [m for user, asked in pairs for m in ({"role": "user", "content": user},
                                                    {"role": "assistant", "content": asked})]
    a = assess(text, history=history)
    _valid(a)
    assert not (a.stood_down and a.crisis)
    if "i want to kill myself" in [user for user, _ in pairs] + [text]:
        assert a.crisis
