"""A flag that rests on the embedding classifier alone is checked, not assumed: the crisis reply asks directly, a
"yes" makes it urgent, and a clear "no" withdraws it instead of holding the whole conversation in safe mode."""

from dataclasses import replace

import pytest

from mhqa.safety import assess, crisis_reply
from mhqa.safety.assess import Assessment, _released
from mhqa.safety.normalize import normalize
from mhqa.safety.policy import CHECK_IN, STAND_DOWN
from mhqa.safety.replies import answer_to_risk_question, denies_risk

QUESTION = CHECK_IN.format(others="")
# An everyday message the shipped classifier flags on its own (p=0.85, urgent; session 18 found it among ordinary
# chat turns). If a retrained classifier stops flagging it, pick another such message for these tests.
AMBIGUOUS = "gonna go for a walk"


@pytest.mark.parametrize("text", [
    "no", "No, I'm fine lol", "nope i dont", "Nah, I meant I'm literally going for a walk 😂", "NOOO haha",
    "not at all, sorry for scaring you", "no, I was talking about my phone battery dying", "never, I promise",
    "no, it was a joke", "No, I'm not suicidal", "nope, all good here",
])
def test_clear_denials(text):
    assert denies_risk(normalize(text), QUESTION)


@pytest.mark.parametrize("text", [
    # hedged or partial answers keep the safe mode on: crisis services treat them as a "maybe"
    "no not really", "no but sometimes", "not right now", "no... i guess", "not anymore", "nah not today",
    "no, it's just that tonight is hard", "no i dont know", "idk", "kinda", "yes", "",
])
def test_hedged_or_other_answers_are_not_denials(text):
    assert not denies_risk(normalize(text), QUESTION)


@pytest.mark.parametrize("question", [
    "Are you safe right now?",  # "no" here is itself a crisis (replies.answer_to_risk_question)
    "Is your friend thinking about killing herself?",  # about someone else
    "Would you like to know more about suicide prevention?",  # an offer, not a question about the person
    "How was your day?", None,
])
def test_a_no_counts_only_after_a_direct_question_about_the_writers_own_thoughts(question):
    assert not denies_risk("no", question)


def test_a_check_in_flag_gets_a_reply_that_asks_directly():
    a = assess(AMBIGUOUS)
    assert a.crisis and a.check_in and not any(e.startswith("pattern:") for e in a.evidence)
    reply = crisis_reply(a)
    assert "988" in reply and "are you having thoughts of ending your life" in reply
    # the question is the reply's last one, so the answer to it is read with it
    assert answer_to_risk_question("yes", reply) == ("urgent", ("suicidal_ideation",))
    assert denies_risk("no", reply)


def test_the_question_stays_the_last_one_where_a_help_line_name_has_a_question_mark():
    reply = crisis_reply(assess(AMBIGUOUS, locale="en-NZ"), "en-NZ")
    assert "Need to talk?" in reply  # New Zealand's 1737 line
    assert answer_to_risk_question("yeah", reply) is not None and denies_risk("nope", reply)


def test_a_clear_no_withdraws_the_flag_and_the_conversation_goes_on():
    first = assess(AMBIGUOUS)
    turns = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": crisis_reply(first)}]
    no = assess("no lol, I meant an actual walk with my dog", history=turns)
    assert not no.crisis and no.stood_down and no.level == "none"
    assert any("withdrawn" in e for e in no.evidence)
    turns += [{"role": "user", "content": "no lol, I meant an actual walk with my dog"},
              {"role": "assistant", "content": STAND_DOWN}]
    later = assess("how can I sleep better?", history=turns)
    assert not later.crisis and not later.from_history and not later.stood_down
    # ... and a crisis after it is a crisis again, and keeps the safe mode on from there
    assert assess("i want to kill myself", history=turns).crisis
    turns += [{"role": "user", "content": "i want to kill myself"}, {"role": "assistant", "content": "..."}]
    assert assess("how can I sleep better?", history=turns).from_history


def test_a_hedged_answer_keeps_the_safe_mode_and_the_question():
    first = assess(AMBIGUOUS)
    turns = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": crisis_reply(first)}]
    hedged = assess("no not really", history=turns)
    assert hedged.crisis and hedged.from_history and hedged.check_in and not hedged.stood_down
    assert "ask you directly" in crisis_reply(hedged)
    yes = assess("yes", history=turns)
    assert yes.crisis and yes.level == "urgent" and not yes.check_in
    assert "ask you directly" not in crisis_reply(yes)


def test_a_no_that_a_pattern_flags_withdraws_nothing():
    turns = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": crisis_reply(assess(AMBIGUOUS))}]
    a = assess("no i just want to sleep and never wake up", history=turns)
    assert a.crisis and not a.stood_down


def test_a_no_that_repeats_the_ambiguous_words_still_counts():
    # the clarification scores as the first message did (classifier alone), and the "no" answers the question
    said = "no, I meant an actual walk"
    assert assess(said).check_in
    turns = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": crisis_reply(assess(AMBIGUOUS))}]
    a = assess(said, history=turns)
    assert not a.crisis and a.stood_down and a.categories == ()
    turns += [{"role": "user", "content": said}, {"role": "assistant", "content": STAND_DOWN}]
    assert not assess("thanks, any tips for sleep?", history=turns).crisis


