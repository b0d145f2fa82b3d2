"""Blobs, trees and commits are immutable: no statement sets, removes or creates them
outside `MERGE … ON CREATE SET`."""

from __future__ import annotations

import re

import pytest

from graph_api.store import catalog

IMMUTABLE = ("Blob", "Tree", "Commit")
BINDING = re.compile(r"\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?:Blob|Tree|Commit)\b")
CREATE = re.compile(r"(?<!MERGE )\bCREATE\s*\(\s*[A-Za-z_]*\s*:\s*(?:Blob|Tree|Commit)\b")


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _violations(text: str) -> list[str]:
    body = _body(text)
    found = [m.group(0) for m in CREATE.finditer(body)]
    for var in sorted(set(BINDING.findall(body))):
        # Every SET/REMOVE naming the variable must be part of an ON CREATE SET clause.
        for m in re.finditer(rf"\b(ON CREATE SET|SET|REMOVE)\b[^\n]*\b{var}(\.|:|\s*\+?=)",
                             body):
            if m.group(1) != "ON CREATE SET":
                found.append(m.group(0))
    return found


@pytest.mark.parametrize("name", sorted(catalog.catalog()))
def test_no_statement_changes_a_blob_tree_or_commit(name: str) -> None:
    assert _violations(catalog.get(name).text) == []


@pytest.mark.parametrize("text", [
    "MATCH (c:Commit {sha: $s}) SET c.message = $m RETURN c",
    "CREATE (b:Blob {sha: $s}) RETURN b",
    "MATCH (t:Tree {sha: $s}) REMOVE t.paths RETURN t",
])
def test_the_rule_catches_a_change(text: str) -> None:
    assert _violations(text)


def test_the_rule_accepts_merge_on_create() -> None:
    assert _violations("MERGE (b:Blob:ConfigBlob {sha: $s})\n  ON CREATE SET b.kind = $k\n"
                       "RETURN b") == []
