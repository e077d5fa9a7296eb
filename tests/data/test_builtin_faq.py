"""The built-in FAQ: schema, content rules from issue #5, search and the `mhqa faq` commands."""

from __future__ import annotations

import csv
import difflib
import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import ftfy
import pytest
from typer.testing import CliRunner

from mhqa.commands.faq import app
from mhqa.data.builtin import (
    BUILTIN_FAQ_PATH,
    FIELDS,
    FaqEntry,
    get_entry,
    load_builtin_faq,
    read_faq,
    search_faq,
)
from mhqa.errors import DataError

KAGGLE_FAQ = Path(os.environ.get("MHQA_KAGGLE_FAQ", str(Path(__file__).resolve().parents[2].parent / "shared" / "data" / "Mental_Health_FAQ.csv")))

# Topics issue #5 asks the FAQ to cover, mapped to the topic slugs that cover them.
REQUIRED_TOPICS: dict[str, set[str]] = {
    "what mental health and mental illness are": {"mental-health-basics"},
    "causes": {"causes"},
    "warning signs and when to get help": {"warning-signs"},
    "depression": {"depression"},
    "anxiety and anxiety disorders": {"anxiety"},
    "panic attacks": {"panic-attacks", "anxiety"},
    "bipolar disorder": {"bipolar"},
    "psychosis and schizophrenia": {"psychosis-schizophrenia"},
    "eating disorders": {"eating-disorders"},
    "PTSD and trauma": {"ptsd-trauma"},
    "OCD": {"ocd"},
    "ADHD": {"adhd"},
    "personality disorders": {"personality-disorders"},
    "self-harm": {"self-harm"},
    "suicide prevention": {"suicide-prevention"},
    "treatments and therapy": {"treatments"},
    "medication": {"medication-general"},
    "kinds of professionals": {"professionals"},
    "finding help and paying for it": {"finding-help"},
    "recovery": {"recovery"},
    "stigma": {"stigma"},
    "helping others": {"helping-others"},
    "children and teenagers": {"children-teens"},
    "older adults": {"older-adults"},
    "stress": {"stress"},
    "exams and study": {"exams-study"},
    "sleep": {"sleep"},
    "worry about the future": {"worry-future"},
    "loneliness": {"loneliness"},
    "grief": {"grief"},
    "burnout and work": {"burnout-work"},
    "anger": {"anger"},
    "self-esteem": {"self-esteem"},
    "relationships": {"relationships"},
    "social media": {"social-media"},
    "alcohol and drugs": {"substance-use"},
    "everyday coping": {"everyday-coping"},
    "identity and belonging": {"identity-belonging"},
    "money worries": {"money-worries"},
    "physical health": {"physical-health"},
    "what the assistant is": {"about-assistant"},
    "emergencies": {"emergencies"},
}
KNOWN_TOPICS = set().union(*REQUIRED_TOPICS.values())
CRISIS_TOPICS = {"self-harm", "suicide-prevention"}
CRISIS_HELP = re.compile(r"\b988\b|crisis|emergenc|samaritans|116 123|helpline", re.I)

