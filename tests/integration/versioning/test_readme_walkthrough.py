"""The README's versioning walk-through, pasted as written against the seeded demo.

Each ```graphql block of the section is sent verbatim, in order, over HTTP; the ```json
block after it is the answer the README promises. In a documented answer `"…"` stands for
a value that depends on time or generated ids (any value but null), and a list ending in
`"…"` was trimmed (the answer has more, and starts with the rest).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graph_api import demo
from graph_api import demo_ingredients as story
from graph_api.services.container import Services
from tests.integration.api import Api

README = Path(__file__).resolve().parents[3] / "README.md"
TITLE = "Versioned ingredients and the model registry"
ANY = "…"


def walkthrough() -> list[tuple[str, str, Any]]:
    """(operation name, document, documented answer) of each step, in the README's order."""
    found = re.search(rf"^## {re.escape(TITLE)}\n(.*?)(?=^## |\Z)", README.read_text(),
                      re.S | re.M)
    assert found, f"README.md has no section '## {TITLE}'"
    steps = []
    for document, answer in re.findall(r"```graphql\n(.*?)```\s*```json\n(.*?)```",
                                       found.group(1), re.S):
        name = re.match(r"(?:query|mutation) (\w+)", document)
        assert name, f"a documented operation has no name:\n{document}"
        steps.append((name.group(1), document, json.loads(answer)))
    return steps


def matches(documented: Any, actual: Any, where: str = "data") -> None:
    """Assert that `actual` is what the README documents (see the module's docstring)."""
    if documented == ANY:
        assert actual is not None, f"{where}: null, the README shows a value"
    elif isinstance(documented, list):
        assert isinstance(actual, list), f"{where}: {actual!r} is not a list"
        trimmed = bool(documented) and documented[-1] == ANY
        shown = documented[:-1] if trimmed else documented
        if trimmed:
            assert len(actual) > len(shown), f"{where}: nothing was trimmed from {actual!r}"
        else:
            assert len(actual) == len(shown), f"{where}: {actual!r}, not {documented!r}"
        for i, (d, a) in enumerate(zip(shown, actual, strict=False)):
            matches(d, a, f"{where}[{i}]")
    elif isinstance(documented, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        assert sorted(actual) == sorted(documented), f"{where}: keys {sorted(actual)}"
        for key, value in documented.items():
            matches(value, actual[key], f"{where}.{key}")
    else:
        assert actual == documented, f"{where}: {actual!r}, the README says {documented!r}"


def test_the_walk_through_covers_the_story() -> None:
    names = [name for name, _, _ in walkthrough()]
    assert len(names) == len(set(names)) >= 10
    text = "".join(document for _, document, _ in walkthrough())
    # nothing to fill in: things are named, never given by sha or id
    assert not re.search(r"<[^>]+>|[0-9a-f]{12,}|\bid:", text)
    for name in (story.REPO, story.MODEL, story.ALIAS, story.PROD, story.BRANCH):
        assert f'"{name}"' in text


async def test_every_step_gives_the_documented_answer(api: Api, services: Services) -> None:
    await demo.seed(services)

    for name, document, answer in walkthrough():
        matches(answer, api.data(document), name)
