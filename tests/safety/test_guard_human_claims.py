"""The output guard catches a model claiming to be a person or a trained clinician."""

import pytest

from mhqa.safety import guard_output


@pytest.mark.parametrize("text", [
    "My name is a human being and I am here to help you.",
    "I'm a real person, not a program.",
    "I am trained in psychology, so I understand what you feel.",
    "I have 10 years of experience as a therapist.",
    "I have a degree in counselling and can help.",
    "As your therapist, I think you should rest.",
])
def test_human_or_clinician_claims_are_replaced(text):
    result = guard_output(text)
    assert not result.ok and "human_claim" in result.violations
    assert text not in result.text


@pytest.mark.parametrize("text", [
    "I'm an AI assistant, so I can't replace a trained therapist, but a counsellor can help.",
    "A therapist trained in CBT can help you notice thinking traps.",
    "Psychologists have years of experience in assessment.",
])
def test_talk_about_clinicians_is_fine(text):
    assert guard_output(text).ok