_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|a handful of)"
LINT_ALL: dict[str, list[str]] = {
    "dose": [
        r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|milligrams?|micrograms?|ml)\b",
        rf"\b{_NUM}\s+(?:tablets?|pills?|capsules?)\b",
    ],
    "diagnosis": [
        r"\byou(?:'ve| have)(?: got)? (?:a |an )?(?:clinical |major |severe )?(?:depression|anxiety"
        r" disorder|bipolar|schizophrenia|psychosis|ptsd|ocd|adhd|bpd|an? eating disorder|eating"
        r" disorder|personality disorder|anorexia|bulimia|panic disorder|generali[sz]ed anxiety)\b",
        r"\byou(?:'re| are) (?:bipolar|schizophrenic|psychotic|anorexic|bulimic"
        r"|clinically depressed)\b",
        r"\byou(?: are)? suffer(?:s|ing)? from\b",
        r"\byour diagnosis is\b",
    ],
    "method": [
        r"\bhang(?:ed|s)? (?:yourself|myself|himself|herself|themselves)\b",
        r"\bhanging\b(?! out| around| about| on\b| in there)",
        r"\b(?:noose|ligatures?)\b",
        r"\bjump(?:s|ed|ing)? (?:off|from|in front)\b",
        r"\boverdos\w* (?:on|of|with)\b",
        r"\b(?:lethal|fatal|deadly) (?:dose|amount|quantity)\b",
        r"\b(?:slit|slitting|slash(?:ed|ing)?|razors?|blades?)\b",
        r"\bcut(?:s|ting)? (?:yourself|myself|himself|herself|themselves|deep|wrists?)\b",
        r"\bwrists?\b",
    ],
    "unsafe wording": [
        r"\bcommit(?:s|ted|ting)? suicide\b",
        r"\bepidemic\b",
        r"\bsuccessful (?:suicide|attempt)\b",
        r"\bfailed (?:suicide )?attempt\b",
    ],
}
# Words with innocent uses elsewhere ("cutting costs", "sleeping pills") but never wanted in an
# answer about suicide or self-harm.
LINT_CRISIS_TOPICS = {
    "method": [r"\bcut(?:s|ting)?\b", r"\bpills?\b", r"\boverdos\w*", r"\bpoison\w*",
               r"\b(?:guns?|firearms?|bridges?|rooftops?|railway|train tracks)\b"],
}


def lint_answer(text: str, topic: str = "") -> list[str]:
    """Return the names of the content rules ``text`` breaks (empty when it is clean)."""
    rules = {k: list(v) for k, v in LINT_ALL.items()}
    if topic in CRISIS_TOPICS:
        for name, patterns in LINT_CRISIS_TOPICS.items():
            rules[name] += patterns
    return sorted({name for name, pats in rules.items() for p in pats if re.search(p, text, re.I)})


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", ftfy.fix_text(text).lower().replace("'", ""))


@pytest.fixture(scope="module")
def faq() -> list[FaqEntry]:
    return load_builtin_faq()


# --- schema -------------------------------------------------------------------------------


def test_every_line_has_the_six_keys_in_order():
    lines = [ln for ln in BUILTIN_FAQ_PATH.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for lineno, line in enumerate(lines, start=1):
        assert tuple(json.loads(line)) == FIELDS, lineno
    assert FIELDS == ("id", "topic", "question", "paraphrases", "answer", "source")


def test_size_ids_and_topics(faq):
    assert len(faq) >= 150
    ids = [e.id for e in faq]
    assert len(ids) == len(set(ids))
    for e in faq:
        assert e.topic in KNOWN_TOPICS, e.id
        assert re.fullmatch(rf"{re.escape(e.topic)}-[a-z0-9]+(?:-[a-z0-9]+)*", e.id), e.id
        assert e.source.strip() and not re.search(r"https?://|www\.", e.source), e.id


def test_file_is_sorted_by_topic_then_id(faq):
    keys = [(e.topic, e.id) for e in faq]
    assert keys == sorted(keys)


def test_every_required_topic_is_covered(faq):
    counts = Counter(e.topic for e in faq)
    missing = [name for name, slugs in REQUIRED_TOPICS.items() if sum(counts[s] for s in slugs) < 2]
    assert not missing, f"topics with fewer than 2 entries: {missing}"


def test_bad_line_names_file_and_line(tmp_path):
    good = load_builtin_faq()[0]
    row = {"id": good.id, "topic": good.topic, "question": good.question,
           "paraphrases": list(good.paraphrases), "answer": good.answer, "source": good.source}
    path = tmp_path / "faq.jsonl"
    path.write_text(json.dumps(row) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"{re.escape(str(path))}:2:"):
        read_faq(path)
    del row["source"]
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=":1: expected keys"):
        read_faq(path)


# --- questions and paraphrases ---------------------------------------------------------------


