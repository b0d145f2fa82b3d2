"""The package list in pyproject.toml names every package, so a non-editable install (the
Docker image, `pip install .`) ships all of the code, not only what an editable one finds."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_python_package_is_listed_for_installation() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])

    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "graph_api").rglob("__init__.py")}

    assert found - listed == set()
    assert "graph_api.cypher" in listed  # the statements, mapped from cypher/
