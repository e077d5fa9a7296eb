"""Help lines: file shape, fallback, locale parsing."""

import json

import pytest

from mhqa.safety import locale_from_accept_language, resources_for
from mhqa.safety.resources import RESOURCES_FILE, country_of, load_resources

REQUIRED = ("US", "CA", "GB", "IE", "AU", "NZ", "IN", "INTL")


def test_file_has_every_required_country_with_emergency_number_and_sources():
    raw = json.loads(RESOURCES_FILE.read_text(encoding="utf-8"))
    for code in REQUIRED:
        entry = raw["countries"][code]
        assert entry["emergency"].strip(), code
        assert entry["resources"], code
        for r in entry["resources"]:
            assert r["name"] and r["source_url"].startswith("https://"), (code, r)
            assert r.get("phone") or r.get("text") or r.get("url"), (code, r)
            if r.get("url"):
                assert r["url"].startswith("https://")


def test_loader_accepts_the_shipped_file():
    table = load_resources()
    assert set(REQUIRED) <= set(table)
    assert all(res.emergency for res in table.values())


@pytest.mark.parametrize("locale,code,emergency,number", [
    ("en-US", "US", "911", "988"),
    ("fr-CA", "CA", "911", "988"),
    ("en_GB", "GB", "999", "116 123"),
    ("en-UK", "GB", "999", "116 123"),
    ("en-IE", "IE", "112 or 999", "116 123"),
    ("en-AU", "AU", "000", "13 11 14"),
    ("en-NZ", "NZ", "111", "1737"),
    ("hi-IN", "IN", "112", "14416"),
])
def test_known_locales(locale, code, emergency, number):
    res = resources_for(locale)
    assert res.country_code == code and res.emergency == emergency
    assert any(number in (r.phone or "") for r in res.resources)


def test_us_has_crisis_text_line():
    assert any(r.text == "Text HOME to 741741" for r in resources_for("en-US").resources)


@pytest.mark.parametrize("locale", ["de-DE", "en", "", None, "zz", "xx-ZZ", "💥"])
def test_unknown_locales_fall_back_to_international_directory(locale):
    res = resources_for(locale)
    assert res.country_code == "INTL"
    assert any("findahelpline.com" in (r.url or "") for r in res.resources)


@pytest.mark.parametrize("header,expected", [
    ("en-GB,en;q=0.9", "en-GB"),
    ("fr-CA,fr;q=0.9,en;q=0.8", "fr-CA"),
    ("en;q=0.8, en-AU;q=0.9", "en-AU"),
    ("de", "de"),
    ("", "en-US"),
    (None, "en-US"),
    ("*;q=0.5", "en-US"),
    ("garbage;;;q=x", "en-US"),
])
def test_accept_language(header, expected):
    assert locale_from_accept_language(header) == expected


def test_country_of():
    assert country_of("en_NZ.UTF-8") == "NZ"
    assert country_of("GB") == "GB"
    assert country_of("en") == ""