def test_no_duplicate_or_near_duplicate_questions(faq):
    normed = [(e.id, _norm(e.question)) for e in faq]
    assert len({q for _, q in normed}) == len(normed)
    close = [
        (a, b, round(r, 2))
        for (a, qa), (b, qb) in itertools.combinations(normed, 2)
        if (r := difflib.SequenceMatcher(None, qa, qb).ratio()) > 0.9
    ]
    assert not close, close


def test_paraphrases_are_real_alternatives(faq):
    for e in faq:
        assert len(e.paraphrases) >= 3, e.id
        q = _norm(e.question)
        normed = [_norm(p) for p in e.paraphrases]
        assert len(set(normed)) == len(normed), e.id
        for p in normed:
            assert p and p != q, (e.id, p)
            assert sorted(p.split()) != sorted(q.split()), f"{e.id}: reordered question: {p}"


def test_no_phrasing_belongs_to_two_entries(faq):
    # One wording under two entries would give retrieval and training two "right" answers.
    owners: dict[str, set[str]] = {}
    for e in faq:
        for text in (e.question, *e.paraphrases):
            owners.setdefault(_norm(text), set()).add(e.id)
    shared = {text: ids for text, ids in owners.items() if len(ids) > 1}
    assert not shared, shared


# --- answers ------------------------------------------------------------------------------


def test_answer_length_is_40_to_130_words(faq):
    bad = {e.id: n for e in faq if not 40 <= (n := len(e.answer.split())) <= 130}
    assert not bad, bad


def test_no_mojibake_html_or_urls(faq):
    for e in faq:
        for text in (e.question, e.answer, e.source, *e.paraphrases):
            assert ftfy.fix_text(text, uncurl_quotes=False) == text, (e.id, text)
            assert "â€" not in text and "Ã" not in text and "\ufffd" not in text, e.id
            assert not re.search(r"<[a-z/][^>]*>|&[a-z]+;|&#\d+;", text, re.I), e.id
        assert not re.search(r"https?://|www\.", e.answer), e.id


def test_answers_pass_the_content_lint(faq):
    flagged = {e.id: hits for e in faq if (hits := lint_answer(e.answer, e.topic))}
    assert not flagged, flagged


@pytest.mark.parametrize(
    ("text", "topic", "rule"),
    [
        ("Most adults take 50 mg at night.", "", "dose"),
        ("Start on 20mg and go up.", "", "dose"),
        ("Take two tablets before bed.", "", "dose"),
        ("It sounds like you have depression.", "", "diagnosis"),
        ("Honestly, you are bipolar.", "", "diagnosis"),
        ("Many people like you suffer from anxiety.", "", "diagnosis"),
        ("Some people think about hanging themselves.", "", "method"),
        ("Jumping off a bridge is common.", "", "method"),
        ("An overdose of paracetamol can be fatal.", "suicide-prevention", "method"),
        ("Cutting is often done in hidden places.", "self-harm", "method"),
        ("Taking pills is one way people try.", "suicide-prevention", "method"),
        ("Her brother committed suicide last year.", "", "unsafe wording"),
        ("There is a suicide epidemic among teens.", "", "unsafe wording"),
    ],
)
def test_lint_fires_on_bad_examples(text, topic, rule):
    assert rule in lint_answer(text, topic)


@pytest.mark.parametrize(
    "text",
    [
        "Hanging out with friends can lift your mood.",
        "Talk to the prescriber before changing anything.",
        "If you have a severe reaction, get urgent help.",
        "Cutting back on caffeine can help you sleep.",
        "In the US you can call or text 988 any time.",
    ],
)
def test_lint_passes_good_examples(text):
    assert lint_answer(text, "stress") == []


def test_crisis_entries_point_to_help(faq):
    crisis = [e for e in faq if e.topic in CRISIS_TOPICS]
    assert len(crisis) >= 6
    missing = [e.id for e in crisis if not CRISIS_HELP.search(e.answer)]
    assert not missing, missing


