"""MLMD's filter_query grammar compiled to Cypher: every value a parameter, every path
mapped, every error named."""

from __future__ import annotations

import pytest

from graph_api.errors import InvalidInput
from graph_api.model.enums import NodeKind
from graph_api.store.mlmd_filter import compile_filter_query

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT


@pytest.mark.parametrize(("query", "expression", "params"), [
    ("id = 5", "(n.`mlmdId` = $q0)", {"q0": 5}),
    ("name != 'a' AND uri LIKE 's3://%'", "((n.`name` <> $q0) AND (n.`uri` =~ $q1))",
     {"q0": "a", "q1": "(?s)s3://.*"}),
    ("state = LIVE or NOT state = PENDING", "((n.`state` = $q0) OR (NOT (n.`state` = $q1)))",
     {"q0": "LIVE", "q1": "PENDING"}),
    ("properties.rows.int_value IN (1, 2)", "(n.`p_rows` IN $q0)", {"q0": [1, 2]}),
    ("custom_properties.lr.double_value > 0.5", "(n.`c_lr` > $q0)", {"q0": 0.5}),
    ("properties.cfg.struct_value IS NULL", "(n.`ps_cfg` IS NULL)", {}),
    ("create_time_since_epoch >= 10 AND external_id IS NOT NULL",
     "((n.`createdAt` >= $q0) AND (n.`externalId` IS NOT NULL))", {"q0": 10}),
    ("name NOT LIKE 'x\\_%'", "(NOT (n.`name` =~ $q0))", {"q0": "(?s)x_.*"}),
])
def test_each_path_and_operator_compiles_with_its_value_as_a_parameter(
        query: str, expression: str, params: dict[str, object]) -> None:
    compiled = compile_filter_query(query, A)
    assert compiled.expression == expression
    assert compiled.params == params


def test_related_nodes_are_matched_in_subqueries() -> None:
    contexts = compile_filter_query("contexts_a.name = 'run' AND contexts_a.type = 'Run'", E)
    assert contexts.expression.count("EXISTS { MATCH (n)-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->") == 2
    events = compile_filter_query("events_0.type = OUTPUT AND events_0.execution_id = 3", A)
    assert "[qv1e:INPUT|OUTPUT]-(qv1:Execution)" in events.expression
    assert events.params == {"q0": "OUTPUT", "q1": 3}
    parents = compile_filter_query("parent_contexts_a.name = 'p' OR child_contexts_b.id = 2", C)
    assert "-[:CHILD_OF]->" in parents.expression and "<-[:CHILD_OF]-" in parents.expression
    absent = compile_filter_query("contexts_a.name IS NULL", A)
    assert absent.expression.startswith("(NOT EXISTS {")
    typed = compile_filter_query("type_id = 7", A)
    assert typed.expression == "EXISTS { MATCH (n)-[:OF_TYPE]->(qt1) WHERE qt1.`mlmdId` = $q0 }"


def test_a_value_never_becomes_cypher_text() -> None:
    compiled = compile_filter_query("name = 'x\\' OR true OR n.name = \\'y'", A)
    assert compiled.expression == "(n.`name` = $q0)"
    assert compiled.params == {"q0": "x' OR true OR n.name = 'y"}


@pytest.mark.parametrize(("query", "kind", "message"), [
    ("invalid syntax", A, "cannot parse"),
    ("name = ", A, "cannot parse"),
    ("colour = 'red'", A, "unknown attribute 'colour'"),
    ("properties.rows = 1", A, "unknown attribute 'properties.rows'"),
    ("properties.`my rows`.int_value = 1", A, "property name 'my rows' is not stored"),
    ("uri = 'x'", E, "only artifacts have a uri"),
    ("events_0.type = INPUT", C, "contexts have no events"),
    ("parent_contexts_a.name = 'x'", A, "applies to contexts"),
    ("contexts_a.name = 'x'", C, "applies to artifacts and executions"),
    ("5", A, "cannot parse"),
])
def test_a_bad_query_is_invalid_input_naming_the_problem(query: str, kind: NodeKind,
                                                          message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as raised:
        compile_filter_query(query, kind)
    assert raised.value.field == "filterQuery"


def test_an_empty_query_matches_everything() -> None:
    assert compile_filter_query("  ", A).expression == "true"
