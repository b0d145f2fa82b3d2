"""Every distinct statement the suite sent to the database passes Neo4j's own linter.

The store appends each distinct statement text it sends to a file (a test-only switch of
`Database.connect`); this test runs after all the others and lints that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_api.store.connection import Database
from tests.cypher_lint import lint_statements


@pytest.mark.last
def test_every_statement_sent_lints_clean(database: Database, recorded_cypher: Path) -> None:
    assert recorded_cypher.exists(), "the store recorded no statement"
    statements = [json.loads(line) for line in recorded_cypher.read_text().splitlines()]
    assert len(statements) == len(set(statements))
    assert any(s.lstrip().startswith("//") and "CREATE CONSTRAINT" in s for s in statements)
    diagnostics = lint_statements([(f"sent[{i}]", s) for i, s in enumerate(statements)])
    assert [f"{d}\n{statements[int(d.source[5:-1])]}" for d in diagnostics] == []
