"""Crisis help lines per country (``data/resources.json``) and locale handling.

>>> resources_for("en-GB").emergency
'999'
>>> resources_for("xx-ZZ").country_code
'INTL'
>>> locale_from_accept_language("fr-CA,fr;q=0.9,en;q=0.8")
'fr-CA'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mhqa.errors import DataError

RESOURCES_FILE = Path(__file__).parent / "data" / "resources.json"
_ALIASES = {"UK": "GB", "EN": "GB"}  # "en-UK" is common though not a valid region code


@dataclass(frozen=True)
class Resource:
    name: str
    phone: str | None
    text: str | None
    url: str | None
    hours: str | None
    source_url: str


@dataclass(frozen=True)
class LocaleResources:
    country_code: str  # ISO 3166-1 alpha-2, or "INTL" for the international fallback
    country: str
    emergency: str
    resources: tuple[Resource, ...]
    emergency_source_url: str = ""

    def to_dict(self) -> dict:
        return {"country_code": self.country_code, "country": self.country, "emergency": self.emergency,
                "resources": [r.__dict__ for r in self.resources]}


@lru_cache(maxsize=1)
def load_resources(path: Path = RESOURCES_FILE) -> dict[str, LocaleResources]:
    """Read and validate the help-line file; every entry needs an emergency number and source URLs.

    Raises:
        DataError: the file is missing or an entry lacks a required field.
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read help lines ({exc})") from exc
    out: dict[str, LocaleResources] = {}
    for code, entry in raw["countries"].items():
        items = []
        for i, r in enumerate(entry.get("resources", [])):
            if not r.get("name") or not r.get("source_url") or not (r.get("phone") or r.get("text") or r.get("url")):
                raise DataError(f"{path}: {code} resource {i} needs name, source_url and a phone, text or url")
            items.append(Resource(r["name"], r.get("phone"), r.get("text"), r.get("url"), r.get("hours"), r["source_url"]))
        if not entry.get("emergency") or not items:
            raise DataError(f"{path}: {code} needs an emergency number and at least one resource")
        out[code] = LocaleResources(code, entry["country"], entry["emergency"], tuple(items),
                                    entry.get("emergency_source_url", ""))
    if raw.get("fallback", "INTL") not in out:
        raise DataError(f"{path}: the fallback entry {raw.get('fallback')!r} is missing")
    return out


def country_of(locale: str | None) -> str:
    """Region part of a locale tag, upper-cased ('en-GB' -> 'GB', 'fr_CA.UTF-8' -> 'CA', 'en' -> '')."""
    if not locale or not isinstance(locale, str):
        return ""
    tag = locale.split(".")[0].replace("_", "-")
    parts = [p for p in tag.split("-") if p]
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if not region and len(parts) == 1 and len(parts[0]) == 2 and parts[0].isupper():
        region = parts[0]  # a bare country code such as "GB"
    region = region.upper()
    return _ALIASES.get(region, region)


def resources_for(locale: str | None) -> LocaleResources:
    """Help lines for a locale ('en-US', 'en_GB', 'GB'); unknown regions get the international directory."""
    table = load_resources()
    return table.get(country_of(locale)) or table["INTL"]


def locale_from_accept_language(header: str | None, default: str = "en-US") -> str:
    """Best locale in an HTTP Accept-Language header, preferring tags that name a region.

    Language-only tags ('en') are returned as they are when no tag has a region, which maps to
    the international directory rather than guessing a country. An empty header gives ``default``.
    """
    if not header or not isinstance(header, str):
        return default
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:50]):
        bits = part.strip().split(";")
        tag = bits[0].strip()
        if not re.fullmatch(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*", tag):
            continue
        q = 1.0
        for b in bits[1:]:
            if b.strip().lower().startswith("q"):
                m = re.fullmatch(r"\s*q\s*=\s*([0-9]*\.?[0-9]+)\s*", b)
                q = float(m.group(1)) if m else 0.0  # a malformed weight drops the tag
        if q > 0:
            ranked.append((q, -i, tag))
    if not ranked:
        return default
    ranked.sort(reverse=True)
    with_region = [t for _, _, t in ranked if country_of(t)]
    return with_region[0] if with_region else ranked[0][2]
