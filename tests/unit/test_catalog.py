"""The Cypher catalog: every statement loads, documents itself, is used, and every use exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_api.store import catalog, migrations
from graph_api.store.catalog import Statement

ROOT = catalog.cypher_root()
PACKAGE = Path(catalog.__file__).resolve().parents[1]
FILES = sorted(ROOT.rglob("*.cypher"))
NAMES = [path.relative_to(ROOT).with_suffix("").as_posix() for path in FILES]
SCHEMA_NAMES = [name for name in NAMES
                if name.startswith("schema/") and not name.startswith("schema/retired/")]
RETIRED_NAMES = [name for name in NAMES if name.startswith("schema/retired/")]
QUERY_NAMES = [name for name in NAMES if not name.startswith("schema/")]
USED_NAME = re.compile(r'"((?:read|write|lineage|admin|explore|topology|versioning)/[a-z_]+)"')
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
SLOT = re.compile(r"/\*%([a-z_]+)\*/(.*?)/\*%\*/", re.DOTALL)


def _header(text: str) -> list[str]:
    """The leading `//` comment lines."""
    lines = []
    for line in text.splitlines():
        if not line.lstrip().startswith("//"):
            break
        lines.append(line)
    return lines


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _result_columns(text: str) -> list[str]:
    """Column names of the statement's final top-level RETURN."""
    body = _body(text)
    starts = [m.start() for m in re.finditer(r"^RETURN\b", body, re.MULTILINE)]
    assert starts, "no top-level RETURN"
    clause = body[starts[-1] + len("RETURN"):]
    clause = re.split(r"^(?:ORDER BY|SKIP|LIMIT)\b", clause, flags=re.MULTILINE)[0]
    columns = []
    for item in _split_top_level(clause):
        item = item.strip()
        alias = re.search(r"\bAS\s+([A-Za-z_][A-Za-z0-9_]*)\s*$", item)
        columns.append(alias.group(1) if alias else item)
    return columns


# --- loading and headers -----------------------------------------------------------------------

def test_catalog_holds_every_cypher_file_by_path_without_suffix() -> None:
    loaded = catalog.load(ROOT)

    assert FILES, f"no .cypher files under {ROOT}"
    assert sorted(loaded) == NAMES
    for name, statement in loaded.items():
        assert statement.name == name
        assert statement.text.strip()


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_statement_header_names_its_params_and_result_columns(name: str) -> None:
    header = "\n".join(_header(catalog.get(name).text))

    assert header, f"{name}: no // header"
    assert "params:" in header, f"{name}: the header has no 'params:' line"
    assert "returns:" in header, f"{name}: the header has no 'returns:' line"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_parameter_of_a_statement_is_named_in_its_header(name: str) -> None:
    text = catalog.get(name).text
    header = "\n".join(_header(text))
    body = SLOT.sub(lambda m: m.group(2), _body(text))

    undocumented = sorted(p for p in set(PARAM.findall(body)) if f"${p}" not in header)

    assert not undocumented, f"{name}: parameters missing from the header: {undocumented}"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_result_column_of_a_statement_is_named_in_its_header(name: str) -> None:
    text = catalog.get(name).text
    header = "\n".join(_header(text))
    returns = header[header.index("returns:"):]

    missing = [
        column for column in _result_columns(text)
        if not re.search(rf"\b{re.escape(column)}\b", returns)
    ]

    assert not missing, f"{name}: result columns missing from 'returns:': {missing}"


@pytest.mark.parametrize("name", SCHEMA_NAMES + RETIRED_NAMES)
def test_schema_statement_has_a_header_comment(name: str) -> None:
    assert _header(catalog.get(name).text), f"{name}: no // header comment"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_statement_is_idempotent(name: str) -> None:
    assert "IF NOT EXISTS" in _body(catalog.get(name).text)


def test_a_file_with_only_comments_is_refused(tmp_path: Path) -> None:
    (tmp_path / "read").mkdir()
    (tmp_path / "read" / "empty.cypher").write_text("// empty — nothing here\n// params: none\n")

    with pytest.raises(ValueError, match="no statement"):
        catalog.load(tmp_path)


def test_unknown_statement_name_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="read/no_such_statement"):
        catalog.get("read/no_such_statement")


# --- slots -------------------------------------------------------------------------------------

SLOTTED = (
    "// demo\n"
    "MATCH (n:/*%label*/Artifact/*%*/)\n"
    "WHERE /*%where*/true/*%*/\n"
    "RETURN n ORDER BY /*%order*/n.createdAt ASC,\n n.id ASC/*%*/"
)


