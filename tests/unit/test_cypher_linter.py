"""The Cypher linter itself works, so tests that rely on it can fail.

These tests fail (they do not skip) when the linter is not installed; the
failure says what to run (`npm ci --prefix tools/cypher-lint`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests import cypher_lint
from tests.cypher_lint import Diagnostic, lint_statements, missing_reason

VALID = "MATCH (a:Artifact {id: $id}) RETURN a"
SYNTAX_ERROR = "MATCH (a RETURN a"
SYNTAX_ERROR_AFTER_HEADER = "// header: broken statement\n// second line\nMATCH (a RETURN a"
UNDEFINED_VARIABLE = "MATCH (a:Artifact)\nRETURN b"
UNKNOWN_SCHEMA = (
    "MATCH (a:NoSuchLabel)-[:NO_SUCH_TYPE]->(b:OtherLabel)\n"
    "WHERE a.noSuchProperty = $undeclared_param\n"
    "RETURN b.anotherUnknownProperty AS x"
)
VERSION_PREFIX = "CYPHER 25 MATCH (a:Artifact) RETURN a"

DEPRECATED: dict[str, tuple[str, str]] = {
    # source: (statement, text the warning mentions)
    "deprecated-id-function": ("MATCH (n:Artifact) RETURN id(n) AS i", "id"),
    "deprecated-importing-with": (
        "MATCH (a:Artifact) CALL { WITH a RETURN a.id AS aid } RETURN aid",
        "CALL (a)",
    ),
}

# Neo4j 5 constructs the project uses: they must lint clean.
PROJECT_CONSTRUCTS: dict[str, str] = {
    "uniqueness-constraint": (
        "CREATE CONSTRAINT artifact_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.id IS UNIQUE"
    ),
    "range-index": "CREATE INDEX artifact_uri IF NOT EXISTS FOR (n:Artifact) ON (n.uri)",
    "unwind-merge-set": ("UNWIND $rows AS row MERGE (a:Artifact {id: row.id}) SET a += row.props"),
    "map-projection": ("MATCH (n) WHERE n.id IN $ids RETURN collect(n {.*, kind: 'x'}) AS rows"),
    "shortest-path": (
        "MATCH p = shortestPath((a {id: $a})-[:INPUT|OUTPUT*1..40]->(b {id: $b})) "
        "RETURN [n IN nodes(p) | n.id] AS ids"
    ),
    "scoped-call-subquery": (
        "MATCH (x:Artifact {id: $id}) CALL (x) { RETURN x.uri AS uri } RETURN uri"
    ),
    "count-subquery": "MATCH (a:Artifact) RETURN a.id AS id, COUNT { (a)-->() } AS out",
    "comments": (
        "// lineage/upstream.cypher\n"
        "// Returns the artifacts a run read.\n"
        "MATCH (r:Run {id: $run_id})-[:INPUT]->(a:Artifact)\n"
        "WHERE /*%filter%*/ true\n"
        "RETURN a.id AS id\n"
        "ORDER BY id\n"
        "LIMIT $limit"
    ),
}

CASES: dict[str, str] = {
    "valid": VALID,
    "syntax-error": SYNTAX_ERROR,
    "syntax-error-after-header": SYNTAX_ERROR_AFTER_HEADER,
    "undefined-variable": UNDEFINED_VARIABLE,
    "unknown-schema": UNKNOWN_SCHEMA,
    "version-prefix": VERSION_PREFIX,
    **{source: statement for source, (statement, _) in DEPRECATED.items()},
    **PROJECT_CONSTRUCTS,
}


def _require_linter() -> None:
    reason = missing_reason()
    if reason is not None:
        pytest.fail(reason, pytrace=False)


@functools.cache
def _lint_all() -> dict[str, tuple[Diagnostic, ...]]:
    """Lint every case in one node process (starting node costs ~1 s)."""
    found: dict[str, list[Diagnostic]] = {source: [] for source in CASES}
    for diagnostic in lint_statements(list(CASES.items())):
        found[diagnostic.source].append(diagnostic)
    return {source: tuple(diagnostics) for source, diagnostics in found.items()}


def _diagnostics(source: str) -> tuple[Diagnostic, ...]:
    _require_linter()
    return _lint_all()[source]


def _errors(source: str) -> list[Diagnostic]:
    return [d for d in _diagnostics(source) if d.severity == "error"]


def _warnings(source: str) -> list[Diagnostic]:
    return [d for d in _diagnostics(source) if d.severity == "warning"]


def test_linter_is_installed() -> None:
    _require_linter()
    assert cypher_lint.LINTER_INSTALLED


def test_missing_reason_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / cypher_lint.LINT_SCRIPT).write_text("", encoding="utf-8")
    monkeypatch.setattr(cypher_lint, "LINTER_DIR", tmp_path)
    monkeypatch.setattr(cypher_lint.shutil, "which", lambda _name: "/usr/bin/node")
    reason = missing_reason()
    assert reason is not None
    assert "run `npm ci --prefix tools/cypher-lint`" in reason
    with pytest.raises(cypher_lint.CypherLintError, match="npm ci --prefix"):
        lint_statements([("x", VALID)])


def test_valid_statement_has_no_diagnostics() -> None:
    assert _diagnostics("valid") == ()


def test_syntax_error_is_an_error_with_its_position() -> None:
    errors = _errors("syntax-error")
    assert errors, _diagnostics("syntax-error")
    assert errors[0].line == 1
    assert errors[0].column == len("MATCH (a ") + 1
    assert "RETURN" in errors[0].message


def test_error_line_counts_comment_header_lines() -> None:
    errors = _errors("syntax-error-after-header")
    assert errors, _diagnostics("syntax-error-after-header")
    assert (errors[0].line, errors[0].column) == (3, len("MATCH (a ") + 1)


def test_semantic_error_is_reported() -> None:
    errors = _errors("undefined-variable")
    assert [(d.line, d.column) for d in errors] == [(2, len("RETURN ") + 1)]
    assert "`b`" in errors[0].message


@pytest.mark.parametrize("source", sorted(DEPRECATED))
def test_deprecated_construct_gives_a_warning(source: str) -> None:
    _statement, mentioned = DEPRECATED[source]
    assert _errors(source) == []
    warnings = _warnings(source)
    assert warnings, _diagnostics(source)
    assert any("deprecated" in d.message.lower() and mentioned in d.message for d in warnings), (
        warnings
    )


def test_unknown_labels_properties_and_parameters_are_not_reported() -> None:
    assert _diagnostics("unknown-schema") == ()


def test_cypher_version_prefix_is_an_error() -> None:
    errors = _errors("version-prefix")
    assert [(d.line, d.column) for d in errors] == [(1, 1)]
    assert "CYPHER 25" in errors[0].message


@pytest.mark.parametrize("source", sorted(PROJECT_CONSTRUCTS))
def test_project_constructs_lint_clean(source: str) -> None:
    assert _diagnostics(source) == (), "\n".join(map(str, _diagnostics(source)))


def test_empty_input_and_empty_statement() -> None:
    _require_linter()
    assert lint_statements([]) == []
    assert lint_statements([("blank", "  \n")]) == [
        Diagnostic("blank", "error", "empty statement", 1, 1)
    ]
