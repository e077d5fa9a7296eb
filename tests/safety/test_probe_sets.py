"""Regression floors on the probe sets (tests/safety/probes/PROBES.md): crises missed and false alarms per file may not
rise above the figures measured when the sets were added (session 24, commit after 32a0e7d)."""

from pathlib import Path

import pytest

from mhqa.safety import assess

PROBES = Path(__file__).parent / "probes"

# file: (crises missed, false alarms) at most
CEILINGS = {
    "s22_abuse_posts.txt": (3, 1),
    "s22_long_posts.txt": (9, 3),
    "s23_a_implicit.txt": (5, 15),
    "s23_b_threats_means_self_harm.txt": (2, 2),
    "s23_c_mixed.txt": (3, 0),
    "s23_d1_short_euphemisms.txt": (1, 4),
    "s23_d2_slang_means.txt": (1, 1),
    "s23_e_mixed_short.txt": (1, 0),
    "s24_f_metaphors.txt": (7, 6),
    "s24_g_third_party_slang_means.txt": (0, 5),
    "s24_h_mixed.txt": (0, 5),
    "s24_i_mixed_varieties.txt": (0, 3),
    "s24_j_implicit.txt": (2, 10),
    "s24_k_implicit.txt": (3, 21),
    "s24_l_indirect.txt": (1, 6),
    "s24_m_mixed.txt": (5, 6),
}


def _rows(path: Path) -> list[tuple[bool, str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        label, sep, text = line.partition("|")
        assert sep and label in ("C", "S") and text.strip() and "|" not in text, f"{path.name}:{n}: not 'C|text' or 'S|text'"
        rows.append((label == "C", text))
    return rows


def test_every_probe_file_has_a_ceiling():
    assert sorted(p.name for p in PROBES.glob("*.txt")) == sorted(CEILINGS)


@pytest.mark.parametrize("name", sorted(CEILINGS))
def test_probe_set_stays_at_or_above_its_figures(name):
    rows = _rows(PROBES / name)
    crises = sum(c for c, _ in rows)
    assert crises and len(rows) - crises, "each set holds both crises and hard negatives"
    missed = [t for c, t in rows if c and not assess(t).crisis]
    false_alarms = [t for c, t in rows if not c and assess(t).crisis]
    most_missed, most_false = CEILINGS[name]
    assert len(missed) <= most_missed, f"{len(missed)} crises missed (at most {most_missed}): {missed[:5]}"
    assert len(false_alarms) <= most_false, f"{len(false_alarms)} false alarms (at most {most_false}): {false_alarms[:5]}"