def _slotted(tmp_path: Path) -> Statement:
    (tmp_path / "read").mkdir()
    (tmp_path / "read" / "demo.cypher").write_text(SLOTTED)
    return catalog.load(tmp_path)["read/demo"]


def test_loading_finds_the_slots_of_a_statement(tmp_path: Path) -> None:
    assert _slotted(tmp_path).slots == {"label", "where", "order"}


def test_render_without_fragments_keeps_every_default(tmp_path: Path) -> None:
    rendered = _slotted(tmp_path).render()

    assert rendered == (
        "// demo\n"
        "MATCH (n:Artifact)\n"
        "WHERE true\n"
        "RETURN n ORDER BY n.createdAt ASC,\n n.id ASC"
    )


def test_render_replaces_given_slots_and_keeps_the_other_defaults(tmp_path: Path) -> None:
    rendered = _slotted(tmp_path).render({"label": "Execution", "where": "n.name = $f0"})

    assert "MATCH (n:Execution)" in rendered
    assert "WHERE n.name = $f0" in rendered
    assert "ORDER BY n.createdAt ASC,\n n.id ASC" in rendered
    assert "/*%" not in rendered


def test_render_ignores_fragments_for_slots_the_statement_lacks(tmp_path: Path) -> None:
    statement = _slotted(tmp_path)

    assert statement.render({"type_label": "ContextType"}) == statement.render()


def test_statement_without_slots_renders_as_its_text() -> None:
    statement = Statement("read/x", "MATCH (n) RETURN n", frozenset())

    assert statement.render({"label": "Context"}) == "MATCH (n) RETURN n"


def test_list_nodes_renders_label_filter_and_order() -> None:
    statement = catalog.get("read/list_nodes")

    rendered = statement.render({
        "label": "Context",
        "where": "n.name STARTS WITH $f0",
        "order": "n.name DESC, n.id DESC",
    })

    assert {"label", "where", "order"} <= statement.slots
    assert "MATCH (n:Context)" in rendered
    assert "WHERE n.name STARTS WITH $f0" in rendered
    assert "ORDER BY n.name DESC, n.id DESC" in rendered
    assert "/*%" not in rendered


# --- every statement is used, every use exists -------------------------------------------------

def _used_names() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for match in USED_NAME.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(1), []).append(path.relative_to(PACKAGE.parent).as_posix())
    return used


def test_every_statement_name_used_in_the_code_exists() -> None:
    used = _used_names()

    missing = {name: where for name, where in used.items() if name not in QUERY_NAMES}

    assert not missing, f"statements used but not under {ROOT}: {missing}"


def test_every_statement_outside_schema_is_used_by_the_code() -> None:
    unused = sorted(set(QUERY_NAMES) - set(_used_names()))

    assert not unused, f"statements no code uses: {unused}"


# --- migrations --------------------------------------------------------------------------------

def test_migrations_apply_every_schema_statement_in_name_order() -> None:
    assert migrations.schema_statements() == SCHEMA_NAMES


def test_each_schema_file_creates_one_distinctly_named_constraint_or_index() -> None:
    created = {migrations.created_name(name) for name in SCHEMA_NAMES}
    optional = {migrations.created_name(name) for name in SCHEMA_NAMES
                if migrations.optional(name)}

    assert len(created) == len(SCHEMA_NAMES)
    assert migrations.expected_names() == created - optional


def test_optional_schema_statements_are_the_property_type_constraints() -> None:
    # Neo4j Community refuses them (an Enterprise feature): they must not be expected.
    optional = [name for name in SCHEMA_NAMES if migrations.optional(name)]

    assert optional
    assert all(" IS :: " in _body(catalog.get(name).text) for name in optional)
    assert all(" IS :: " not in _body(catalog.get(name).text)
               for name in SCHEMA_NAMES if name not in optional)


def test_type_constraints_come_before_the_indexes_over_their_properties() -> None:
    # The embedded engine types an index's keys by the property's declared type when the
    # index is created; declared later, an index keeps the keys it was built with.
    order = migrations.schema_statements()
    last_type = max(order.index(name) for name in order if migrations.optional(name))

    assert all(order.index(name) > last_type for name in order if not migrations.optional(name))


def test_migrations_retire_what_the_schema_no_longer_creates() -> None:
    assert migrations.retired_statements() == RETIRED_NAMES
    retired = {migrations.retired_name(name) for name in RETIRED_NAMES}

    assert retired
    assert not retired & {migrations.created_name(name) for name in SCHEMA_NAMES}
