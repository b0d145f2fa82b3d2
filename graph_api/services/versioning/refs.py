"""Names, paths and refs: what a client may call things, and how a ref text is read."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence

from graph_api.errors import InvalidInput

_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
_MODEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_SUFFIX = re.compile(r"([~^])(\d*)$")
MAX_PATH = 1024


def repo_name(name: str, where: str = "repo") -> str:
    if not _REPO.match(name):
        raise InvalidInput(f"{where}: {name!r} is not a repository name (letters, digits, "
                           "'.', '_', '-'; at most 128)", field=where)
    return name


def ref_name(name: str, where: str = "name") -> str:
    """A branch or tag name: letters, digits, '.', '_', '-', '/'; no '..', no '~' or '^'."""
    if not _REF.match(name) or ".." in name or name.endswith(("/", ".")) or "//" in name:
        raise InvalidInput(f"{where}: {name!r} is not a branch or tag name", field=where)
    return name


def model_name(name: str, where: str = "model") -> str:
    if not _MODEL.match(name):
        raise InvalidInput(f"{where}: {name!r} is not a registered model name", field=where)
    return name


def alias_name(name: str, where: str = "alias") -> str:
    if not _MODEL.match(name) or name.isdigit():
        raise InvalidInput(f"{where}: {name!r} is not an alias name (and is not a number)",
                           field=where)
    return name


def path(text: str, where: str = "path") -> str:
    """A blob path: `/`-separated, no empty, `.` or `..` segment."""
    parts = text.split("/")
    if not text or len(text) > MAX_PATH or any(p in ("", ".", "..") for p in parts):
        raise InvalidInput(f"{where}: {text!r} is not a path ('/'-separated names, no empty, "
                           "'.' or '..' part)", field=where)
    return text


def prefix_clash(paths: Sequence[str]) -> tuple[str, str] | None:
    """Two paths of which one is a folder of the other (a blob cannot also be a prefix)."""
    known = set(paths)
    for p in sorted(known):
        parts = p.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in known:
                return prefix, p
    return None


def parse_ref(text: str, where: str = "ref") -> tuple[str, list[tuple[str, int]]]:
    """A ref and its suffixes: `main~2^2` -> ("main", [("~", 2), ("^", 2)])."""
    steps: list[tuple[str, int]] = []
    rest = text
    while True:
        match = _SUFFIX.search(rest)
        if match is None:
            break
        steps.append((match.group(1), int(match.group(2)) if match.group(2) else 1))
        rest = rest[:match.start()]
    if not rest or len(steps) > 100:
        raise InvalidInput(f"{where}: {text!r} is not a ref", field=where)
    return rest, steps[::-1]


def is_protected(branch: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(branch, g) for g in globs)
