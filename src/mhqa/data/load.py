"""Read FAQ files (CSV, JSONL, JSON array) into question/answer pairs.

The schema is detected from column (field) names, case-insensitively: question/answer,
questions/answers (the Kaggle "Mental Health FAQ"), prompt/response, input/output,
instruction/output, context/response, ...; ``DataConfig.question_col``/``answer_col`` override
it. Every cell is repaired (ftfy) and whitespace-normalised on the way in, so callers such as
retrieval get clean text. Bad input raises :class:`~mhqa.errors.DataError` naming the file and,
where it applies, the row (and line) and the column.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mhqa.config import DataConfig
from mhqa.data.clean import change_snippet, normalize_whitespace, repair_text
from mhqa.data.jsonl import parse_jsonl_line
from mhqa.errors import DataError

# Candidate names after _norm_name (lowercase, letters and digits only), most specific first.
QUESTION_NAMES = ("question", "questions", "prompt", "instruction", "input", "context", "query",
                  "questiontext", "questiontitle", "user")
ANSWER_NAMES = ("answer", "answers", "response", "output", "completion", "answertext", "reply",
                "assistant")
ID_NAMES = ("id", "questionid", "qid", "faqid", "uid")
TOPIC_NAMES = ("topic", "category")
PARAPHRASE_NAMES = ("paraphrases",)
_MAX_REPAIR_EXAMPLES = 5


@dataclass(frozen=True)
class QAPair:
    """One question with its answer, as read from a FAQ file (text already cleaned).

    ``id`` is unique within the file; ``source_id`` is the id exactly as the file gives it (the
    row number when there is no id column); ``row`` is where it came from (data row for CSV,
    line for JSONL).
    """

    id: str
    question: str
    answer: str
    topic: str | None = None
    paraphrases: tuple[str, ...] = ()
    source_id: str | None = None
    row: int | None = None


@dataclass
class Schema:
    """Which columns (fields) hold what; ``name`` says what kind of file was recognised."""

    name: str
    question: str
    answer: str
    id: str | None = None
    topic: str | None = None
    paraphrases: str | None = None


@dataclass
class LoadInfo:
    """What was read and what cleaning changed."""

    path: Path
    format: str
    sha256: str
    columns: list[str]
    schema: Schema
    rows_in: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    repaired: int = 0
    repair_examples: list[dict[str, Any]] = field(default_factory=list)
    whitespace_fixed: int = 0

    def source_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "schema": asdict(self.schema),
                "columns": self.columns, "sha256": self.sha256}


@dataclass
class _Record:
    row: int
    line: int | None
    cells: dict[str, Any]
    problem: str | None = None  # set when the row cannot be used as it stands


def load_pairs(path: str | Path | None, cfg: DataConfig | None = None) -> tuple[list[QAPair], LoadInfo]:
    """Read a FAQ file into cleaned question/answer pairs.

    Args:
        path: a CSV, JSONL or JSON-array file; ``None`` means the built-in FAQ.
        cfg: column overrides, ``strict`` and ``max_cell_chars`` (defaults when omitted).

    Returns:
        The pairs in file order, and a :class:`LoadInfo` (schema, sha256, skipped rows, repairs).

    Raises:
        DataError: the file is missing, a folder, empty, not UTF-8, unparsable, has no usable
            question/answer columns, a cell is too long, or (``strict``) a row is empty.
    """
    cfg = cfg or DataConfig()
    path = resolve_source(path)
    data = _read_bytes(path)
    text = _decode(path, data)
    fmt = _detect_format(path, text)
    if fmt == "csv":
        records, columns = _read_csv(path, text, _delimiter(path, text), cfg.max_cell_chars)
    else:
        records, columns = _read_json(path, text, fmt, cfg.max_cell_chars)
    schema = detect_schema(columns, cfg, path, fmt)
    info = LoadInfo(path, fmt, hashlib.sha256(data).hexdigest(), columns, schema, rows_in=len(records))
    pairs = _to_pairs(records, info, cfg)
    if not pairs:
        raise DataError(f"{path}: no usable question/answer rows ({len(info.skipped)} skipped: "
                        f"{info.skipped[0]['reason'] if info.skipped else 'no data rows'})")
    return pairs, info


def resolve_source(path: str | Path | None) -> Path:
    """Return ``path`` as a Path, or the built-in FAQ when it is None."""
    if path is None:
        from mhqa.data.builtin import BUILTIN_FAQ_PATH

        return Path(BUILTIN_FAQ_PATH)
    return Path(path)


def detect_schema(columns: list[str], cfg: DataConfig, path: Path | str = "<data>", fmt: str = "csv") -> Schema:
    """Pick the question, answer, id, topic and paraphrase columns.

    >>> schema = detect_schema(["Question_ID", "Questions", "Answers"], DataConfig())
    >>> schema.name, schema.question, schema.answer, schema.id
    ('kaggle-mental-health-faq', 'Questions', 'Answers', 'Question_ID')
    >>> detect_schema(["Prompt", "Response"], DataConfig()).name
    'Prompt/Response'
    """
    kind = "column" if fmt == "csv" else "field"
    named = [c for c in columns if c.strip()]
    if fmt == "csv" and len(named) < 2:
        raise DataError(f"{path}: only one column ({', '.join(map(repr, named)) or 'none'}); expected a "
                        "question and an answer column separated by commas")
    found = f"{kind}s found: {', '.join(named) or 'none'}"
    question = _pick(named, cfg.question_col, QUESTION_NAMES, f"{path}: no {kind} {cfg.question_col!r} "
                     f"(--question-col); {found}")
    answer = _pick(named, cfg.answer_col, ANSWER_NAMES, f"{path}: no {kind} {cfg.answer_col!r} (--answer-col); {found}")
    if question is None or answer is None:
        missing = " and ".join(w for w, c in (("question", question), ("answer", answer)) if c is None)
        raise DataError(f"{path}: cannot tell which {kind} holds the {missing}; {found}. "
                        "Name them with --question-col and --answer-col")
    if question == answer:
        raise DataError(f"{path}: the question and the answer are both {kind} {question!r}")
    id_col = _pick(named, cfg.id_col, ID_NAMES, f"{path}: no {kind} {cfg.id_col!r} (id_col); {found}")
    topic = _pick(named, None, TOPIC_NAMES, "")
    paraphrases = _pick(named, None, PARAPHRASE_NAMES, "")
    return Schema(_schema_name(named, question, answer), question, answer, id_col, topic, paraphrases)


def _pick(columns: list[str], wanted: str | None, candidates: tuple[str, ...], missing_msg: str) -> str | None:
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(_norm_name(col), col)
    if wanted is not None:
        if wanted in columns:
            return wanted
        if _norm_name(wanted) in by_norm:
            return by_norm[_norm_name(wanted)]
        raise DataError(missing_msg)
    return next((by_norm[c] for c in candidates if c in by_norm), None)


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _schema_name(columns: list[str], question: str, answer: str) -> str:
    norm = {_norm_name(c) for c in columns}
    if norm == {"questionid", "questions", "answers"}:
        return "kaggle-mental-health-faq"
    if {"id", "topic", "question", "paraphrases", "answer"} <= norm:
        return "mhqa-faq"
    return f"{question}/{answer}"


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise DataError(f"{path}: is a folder; pass a CSV or JSONL file")
    if not path.exists():
        raise DataError(f"{path}: file not found")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise DataError(f"{path}: file is empty")
    return data


def _decode(path: Path, data: bytes) -> str:
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line = data.count(b"\n", 0, offset) + 1
        hint = " (it looks like UTF-16)" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else ""
        raise DataError(f"{path}: line {line}: not UTF-8 text: byte 0x{data[offset]:02x} at byte offset "
                        f"{offset}{hint}; re-save the file as UTF-8") from None


def _detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    first = text.lstrip()[:1]
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix == ".json":
        return "json" if first == "[" else "jsonl"
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    return "jsonl" if first == "{" else "json" if first == "[" else "csv"


def _delimiter(path: Path, text: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = text.split("\n", 1)[0]
    if "," not in header:
        for candidate in ("\t", ";"):
            if candidate in header:
                return candidate
    return ","


def _read_csv(path: Path, text: str, delimiter: str, max_chars: int) -> tuple[list[_Record], list[str]]:
    # csv refuses fields over 131072 chars with its own error; lift the limit while we read and
    # apply our own (max_cell_chars), which can name the row and column.
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))
    try:
        # strict: an unclosed quote is an error instead of silently swallowing the rest of the file
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = _next_csv_row(reader, path)
        if header is None:
            raise DataError(f"{path}: file is empty")
        columns = [h.strip() for h in header]
        records: list[_Record] = []
        while True:
            start = reader.line_num + 1
            cells = _next_csv_row(reader, path)
            if cells is None:
                break
            if not cells:  # a blank line
                continue
            records.append(_csv_record(path, columns, cells, len(records) + 1, start, max_chars))
        return records, columns
    finally:
        csv.field_size_limit(old_limit)


def _next_csv_row(reader: Any, path: Path) -> list[str] | None:
    start = reader.line_num + 1
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise DataError(f"{path}: line {start}: a quoted field that starts in this row is never closed "
                            "(missing closing quote)") from None
        raise DataError(f"{path}: line {reader.line_num}: cannot parse CSV ({exc})") from None


def _csv_record(path: Path, columns: list[str], cells: list[str], row: int, line: int, max_chars: int) -> _Record:
    record = _Record(row, line, {})
    for i, cell in enumerate(cells):
        name = columns[i] if i < len(columns) else f"#{i + 1}"
        if len(cell) > max_chars:
            raise DataError(f"{_where(path, 'csv', row, line)}, column {name!r}: cell has {len(cell):,} characters, "
                            f"more than data.max_cell_chars={max_chars:,} (an unclosed quote?)")
        if i < len(columns) and columns[i]:
            record.cells.setdefault(columns[i], cell)
    if len(cells) > len(columns):
        record.problem = f"has {len(cells)} fields but the header has {len(columns)}"
    return record


def _read_json(path: Path, text: str, fmt: str, max_chars: int) -> tuple[list[_Record], list[str]]:
    if fmt == "json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(items, list):
            raise DataError(f"{path}: expected a JSON array of objects or JSON Lines")
        numbered = [(i, None, item) for i, item in enumerate(items, start=1)]
    else:
        lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        numbered = [(i, n, parse_jsonl_line(line, f"{path}: line {n}")) for i, (n, line) in enumerate(lines, start=1)]
    records, columns = [], {}
    for row, line, item in numbered:
        where = _where(path, fmt, row, line)
        if not isinstance(item, dict):
            raise DataError(f"{where}: expected a JSON object, got {type(item).__name__}")
        for key, value in item.items():
            columns.setdefault(key, None)
            for text_value in (value if isinstance(value, list) else [value]):
                if isinstance(text_value, str) and len(text_value) > max_chars:
                    raise DataError(f"{where}, field {key!r}: value has {len(text_value):,} characters, more "
                                    f"than data.max_cell_chars={max_chars:,}")
        records.append(_Record(row, line, item))
    return records, list(columns)


def _where(path: Path, fmt: str, row: int, line: int | None) -> str:
    if fmt == "csv":
        return f"{path}: row {row} (line {line})"
    return f"{path}: line {line}" if line is not None else f"{path}: item {row}"


def _to_pairs(records: list[_Record], info: LoadInfo, cfg: DataConfig) -> list[QAPair]:
    pairs: list[QAPair] = []
    seen_ids: set[str] = set()
    for rec in records:
        pair = _to_pair(rec, info, cfg, seen_ids)
        if pair is not None:
            seen_ids.add(pair.id)
            pairs.append(pair)
    return pairs


def _to_pair(rec: _Record, info: LoadInfo, cfg: DataConfig, seen_ids: set[str]) -> QAPair | None:
    schema, where = info.schema, _where(info.path, info.format, rec.row, rec.line)
    kind = "column" if info.format == "csv" else "field"
    if rec.problem:
        return _skip(info, cfg, rec, where, None, rec.problem)
    question = _clean(info, rec, where, schema.question, paragraphs=False)
    answer = _clean(info, rec, where, schema.answer, paragraphs=True)
    if not question or not answer:
        col = schema.answer if not answer else schema.question
        empty = "question and answer" if not question and not answer else "answer" if not answer else "question"
        return _skip(info, cfg, rec, f"{where}, {kind} {col!r}", col, f"empty {empty}")
    source_id = _text(rec.cells.get(schema.id), where, schema.id).strip() if schema.id else ""
    source_id = source_id or (f"row-{rec.row}" if info.format == "csv" else f"line-{rec.line or rec.row}")
    pair_id, n = source_id, 1
    while pair_id in seen_ids:
        n += 1
        pair_id = f"{source_id}-{n}"
    topic = _clean(info, rec, where, schema.topic, paragraphs=False) if schema.topic else ""
    paraphrases = _paraphrases(rec.cells.get(schema.paraphrases) if schema.paraphrases else None, where, question)
    row = rec.row if info.format == "csv" else rec.line or rec.row
    return QAPair(pair_id, question, answer, topic or None, paraphrases, source_id, row)


def _skip(info: LoadInfo, cfg: DataConfig, rec: _Record, where: str, column: str | None, reason: str) -> None:
    if cfg.strict:
        raise DataError(f"{where}: {reason} (--strict stops at the first bad row)")
    info.skipped.append({"row": rec.row, "line": rec.line, "column": column, "reason": reason,
                         "message": f"{where}: {reason}; row skipped"})
    return None


def _text(value: Any, where: str, column: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise DataError(f"{where}, field {column!r}: expected text, got {type(value).__name__}")


def _clean(info: LoadInfo, rec: _Record, where: str, column: str, *, paragraphs: bool) -> str:
    raw = _text(rec.cells.get(column), where, column)
    repaired = repair_text(raw)
    cleaned = normalize_whitespace(repaired, keep_paragraphs=paragraphs)
    if repaired != raw:
        info.repaired += 1
        if len(info.repair_examples) < _MAX_REPAIR_EXAMPLES:
            info.repair_examples.append({"row": rec.row, "column": column, **change_snippet(raw, repaired)})
    if cleaned != repaired:
        info.whitespace_fixed += 1
    return cleaned


def _paraphrases(value: Any, where: str, question: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.lstrip().startswith("[") else value.split("|")
        except json.JSONDecodeError:
            raise DataError(f"{where}, column 'paraphrases': not a JSON list of strings") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}, field 'paraphrases': expected a list of strings")
    out: list[str] = []
    for text in value:
        text = normalize_whitespace(repair_text(text))
        if text and text != question and text not in out:
            out.append(text)
    return tuple(out)
