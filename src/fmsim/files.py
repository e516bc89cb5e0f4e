"""Reading what users give FMSim: files whose text must be UTF-8, TOML and JSON that may be
malformed, too deeply nested or of the wrong shape, and numbers written as text. Every problem
becomes one :class:`~fmsim.errors.FMSimError` naming the file or value and what to do."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import FMSimError

__all__ = ["parse_json", "parse_number", "parse_toml", "read_records", "read_text"]

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_WHOLE = re.compile(r"[+-]?\d+", re.ASCII)


def parse_number(text: str, whole: bool = False) -> float | int:
    """A number written in plain decimal ASCII (``7``, ``-0.5``, ``1e3``; a whole number with
    ``whole``), surrounding spaces allowed.

    Python's own ``float`` and ``int`` also read ``1_0``, ``inf``, ``nan`` and digits of other
    scripts; a number a person types into a form does not look like those.

    Raises
    ------
    ValueError
        For anything else (callers name the value and what is allowed).
    """
    text = text.strip()
    if (_WHOLE if whole else _DECIMAL).fullmatch(text) is None:
        raise ValueError(f"not a {'whole number' if whole else 'number'}: {text!r}")
    return int(text) if whole else float(text)


def read_text(path: str | Path, what: str) -> str:
    """A text file's content as UTF-8 (a byte-order mark is allowed).

    Raises
    ------
    FMSimError
        For a missing file, a folder, or a file that is not UTF-8 text (binary, UTF-16,
        Latin-1), naming the file and what to do.
    """
    path = Path(path)
    if not path.exists():
        raise FMSimError(f"{what} {str(path)!r} does not exist")
    if path.is_dir():
        raise FMSimError(f"{what} {str(path)!r} is a folder, not a file")
    if not path.is_file():
        raise FMSimError(f"{what} {str(path)!r} is not a regular file")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FMSimError(f"{what} {path.name!r} is not UTF-8 text (binary or UTF-16); save it "
                         "as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FMSimError(f"{what} {path.name!r} is not UTF-8 text (byte {exc.start} cannot be "
                         "read; Latin-1 or another encoding?); save it as UTF-8") from None


def parse_toml(text: str, what: str) -> dict[str, Any]:
    """A TOML document as a table.

    Raises
    ------
    FMSimError
        For malformed or too deeply nested TOML, or a number too long to read.
    """
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise FMSimError(f"{what} is nested too deeply") from None
    except ValueError as exc:  # malformed, or a number too long to read
        raise FMSimError(f"{what} is not valid TOML: {_reason(exc)}") from None


def _reason(exc: ValueError) -> str:
    """What a parser's error says, in words for a user."""
    if "integer string conversion" in str(exc):
        return "a number is too long to read (more than 4,300 digits)"
    return str(exc)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    """A JSON object that names a key twice is refused (json would keep the last silently)."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise FMSimError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def parse_json(text: str, what: str) -> Any:
    """A JSON document; an object that names a key twice is refused.

    Raises
    ------
    FMSimError
        For malformed JSON, a key given twice, nesting too deep to read, or a number too long
        to read.
    """
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except FMSimError as exc:
        raise FMSimError(f"{what}: {exc}") from None
    except RecursionError:
        raise FMSimError(f"{what} is nested too deeply") from None
    except ValueError as exc:  # malformed, or a number too long to read
        raise FMSimError(f"{what} is not valid JSON: {_reason(exc)}") from None


def read_records(path: str | Path, noun: str, plural: str, limit: int) -> list[dict[str, Any]]:
    """Records (``noun``: what one is, ``plural``: more than one) from a JSON file (an object
    or a list of objects) or a CSV file (a header row, then one record per row; blank rows
    skipped), at most ``limit`` of them.

    Raises
    ------
    FMSimError
        For a file that cannot be read as one of these: another suffix, not UTF-8, malformed or
        too deeply nested JSON, a key twice, no records, a CSV header naming a column twice or
        separated by something other than commas, a row with more or fewer cells than the
        header, more than ``limit`` records.
    """
    if not str(path).strip():
        raise FMSimError("no file given: name a .json or .csv file")
    path = Path(path)
    if path.is_dir():
        raise FMSimError(f"{str(path)!r} is a folder, not a file: name a .json or .csv file")
    if path.suffix.lower() not in (".json", ".csv"):
        raise FMSimError(f"{path.name}: use a .json or .csv file")
    text = read_text(path, "file")
    if path.suffix.lower() == ".json":
        data = parse_json(text, path.name)
        rows = data if isinstance(data, list) else [data]
        if not all(isinstance(r, dict) for r in rows):
            raise FMSimError(f"{path.name}: expected an object or a list of objects")
        if not rows:
            raise FMSimError(f"{path.name}: the list holds no {plural}")
    else:
        lines = list(csv.reader(text.splitlines()))
        if not lines:
            raise FMSimError(f"{path.name}: no header row")
        header, *body = lines
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            raise FMSimError(f"{path.name}: the header is one column {header[0]!r}; separate "
                             "the columns with commas")
        body = [cells for cells in body if any(c.strip() for c in cells)]
        names = [h.strip().replace("-", "_").lower() for h in header]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise FMSimError(f"{path.name}: the header names column(s) {twice} more than once")
        if not body:
            raise FMSimError(f"{path.name}: no {noun} rows under the header")
        ragged = [i for i, cells in enumerate(body, start=1) if len(cells) != len(header)]
        if ragged:
            raise FMSimError(f"{path.name}: row(s) {ragged[:20]} have a different number of "
                             f"cells than the header's {len(header)}")
        rows = [dict(zip(header, cells, strict=True)) for cells in body]
    if len(rows) > limit:
        raise FMSimError(f"{path.name}: {len(rows)} {plural}; at most {limit} in one file")
    return rows
