"""The registry of Cypher statements: every `cypher/**/*.cypher` file, loaded once by name.

A file holds one statement. Its `//` header names the parameters and result columns.
A few statements have *slots* for the parts Cypher cannot parameterise (a label, a
filter's WHERE expression, an ORDER BY list): `/*%name*/default/*%*/` — two block
comments around a default, so the file is valid Cypher as it stands. Fragments put into
slots come only from the store's own compilers and `identifiers` helpers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_SLOT = re.compile(r"/\*%([a-z_]+)\*/(.*?)/\*%\*/", re.DOTALL)


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    slots: frozenset[str]

    def render(self, fragments: Mapping[str, str] | None = None) -> str:
        """The statement with each slot replaced by its fragment (or its default).

        Fragments for slots the statement does not have are ignored, so a caller can pass
        one set of labels to statements that use some of them.
        """
        fragments = fragments or {}
        if not self.slots:
            return self.text

        def fill(match: re.Match[str]) -> str:
            slot = match.group(1)
            if slot in fragments:
                return fragments[slot]
            return match.group(2)

        return _SLOT.sub(fill, self.text)


def cypher_root() -> Path:
    """Where the statements live.

    In a checkout (and an editable install) that is `cypher/` at the repository root; a
    built wheel installs the same files as `graph_api/cypher/`.
    """
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "cypher"
    return checkout if checkout.is_dir() else package / "cypher"


def load(root: Path) -> dict[str, Statement]:
    """Load every `.cypher` file under `root`, keyed by its path without the suffix."""
    statements: dict[str, Statement] = {}
    for path in sorted(root.rglob("*.cypher")):
        name = path.relative_to(root).with_suffix("").as_posix()
        text = path.read_text(encoding="utf-8").strip()
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        if not body.strip():
            raise ValueError(f"{path}: no statement")
        slots = frozenset(m.group(1) for m in _SLOT.finditer(text))
        statements[name] = Statement(name, text, slots)
    return statements


@cache
def catalog() -> Mapping[str, Statement]:
    """The process-wide registry, loaded on first use."""
    return load(cypher_root())


def get(name: str) -> Statement:
    try:
        return catalog()[name]
    except KeyError:
        raise KeyError(f"no Cypher statement named {name!r} under {cypher_root()}") from None
