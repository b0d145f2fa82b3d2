"""The committed `schema.graphql` is the schema the code serves, and `lineage schema` prints it."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from graph_api import cli
from graph_api.graphql.schema import sdl

COMMITTED = Path(__file__).resolve().parents[2] / "schema.graphql"
REGENERATE = ".venv/bin/lineage schema > schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    assert COMMITTED.exists(), f"schema.graphql is missing: run `{REGENERATE}`"
    committed, current = COMMITTED.read_text(), sdl()
    if committed != current:
        diff = "".join(difflib.unified_diff(
            committed.splitlines(keepends=True), current.splitlines(keepends=True),
            "schema.graphql (committed)", "the schema in the code", n=1))
        pytest.fail(f"schema.graphql differs from the code: run `{REGENERATE}` and commit "
                    f"it.\n{diff}", pytrace=False)


def test_lineage_schema_prints_exactly_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == sdl()
    assert printed.endswith("\n") and not printed.endswith("\n\n")
    assert "type Query" in printed


def test_lineage_schema_needs_no_settings(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINEAGE_MAX_HOPS", "not a number")  # would stop any other command
    assert cli.main(["schema"]) == 0
    assert "type Query" in capsys.readouterr().out
