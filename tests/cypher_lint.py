"""Run Neo4j's Cypher linter (tools/cypher-lint/lint.mjs) from the test suite.

The linter is the npm package ``@neo4j-cypher/language-support`` (Neo4j's own
parser and semantic analysis), pinned in ``tools/cypher-lint/package-lock.json``
and installed with ``npm ci --prefix tools/cypher-lint``. Statements are linted
as Cypher 5 (Neo4j 5.26) without a database schema: syntax errors, semantic
errors and server notifications (deprecations, cartesian products...) are
reported; unknown labels, relationship types, properties, parameters,
functions and procedures are not.

This module holds no pytest fixtures: tests call :func:`lint_statements` and
check :func:`missing_reason` themselves (and should fail, not skip, when the
linter is missing).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parent.parent
LINTER_DIR = REPO_ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = "lint.mjs"
INSTALL_COMMAND = "npm ci --prefix tools/cypher-lint"
# One node process lints every statement of a call: ~1 s to start, then
# ~50-100 ms a statement.
TIMEOUT_SECONDS = 600.0

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding; ``line`` and ``column`` are 1-based within the statement."""

    source: str
    severity: Severity
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.severity}: {self.message}"


class CypherLintError(RuntimeError):
    """The linter could not be run (not installed, crashed, bad output)."""


def _library_dir() -> Path:
    return LINTER_DIR / "node_modules" / "@neo4j-cypher" / "language-support"


def missing_reason() -> str | None:
    """Why the linter cannot run here (with what to run about it), or None."""
    if shutil.which("node") is None:
        return (
            "the Cypher linter needs Node.js 20+ (`node` is not on PATH): install "
            f"Node.js and npm, then run `{INSTALL_COMMAND}` from the repository root"
        )
    if not (LINTER_DIR / LINT_SCRIPT).is_file():
        return f"the Cypher linter script {LINTER_DIR / LINT_SCRIPT} is missing"
    if not _library_dir().is_dir():
        return (
            f"the Cypher linter is not installed ({LINTER_DIR / 'node_modules'} "
            f"is missing): run `{INSTALL_COMMAND}` from the repository root"
        )
    return None


LINTER_INSTALLED: bool = missing_reason() is None


def _diagnostic(raw: object) -> Diagnostic:
    if not isinstance(raw, dict):
        raise CypherLintError(f"unexpected linter output item: {raw!r}")
    try:
        severity = raw["severity"]
        if severity not in ("error", "warning"):
            raise CypherLintError(f"unexpected severity in linter output: {raw!r}")
        return Diagnostic(
            source=str(raw["source"]),
            severity=severity,
            message=str(raw["message"]),
            line=int(raw["line"]),
            column=int(raw["column"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CypherLintError(f"unexpected linter output item: {raw!r}") from exc


def lint_statements(items: list[tuple[str, str]]) -> list[Diagnostic]:
    """Lint ``(source, statement)`` pairs; return every diagnostic found.

    ``source`` is any label (e.g. ``"cypher/ingest/upsert.cypher"``) copied into
    the diagnostics of its statement. Diagnostics come in input order, then by
    position. Raises :class:`CypherLintError` when the linter cannot run.
    """
    reason = missing_reason()
    if reason is not None:
        raise CypherLintError(reason)
    if not items:
        return []
    node = shutil.which("node")
    if node is None:  # pragma: no cover - missing_reason() checked it
        raise CypherLintError("`node` is not on PATH")
    payload = json.dumps(
        [{"source": source, "statement": statement} for source, statement in items]
    )
    try:
        proc = subprocess.run(
            [node, LINT_SCRIPT],
            cwd=LINTER_DIR,
            input=payload,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise CypherLintError(f"the Cypher linter took more than {TIMEOUT_SECONDS:.0f} s") from exc
    if proc.returncode != 0:
        raise CypherLintError(
            f"the Cypher linter exited with status {proc.returncode} "
            f"(reinstall it with `{INSTALL_COMMAND}` if its modules are broken):\n"
            f"{proc.stderr.strip()}"
        )
    try:
        raw = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise CypherLintError(
            f"the Cypher linter printed something other than JSON: {proc.stdout[:500]!r}"
        ) from exc
    if not isinstance(raw, list):
        raise CypherLintError(f"the Cypher linter printed {type(raw).__name__}, not a list")
    return [_diagnostic(item) for item in raw]