def test_a_patterns_verdict_is_never_withdrawn_by_a_no():
    # the reply to a pattern's verdict does not ask, and a "no" after a forged question does not withdraw it
    said = "i want to kill myself"
    assert QUESTION not in crisis_reply(assess(said))
    turns = [{"role": "user", "content": said}, {"role": "assistant", "content": QUESTION}]
    a = assess("no", history=turns)
    assert a.crisis and a.from_history and not a.stood_down
    # nor is a classifier-only flag that came after it
    turns += [{"role": "user", "content": "thanks"}, {"role": "assistant", "content": "..."},
              {"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": QUESTION}]
    assert assess("no", history=turns).crisis


def _verdict(level="none", only=False):
    return Assessment(level != "none", level, ("suicidal_ideation",) if level != "none" else (), check_in=only)


@pytest.mark.parametrize("earlier,released", [
    ([_verdict("urgent", only=True)], 1),
    ([_verdict("concern", only=True), _verdict(), _verdict(), _verdict()], 4),
    ([_verdict("concern", only=True), _verdict(), _verdict("urgent", only=True)], 0),  # one flag at most
    ([_verdict("urgent", only=False)], 0),  # a pattern's verdict
    ([_verdict("emergency", only=True)], 0),  # never below an emergency
    ([_verdict("urgent", only=False), _verdict("concern", only=True)], 0),
    ([_verdict()], 0),  # nothing to withdraw
])
def test_which_earlier_turns_a_no_withdraws(earlier, released):
    texts = ["..."] * len(earlier) + ["no"]
    asked = [None] * len(earlier) + [QUESTION]
    assert _released(earlier, _verdict(), asked, texts) == released


def test_only_the_latest_no_decides_and_a_second_flag_stays():
    # a check-in flag and its "no" (withdrawn then), then a pattern's crisis and a "no" after it: kept
    earlier = [_verdict("urgent", only=True), _verdict(), _verdict("urgent")]
    asked, texts = [None, QUESTION, None, QUESTION], ["...", "no", "...", "no"]
    assert _released(earlier, _verdict(), asked, texts) == 0
    # nor does a second check-in flag go: a conversation flagged twice stays in safe mode
    earlier[2] = replace(earlier[2], check_in=True)
    assert _released(earlier, _verdict(), asked, texts) == 0
    assert _released(earlier[:2], _verdict(), asked[:3], texts[:3]) == 1


@pytest.mark.parametrize("text", [
    "my daughter has been so quiet and i found a note in her bag", "hes not answering his phone since last night",
])
def test_no_check_in_when_the_message_is_about_someone_else(text):
    # the writer's own "no" would say nothing about that person
    a = assess(text)
    assert a.crisis and not a.check_in and "ask you directly" not in crisis_reply(a)


def test_the_check_in_question_fits_the_risk():
    other = crisis_reply(Assessment(True, "urgent", ("harm_to_others",), check_in=True))
    assert "hurting yourself or someone else?" in other
    for a in (Assessment(True, "emergency", ("overdose",), check_in=True),
              Assessment(True, "urgent", ("abuse",), check_in=True),
              Assessment(True, "urgent", ("suicidal_ideation", "third_party"), check_in=True, about_other=True),
              Assessment(True, "urgent", ("suicidal_ideation",))):
        assert "ask you directly" not in crisis_reply(a), a


def test_the_no_itself_may_be_flagged_by_the_classifier_but_not_by_a_pattern():
    earlier = [_verdict("urgent", only=True)]
    assert _released(earlier, _verdict("urgent", only=True), [None, QUESTION], ["...", "no"]) == 1
    assert _released(earlier, _verdict("urgent"), [None, QUESTION], ["...", "no"]) == 0


def test_after_a_withdrawn_flag_the_classifier_keeps_watching():
    said = "the train at 11:40 doesnt stop here"
    alone = assess(said)
    assert not alone.crisis and 0.5 <= alone.score < 0.76  # below the shipped threshold, above the watch
    turns = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": crisis_reply(assess(AMBIGUOUS))},
             {"role": "user", "content": "no"}, {"role": "assistant", "content": STAND_DOWN}]
    a = assess(said, history=turns)
    assert a.crisis and a.level == "concern" and not a.check_in and any("watched" in e for e in a.evidence)
    assert "ask you directly" not in crisis_reply(a)
    # a turn watched so keeps the safe mode on, and no "no" withdraws it
    turns += [{"role": "user", "content": said}, {"role": "assistant", "content": crisis_reply(a)}]
    assert assess("what about sleep tips", history=turns).from_history
    assert assess("no", history=turns + [{"role": "user", "content": "ok"}, {"role": "assistant", "content": QUESTION}]).crisis


def test_the_question_is_asked_only_while_a_no_can_still_withdraw_the_flag():
    reply = crisis_reply(assess(AMBIGUOUS))
    turns = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": reply},
             {"role": "user", "content": "no"}, {"role": "assistant", "content": STAND_DOWN}]
    again = assess(AMBIGUOUS, history=turns)  # a second flag in the same conversation
    assert again.crisis and not again.check_in and "ask you directly" not in crisis_reply(again)
    two = [{"role": "user", "content": AMBIGUOUS}, {"role": "assistant", "content": reply},
           {"role": "user", "content": "i have the whole evening to myself"}]
    a = assess("ok", history=two + [{"role": "assistant", "content": reply}])
    assert a.crisis and not a.check_in
