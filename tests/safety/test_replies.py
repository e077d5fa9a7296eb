"""Short replies: content-free turns are not scored alone, and answers to the assistant's risk questions count."""

import pytest

from mhqa.safety import assess
from mhqa.safety.normalize import normalize
from mhqa.safety.replies import answer_to_risk_question, content_free


@pytest.mark.parametrize("text", [
    "ok", "Okkkk!!", "ok ty", "k", "thx!!", "no not really", "yeah that makes sense", "hmm maybe", "back now",
    "lol ok fair", "Thank you so much :)", "u there?", "idk", "yes.", "I'm not sure", "okie dokie",
    # a follow-up on the assistant's own suggestion
    "ok ill try that tomorrow", "tried the breathing thing, it kinda worked", "will try journaling tonight",
    "thats fair, didnt think of it that way", "okay that's a good point", "I'll stop here for today, thanks",
])
def test_content_free_replies(text):
    assert content_free(normalize(text))


@pytest.mark.parametrize("text", [
    # a goodbye, giving up or "fine" can carry risk: never content-free
    "bye", "goodnight everyone", "whatever", "im done", "enough", "im fine", "ok bye forever",
    # anything with content
    "ok i have the pills", "yes i want to die", "no one would miss me", "thanks for everything",
    "no point", "yeah tonight i think", "hmm " * 30 + "i took them all",
    # "try" and "do" with anything but the assistant's kinds of suggestion
    "ok i'll try the pills tonight", "i'll do it tonight", "i'll do that tonight", "ill try the rope",
    "i might try the bath thing", "i tried it again last night", "gonna go for a walk before it gets dark",
    "bye for now, talk tomorrow",
])
def test_replies_with_content_are_not_content_free(text):
    assert not content_free(normalize(text))


@pytest.mark.parametrize("text", ["ok", "ok ty", "no not really", "back now", "tried the breathing thing, it kinda worked"])
def test_content_free_reply_is_not_a_crisis_on_its_own(text):
    # with the embedding classifier on: alone, "ok" used to score p=0.85 (urgent)
    a = assess(text)
    assert not a.crisis and a.score is None
    assert "reply:content-free, not scored alone" in a.evidence


def test_content_free_reply_keeps_safe_mode_after_a_crisis():
    history = [{"role": "user", "content": "i took all my pills an hour ago"},
               {"role": "assistant", "content": "Please call 911 now."}]
    a = assess("ok", history=history, semantic=False)
    assert a.crisis and a.level == "emergency" and a.from_history


@pytest.mark.parametrize("question,reply,level,categories", [
    ("I'm sorry it has been so hard. Are you having thoughts of suicide?", "yes", "urgent", ["suicidal_ideation"]),
    ("Are you having thoughts of suicide?", "yeah..", "urgent", ["suicidal_ideation"]),
    ("Are you having thoughts of suicide?", "kinda", "concern", ["suicidal_ideation"]),
    ("Are you having thoughts of suicide?", "idk maybe", "concern", ["suicidal_ideation"]),
    ("Do you ever wish you were dead?", "sometimes", "concern", ["suicidal_ideation"]),
    ("Have you been hurting yourself?", "yes", "urgent", ["self_harm"]),
    ("Are you safe right now?", "no", "urgent", ["suicidal_ideation"]),
    ("Are you safe right now?", "not sure", "urgent", ["suicidal_ideation"]),
    ("Do you feel safe at home?", "no", "urgent", ["abuse"]),
    ("Is your friend thinking about killing herself?", "yes", "urgent", ["suicidal_ideation", "third_party"]),
])
def test_answer_to_the_assistants_risk_question_is_a_crisis(question, reply, level, categories):
    history = [{"role": "user", "content": "everything is a lot lately"}, {"role": "assistant", "content": question}]
    a = assess(reply, history=history, semantic=False)
    assert a.crisis and a.level == level and list(a.categories) == categories
    assert "reply:answers the assistant's question about risk" in a.evidence


@pytest.mark.parametrize("question,reply", [
    ("Are you having thoughts of suicide?", "no"),
    ("Are you having thoughts of suicide?", "nope, just tired"),
    ("Are you safe right now?", "yes"),
    ("Would you like to know more about suicide prevention?", "yes"),
    ("Do you want to know the warning signs of suicide?", "yeah"),
    ("Have you thought about calling the suicide hotline?", "yes"),
    ("Are you thinking of telling your friend about suicide prevention week?", "yes"),
    ("Do you have a plan to get more sleep?", "yes"),
    ("Would you like some tips for sleep?", "yes"),
    ("Is it safe to take ibuprofen with paracetamol?", "no"),
    ("Are you having thoughts of suicide? If so, please call 988.", "ok"),  # the last question is not one
])
def test_other_replies_and_questions_are_not(question, reply):
    history = [{"role": "user", "content": "how do i sleep better"}, {"role": "assistant", "content": question}]
    assert not assess(reply, history=history, semantic=False).crisis


def test_only_the_turn_just_before_the_reply_counts():
    history = [{"role": "assistant", "content": "Are you having thoughts of suicide?"},
               {"role": "user", "content": "no"}, {"role": "assistant", "content": "Good. How is your sleep?"}]
    assert not assess("yes", history=history, semantic=False).crisis
    assert answer_to_risk_question("yes", None) is None


def test_an_earlier_yes_to_a_risk_question_keeps_safe_mode_on():
    history = [{"role": "assistant", "content": "Are you having thoughts of ending your life?"},
               {"role": "user", "content": "yeah"},
               {"role": "assistant", "content": "Thank you for telling me."}]
    a = assess("anyway, how do I sleep better?", history=history, semantic=False)
    assert a.crisis and a.from_history and a.level == "urgent"


def test_history_may_be_a_generator():
    turns = [{"role": "user", "content": "so tired"}, {"role": "assistant", "content": "Are you having thoughts of suicide?"}]
    a = assess("yes", history=(t for t in turns), semantic=False)
    assert a.crisis and a.level == "urgent"


def test_a_yes_about_someone_else_gets_the_reply_for_a_worried_person():
    turns = [{"role": "user", "content": "my friend is acting weird"},
             {"role": "assistant", "content": "That sounds worrying. Is your friend thinking about killing herself?"}]
    assert assess("yeah", history=turns, semantic=False).about_other
