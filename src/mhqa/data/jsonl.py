"""JSON Lines in and out: one object per line, UTF-8, non-ASCII kept as is."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mhqa.errors import DataError


def parse_jsonl_line(line: str, where: str) -> dict[str, Any]:
    """Parse one line that must hold a JSON object; errors name ``where`` (file and line).

    >>> parse_jsonl_line('{"question": "What is stress?"}', "faq.jsonl:1")
    {'question': 'What is stress?'}
    >>> parse_jsonl_line('{"question": ', "faq.jsonl:2")
    Traceback (most recent call last):
    mhqa.errors.DataError: faq.jsonl:2: not valid JSON (Expecting value at column 14)
    """
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    return row


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON Lines file; blank lines are skipped.

    Raises:
        DataError: the file is missing, not UTF-8, or a line is not a JSON object (names the line).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte offset {exc.start})") from None
    return [
        parse_jsonl_line(line, f"{path}: line {lineno}")
        for lineno, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` as JSON Lines (UTF-8, one object per line); return how many were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
