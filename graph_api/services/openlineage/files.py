"""Events read from files, for a bulk import: NDJSON (one event a line, as a client's file
transport writes and Marquez exports) or JSON (one event, or a list of events), each with
where it came from (`file:line`) so a bad one can be reported and the others written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

SUFFIXES = (".json", ".ndjson", ".jsonl")


@dataclass(frozen=True)
class Located:
    """An event as read (or why it could not be), and where: `file:line`."""

    where: str
    event: Any = None
    error: str | None = None


def files(path: Path) -> list[Path]:
    """The files to read: `path` itself, or every event file under a directory, by name."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    return [path]


def _line_events(path: Path, text: str) -> Iterator[Located]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield Located(f"{path}:{number}", orjson.loads(line))
        except orjson.JSONDecodeError as error:
            yield Located(f"{path}:{number}", error=f"not JSON ({error})")


def events(path: Path) -> Iterator[Located]:
    """Every event of one file: a JSON document (an event or a list of them) or NDJSON."""
    text = path.read_text(encoding="utf-8")
    try:
        whole = orjson.loads(text)
    except orjson.JSONDecodeError:
        yield from _line_events(path, text)
        return
    items = whole if isinstance(whole, list) else [whole]
    for index, item in enumerate(items):
        where = f"{path}:1" if len(items) == 1 else f"{path}:[{index}]"
        yield Located(where, item)
