"""BERTScore on the offline MiniLM model."""

from __future__ import annotations

import pytest

from mhqa.evaluation.semantic import bertscore_f1


def test_bertscore_is_one_for_identical_text_and_lower_otherwise():
    same, close, far, empty = bertscore_f1(
        ["Talking to someone you trust can help.", "Speaking with a friend may help.", "The train leaves at noon.", ""],
        ["Talking to someone you trust can help."] * 4)
    assert same == pytest.approx(1.0, abs=1e-4)
    assert far < close < same
    assert empty == 0.0  # an empty answer shares nothing with the reference