def _shared_runs(answers: dict[str, str], corpus: list[str], n: int = 10) -> list[tuple[str, str]]:
    """(id, words) for every run of ``n`` words an answer shares with any corpus text."""
    runs = {
        tuple(w[i : i + n]) for text in corpus for w in [_words(text)] for i in range(len(w) - n + 1)
    }
    return [
        (key, " ".join(w[i : i + n]))
        for key, text in answers.items()
        for w in [_words(text)]
        for i in range(len(w) - n + 1)
        if tuple(w[i : i + n]) in runs
    ]


def test_shared_run_check_catches_a_copied_sentence():
    corpus = ["Mental health includes our emotional, psychological, and social well-being in life."]
    copied = "Put simply, mental health includes our emotional, psychological, and social well-being."
    assert _shared_runs({"a": copied}, corpus)
    assert not _shared_runs({"b": "Our emotional and social lives matter a great deal."}, corpus)


def test_answers_share_no_10_word_run_with_the_kaggle_faq(faq):
    if not KAGGLE_FAQ.is_file():
        pytest.skip(f"{KAGGLE_FAQ} is absent (set MHQA_KAGGLE_FAQ to check originality)")
    with KAGGLE_FAQ.open(encoding="utf-8", newline="") as f:
        kaggle = [row["Answers"] for row in csv.DictReader(f)]
    assert len(kaggle) > 50
    shared = _shared_runs({e.id: e.answer for e in faq}, kaggle)
    assert not shared, shared


# --- lookup and search ------------------------------------------------------------------------


def test_get_entry(faq):
    assert get_entry(faq[0].id) == faq[0]
    with pytest.raises(DataError, match="no-such-entry"):
        get_entry("no-such-entry")


@pytest.mark.parametrize(
    ("query", "expected_id"),
    [
        ("why do i feel so down every winter when the days are short", "depression-seasonal"),
        ("psychiatrist or psychologist", "professionals-psychiatrist-vs-psychologist"),
        ("can i stop my meds now that i feel better", "medication-general-stopping"),
        ("what is dialectical behaviour therapy", "treatments-dbt"),
    ],
)
def test_search_finds_the_right_entry(query, expected_id):
    assert expected_id in [e.id for e, _ in search_faq(query, k=3)]


def test_search_ranks_and_limits():
    results = search_faq("anxiety worry", k=4)
    assert 1 <= len(results) <= 4
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert search_faq("zzzqqq xyzzy", k=5) == []
    assert search_faq("anxiety", k=0) == []


def test_data_package_does_not_import_torch():
    code = (
        "import sys, mhqa.data.builtin as b; b.search_faq('sleep'); "
        "heavy = ('torch', 'transformers', 'sentence_transformers'); "
        "bad = [m for m in heavy if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- the `mhqa faq` commands ------------------------------------------------------------------

runner = CliRunner()


def test_cli_list_and_topic_filter(faq):
    result = runner.invoke(app, ["list", "--topic", "ocd"], terminal_width=200)
    assert result.exit_code == 0, result.output
    ocd_ids = [e.id for e in faq if e.topic == "ocd"]
    assert ocd_ids and all(i in result.output for i in ocd_ids)
    assert "depression-seasonal" not in result.output
    assert runner.invoke(app, ["list", "--topic", "nope"]).exit_code == 1


def test_cli_show(faq):
    entry = get_entry("treatments-cbt")
    result = runner.invoke(app, ["show", entry.id], terminal_width=200)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert entry.question in flat and entry.paraphrases[0] in flat and entry.source in flat
    assert " ".join(entry.answer.split()[:8]) in flat


def test_cli_show_unknown_id_is_one_line_error():
    result = runner.invoke(app, ["show", "no-such-entry"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "no-such-entry" in result.output


def test_cli_search():
    result = runner.invoke(app, ["search", "winter depression", "-k", "2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "depression-seasonal" in result.output
    empty = runner.invoke(app, ["search", "zzzqqq"])
    assert empty.exit_code == 0 and "No matching entries" in empty.output
